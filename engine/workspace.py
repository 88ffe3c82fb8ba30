"""Load knowledge and rules from disk, compile them, and keep the runtime ready to evaluate."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from engine.compiler import Compiled, compile_rules
from engine.knowledge import Knowledge, load_knowledge
from engine.rules import RuleBase, load_rules
from engine.runtime import Runtime

RULES_ENV = "NEGATIVES_RULES"
KNOWLEDGE_ENV = "NEGATIVES_KNOWLEDGE"


def shipped(name: str) -> Path:
    """The shipped `rules/` or `knowledge/` folder: beside the engine package, installed or not."""
    return Path(__file__).resolve().parent.parent / name


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


def open_workspace(domain: str, rules: Path | None = None,
                   knowledge: Path | None = None) -> Workspace:
    kb = load_knowledge(knowledge_dir(knowledge))
    base = load_rules(rules_dir(rules) / domain, domain, kb)
    compiled = compile_rules(base)
    runtime = Runtime(compiled, int(kb.setting("max_rule_firings")))
    return Workspace(kb, base, compiled, runtime)
