"""`negatives rules ...`: check, test, cover, list, show and diff the rule base."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from negatives.cli.errors import EXIT_FINDINGS, guarded
from negatives.cli.options import rule_options
from negatives.engine.authoring.check import check_rule_base
from negatives.engine.authoring.impact import compare
from negatives.engine.authoring.ruletest import CaseResult, coverage, load_cases, run_case
from negatives.engine.infer.workspace import (
    Workspace,
    knowledge_dir,
    open_workspace,
    rules_dir,
    shipped,
)
from negatives.engine.language.compiler import describe
from negatives.engine.language.condcover import condition_coverage
from negatives.engine.language.rules import RuleBase, load_rules
from negatives.engine.load.errors import InputError, NegativesError
from negatives.engine.load.validate import did_you_mean
from negatives.engine.model.catalog import DOMAINS
from negatives.engine.model.kbread import load_knowledge
from negatives.engine.model.knowledge import Knowledge


@click.group("rules")
def rules_group() -> None:
    """Check, list and show the rules (YAML files under rules/)."""


def _load_all(rules: Path | None, knowledge: Path | None) -> list[RuleBase]:
    return _load_with_kb(rules, knowledge)[1]


def _load_with_kb(rules: Path | None,
                  knowledge: Path | None) -> tuple[Knowledge, list[RuleBase]]:
    kb = load_knowledge(knowledge_dir(knowledge))
    bases, problems = [], []
    for domain in DOMAINS:
        folder = rules_dir(rules) / domain
        try:
            bases.append(load_rules(folder, domain, kb))
        except InputError as err:
            problems.extend(err.diagnostics)
    if problems:
        raise InputError(problems)
    return kb, bases


@rules_group.command("check")
@rule_options
@guarded
def check_command(rules: Path | None, knowledge: Path | None) -> None:
    """Validate every rule and knowledge file and check the rule base as a whole."""
    kb, bases = _load_with_kb(rules, knowledge)
    count = sum(len(base.rules) for base in bases)
    problems = check_rule_base(kb, bases, rules_dir(rules))
    for d in problems:
        click.echo(d.render())
    errors = sum(d.severity == "error" for d in problems)
    warnings = len(problems) - errors
    click.echo(f"{count} rules checked: {errors} error(s), {warnings} warning(s)")
    if errors:
        sys.exit(EXIT_FINDINGS)


@rules_group.command("list")
@rule_options
@guarded
def list_command(rules: Path | None, knowledge: Path | None) -> None:
    """One line per rule: id, priority, file:line, title."""
    for base in _load_all(rules, knowledge):
        for r in base.rules:
            click.echo(f"{r.id:34} {base.domain:7} pri {r.priority:<4} {r.file}:{r.line}  "
                       f"{r.title}")


@rules_group.command("show")
@click.argument("rule_id")
@rule_options
@guarded
def show_command(rule_id: str, rules: Path | None, knowledge: Path | None) -> None:
    """A rule with its source, what it reads and concludes, and who uses its conclusions."""
    bases = _load_all(rules, knowledge)
    every = {r.id: r for b in bases for r in b.rules}
    rule = every.get(rule_id)
    if rule is None:
        raise NegativesError(f"no rule '{rule_id}'{did_you_mean(rule_id, every)}")
    consumers = sorted(r.id for r in every.values()
                       if r.domain == rule.domain and r.reads() & rule.produces())
    quote = rule.cite.quote or rule.cite.note or ""
    lines = [f"{rule.id}: {rule.title}", f"  file:      {rule.file}:{rule.line}",
             f"  domain:    {rule.domain}", f"  priority:  {rule.priority}",
             f"  tags:      {', '.join(rule.tags) or '-'}",
             f"  source:    {rule.cite.source}: \"{quote}\"",
             "  when:", *[f"    - {d}" for d in describe(rule)],
             "  then:", *[f"    - {c.kind} {', '.join(f'{k}={v}' for k, v in c.args.items())}"
                          for c in rule.conclusions],
             f"  because:   {' '.join(rule.because.split())}",
             *([f"  says:      {rule.says}"] if rule.says else []),
             f"  reads:     {', '.join(sorted(rule.reads()))}",
             f"  produces:  {', '.join(sorted(rule.produces())) or '-'}",
             f"  used by:   {', '.join(consumers) or '-'}"]
    if rule.see_also:
        lines.append(f"  see also:  {', '.join(rule.see_also)}")
    click.echo("\n".join(lines))


def _results(domain: str, pattern: str, rules: Path | None,
             knowledge: Path | None) -> tuple[Workspace, list[CaseResult]]:
    ws = open_workspace(domain, rules, knowledge)
    cases = load_cases(rules_dir(rules) / domain, pattern)
    return ws, [run_case(c, ws) for c in cases]


@rules_group.command("test")
@click.argument("pattern", default="*")
@click.option("-v", "--verbose", is_flag=True, help="List passing cases too.")
@rule_options
@guarded
def test_command(pattern: str, verbose: bool, rules: Path | None,
                 knowledge: Path | None) -> None:
    """Run the test cases beside the rules (*.test.yaml) whose name or file matches PATTERN."""
    passed = failed = 0
    for domain in DOMAINS:
        _, results = _results(domain, pattern, rules, knowledge)
        for r in results:
            if r.passed:
                passed += 1
                if verbose:
                    click.echo(f"PASS {r.file}:{r.line} {r.name}")
                continue
            failed += 1
            click.echo(f"FAIL {r.file}:{r.line} {r.name}")
            click.echo("".join(f"    {f}\n" for f in r.failures), nl=False)
            click.echo(f"    fired: {', '.join(r.fired) or 'nothing'}")
            if verbose:
                click.echo("".join(f"      {t}\n" for t in r.trace), nl=False)
    click.echo(f"rules: {passed} passed, {failed} failed")
    if failed or not passed:
        sys.exit(EXIT_FINDINGS)


@rules_group.command("coverage")
@click.option("--conditions/--no-conditions", default=True, show_default=True,
              help="Also report conditions no test case exercises both ways.")
@click.option("--strict", is_flag=True,
              help="Exit 1 on condition gaps too (rule gaps always exit 1).")
@rule_options
@guarded
def coverage_command(conditions: bool, strict: bool, rules: Path | None,
                     knowledge: Path | None) -> None:
    """Rules (and their conditions) that the test cases do not exercise; exit 1 on rule gaps."""
    total = gaps_total = cond_total = cond_gaps = 0
    for domain in DOMAINS:
        ws, results = _results(domain, "*", rules, knowledge)
        cov = coverage(results, ws)
        total += len(cov.rules)
        for rid, (file, line) in cov.rules.items():
            click.echo(f"{file}:{line}: {rid}: fires in {cov.fired_in[rid]} case(s), silent "
                       f"in {cov.silent_in[rid]}")
        gaps = cov.gaps()
        gaps_total += len({g[2] for g in gaps})
        for file, line, rid, what in gaps:
            click.echo(f"{file}:{line}:5: error {rid}: {what} [coverage]", err=True)
        if conditions:
            runs = [r.run for r in results if r.run is not None]
            found = condition_coverage(ws.base.rules, runs)
            cond_total += len(found.conditions)
            for cond, gap in found.gaps():
                cond_gaps += 1
                click.echo(f"{cond.file}:{cond.line}:{cond.column}: "
                           f"{'error' if strict else 'warning'} {cond.rule}: {cond.text}: {gap} "
                           "[condition-coverage]", err=True)
    click.echo(f"{total - gaps_total} of {total} rules covered (fire in one case, silent in "
               "another)")
    if conditions:
        click.echo(f"{cond_total - cond_gaps} of {cond_total} conditions exercised both ways")
    if gaps_total or (strict and cond_gaps):
        sys.exit(EXIT_FINDINGS)


@rules_group.command("diff")
@click.option("--cases", "cases", required=True,
              type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Folder of athlete and program files to run.")
@click.option("--against", "against", type=click.Path(path_type=Path, file_okay=False,
                                                      exists=True),
              help="Reference folder holding rules/ and knowledge/ (default: the shipped ones).")
@click.option("--exit-code", "exit_code", is_flag=True,
              help="Exit 1 when any answer, status, recommendation or finding changed.")
@rule_options
@guarded
def diff_command(cases: Path, against: Path | None, exit_code: bool, rules: Path | None,
                 knowledge: Path | None) -> None:
    """Run CASES with the edited rules and the reference rules; print what changed."""
    ref_rules = against / "rules" if against else shipped("rules")
    ref_knowledge = against / "knowledge" if against else shipped("knowledge")
    new = (open_workspace("advise", rules, knowledge), open_workspace("audit", rules, knowledge))
    old = (open_workspace("advise", ref_rules, ref_knowledge),
           open_workspace("audit", ref_rules, ref_knowledge))
    changed = 0
    results = compare(cases, new, old)
    for r in results:
        if r.error:
            click.echo(f"{r.file}: cannot run: {r.error}")
        elif r.changes:
            changed += 1
            click.echo(r.file)
            click.echo("".join(f"  {c}\n" for c in r.changes), nl=False)
    click.echo(f"{changed} of {len(results)} case(s) changed")
    if exit_code and changed:
        sys.exit(EXIT_FINDINGS)
