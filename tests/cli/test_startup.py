"""A Python or an install negatives cannot run on gets one line and exit 2, never a traceback."""

from __future__ import annotations

import builtins
import sys
from typing import Any

import pytest

from negatives import cli


def test_an_old_python_gets_one_line(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "version_info", (3, 10, 13, "final", 0))
    with pytest.raises(SystemExit) as done:
        cli.run()
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("negatives cannot start: it needs Python 3.11 or newer")


def test_a_missing_dependency_gets_one_line(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    real_import = builtins.__import__

    def no_main(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "negatives.cli.main":
            raise ImportError("durable_rules is not installed for Python 3.13.0")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_main)
    with pytest.raises(SystemExit) as done:
        cli.run()
    assert done.value.code == 2
    assert capsys.readouterr().err == (
        "negatives cannot start: durable_rules is not installed for Python 3.13.0\n")
