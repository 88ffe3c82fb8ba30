"""A cache of loaded-and-compiled rule bases, keyed by the content of every file read.

Reading the YAML with ruamel's round-trip loader (for line numbers) and validating it costs
hundreds of milliseconds; the result is the same until a file changes. The key covers the bytes
and the displayed path of every knowledge and rule file (so an edit is always seen), the engine's
own code and schemas (by size and modification time, as Python's bytecode cache does) and the
Python version. Only rule bases that loaded without a problem are
stored; a broken file is read, and reported, every time.

The folder is `$NEGATIVES_CACHE`, else `$XDG_CACHE_HOME/negatives`, else `~/.cache/negatives`;
`NEGATIVES_CACHE=off` turns the cache off. An unreadable or damaged entry is rebuilt, an
unwritable folder is skipped: the cache can make a run faster, never make it fail.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from negatives.engine import CODE_STAMP
from negatives.engine.load.yamlio import display_path

try:  # the builtin module: hashlib would load OpenSSL first, a cost paid on every run
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Python builds
    from hashlib import blake2b

CACHE_ENV = "NEGATIVES_CACHE"
OFF = frozenset({"off", "0", "no", "false"})
KEEP = 32  # entries kept per folder; the oldest go first
T = TypeVar("T")


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    given = os.environ.get(CACHE_ENV, "")
    if given.strip().lower() in OFF:
        return None
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "negatives"


def fingerprint(kind: str, files: Iterable[Path]) -> str | None:
    """A key for `kind` built from `files`; None when a file cannot be read (no caching then)."""
    digest = blake2b(digest_size=20)
    digest.update(f"{kind}\0{sys.version}\0".encode())
    try:
        digest.update(CODE_STAMP.encode() + b"\0")
        for path in files:
            digest.update(display_path(path).encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def _read(path: Path, expected: type[T]) -> T | None:
    try:
        value = pickle.loads(path.read_bytes())
    except Exception:  # a damaged or foreign entry is rebuilt, whatever went wrong with it
        return None
    return value if isinstance(value, expected) else None


def _write(folder: Path, path: Path, value: object) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        _prune(folder)
    except OSError:
        return  # a read-only or full disk only costs speed


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)


def cached(kind: str, files: list[Path], expected: type[T], build: Callable[[], T]) -> T:
    """`build()`, or its stored result for these exact files. Errors from build are not stored."""
    folder = cache_dir()
    key = fingerprint(kind, files) if folder is not None else None
    if folder is None or key is None:
        return build()
    path = folder / f"{kind}-{key}.pickle"
    hit = _read(path, expected)
    if hit is not None:
        return hit
    value = build()
    _write(folder, path, value)
    return value
