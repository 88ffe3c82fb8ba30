"""Every command has help text and is documented in the README."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from negatives.cli.main import cli
from negatives.engine import __version__
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    """Every command, imported through the group as a user's command line would."""
    out = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            out += commands(command, f"{full} ")
        else:
            out.append((full, command))
    return out


def test_every_command_is_found() -> None:
    names = {name for name, _ in commands(cli)}
    assert {"advise", "audit", "init", "schema", "rules check", "rules test", "rules coverage",
            "rules list", "rules show", "rules diff"} <= names


def test_advise_does_not_import_the_other_commands() -> None:
    """`negatives advise` starts fast: rule authoring and audit code stay unimported."""
    code = ("import sys; from negatives.cli.main import cli; cli.get_command(None, 'advise'); "
            "print(sorted(m for m in sys.modules "
            "if m.startswith(('cli.', 'engine.', 'multiprocessing'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    for heavy in ("negatives.cli.rules", "negatives.cli.audit",
                  "negatives.engine.authoring.ruletest", "negatives.engine.language.lint",
                  "negatives.engine.audit.audit", "multiprocessing"):
        assert f"'{heavy}'" not in out, heavy


@pytest.mark.parametrize(("name", "command"), commands(cli))
def test_command_has_help_and_is_documented(name: str, command: click.Command) -> None:
    assert command.help and len(command.help) > 20
    assert f"`negatives {name}" in README, f"README does not document `negatives {name}`"
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_a_closed_pipe_ends_quietly() -> None:
    """`negatives rules test -v | head -1`: the reader goes away; no internal error, exit 0."""
    proc = subprocess.Popen([sys.executable, "-m", "negatives", "rules", "list"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before anything is written: every write fails with EPIPE
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0, err
    assert "internal error" not in err and "Traceback" not in err


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"negatives, version {__version__}\n"
