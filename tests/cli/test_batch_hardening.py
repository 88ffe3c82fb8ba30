"""Batch robustness: no line stops the others, lines split on \\n only, signals end it cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from negatives.cli.main import cli
from tests.conftest import ROOT, athlete_dict
from tests.engine.test_isolation import generated


def batch(data: bytes, *extra: str) -> Result:
    return CliRunner().invoke(cli, ["advise", "--batch", "-", *extra], input=data)


def results(result: Result) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout_bytes.split(b"\n") if line]


GOOD = json.dumps(athlete_dict()).encode()


@pytest.mark.parametrize("bad", [
    json.dumps(athlete_dict(accentuated_eccentric_weeks_done=2.0)).encode(),
    json.dumps(athlete_dict(cycle_week=1.0)).encode(),
    b'{"name": ' + b"9" * 5000 + b"}",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"name": "\xff"}',
    json.dumps(athlete_dict(name="\ud800")).encode("utf-8", "surrogatepass"),
    b"not json",
    b"[1, 2]",
], ids=["float-weeks", "float-week", "5000-digits", "deep", "bad-utf8", "lone-surrogate",
        "not-json", "not-object"])
def test_a_bad_line_is_its_own_error_and_the_rest_go_on(bad: bytes) -> None:
    result = batch(GOOD + b"\n" + bad + b"\n" + GOOD + b"\n")
    assert result.exit_code == 1
    got = results(result)
    assert [r["line"] for r in got] == [1, 2, 3]
    assert "error" not in got[0] and "error" not in got[2]
    assert got[1]["error"] and got[1]["line"] == 2
    assert result.stderr == "batch: 3 line(s), 2 advised, 1 failed (line 2)\n"


def test_an_emoji_as_json_dumps_writes_it_is_read_exactly() -> None:
    line = json.dumps(athlete_dict(name="Emma \U0001F600 \\ud83d"))  # ensure_ascii escapes
    (got,) = results(batch(line.encode() + b"\n"))
    assert got["athlete"]["name"] == "Emma \U0001F600 \\ud83d"  # type: ignore[index]


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\ufeff", "\x9f"])
def test_lines_split_on_newline_only(char: str) -> None:
    odd = json.dumps(athlete_dict(name=f"a{char}b"), ensure_ascii=False).encode()
    result = batch(odd + b"\n" + GOOD + b"\n")
    assert result.exit_code == 0
    got = results(result)
    assert [r["line"] for r in got] == [1, 2]
    assert got[0]["athlete"]["name"] == f"a{char}b"  # type: ignore[index]


def test_a_byte_order_mark_is_accepted() -> None:
    result = batch(b"\xef\xbb\xbf" + GOOD + b"\n" + GOOD + b"\r\n")
    assert result.exit_code == 0
    assert [r["line"] for r in results(result)] == [1, 2]


def test_an_overlong_line_is_an_error_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    from negatives.engine.advice import batch as module
    monkeypatch.setattr(module, "MAX_LINE", 1000)
    result = batch(GOOD + b"\n" + b'{"x": "' + b"y" * 5000 + b'"}\n' + GOOD + b"\n")
    got = results(result)
    assert [r["line"] for r in got] == [1, 2, 3]
    assert got[1]["error"][0]["code"] == "too-large"  # type: ignore[index]


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "in.jsonl"
    os.mkfifo(fifo)
    result = CliRunner().invoke(cli, ["advise", "--batch", str(fifo)])
    assert result.exit_code == 2
    assert "not a regular file" in result.stderr


LINES = 1200  # --jobs 2 hands out chunks of LINES // 8: the first lines come out soon


def _start(tmp_path: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    lines = [json.dumps(generated(i, ["bench press", "squat", "deadlift"])) for i in range(LINES)]
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with out.open("wb") as sink:
        return subprocess.Popen([sys.executable, "-m", "negatives", "advise", "--batch", str(path),
                                 *extra], stdout=sink, stderr=subprocess.PIPE, env=env,
                                cwd=ROOT, start_new_session=True)


@pytest.mark.parametrize(("sig", "code", "jobs"), [
    (signal.SIGINT, 130, "1"), (signal.SIGTERM, 143, "1"), (signal.SIGTERM, 143, "2"),
    (signal.SIGINT, 130, "2"),
])
def test_a_signal_ends_the_batch_with_complete_lines(tmp_path: Path, sig: int, code: int,
                                                     jobs: str) -> None:
    out = tmp_path / "out.jsonl"
    # brief: the lines come sooner and cost less; how a batch ends does not depend on detail
    proc = _start(tmp_path, out, "--jobs", jobs, "--detail", "brief")
    deadline = time.monotonic() + 120
    while out.stat().st_size == 0 and time.monotonic() < deadline:  # until it is under way
        time.sleep(0.05)
    if sig == signal.SIGINT:  # Ctrl-C reaches the whole process group, workers too
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    lines = out.read_bytes().split(b"\n")
    assert len(lines) < LINES
    assert lines[-1] == b""  # ends on a complete line
    for number, line in enumerate(lines[:-1], 1):
        assert json.loads(line)["line"] == number
    assert b"Traceback" not in err
    assert err.decode().splitlines()[-1].startswith("batch ")
