"""`negatives init` refuses what it cannot do with exit 2 and a clear message, never exit 3."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from negatives.cli import init as init_module
from negatives.cli.main import cli
from tests.conftest import ROOT


def init(target: str) -> Result:
    return CliRunner().invoke(cli, ["init", target])


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(init_module.STAGING)]


@pytest.fixture()
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("setup", "target", "says"), [
    (lambda p: None, ".", "the working folder"),
    (lambda p: (p / "link").symlink_to(p / "real", target_is_directory=True), "link",
     "symbolic link"),
    (lambda p: (p / "dangling").symlink_to(p / "nowhere"), "dangling", "symbolic link"),
    (lambda p: (p / "file").write_text("x"), "file", "is a file"),
    (lambda p: (p / "full").mkdir() or (p / "full" / "x").write_text("x"), "full", "not empty"),
])
def test_an_unusable_target_is_refused(here: Path, setup: object, target: str,
                                       says: str) -> None:
    setup(here)  # type: ignore[operator]
    result = init(target)
    assert result.exit_code == 2, result.output
    assert says in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.ENOSPC])
def test_a_read_only_or_full_disk_is_exit_2_and_leaves_nothing(
        here: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(init_module.shutil, "copytree", fail)
    result = init("copy")
    assert result.exit_code == 2
    assert f"cannot create copy: {os.strerror(code)}" in result.stderr
    assert leftovers(here) == [] and not (here / "copy").exists()


def test_the_loser_of_a_race_is_told_so(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.replace

    def winner_first(src: str, dst: str) -> None:
        Path(dst).mkdir(exist_ok=True)
        (Path(dst) / "README.md").write_text("the winner's copy")
        real(src, dst)

    monkeypatch.setattr(init_module.os, "replace", winner_first)
    result = init("copy")
    assert result.exit_code == 2
    assert "filled by another run meanwhile" in result.stderr
    assert leftovers(here) == []


def test_concurrent_runs_give_one_copy_and_clear_messages(here: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.Popen([sys.executable, "-m", "negatives", "init", "copy"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    codes = [(p.wait(120), p.stderr.read().decode() if p.stderr else "") for p in runs]
    for p in runs:
        for stream in (p.stdout, p.stderr):
            if stream:
                stream.close()
    assert sorted(c for c, _ in codes).count(0) == 1, codes
    assert all(c == 2 and "Traceback" not in e for c, e in codes if c), codes
    assert leftovers(here) == []


def test_staging_left_by_a_killed_run_is_cleaned(here: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "negatives", "init", "copy"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not leftovers(here) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.kill()
    proc.wait()
    shutil.rmtree(here / "copy", ignore_errors=True)  # it may have finished first
    dead = here / f"{init_module.STAGING}copy-999999999-abc"  # a pid no process has
    dead.mkdir()
    assert init("copy").exit_code == 0
    assert leftovers(here) == []
    assert (here / "copy" / "rules").is_dir()
    assert (here / "copy").stat().st_mode & 0o077 != 0  # an ordinary folder, not a private one
