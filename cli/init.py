"""`negatives init DIR`: copy the shipped rules and knowledge into DIR for editing."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import click

from negatives.cli.errors import guarded
from negatives.engine.infer.workspace import KNOWLEDGE_ENV, RULES_ENV, shipped
from negatives.engine.load.errors import NegativesError

_README = """# Your negatives rules

A copy of the shipped `rules/` and `knowledge/`, for editing. Use it with:

    negatives advise ATHLETE.yaml --rules {dir}/rules --knowledge {dir}/knowledge

or set `{rules_env}={dir}/rules` and `{knowledge_env}={dir}/knowledge`.

After an edit: `negatives rules check`, `negatives rules test`, `negatives rules coverage`, and
`negatives rules diff --cases SOME_ATHLETES/` to see what the edit changes. The rule language is
documented in `rules/README.md`; CONTRIBUTING.md of negatives walks through an edit.
"""


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@guarded
def init_command(directory: Path) -> None:
    """Copy the shipped rules/ and knowledge/ into DIRECTORY (new or empty) for editing."""
    if directory.exists() and any(directory.iterdir()):
        raise NegativesError(f"{directory} is not empty; choose a new folder")
    parent = directory.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    # Build the whole copy beside the target, then rename: never a half-written folder.
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=parent))
    try:
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "__init__.py")
        shutil.copytree(shipped("rules"), staging / "rules", ignore=ignore)
        shutil.copytree(shipped("knowledge"), staging / "knowledge", ignore=ignore)
        (staging / "README.md").write_text(_README.format(
            dir=directory, rules_env=RULES_ENV, knowledge_env=KNOWLEDGE_ENV), encoding="utf-8")
        if directory.exists():
            directory.rmdir()
        os.replace(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    click.echo(f"copied rules/ and knowledge/ to {directory}; edit them and run "
               f"`negatives rules check --rules {directory}/rules --knowledge "
               f"{directory}/knowledge`")
