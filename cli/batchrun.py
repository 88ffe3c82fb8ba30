"""`negatives advise --batch`: JSON Lines in, one JSON result per line out, stopped cleanly."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import sys
from pathlib import Path
from typing import NoReturn

import click

from negatives.cli.errors import EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_TERMINATED
from negatives.engine.advice.batch import Settings, advise_batch, is_error, read_lines
from negatives.engine.load.errors import NegativesError

_CODES = {signal.SIGINT: (EXIT_INTERRUPTED, "interrupted"),
          signal.SIGTERM: (EXIT_TERMINATED, "terminated")}


def run_batch(batch: Path, jobs: int, detail: str, rules: Path | None,
           knowledge: Path | None) -> None:
    name = str(batch)
    try:
        lines = list(read_lines(sys.stdin.buffer)) if name == "-" else _read_batch(batch)
    except KeyboardInterrupt:
        _stop(signal.SIGINT, {"ok": 0, "failed": 0})
    counts = {"ok": 0, "failed": 0}
    first_failed: list[int] = []
    stop: list[int] = []
    # A signal only raises a flag: the line being written is finished, then the batch stops.
    previous = {sig: signal.signal(sig, lambda signum, _: stop.append(signum))
                for sig in _CODES}
    try:
        results = advise_batch(lines, Settings(rules, knowledge, name, detail), jobs)
        if name != "-" and sys.stderr.isatty():
            with click.progressbar(results, length=sum(bool(x.strip()) for x in lines),
                                   label="athletes", file=sys.stderr) as bar:
                for line in bar:
                    _emit(line, counts, first_failed)
                    if stop:
                        break
        else:
            for line in results:
                _emit(line, counts, first_failed)
                if stop:
                    break
        getattr(results, "close", lambda: None)()  # ends the worker pool before the exit
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if stop:
        _stop(stop[0], counts)
    total = counts["ok"] + counts["failed"]
    if counts["failed"]:
        shown = ", ".join(map(str, first_failed)) + (", ..." if counts["failed"] > 5 else "")
        click.echo(f"batch: {total} line(s), {counts['ok']} advised, {counts['failed']} "
                   f"failed (line {shown})", err=True)
        sys.exit(EXIT_FINDINGS)


def _read_batch(batch: Path) -> list[str]:
    try:  # a regular file only: a FIFO or device would block or never end
        fd = os.open(batch, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise NegativesError(f"{batch}: file not found") from None
    except OSError as err:
        raise NegativesError(f"{batch}: cannot read: {err.strerror}") from None
    with open(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NegativesError(f"{batch}: is not a regular file; give a file, or - for stdin")
        os.set_blocking(fd, True)
        return list(read_lines(stream))


def _emit(line: str, counts: dict[str, int], first_failed: list[int]) -> None:
    click.echo(line)
    if is_error(line):
        counts["failed"] += 1
        if len(first_failed) < 5:
            first_failed.append(int(json.loads(line)["line"]))
    else:
        counts["ok"] += 1


def _stop(signum: int, counts: dict[str, int]) -> NoReturn:
    """Flush the complete lines written so far, say how far the batch got, exit 128 + signal."""
    code, why = _CODES[signal.Signals(signum)]
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    done = counts["ok"] + counts["failed"]
    click.echo(f"batch {why} after {done} line(s)", err=True)
    sys.exit(code)
