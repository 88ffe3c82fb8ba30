"""`negatives audit`: check training programs against the guidelines, like a linter."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from negatives.cli.errors import EXIT_FINDINGS, guarded
from negatives.cli.options import rule_options
from negatives.engine.audit.audit import Finding, audit
from negatives.engine.audit.report_audit import AUDIT_FORMATS
from negatives.engine.infer.workspace import open_workspace
from negatives.engine.language.rulemodel import SEVERITY_RANK
from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.errors import InputError
from negatives.engine.model.athlete import load_athlete
from negatives.engine.model.program import Program, load_program


@click.command("audit")
@click.argument("program_files", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("--athlete", "athlete_file", type=click.Path(path_type=Path),
              help="Athlete file: enables the novice, partner and 1RM checks.")
@click.option("--format", "fmt", type=click.Choice(sorted(AUDIT_FORMATS)), default="text",
              show_default=True, help="Output format.")
@click.option("--fail-on", type=click.Choice(list(SEVERITY_RANK)), default="error",
              show_default=True, help="Exit 1 when a finding at or above this severity remains.")
@rule_options
@guarded
def audit_command(program_files: tuple[Path, ...], athlete_file: Path | None, fmt: str,
                  fail_on: str, rules: Path | None, knowledge: Path | None) -> None:
    """Check PROGRAM_FILE(s) against the guidelines; report findings with file:line:col."""
    ws = open_workspace("audit", rules, knowledge)
    athlete = load_athlete(athlete_file, ws.kb, str(athlete_file)) if athlete_file else None
    programs: list[Program] = []
    problems: list[Diagnostic] = []
    for path in program_files:  # read every file first: bad input anywhere means no report
        try:
            programs.append(load_program(path, ws.kb, str(path)))
        except InputError as err:
            problems.extend(err.diagnostics)
    if problems:
        raise InputError(problems)
    findings: list[Finding] = [f for p in programs for f in audit(p, ws, athlete)]
    click.echo(AUDIT_FORMATS[fmt](findings, ws.compiled.rules), nl=False)
    limit = SEVERITY_RANK[fail_on]
    if any(f.suppressed is None and SEVERITY_RANK[f.severity] <= limit for f in findings):
        sys.exit(EXIT_FINDINGS)
