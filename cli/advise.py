"""`negatives advise`: should this athlete use negatives now, and how."""

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

from negatives.cli.errors import EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_TERMINATED, guarded
from negatives.cli.inputs import load_input
from negatives.cli.options import rule_options
from negatives.engine.advice.advise import advise
from negatives.engine.advice.batch import Settings, advise_batch, is_error, read_lines
from negatives.engine.advice.render import ADVICE_FORMATS, to_explain
from negatives.engine.infer.workspace import open_workspace
from negatives.engine.load.errors import NegativesError
from negatives.engine.model.athlete import athlete_from_doc


@click.command("advise")
@click.argument("athlete_file", required=False, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(sorted(ADVICE_FORMATS)), default="text",
              show_default=True, help="Output format (one athlete).")
@click.option("--explain", is_flag=True,
              help="Text: every rule that fired, the values it matched and its source.")
@click.option("--batch", "batch", type=click.Path(path_type=Path, allow_dash=True),
              help="JSON Lines file of athletes (- for stdin): one JSON result per line.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="With --batch: processes to spread the work over (same output).")
@click.option("--detail", type=click.Choice(["brief", "full"]), default="full",
              show_default=True, help="JSON and --batch: brief = the answer, the plans and the "
              "deciding rules (a few KB); full adds reasons, sources and the explanation.")
@rule_options
@guarded
def advise_command(athlete_file: Path | None, fmt: str, explain: bool, batch: Path | None,
                   jobs: int, detail: str, rules: Path | None, knowledge: Path | None) -> None:
    """Answer "should I use negatives now?" for ATHLETE_FILE (- for stdin), with loads, reasons."""
    if batch is not None:
        _batch(batch, jobs, detail, rules, knowledge)
        return
    if athlete_file is None:
        raise NegativesError("give an ATHLETE_FILE, or --batch FILE.jsonl")
    if detail == "brief" and fmt != "json":
        raise NegativesError("--detail brief goes with --format json or --batch")
    ws = open_workspace("advise", rules, knowledge)
    athlete = athlete_from_doc(load_input(athlete_file), ws.kb)  # a file, or - for stdin
    advice = advise(athlete, ws, detail)
    if explain and fmt != "text":
        raise NegativesError("--explain is for the text format; JSON and Markdown hold the trace")
    click.echo(to_explain(advice) if explain else ADVICE_FORMATS[fmt](advice, ws.kb), nl=False)


_CODES = {signal.SIGINT: (EXIT_INTERRUPTED, "interrupted"),
          signal.SIGTERM: (EXIT_TERMINATED, "terminated")}


def _batch(batch: Path, jobs: int, detail: str, rules: Path | None,
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
