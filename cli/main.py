"""The `negatives` command group; each subcommand lives in a module of its own."""

from __future__ import annotations

import click

from cli.advise import advise_command
from cli.audit import audit_command
from cli.init import init_command
from cli.rules import rules_group
from cli.schema import schema_command
from engine import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="negatives")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def cli(debug: bool) -> None:
    """negatives: an expert system for negative (eccentric) strength training.

    It checks the guidelines of two articles, written as YAML rules and run by durable_rules,
    against your facts, and explains every conclusion with its source.
    """


cli.add_command(advise_command)
cli.add_command(audit_command)
cli.add_command(init_command)
cli.add_command(rules_group)
cli.add_command(schema_command)


def main() -> None:
    cli(prog_name="negatives")
