"""`negatives schema KIND`: print a JSON Schema, for editors and other tools."""

from __future__ import annotations

import json

import click

from negatives.cli.errors import guarded
from negatives.engine.infer.workspace import knowledge_dir
from negatives.engine.load.validate import SCHEMA_NAMES, schema
from negatives.engine.model.knowledge import load_knowledge


@click.command("schema")
@click.argument("kind", type=click.Choice(SCHEMA_NAMES))
@guarded
def schema_command(kind: str) -> None:
    """Print the JSON Schema of an athlete, program, rule or knowledge file."""
    # The athlete's fields come from the fact vocabulary (knowledge/facts.yaml, or the
    # NEGATIVES_KNOWLEDGE copy), so an added field is in the editor schema too.
    data = load_knowledge(knowledge_dir()).athlete_schema() if kind == "athlete" else schema(kind)
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
