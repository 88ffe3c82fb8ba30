"""`negatives audit`: check training programs against the guidelines, like a linter."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from negatives.cli.errors import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, guarded
from negatives.cli.inputs import STDIN, expand, load_input
from negatives.cli.options import current_config, rule_options
from negatives.engine.audit.audit import audit
from negatives.engine.audit.finding import Finding
from negatives.engine.audit.report_audit import AUDIT_FORMATS
from negatives.engine.audit.select import (
    Selection,
    apply_selection,
    rule_tags,
    unknown_selectors,
)
from negatives.engine.infer.workspace import Workspace, open_workspace
from negatives.engine.language.rulemodel import SEVERITY_RANK
from negatives.engine.load.config import Config
from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.errors import InputError, NegativesError
from negatives.engine.load.validate import did_you_mean
from negatives.engine.model.athlete import athlete_from_doc
from negatives.engine.model.program import Program, program_from_doc


def _split(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """Repeated and comma-separated values as one tuple; None when the flag was not given."""
    out = tuple(v.strip() for value in values for v in value.split(",") if v.strip())
    return out if values else None


def _selection(select: tuple[str, ...], ignore: tuple[str, ...], config: Config,
               ws: Workspace) -> Selection:
    """Flags beat the config file; an unknown rule id or tag is bad input."""
    tags = rule_tags(ws.compiled.rules)
    known = sorted(set(tags) | {t for ts in tags.values() for t in ts})
    chosen: dict[str, tuple[str, ...]] = {}
    problems: list[str | Diagnostic] = []
    for key, flag in (("select", _split(select)), ("ignore", _split(ignore))):
        value = flag if flag is not None else getattr(config, key)
        chosen[key] = value or ()
        for bad in unknown_selectors(chosen[key], tags):
            message = (f"unknown rule or tag '{bad}'{did_you_mean(bad, known)} (see "
                       "`negatives rules list`)")
            problems.append(f"--{key}: {message}" if flag is not None
                            else config.diagnostic(key, f"`{key}`: {message}", "unknown"))
    if any(isinstance(p, str) for p in problems):
        raise NegativesError("; ".join(p for p in problems if isinstance(p, str)))
    if problems:
        raise InputError(p for p in problems if isinstance(p, Diagnostic))
    return Selection(chosen["select"], chosen["ignore"])


@click.command("audit")
@click.argument("program_files", nargs=-1, required=True,
                type=click.Path(path_type=Path, allow_dash=True))
@click.option("--athlete", "athlete_file", type=click.Path(path_type=Path, allow_dash=True),
              help="Athlete file (- for stdin): enables the novice, partner and 1RM checks.")
@click.option("--format", "fmt", type=click.Choice(sorted(AUDIT_FORMATS)), default="text",
              show_default=True, help="Output format.")
@click.option("--fail-on", type=click.Choice(list(SEVERITY_RANK)), default=None,
              help="Exit 1 when a finding at or above this severity remains (default: error, "
              "or the config file's fail-on).")
@click.option("--select", multiple=True, metavar="IDS",
              help="Report only these rule ids or tags (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, metavar="IDS",
              help="Leave out these rule ids or tags (comma-separated, repeatable).")
@rule_options
@guarded
def audit_command(program_files: tuple[Path, ...], athlete_file: Path | None, fmt: str,
                  fail_on: str | None, select: tuple[str, ...], ignore: tuple[str, ...],
                  rules: Path | None, knowledge: Path | None) -> None:
    """Check PROGRAM_FILE(s) against the guidelines; report findings with file:line:col.

    PROGRAM_FILE may be a folder (its *.yaml files, recursively) or - for stdin. A file that
    cannot be read is reported and the others are still audited; the exit code is the worst:
    2 bad input, 1 findings at or above --fail-on, 0 clean.
    """
    if str(athlete_file) == STDIN and STDIN in map(str, program_files):
        raise NegativesError("stdin (-) can hold the athlete or a program, not both")
    config = current_config()
    ws = open_workspace("audit", rules, knowledge)
    selection = _selection(select, ignore, config, ws)
    athlete = athlete_from_doc(load_input(athlete_file), ws.kb) if athlete_file else None
    files, notes = expand(program_files)
    programs: list[Program] = []
    problems: list[Diagnostic] = []
    for path in files:
        try:
            programs.append(program_from_doc(load_input(path), ws.kb))
        except InputError as err:
            problems.extend(err.diagnostics)
    findings: list[Finding] = apply_selection([f for p in programs for f in audit(p, ws, athlete)],
                                              selection, rule_tags(ws.compiled.rules))
    for note in notes:
        click.echo(note, err=True)
    if problems:
        for d in problems:
            click.echo(d.render(), err=True)
        click.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found.",
                   err=True)
    click.echo(AUDIT_FORMATS[fmt](findings, ws.compiled.rules, problems), nl=False)
    limit = SEVERITY_RANK[fail_on or config.fail_on or "error"]
    failed = any(f.suppressed is None and SEVERITY_RANK[f.severity] <= limit for f in findings)
    sys.exit(EXIT_BAD_INPUT if problems else EXIT_FINDINGS if failed else EXIT_OK)
