"""Options shared by several commands, and the config file that gives their defaults."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from negatives.cli.errors import guarded
from negatives.engine.infer.workspace import KNOWLEDGE_ENV, RULES_ENV
from negatives.engine.load.config import CONFIG_ENV, Config, discover

_CONFIG = "negatives.config"


def current_config() -> Config:
    """The config file of this run (read by rule_options), or an empty one."""
    ctx = click.get_current_context(silent=True)
    config = ctx.meta.get(_CONFIG) if ctx else None
    return config if isinstance(config, Config) else Config()


@guarded
def _read_config(given: Path | None) -> Config:
    config = discover(given)
    click.get_current_context().meta[_CONFIG] = config
    return config


def rule_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--rules, --knowledge and --config: an edited rule base and knowledge base.

    A flag beats its env var, which beats the config file, which beats the shipped folders.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, config_file: Path | None, **kwargs: Any) -> Any:
        config = _read_config(config_file)
        kwargs["rules"] = kwargs.get("rules") or config.rules
        kwargs["knowledge"] = kwargs.get("knowledge") or config.knowledge
        return func(*args, **kwargs)

    out: Callable[..., Any] = click.option(
        "--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
        default=None, help=f"Config file (default: negatives.toml or [tool.negatives] in "
        f"pyproject.toml, found upward from here; env {CONFIG_ENV}).")(wrapper)
    out = click.option("--knowledge", "knowledge", type=click.Path(path_type=Path,
                       file_okay=False), envvar=KNOWLEDGE_ENV, default=None,
                       help=f"Knowledge folder (default: shipped; env {KNOWLEDGE_ENV}).")(out)
    out = click.option("--rules", "rules", type=click.Path(path_type=Path, file_okay=False),
                       envvar=RULES_ENV, default=None,
                       help=f"Rules folder (default: the shipped one; env {RULES_ENV}).")(out)
    return out
