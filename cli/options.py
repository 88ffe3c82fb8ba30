"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from negatives.engine.infer.workspace import KNOWLEDGE_ENV, RULES_ENV


def rule_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--rules and --knowledge: an edited copy of the rule base and knowledge base."""
    func = click.option("--knowledge", "knowledge", type=click.Path(path_type=Path,
                        file_okay=False), envvar=KNOWLEDGE_ENV, default=None,
                        help=f"Knowledge folder (default: shipped; env {KNOWLEDGE_ENV}).")(func)
    func = click.option("--rules", "rules", type=click.Path(path_type=Path, file_okay=False),
                        envvar=RULES_ENV, default=None,
                        help=f"Rules folder (default: the shipped one; env {RULES_ENV}).")(func)
    return func
