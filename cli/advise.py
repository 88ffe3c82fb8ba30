"""`negatives advise`: should this athlete use negatives now, and how."""

from __future__ import annotations

from pathlib import Path

import click

from cli.errors import guarded
from cli.options import rule_options
from engine.advise import advise
from engine.athlete import load_athlete
from engine.render import ADVICE_FORMATS
from engine.workspace import open_workspace


@click.command("advise")
@click.argument("athlete_file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(ADVICE_FORMATS)), default="text",
              show_default=True, help="Output format.")
@rule_options
@guarded
def advise_command(athlete_file: Path, fmt: str, rules: Path | None,
                   knowledge: Path | None) -> None:
    """Answer "should I use negatives now?" for ATHLETE_FILE, with loads and reasons."""
    ws = open_workspace("advise", rules, knowledge)
    athlete = load_athlete(athlete_file, ws.kb, str(athlete_file))
    click.echo(ADVICE_FORMATS[fmt](advise(athlete, ws)), nl=False)
