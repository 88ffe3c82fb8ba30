"""The cache of compiled rule bases: same answers, every edit seen, never a reason to fail."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
import threading
from pathlib import Path

import pytest

from negatives.engine.advice.advise import advise
from negatives.engine.advice.render import to_json
from negatives.engine.infer import cache
from negatives.engine.infer.workspace import open_workspace
from negatives.engine.load.errors import InputError
from negatives.engine.model.athlete import load_athlete
from tests.conftest import EXAMPLES, ROOT


@pytest.fixture()
def cache_at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    monkeypatch.chdir(ROOT)
    return folder


@pytest.fixture()
def copy_of_shipped(tmp_path: Path) -> tuple[Path, Path]:
    rules, knowledge = tmp_path / "rules", tmp_path / "knowledge"
    shutil.copytree(ROOT / "rules", rules)
    shutil.copytree(ROOT / "knowledge", knowledge)
    return rules, knowledge


def answer(rules: Path | None = None, knowledge: Path | None = None) -> str:
    ws = open_workspace("advise", rules, knowledge)
    athlete = load_athlete(EXAMPLES / "alex.yaml", ws.kb, "examples/alex.yaml")
    return to_json(advise(athlete, ws))


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


def test_a_cached_answer_is_byte_identical(cache_at: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = answer()
    assert len(entries(cache_at)) == 1
    second = answer()  # from the cache
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    assert first == second == answer()


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.cache_dir() is None
    answer()
    assert list(tmp_path.rglob("*.json")) == []


def test_default_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "negatives"


def test_an_edit_of_knowledge_is_seen(cache_at: Path, copy_of_shipped: tuple[Path, Path]) -> None:
    rules, knowledge = copy_of_shipped
    before = json.loads(answer(rules, knowledge))
    methods = knowledge / "methods.yaml"
    text = methods.read_text(encoding="utf-8")
    assert "value: 105" in text
    methods.write_text(text.replace("value: 105", "value: 104", 1), encoding="utf-8")
    after = json.loads(answer(rules, knowledge))
    assert before != after
    assert len(entries(cache_at)) == 2


def test_a_new_rule_file_is_seen(cache_at: Path, copy_of_shipped: tuple[Path, Path]) -> None:
    rules, knowledge = copy_of_shipped
    answer(rules, knowledge)
    (rules / "advise" / "broken.yaml").write_text("rules: [", encoding="utf-8")
    with pytest.raises(InputError):
        answer(rules, knowledge)


def test_a_broken_base_is_never_stored(cache_at: Path, copy_of_shipped: tuple[Path, Path]) -> None:
    rules, knowledge = copy_of_shipped
    (rules / "advise" / "broken.yaml").write_text("rules: [", encoding="utf-8")
    for _ in range(2):  # reported every time, never served from the cache
        with pytest.raises(InputError):
            answer(rules, knowledge)
    assert entries(cache_at) == []


def test_a_damaged_entry_is_rebuilt(cache_at: Path) -> None:
    good = answer()
    (entry,) = entries(cache_at)
    for damage in (b"", b"not json", b"[1, 2]", b'{"$dc": "Loaded"}', entry.read_bytes()[:50]):
        entry.write_bytes(damage)
        assert answer() == good
    assert entries(cache_at) == [entry]


def test_a_foreign_object_is_not_trusted_as_an_entry(cache_at: Path) -> None:
    good = answer()
    (entry,) = entries(cache_at)
    entry.write_text(json.dumps({"not": "a workspace"}), encoding="utf-8")
    assert answer() == good


def test_an_unwritable_folder_only_costs_speed(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    monkeypatch.chdir(ROOT)
    assert json.loads(answer())["answer"] == "yes"


def test_the_key_covers_content_path_and_kind(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("x: 1\n", encoding="utf-8")
    b.write_text("x: 1\n", encoding="utf-8")
    key = cache.fingerprint("k", [a])
    assert key == cache.fingerprint("k", [a])
    assert key != cache.fingerprint("other", [a])
    assert key != cache.fingerprint("k", [b])  # same bytes, another file: messages name it
    assert key != cache.fingerprint("k", [a, b])
    a.write_text("x: 2\n", encoding="utf-8")
    assert key != cache.fingerprint("k", [a])
    assert cache.fingerprint("k", [tmp_path / "missing.yaml"]) is None


def test_old_entries_are_pruned(cache_at: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 3)
    for n in range(5):
        assert cache.cached(f"kind{n}", [], int, lambda n=n: n) == n  # type: ignore[misc]
        for entry in entries(cache_at):  # file times are coarse: make the order explicit
            if entry.name.startswith(f"kind{n}-"):
                os.utime(entry, (1_000_000 + n, 1_000_000 + n))
    assert len(entries(cache_at)) == 3
    assert cache.cached("kind4", [], int, lambda: -1) == 4  # the newest stayed


def test_errors_in_build_propagate_and_store_nothing(cache_at: Path) -> None:
    def fail() -> int:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        cache.cached("kind", [], int, fail)
    assert entries(cache_at) == []


class _Pwn:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"id > {self.marker}",))


def test_a_malicious_pickle_in_the_cache_never_runs(cache_at: Path, tmp_path: Path) -> None:
    good = answer()
    (entry,) = entries(cache_at)
    marker = tmp_path / "pwned.txt"
    payload = pickle.dumps(_Pwn(marker))
    entry.write_bytes(payload)  # the entry itself
    entry.with_suffix(".pickle").write_bytes(payload)  # and where the old cache looked
    assert answer() == good
    assert not marker.exists()


def test_the_folder_is_created_private(cache_at: Path) -> None:
    answer()
    assert stat.S_IMODE(cache_at.stat().st_mode) == 0o700
    (entry,) = entries(cache_at)
    assert stat.S_IMODE(entry.stat().st_mode) & 0o077 == 0


def test_a_folder_others_can_write_is_refused(cache_at: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    cache._warned.clear()
    cache_at.mkdir(mode=0o777)
    os.chmod(cache_at, 0o777)
    assert json.loads(answer())["answer"] == "yes"
    assert entries(cache_at) == []  # nothing written into it, nothing read from it
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "is writable by other users; running without the cache" in err


@pytest.mark.skipif(os.getuid() != 0, reason="making a file another user's needs root")
def test_an_entry_of_another_user_is_refused(cache_at: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    cache._warned.clear()
    good = answer()
    (entry,) = entries(cache_at)
    entry.write_text(json.dumps({"not": "ours"}), encoding="utf-8")
    os.chown(entry, 65534, 65534)
    assert answer() == good
    assert "is owned by another user" in capsys.readouterr().err


def test_a_fifo_entry_does_not_hang(cache_at: Path) -> None:
    good = answer()
    (entry,) = entries(cache_at)
    entry.unlink()
    os.mkfifo(entry)
    done: list[str] = []
    worker = threading.Thread(target=lambda: done.append(answer()), daemon=True)
    worker.start()
    worker.join(60)
    assert done == [good]
