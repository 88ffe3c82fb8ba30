"""`--detail brief|full`: brief advice is small and says what full advice says about the answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from negatives.cli.main import cli
from tests.conftest import EXAMPLES
from tests.engine.test_isolation import generated

LIFTS = ["bench press", "squat", "deadlift", "overhead press"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def agrees(brief: dict[str, Any], full: dict[str, Any]) -> None:
    for key in ("athlete", "answer", "verdict", "summary", "warnings"):
        assert brief[key] == full[key]
    for b, f in zip(brief["methods"], full["methods"], strict=True):
        assert (b["method"], b["status"]) == (f["method"], f["status"])
        assert (b["when"], b["when_rule"]) == (f["when"], f["when_rule"])
        assert b["decided_by"] == ({"rule": f["decided_by"]["rule"],
                                    "title": f["decided_by"]["title"]}
                                   if f["decided_by"] else None)
        assert b["prescription"] == {k: v["value"] for k, v in f["prescription"].items()}
        assert {k: c["status"] for k, c in b["candidates"].items()} == \
            {c.get("pairing") or c.get("exercise"): c["status"] for c in f["candidates"]}
    trimmed = [{k: v for k, v in r.items() if k not in ("chain", "source")}
               for r in full["recommendations"]]
    assert brief["recommendations"] == trimmed


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_brief_json_is_small_and_agrees_with_full(example: Path) -> None:
    code, brief = run("advise", str(example), "--format", "json", "--detail", "brief")
    assert code == 0
    code, full = run("advise", str(example), "--format", "json")
    assert code == 0
    assert len(json.dumps(json.loads(brief))) < 10_000 < len(full.encode())
    assert "explanation" not in json.loads(brief)
    agrees(json.loads(brief), json.loads(full))


def test_brief_batch_is_one_compact_line_per_athlete(tmp_path: Path) -> None:
    path = tmp_path / "athletes.jsonl"
    path.write_text("\n".join(json.dumps(generated(i, LIFTS)) for i in range(12)) + "\n",
                    encoding="utf-8")
    code, brief = run("advise", "--batch", str(path), "--detail", "brief")
    assert code == 0
    code, full = run("advise", "--batch", str(path))
    assert code == 0
    lines, full_lines = brief.splitlines(), full.splitlines()
    assert len(lines) == len(full_lines) == 12
    for b, f in zip(lines, full_lines, strict=True):
        assert not b.startswith(" ") and "\n" not in b
        assert len(b) < 10_000
        agrees(json.loads(b), json.loads(f))
    code, two = run("advise", "--batch", str(path), "--detail", "brief", "--jobs", "2")
    assert code == 0 and two == brief


def test_brief_text_is_refused_with_a_clear_message() -> None:
    code, out = run("advise", str(EXAMPLES / "alex.yaml"), "--detail", "brief")
    assert code == 2
    assert "--detail brief goes with --format json or --batch" in out
    assert "Traceback" not in out
