"""Batch mode: one result per line in input order, errors per line, same bytes for any --jobs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from negatives.cli.main import cli
from negatives.engine.advice.render import to_json
from tests.conftest import ROOT
from tests.engine.test_isolation import generated

LIFTS = ["bench press", "squat", "deadlift", "overhead press"]


@pytest.fixture(scope="module")
def batch_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lines = [json.dumps(generated(i, LIFTS)) for i in range(40)]
    lines.insert(3, '{"experience": "expert", "units": "kg"}')
    lines.insert(7, "not json")
    lines.insert(9, "")
    path = tmp_path_factory.mktemp("batch") / "athletes.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout


def test_one_result_per_line_in_order_with_errors_per_line(batch_file: Path) -> None:
    result = CliRunner().invoke(cli, ["advise", "--batch", str(batch_file)])
    code, out = result.exit_code, result.stdout
    assert code == 1  # a line failed: exit 1, and one summary line on stderr
    assert result.stderr == "batch: 42 line(s), 40 advised, 2 failed (line 4, 8)\n"
    results = [json.loads(line) for line in out.splitlines()]
    assert len(results) == 42  # 40 athletes, 2 bad lines; the blank line is skipped
    assert [r["line"] for r in results] == sorted(r["line"] for r in results)
    errors = {r["line"]: r for r in results if "error" in r}
    assert set(errors) == {4, 8}
    assert any("expert" in p["message"] for p in errors[4]["error"])
    assert errors[8]["error"][0]["code"] == "json"


def test_jobs_give_the_same_bytes(batch_file: Path) -> None:
    one = run("advise", "--batch", str(batch_file))[1]
    two = run("advise", "--batch", str(batch_file), "--jobs", "2")[1]
    assert one == two


def test_batch_equals_one_by_one(batch_file: Path, tmp_path: Path) -> None:
    out = run("advise", "--batch", str(batch_file))[1]
    for line in out.splitlines()[:6]:
        result = json.loads(line)
        if "error" in result:
            continue
        number = result.pop("line")
        raw = batch_file.read_text(encoding="utf-8").splitlines()[number - 1]
        single = tmp_path / "one.yaml"
        single.write_text(raw, encoding="utf-8")
        code, alone = run("advise", str(single), "--format", "json")
        assert code == 0
        alone_data = json.loads(alone)
        alone_data["athlete"]["file"] = result["athlete"]["file"]
        alone_data["athlete"]["name"] = result["athlete"]["name"]
        assert to_json(alone_data) == to_json(result)


def test_stdin(batch_file: Path) -> None:
    first = batch_file.read_text(encoding="utf-8").splitlines()[0]
    code, out = run("advise", "--batch", "-", stdin=first + "\n")
    assert code == 0 and json.loads(out)["line"] == 1


def test_advise_needs_a_file_or_batch() -> None:
    code, _ = run("advise")
    assert code == 2


def test_missing_batch_file() -> None:
    code, _ = run("advise", "--batch", str(ROOT / "no-such.jsonl"))
    assert code == 2
