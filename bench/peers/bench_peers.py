"""Throughput of the peers on the same work: negatives, CLIPS and plain Python.

`python bench/peers/bench_peers.py [--n N]`, or `peers(n)` from bench/run.py. Every peer is
built once (workspace, CLIPS environment, plain tables) outside the timing; the timed loop
turns each parsed athlete into its projection (bench/peers/projection.py). Parsing the
population is not timed either. The projections are then checked for parity.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if __name__ == "__main__":  # run as a script: the repository, not bench/peers, on the path
    sys.path[0] = str(ROOT)

from bench.peers.clips import Clips  # noqa: E402
from bench.peers.parity import describe, mismatches, parsed_population  # noqa: E402
from bench.peers.plain import Plain  # noqa: E402
from bench.peers.projection import Projection, from_advice, negatives_decisions  # noqa: E402
from negatives.engine.advice.advise import advise  # noqa: E402
from negatives.engine.advice.render import to_json  # noqa: E402
from negatives.engine.infer.workspace import open_workspace  # noqa: E402
from negatives.engine.model.athlete import Athlete  # noqa: E402


def _timed(athletes: Sequence[Athlete], run: Callable[[Athlete], Projection]
           ) -> tuple[float, list[Projection]]:
    start = time.perf_counter()
    out = [run(a) for a in athletes]
    return len(athletes) / (time.perf_counter() - start), out


def peers(n: int) -> None:
    """Print athletes/s for each peer and the ratios against the targets."""
    ws = open_workspace("advise")
    start = time.perf_counter()
    dicts, athletes = parsed_population(n, ws.kb)
    parse_s = time.perf_counter() - start
    start = time.perf_counter()
    engine = Clips(ws.kb)
    clips_s = time.perf_counter() - start
    start = time.perf_counter()
    plain = Plain(ws.kb)
    plain_s = time.perf_counter() - start

    def full(a: Athlete) -> Projection:
        advice = advise(a, ws)
        to_json(advice)
        return from_advice(advice)

    results: dict[str, list[Projection]] = {}
    rates: dict[str, float] = {}
    for name, run in (("negatives full JSON", full),
                      ("negatives decisions", lambda a: negatives_decisions(a, ws)),
                      ("CLIPS", engine.project), ("plain Python", plain.project)):
        rates[name], results[name] = _timed(athletes, run)
    print(f"peers: {n} athletes (parsed in {parse_s:.1f} s, not timed; CLIPS environment "
          f"built in {clips_s * 1000:.0f} ms, plain tables in {plain_s * 1000:.1f} ms)")
    for name, rate in rates.items():
        print(f"peers: {name:<20} {rate:>9.0f} athletes/s  ({1000 / rate:.3f} ms each)")
    for label in ("negatives full JSON", "negatives decisions"):
        neg = rates[label]
        print(f"peers: {label}: negatives/CLIPS {neg / rates['CLIPS']:.2f}x (target >= 2), "
              f"plain/negatives {rates['plain Python'] / neg:.1f}x (target <= 3)")
    bad = mismatches(results)
    print("peers: parity: " + (f"all {n} projections agree" if not bad else
                               describe(bad, dicts, results)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000, help="athletes (default 10000)")
    peers(parser.parse_args().n)


if __name__ == "__main__":
    main()
