"""Every command has help text and is documented in the README."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            out += commands(command, f"{full} ")
        else:
            out.append((full, command))
    return out


@pytest.mark.parametrize(("name", "command"), commands(cli))
def test_command_has_help_and_is_documented(name: str, command: click.Command) -> None:
    assert command.help and len(command.help) > 20
    assert f"`negatives {name}" in README, f"README does not document `negatives {name}`"
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
