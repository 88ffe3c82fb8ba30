"""Throughput of the peers on the same work: negatives, CLIPS and plain Python, interleaved.

`python bench/run.py peers --athletes N [--json] [--reference] [--no-freeze]`, or `peers(n)` from
bench/run.py. Every peer is built once (workspace, CLIPS environment, plain tables) outside the
timing, and parsing the population is not timed either. Each round times every peer on the
whole population in blocks, the peers taking turns block by block, so a load on the machine hits
them alike; rates are medians over the rounds and ratios are taken round by round. The
projections are then checked for parity. `--json` prints one line:
{"athletes", "per_s": {decisions, full, clips, plain}, "ratios", "parity"}.
"""

from __future__ import annotations

import gc
import json
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench.peers.clips import Clips
from bench.peers.parity import describe, mismatches, parsed_population
from bench.peers.plain import Plain
from bench.peers.projection import (
    Projection,
    from_advice,
    negatives_decisions,
    reference_decisions,
)
from negatives.engine.advice.advise import advise, advise_reference
from negatives.engine.advice.render import to_json
from negatives.engine.infer.workspace import Workspace, open_workspace
from negatives.engine.model.athlete import Athlete

Peer = Callable[[Athlete], Projection]
BLOCK = 50


def _peers(ws: Workspace, reference: bool) -> dict[str, Peer]:
    engine, plain = Clips(ws.kb), Plain(ws.kb)

    def full(a: Athlete) -> Projection:  # the full advice, as a --batch line holds it
        advice = advise(a, ws)
        json.dumps(advice, ensure_ascii=False)
        return from_advice(advice)

    out: dict[str, Peer] = {"decisions": lambda a: negatives_decisions(a, ws), "full": full,
                            "clips": engine.project, "plain": plain.project}
    if reference:
        def before_full(a: Athlete) -> Projection:  # the path before issue 11, indent=2
            advice = advise_reference(a, ws)
            to_json(advice)
            return from_advice(advice)

        out["reference decisions"] = lambda a: reference_decisions(a, ws)
        out["reference full"] = before_full
    return out


def measure(athletes: Sequence[Athlete], peers: dict[str, Peer], rounds: int
            ) -> tuple[dict[str, list[float]], dict[str, list[Projection]]]:
    """Athletes/s of each peer in each round, and the last round's projections."""
    for run in peers.values():  # warm-up
        for a in athletes[:50]:
            run(a)
    rates: dict[str, list[float]] = {name: [] for name in peers}
    results: dict[str, list[Projection]] = {}
    for _ in range(rounds):
        took = dict.fromkeys(peers, 0.0)
        results = {name: [] for name in peers}
        for start in range(0, len(athletes), BLOCK):
            block = athletes[start:start + BLOCK]
            for name, run in peers.items():
                began = time.perf_counter()
                results[name] += [run(a) for a in block]
                took[name] += time.perf_counter() - began
        for name in peers:
            rates[name].append(len(athletes) / took[name])
    return rates, results


def _ratio(rates: dict[str, list[float]], a: str, b: str) -> float:
    return statistics.median(x / y for x, y in zip(rates[a], rates[b], strict=True))


def peers(n: int, rounds: int = 3, as_json: bool = False, reference: bool = False,
          freeze: bool = True) -> None:
    """Print athletes/s for each peer and the ratios (or the one JSON line).

    `freeze`: once every peer is built and the population parsed, those objects are moved out
    of the garbage collector's way (gc.freeze), as `advise --batch` does once the rule base is
    loaded; every peer runs with it alike. Without it, each full collection walks the whole
    setup again (about 4% of a 2,000-athlete run, mostly while the peers that allocate most
    run: decisions ÷ CLIPS 0.97-0.99 against 1.00-1.02 with it, side by side).
    """
    ws = open_workspace("advise")
    dicts, athletes = parsed_population(n, ws.kb)
    built = _peers(ws, reference)
    if freeze:
        gc.collect()
        gc.freeze()
    try:
        rates, results = measure(athletes, built, rounds)
    finally:
        gc.unfreeze()
    bad = mismatches(results)
    per_s = {name: round(statistics.median(v), 1) for name, v in rates.items()}
    ratios = {"decisions_vs_clips": round(_ratio(rates, "decisions", "clips"), 3),
              "full_vs_clips": round(_ratio(rates, "full", "clips"), 3),
              "plain_vs_decisions": round(_ratio(rates, "plain", "decisions"), 3)}
    if as_json:
        line: dict[str, Any] = {"athletes": n, "per_s": per_s, "ratios": ratios,
                                "parity": not bad}
        print(json.dumps(line))
        return
    print(f"peers: {n} athletes x {rounds} rounds, blocks of {BLOCK} interleaved")
    for name, rate in per_s.items():
        extra = "" if name == "clips" else f"  {_ratio(rates, name, 'clips'):.2f}x CLIPS"
        print(f"peers: {name:<20} {rate:>9.0f} athletes/s  ({1000 / rate:.3f} ms each){extra}"
              f"  rounds: {', '.join(f'{r:.0f}' for r in rates[name])}")
    print("peers: ratios " + ", ".join(f"{k} {v:.2f}" for k, v in ratios.items()))
    if reference:
        print(f"peers: decisions / reference decisions "
              f"{_ratio(rates, 'decisions', 'reference decisions'):.2f}x, full / reference full "
              f"{_ratio(rates, 'full', 'reference full'):.2f}x")
    print("peers: parity: " + (f"all {n} projections agree" if not bad else
                               describe(bad, dicts, results)))
