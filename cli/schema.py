"""`negatives schema KIND`: print a JSON Schema, for editors and other tools."""

from __future__ import annotations

import json

import click

from negatives.cli.errors import guarded
from negatives.engine.load.validate import SCHEMA_NAMES, schema


@click.command("schema")
@click.argument("kind", type=click.Choice(SCHEMA_NAMES))
@guarded
def schema_command(kind: str) -> None:
    """Print the JSON Schema of an athlete, program, rule or knowledge file."""
    click.echo(json.dumps(schema(kind), indent=2, ensure_ascii=False))
