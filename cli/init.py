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
from negatives.engine.model.editor_schemas import point_at_schemas, write_schemas
from negatives.engine.model.kbread import load_knowledge

_README = """# Your negatives rules

A copy of the shipped `rules/` and `knowledge/`, for editing. Use it with:

    negatives advise ATHLETE.yaml --rules {dir}/rules --knowledge {dir}/knowledge

or set `{rules_env}={dir}/rules` and `{knowledge_env}={dir}/knowledge`.

After an edit: `negatives rules check`, `negatives rules test`, `negatives rules coverage`, and
`negatives rules diff --cases SOME_ATHLETES/` to see what the edit changes. The rule language is
documented in `rules/README.md`; CONTRIBUTING.md of negatives walks through an edit.

Editors: `schemas/` holds the JSON Schema of each kind of file, and every rules and knowledge
file has a `# yaml-language-server: $schema=...` line pointing at its schema, so editors
with the YAML language server (VS Code's YAML extension, Neovim, Zed, ...) check and complete
them offline. `.vscode/settings.json` maps the same schemas by folder, and also `athletes/` and
`programs/`: keep athlete and program files there, or start one with
`# yaml-language-server: $schema=PATH/TO/{dir}/schemas/athlete.schema.json`. The athlete and
program schemas list the exercise and lift names of this knowledge: after editing them, run
`negatives schema --write {dir}/schemas --knowledge {dir}/knowledge`.
"""


STAGING = ".negatives-init-"  # + target name + "-" + pid + "-" + random: a copy being built


def _stale(parent: Path, name: str) -> None:
    """Remove staging folders left by runs that were killed (their process is gone)."""
    for old in parent.glob(f"{STAGING}{name}-*"):
        try:
            pid = int(old.name[len(STAGING) + len(name) + 1:].split("-")[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(old, ignore_errors=True)
        except (ValueError, PermissionError, OSError):
            continue  # not ours to judge: alive, or another user's


def _target(directory: Path) -> Path:
    """The folder to create, refused when it could not become the copy."""
    target = Path(os.path.abspath(directory))
    if directory.is_symlink():
        raise NegativesError(f"{directory} is a symbolic link; give a new folder, not a link")
    if target == Path.cwd() or not target.name or str(directory) in (".", ".."):
        raise NegativesError(f"{directory} is the working folder or above it; give the name of "
                             "a new folder, e.g. `negatives init my-rules`")
    if target.exists() and not target.is_dir():
        raise NegativesError(f"{directory} is a file; choose a new folder")
    if target.is_dir() and any(target.iterdir()):
        raise NegativesError(f"{directory} is not empty; choose a new folder")
    return target


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@guarded
def init_command(directory: Path) -> None:
    """Copy the shipped rules/ and knowledge/ into DIRECTORY (new or empty) for editing, with
    editor schemas (schemas/, $schema lines, .vscode/settings.json)."""
    target = _target(directory)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _stale(target.parent, target.name)
        # Build the whole copy beside the target, then rename: never a half-written folder.
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}{target.name}-{os.getpid()}-",
                                        dir=target.parent))
        mask = os.umask(0o022)
        os.umask(mask)
        staging.chmod(0o777 & ~mask)  # mkdtemp makes it private; the copy is an ordinary folder
    except OSError as err:
        raise NegativesError(f"cannot create {directory}: {err.strerror}") from None
    try:
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "__init__.py")
        shutil.copytree(shipped("rules"), staging / "rules", ignore=ignore)
        shutil.copytree(shipped("knowledge"), staging / "knowledge", ignore=ignore)
        write_schemas(staging / "schemas", load_knowledge(staging / "knowledge"))
        point_at_schemas(staging, staging / "schemas")
        (staging / "README.md").write_text(_README.format(
            dir=directory, rules_env=RULES_ENV, knowledge_env=KNOWLEDGE_ENV), encoding="utf-8")
        os.replace(staging, target)  # onto a missing or empty folder only
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        if target.is_dir() and any(target.iterdir()):
            raise NegativesError(f"{directory} was filled by another run meanwhile; "
                                 "choose a new folder") from None
        if isinstance(err, shutil.Error):
            raise NegativesError(f"cannot copy into {directory}: {err}") from None
        raise NegativesError(f"cannot create {directory}: {err.strerror or err}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    click.echo(f"copied rules/ and knowledge/ (with editor schemas) to {directory}; edit them "
               f"and run "
               f"`negatives rules check --rules {directory}/rules --knowledge "
               f"{directory}/knowledge`")
