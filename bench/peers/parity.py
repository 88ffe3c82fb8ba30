"""Shared by the parity test and the benchmark: the parsed population and the comparison."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from bench.peers.projection import Projection, from_advice, from_firings
from bench.population import population
from negatives.engine.advice.advise import build_advice
from negatives.engine.infer.workspace import Workspace
from negatives.engine.load.yamlio import Document, dump
from negatives.engine.model.athlete import Athlete, athlete_from_doc, parse_athlete
from negatives.engine.model.knowledge import Knowledge


def parsed_population(n: int, kb: Knowledge, seed: int = 7
                      ) -> tuple[list[dict[str, Any]], list[Athlete]]:
    """The generated athletes as dicts and as the athlete reader checks and resolves them.

    The dicts go to `athlete_from_doc` as an already-parsed document: the same schema check,
    name resolution and stall derivation as `parse_athlete`, without scanning YAML text (ten
    times faster). tests/bench/test_peers.py checks that both give the same athletes.
    """
    dicts = population(n, sorted(kb.lifts), seed)
    return dicts, [athlete_from_doc(Document(f"athlete-{i}.yaml", a, ""), kb)
                   for i, a in enumerate(dicts)]


def parse_text(athlete: dict[str, Any], kb: Knowledge) -> Athlete:
    """One athlete through the whole parser, from YAML text (as bench/run.py reads them)."""
    return parse_athlete(dump(athlete), "athlete.yaml", kb)


def negatives(athletes: Sequence[Athlete], ws: Workspace
              ) -> tuple[list[Projection], list[Projection]]:
    """negatives' projections, from the full advice and from the decisions only (one run each)."""
    full, decisions = [], []
    for a in athletes:
        firings = ws.evaluate_athlete(a)
        full.append(from_advice(build_advice(a, ws.kb, ws.compiled.rules, firings)))
        decisions.append(from_firings(a, ws, firings))
    return full, decisions


def mismatches(peers: Mapping[str, Sequence[Projection]]) -> list[int]:
    """Indexes of the athletes on which the peers do not all give the same projection."""
    columns = list(peers.values())
    return [i for i in range(len(columns[0]))
            if any(column[i] != columns[0][i] for column in columns[1:])]


def describe(indexes: list[int], dicts: Sequence[dict[str, Any]],
             peers: Mapping[str, Sequence[Projection]], limit: int = 3) -> str:
    """The first mismatches: athlete index, athlete, and each peer's projection."""
    out = [f"{len(indexes)} of {len(dicts)} athletes differ"]
    for i in indexes[:limit]:
        out.append(f"--- athlete {i}: {json.dumps(dicts[i], sort_keys=True)}")
        first = next(iter(peers.values()))[i]
        for key in first:
            values = {name: column[i][key] for name, column in peers.items()}
            if any(v != first[key] for v in values.values()):
                out.append(f"  {key}:")
                out.extend(f"    {name:>20}: {json.dumps(v, sort_keys=True)}"
                           for name, v in values.items())
        out.extend(f"  {name} projection: {json.dumps(column[i], sort_keys=True)}"
                   for name, column in peers.items())
    return "\n".join(out)
