"""Paths shown to people: relative to the working folder, `<shipped>/...` for shipped files;
text echoed safely (control and invisible characters escaped)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from negatives.cli.main import cli
from negatives.engine.infer.workspace import shipped
from negatives.engine.load.diagnostics import escape
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


# What escape() showed when it was a regex substitution: the same characters, the same escapes.
_INVISIBLE = r"\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff"
_ALL = re.compile(rf"[\x00-\x1f{_INVISIBLE}]")
_KEEP = re.compile(rf"[\x00-\x09\x0b-\x1f{_INVISIBLE}]")


def _reference(text: str, keep_newlines: bool) -> str:
    def shown(m: re.Match[str]) -> str:
        code = ord(m[0])
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return (_KEEP if keep_newlines else _ALL).sub(shown, text)


@given(st.text(alphabet=st.characters(max_codepoint=0x2100) | st.sampled_from("\ufeff\ufffe😀")),
       st.booleans())
def test_escape_shows_every_control_and_invisible_character(text: str, keep: bool) -> None:
    assert escape(text, keep) == _reference(text, keep)
    assert escape("a\x1b[31mb\nc") == "a\\x1b[31mb\\x0ac"


def test_no_escaped_character_is_printable() -> None:
    # escape() returns printable text as it is: that is only right while isprintable() refuses
    # every character it escapes (on this Python's Unicode tables).
    from negatives.engine.load.diagnostics import _UNSAFE

    assert [hex(c) for c in _UNSAFE if chr(c).isprintable()] == []
