"""`negatives advise`: should this athlete use negatives now, and how."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from negatives.cli.errors import guarded
from negatives.cli.inputs import load_input
from negatives.cli.options import rule_options
from negatives.engine.advice.advise import advise
from negatives.engine.advice.batch import Settings, advise_batch
from negatives.engine.advice.render import ADVICE_FORMATS
from negatives.engine.infer.workspace import open_workspace
from negatives.engine.load.errors import NegativesError
from negatives.engine.model.athlete import athlete_from_doc


@click.command("advise")
@click.argument("athlete_file", required=False, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(sorted(ADVICE_FORMATS)), default="text",
              show_default=True, help="Output format (one athlete).")
@click.option("--batch", "batch", type=click.Path(path_type=Path, allow_dash=True),
              help="JSON Lines file of athletes (- for stdin): one JSON result per line.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="With --batch: processes to spread the work over (same output).")
@rule_options
@guarded
def advise_command(athlete_file: Path | None, fmt: str, batch: Path | None, jobs: int,
                   rules: Path | None, knowledge: Path | None) -> None:
    """Answer "should I use negatives now?" for ATHLETE_FILE (- for stdin), with loads, reasons."""
    if batch is not None:
        _batch(batch, jobs, rules, knowledge)
        return
    if athlete_file is None:
        raise NegativesError("give an ATHLETE_FILE, or --batch FILE.jsonl")
    ws = open_workspace("advise", rules, knowledge)
    athlete = athlete_from_doc(load_input(athlete_file), ws.kb)  # a file, or - for stdin
    click.echo(ADVICE_FORMATS[fmt](advise(athlete, ws)), nl=False)


def _batch(batch: Path, jobs: int, rules: Path | None, knowledge: Path | None) -> None:
    name = str(batch)
    if name == "-":
        lines = sys.stdin.read().splitlines()
    else:
        try:
            lines = batch.read_text(encoding="utf-8").splitlines()
        except OSError as err:
            raise NegativesError(f"{batch}: cannot read: {err.strerror}") from None
    results = advise_batch(lines, Settings(rules, knowledge, name), jobs)
    if name != "-" and sys.stderr.isatty():
        with click.progressbar(results, length=sum(bool(x.strip()) for x in lines),
                               label="athletes", file=sys.stderr) as bar:
            for line in bar:
                click.echo(line)
    else:
        for line in results:
            click.echo(line)
