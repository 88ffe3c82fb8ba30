"""`rules check` past loading: compile, lint, message numbers, dead alternatives, quotes."""

from __future__ import annotations

from pathlib import Path

from negatives.engine.authoring.quotes import check_quotes
from negatives.engine.infer.probe import probe
from negatives.engine.language.compiler import compile_rules
from negatives.engine.language.lint import lint
from negatives.engine.language.rules import RuleBase
from negatives.engine.language.textcheck import literal_parameters
from negatives.engine.language.typecheck import dead_alternatives
from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.errors import NegativesError
from negatives.engine.model.catalog import fact_types, fields_of
from negatives.engine.model.knowledge import Knowledge


def check_rule_base(kb: Knowledge, bases: list[RuleBase], rules: Path) -> list[Diagnostic]:
    """Every finding about rule bases that loaded, sorted; `rules` is their folder."""
    problems: list[Diagnostic] = []
    for base in bases:
        folder = str(rules / base.domain)
        try:
            compiled = compile_rules(base)
        except NegativesError as err:
            problems.append(Diagnostic(folder, 1, 1, str(err), "error", "compile"))
        else:  # the last line of defence: run it once where a hang or crash cannot hurt
            failure = probe(compiled, 1000)
            if failure:
                problems.append(Diagnostic(folder, 1, 1, f"the rule base cannot run: {failure}",
                                           "error", "compile"))
        inputs = fact_types(kb, base.domain)
        problems += lint(base, set(inputs))
        problems += literal_parameters(base, kb)
        problems += dead_alternatives(base.rules, {f: fields_of(kb, base.domain, f) or {}
                                                   for f in inputs})
    problems += check_quotes(kb, bases)
    return sorted(problems, key=Diagnostic.sort_key)
