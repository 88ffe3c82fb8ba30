"""Paths shown to people: relative to the working folder, `<shipped>/...` for shipped files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from negatives.cli.main import cli
from negatives.engine.infer.workspace import shipped
from negatives.engine.load.yamlio import display_path


def test_a_shipped_file_outside_the_working_folder_says_shipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert display_path(shipped("rules") / "advise" / "methods.yaml") == (
        "<shipped>/rules/advise/methods.yaml")
    assert display_path(shipped("knowledge") / "lifts.yaml") == "<shipped>/knowledge/lifts.yaml"


def test_a_file_inside_the_working_folder_is_relative(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mine").mkdir()
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "mine" / "a.yaml") == "mine/a.yaml"
    assert display_path(Path("mine/a.yaml")) == "mine/a.yaml"


def test_a_file_elsewhere_is_shown_as_given(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    assert display_path(tmp_path / "there" / "a.yaml") == str(tmp_path / "there" / "a.yaml")


def test_rules_list_run_elsewhere_shows_no_install_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEGATIVES_RULES", raising=False)
    monkeypatch.delenv("NEGATIVES_KNOWLEDGE", raising=False)
    done = CliRunner().invoke(cli, ["rules", "list"])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines and all("<shipped>/rules/" in line for line in lines)
    assert str(shipped("rules")) not in done.output
