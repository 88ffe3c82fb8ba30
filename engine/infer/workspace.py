"""Load knowledge and rules from disk, compile them, and keep the runtime ready to evaluate."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import negatives
from negatives.engine.infer.cache import cached
from negatives.engine.infer.runtime import Runtime
from negatives.engine.language.compiler import Compiled, compile_rules
from negatives.engine.language.rules import RuleBase, load_rules, rule_files
from negatives.engine.model.knowledge import Knowledge, knowledge_files, load_knowledge

RULES_ENV = "NEGATIVES_RULES"
KNOWLEDGE_ENV = "NEGATIVES_KNOWLEDGE"


def shipped(name: str) -> Path:
    """The shipped `rules/` or `knowledge/` folder: in the negatives package, installed or not."""
    return (Path(negatives.__file__).parent / name).resolve()


def rules_dir(given: Path | None = None) -> Path:
    return given or Path(os.environ.get(RULES_ENV) or shipped("rules"))


def knowledge_dir(given: Path | None = None) -> Path:
    return given or Path(os.environ.get(KNOWLEDGE_ENV) or shipped("knowledge"))


@dataclass
class Workspace:
    """Everything one domain needs: knowledge, its rules compiled, and a runtime for them."""

    kb: Knowledge
    base: RuleBase
    compiled: Compiled
    runtime: Runtime


@dataclass(frozen=True)
class Loaded:
    """What reading, checking and compiling the files gives: the part worth caching."""

    kb: Knowledge
    base: RuleBase
    compiled: Compiled


def load(domain: str, rules: Path, knowledge: Path) -> Loaded:
    kb = load_knowledge(knowledge)
    base = load_rules(rules, domain, kb)
    return Loaded(kb, base, compile_rules(base))


def open_workspace(domain: str, rules: Path | None = None,
                   knowledge: Path | None = None) -> Workspace:
    """Knowledge and the domain's rules, checked and compiled (cached by content), ready to run."""
    kdir, rdir = knowledge_dir(knowledge), rules_dir(rules) / domain
    files = [*knowledge_files(kdir), *rule_files(rdir)]
    got = cached(f"workspace-{domain}", files, Loaded, lambda: load(domain, rdir, kdir))
    runtime = Runtime(got.compiled, int(got.kb.setting("max_rule_firings")))
    return Workspace(got.kb, got.base, got.compiled, runtime)
