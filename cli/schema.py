"""`negatives schema [KIND] [--write DIR]`: print or write JSON Schemas, for editors and tools."""

from __future__ import annotations

import json
from pathlib import Path

import click

from negatives.cli.errors import guarded
from negatives.cli.options import rule_options
from negatives.engine.infer.workspace import knowledge_dir
from negatives.engine.load.errors import NegativesError
from negatives.engine.load.validate import SCHEMA_NAMES
from negatives.engine.model.editor_schemas import editor_schema, write_schemas
from negatives.engine.model.kbread import load_knowledge


@click.command("schema")
@click.argument("kind", type=click.Choice(SCHEMA_NAMES), required=False)
@click.option("--write", "folder", type=click.Path(path_type=Path, file_okay=False),
              help="Write the schemas into this folder (every schema unless KIND is given).")
@rule_options
@guarded
def schema_command(kind: str | None, folder: Path | None, rules: Path | None,
                   knowledge: Path | None) -> None:
    """Print the JSON Schema of an athlete, program, rule, knowledge or rule-test file, or
    write them all with --write DIR. The athlete and program schemas list the exercise and lift
    names (and aliases) of the knowledge base in use (--knowledge), so editors complete and
    check them."""
    if kind is None and folder is None:
        raise NegativesError(f"give a KIND ({', '.join(SCHEMA_NAMES)}) or --write DIR")
    kb = load_knowledge(knowledge_dir(knowledge))
    if folder is None and kind is not None:
        click.echo(json.dumps(editor_schema(kind, kb), indent=2, ensure_ascii=False))
    elif folder is not None:
        try:
            written = write_schemas(folder, kb, (kind,) if kind else SCHEMA_NAMES)
        except OSError as err:
            raise NegativesError(f"cannot write the schemas to {folder}: {err.strerror}") from None
        for path in written:
            click.echo(f"wrote {path}")
