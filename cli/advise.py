"""`negatives advise`: should this athlete use negatives now, and how."""

from __future__ import annotations

from pathlib import Path

import click

from negatives.cli.errors import guarded
from negatives.cli.inputs import load_input
from negatives.cli.options import rule_options
from negatives.engine.advice.advise import advise
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
        from negatives.cli.batchrun import run_batch  # a batch's own imports, only for one

        run_batch(batch, jobs, detail, rules, knowledge)
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
