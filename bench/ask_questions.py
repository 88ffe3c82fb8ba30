"""How many questions `negatives ask` puts: mean and max over the generated population, against
the athlete file's fields; each consultation is checked against `advise`. Prints figures."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.population import population  # noqa: E402
from negatives.engine.advice.advise import advise  # noqa: E402
from negatives.engine.consult.questions import load_questions  # noqa: E402
from negatives.engine.consult.replay import replay  # noqa: E402
from negatives.engine.consult.space import Space, decisions  # noqa: E402
from negatives.engine.infer.workspace import knowledge_dir, open_workspace  # noqa: E402
from negatives.engine.load.validate import schema  # noqa: E402
from negatives.engine.load.yamlio import dump  # noqa: E402
from negatives.engine.model.athlete import parse_athlete  # noqa: E402


def file_fields(athlete: dict[str, object]) -> int:
    """Values a hand-written file holds: top-level keys (name aside), one `stalled` or log per
    lift, one value per 1RM."""
    lifts = athlete.get("lifts") or []
    maxes = athlete.get("one_rep_max") or {}
    top = [k for k in athlete if k not in ("name", "lifts", "one_rep_max")]
    assert isinstance(lifts, list) and isinstance(maxes, dict)
    return len(top) + 1 + sum(1 for e in lifts if "stalled" in e or "log" in e) + len(maxes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=100, help="athletes (default 100)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    ws = open_workspace("advise")
    lifts = sorted(ws.kb.lifts)
    counts, fields, evals, seconds, cpus, mismatches = [], [], [], [], [], 0
    for athlete in population(args.n, lifts, args.seed):
        space = Space(ws, load_questions(knowledge_dir()))
        start, cpu = time.perf_counter(), time.process_time()
        consult, asked = replay(space, athlete)
        seconds.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        direct = advise(parse_athlete(dump(athlete), "a.yaml", ws.kb), ws)
        mismatches += decisions(consult.advice("a.yaml")) != decisions(direct)
        counts.append(len(asked))
        fields.append(file_fields(athlete))
        evals.append(space.evaluations)
    schema_fields = len(schema("athlete")["properties"])
    print(f"athletes: {args.n} (seed {args.seed}, lifts drawn from {len(lifts)})")
    print(f"questions asked: mean {statistics.mean(counts):.1f}, median "
          f"{statistics.median(counts):.0f}, max {max(counts)}, <= 8 in "
          f"{sum(c <= 8 for c in counts) / len(counts):.0%}")
    print(f"values in the athlete file: mean {statistics.mean(fields):.1f}, max {max(fields)} "
          f"(schema: {schema_fields} top-level fields)")
    print(f"engine evaluations per consultation: mean {statistics.mean(evals):.0f}, "
          f"max {max(evals)}")
    print(f"selection time per consultation: mean {statistics.mean(seconds):.2f} s wall, "
          f"{statistics.mean(cpus):.2f} s CPU; max {max(seconds):.2f} s wall, "
          f"{max(cpus):.2f} s CPU")
    per_question = sum(cpus) / sum(counts)
    print(f"CPU per question (the wait before each): {per_question:.2f} s")
    print(f"advice different from `advise`: {mismatches}")


if __name__ == "__main__":
    main()
