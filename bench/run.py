"""Benchmarks for negatives; prints figures, never a timed test. `python bench/run.py [--quick]`."""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.peers.bench_peers import peers  # noqa: E402
from bench.population import population  # noqa: E402
from negatives.engine.advice.advise import advise  # noqa: E402
from negatives.engine.advice.render import to_json  # noqa: E402
from negatives.engine.infer.workspace import open_workspace  # noqa: E402
from negatives.engine.load.errors import NegativesError  # noqa: E402
from negatives.engine.load.yamlio import dump  # noqa: E402
from negatives.engine.model.athlete import parse_athlete  # noqa: E402


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _env(**extra: str) -> dict[str, str]:
    """The environment of a normal Python setup: bytecode caches on (this machine turns them off
    with PYTHONDONTWRITEBYTECODE, which makes every run compile the project's modules again)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **extra}


def walls(cmds: dict[str, tuple[list[str], dict[str, str]]], runs: int) -> dict[str, float]:
    """Median wall time of each command; the commands take turns so load hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for cmd, env in cmds.values():  # warm-up: bytecode and rule-base caches written
        subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=True)
    for _ in range(runs):
        for name, (cmd, env) in cmds.items():
            start = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=True)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def cold_start(runs: int) -> None:
    with tempfile.TemporaryDirectory() as cache:
        advise = [sys.executable, "-m", "negatives", "advise", "examples/alex.yaml"]
        got = walls({
            "imports": ([sys.executable, "-c",
                         "import click, ruamel.yaml, durable.engine, jsonschema"], _env()),
            "advise": (advise, _env(NEGATIVES_CACHE=cache)),
            "uncached": (advise, _env(NEGATIVES_CACHE="off")),
        }, runs)
    base = got["imports"]
    print(f"cold start: advise {got['advise'] * 1000:.0f} ms, imports alone {base * 1000:.0f} ms, "
          f"ratio {got['advise'] / base:.2f}; with the cache off {got['uncached'] * 1000:.0f} ms, "
          f"ratio {got['uncached'] / base:.2f} (median of {runs})")


def throughput(n: int) -> None:
    ws = open_workspace("advise")
    athletes = [parse_athlete(dump(a), "bench.yaml", ws.kb)
                for a in population(n, sorted(ws.kb.lifts))]
    start = time.perf_counter()
    for a in athletes:
        to_json(advise(a, ws))
    took = time.perf_counter() - start
    print(f"throughput: {n / took:.0f} athletes/s with full JSON explanations "
          f"({took / n * 1000:.2f} ms each, {n} athletes, one process)")


def memory(total: int, every: int) -> None:
    ws = open_workspace("advise")
    athletes = [parse_athlete(dump(a), "bench.yaml", ws.kb)
                for a in population(200, sorted(ws.kb.lifts))]
    marks = []
    for i in range(1, total + 1):
        advise(athletes[i % len(athletes)], ws)
        if i % every == 0:
            marks.append(rss_mb())
    print("memory: RSS (MB) every", every, "evaluations:",
          ", ".join(f"{m:.1f}" for m in marks), f"; growth {marks[-1] - marks[0]:.2f} MB")


def _generated(size: int, threshold_rules: bool, start: int = 0) -> str:
    """Rules spread over few distinct tests per field, or (threshold_rules) one per rule."""
    out = []
    for i in range(start, start + size):
        test = (f"{{value: {{gt: {i}}}}}" if threshold_rules else
                f"{{value: {{gt: {i % 10}}}}}")
        out.append(
            f"  - id: g{i}\n    title: generated {i}\n    priority: {i % 90 + 1}\n"
            f"    when:\n      - fact: one-rep-max\n        where: {test}\n"
            f"      - fact: athlete\n        where: {{cycle_week: {i % 52 + 1}}}\n"
            f"    then:\n      - warn: {{message: generated {i}}}\n"
            "    because: generated\n    source: project-default\n    note: generated\n")
    return "rules:\n" + "".join(out)


def scale(sizes: list[int], threshold_rules: bool = False) -> None:
    """Load, compile and per-athlete times for generated rule bases (the cache off).

    Reading and validating the YAML (ruamel's round-trip parser) is timed apart from compiling:
    compiling is the rule compiler, the partial evaluation and registering the rulesets.
    """
    from negatives.engine.infer.driver import Driver
    from negatives.engine.infer.prepare import prepare
    from negatives.engine.infer.universe import session_facts
    from negatives.engine.infer.workspace import knowledge_dir
    from negatives.engine.language.compiler import compile_rules
    from negatives.engine.language.rules import load_rules
    from negatives.engine.model.kbread import load_knowledge

    ws = open_workspace("advise")
    athletes = [parse_athlete(dump(a), "b.yaml", ws.kb)
                for a in population(10, sorted(ws.kb.lifts))]
    label = "distinct thresholds" if threshold_rules else "shared tests"
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "rules" / "advise"
            folder.mkdir(parents=True)
            for first in range(0, size, 1_000):  # files stay under the 2 MiB input limit
                (folder / f"generated-{first}.yaml").write_text(
                    _generated(min(1_000, size - first), threshold_rules, first),
                    encoding="utf-8")
            try:
                start = time.perf_counter()
                kb = load_knowledge(knowledge_dir())
                base = load_rules(folder, "advise", kb)
                loaded_s = time.perf_counter() - start
                start = time.perf_counter()
                partial = prepare(compile_rules(base), kb)
                driver = Driver(partial, 10**9)
                compiled_s = time.perf_counter() - start
                gc.freeze()  # as advise --batch does once the rule base is loaded
                facts = [session_facts(a, kb, driver.static, partial.known) for a in athletes]
                start = time.perf_counter()
                fired = sum(len(driver.evaluate(f)) for f in facts)
            except NegativesError as err:
                print(f"scale ({label}): {size} rules: refused with a clear error: {err}")
                continue
            per = (time.perf_counter() - start) / len(facts)
            print(f"scale ({label}): {size} rules: read+validate {loaded_s:.2f} s, compile "
                  f"{compiled_s:.2f} s ({len(partial.definition)} durable rules in "
                  f"{len(partial.parts)} ruleset(s)); {per * 1000:.1f} ms per athlete "
                  f"({fired // len(facts)} firings each)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", nargs="?", choices=["all", "peers"], default="all",
                        help="peers: only the peer comparison")
    parser.add_argument("--quick", action="store_true", help="smaller counts (about a minute)")
    parser.add_argument("--athletes", type=int, default=2_000, help="peers: athletes")
    parser.add_argument("--rounds", type=int, default=3, help="peers: rounds")
    parser.add_argument("--json", action="store_true", help="peers: one JSON line")
    parser.add_argument("--no-freeze", action="store_true",
                        help="peers: leave the setup to the garbage collector (no gc.freeze)")
    parser.add_argument("--reference", action="store_true",
                        help="peers: also time the path before issue 11 (before/after)")
    args = parser.parse_args()
    if args.what == "peers":
        peers(args.athletes, args.rounds, args.json, args.reference, not args.no_freeze)
        return
    q = args.quick
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    cold_start(5 if q else 10)
    throughput(1_000 if q else 10_000)
    peers(2_000 if q else 10_000)
    scale([100, 1_000] if q else [100, 1_000, 10_000])
    scale([50, 100, 1_000], threshold_rules=True)
    memory(20_000 if q else 100_000, 5_000 if q else 10_000)


if __name__ == "__main__":
    main()
