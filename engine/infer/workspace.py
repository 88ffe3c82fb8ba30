"""Load knowledge and rules from disk, compile them, and keep the runtime ready to evaluate."""

from __future__ import annotations

import os
from dataclasses import field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import negatives
from negatives.engine.infer.cache import cached
from negatives.engine.infer.partialdata import Partial
from negatives.engine.infer.universe import session_facts
from negatives.engine.language.compiler import Compiled, compile_rules
from negatives.engine.language.rules import RuleBase, load_rules, rule_files
from negatives.engine.load.records import record
from negatives.engine.model.athlete import Athlete
from negatives.engine.model.kbread import knowledge_files, load_knowledge
from negatives.engine.model.knowledge import Knowledge

if TYPE_CHECKING:
    from negatives.engine.infer.driver import Driver
    from negatives.engine.infer.runtime import Firing, Runtime

RULES_ENV = "NEGATIVES_RULES"
KNOWLEDGE_ENV = "NEGATIVES_KNOWLEDGE"


def shipped(name: str) -> Path:
    """The shipped `rules/` or `knowledge/` folder: in the negatives package, installed or not."""
    return (Path(negatives.__file__).parent / name).resolve()


def rules_dir(given: Path | None = None) -> Path:
    return given or Path(os.environ.get(RULES_ENV) or shipped("rules"))


def knowledge_dir(given: Path | None = None) -> Path:
    return given or Path(os.environ.get(KNOWLEDGE_ENV) or shipped("knowledge"))


@record(frozen=False)
class Workspace:
    """Everything one domain needs: knowledge, its rules compiled, and the engines that run them.

    `runtime` takes any facts (the straightforward path: tests, audits, rule tests); `driver`
    runs the advise rules partially evaluated against the knowledge (evaluate_athlete). Each is
    built the first time it is used.
    """

    kb: Knowledge
    base: RuleBase
    compiled: Compiled
    partial: Partial | None = None
    max_firings: int = field(default=0)

    @cached_property
    def runtime(self) -> Runtime:
        from negatives.engine.infer.runtime import Runtime

        return Runtime(self.compiled, self.max_firings)

    @cached_property
    def driver(self) -> Driver:
        from negatives.engine.infer.driver import Driver

        if self.partial is None:
            raise ValueError("this rule base was not partially evaluated (advise only)")
        return Driver(self.partial, self.max_firings)

    def evaluate_athlete(self, athlete: Athlete) -> list[Firing]:
        """The advise rules' firings for one athlete, through the partially evaluated rules."""
        if self.partial is None:
            from negatives.engine.model.facts import all_facts

            return self.runtime.evaluate(all_facts(athlete, self.kb))
        return self.driver.evaluate(session_facts(athlete, self.kb, self.driver.static,
                                                  self.partial.known))


@record
class Loaded:
    """What reading, checking and compiling the files gives: the part worth caching."""

    kb: Knowledge
    base: RuleBase
    compiled: Compiled
    partial: Partial | None


def load(domain: str, rules: Path, knowledge: Path) -> Loaded:
    kb = load_knowledge(knowledge)
    base = load_rules(rules, domain, kb)
    compiled = compile_rules(base)
    from negatives.engine.infer.prepare import prepare  # only a cache miss compiles

    return Loaded(kb, base, compiled, prepare(compiled, kb) if domain == "advise" else None)


def open_workspace(domain: str, rules: Path | None = None,
                   knowledge: Path | None = None) -> Workspace:
    """Knowledge and the domain's rules, checked and compiled (cached by content), ready to run."""
    kdir, rdir = knowledge_dir(knowledge), rules_dir(rules) / domain
    files = [*knowledge_files(kdir), *rule_files(rdir)]
    got = cached(f"workspace-{domain}", files, Loaded, lambda: load(domain, rdir, kdir))
    return Workspace(got.kb, got.base, got.compiled, got.partial,
                     int(got.kb.setting("max_rule_firings")))
