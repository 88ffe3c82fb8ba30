"""`negatives plan`: the advice as a program file, on its own or inside the athlete's program."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from negatives.cli.errors import EXIT_FINDINGS, guarded
from negatives.cli.options import rule_options
from negatives.engine.advice.planfile import plan_file
from negatives.engine.infer.workspace import open_workspace
from negatives.engine.load.yamlio import load, write_atomic
from negatives.engine.model.athlete import load_athlete


@click.command("plan")
@click.argument("athlete_file", type=click.Path(path_type=Path))
@click.option("--program", "program_file", type=click.Path(path_type=Path),
              help="Your training program: the negative work goes into it (comments kept).")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write the program here (atomically) instead of to stdout.")
@rule_options
@guarded
def plan_command(athlete_file: Path, program_file: Path | None, output: Path | None,
                 rules: Path | None, knowledge: Path | None) -> None:
    """Write the advice for ATHLETE_FILE as a program file that `negatives audit` checks.

    With --program the negative work goes into your program (on its lowest-volume days, in
    place of their accessory work); without it, a block of its own. When there is nothing to
    add now, the reason goes to stderr: the program is written unchanged, or, without
    --program, nothing is written and the exit code is 1.
    """
    ws = open_workspace("advise", rules, knowledge)
    athlete = load_athlete(athlete_file, ws.kb, str(athlete_file))
    program = load(program_file, str(program_file)) if program_file is not None else None
    _, written = plan_file(athlete, ws, program)
    for note in written.notes:
        click.echo(note, err=True)
    if written.text is None:
        sys.exit(EXIT_FINDINGS)
    if output is None:
        click.echo(written.text, nl=False)
    else:
        write_atomic(output, written.text)
