"""A cache of loaded-and-compiled rule bases as JSON data, keyed by the content of every file read.

Reading the YAML with ruamel's round-trip loader (for line numbers) and validating it costs
hundreds of milliseconds; the result is the same until a file changes. The key covers the bytes
and the displayed path of every knowledge and rule file (so an edit is always seen), the engine's
own code and schemas (by size and modification time, as Python's bytecode cache does) and the
Python version. Only rule bases that loaded without a problem are
stored; a broken file is read, and reported, every time.

Entries are JSON, rebuilt into typed objects by `codec` (never pickle: an entry cannot run
code). The folder is `$NEGATIVES_CACHE`, else `$XDG_CACHE_HOME/negatives`, else
`~/.cache/negatives`; `NEGATIVES_CACHE=off` turns the cache off. It is created 0700; a folder
or entry owned by another user or writable by group or others is refused with a one-line
warning, and the run goes on uncached. An unreadable or damaged entry is rebuilt, an unwritable
folder is skipped: the cache can make a run faster, never make it fail.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from negatives.engine import CODE_STAMP
from negatives.engine.infer.codec import CodecError, decode_as, encode
from negatives.engine.load.errors import InputError
from negatives.engine.load.safeio import read_limited
from negatives.engine.load.yamlio import MAX_BYTES, display_path

try:  # the builtin module: hashlib would load OpenSSL first, a cost paid on every run
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Python builds
    from hashlib import blake2b

CACHE_ENV = "NEGATIVES_CACHE"
OFF = frozenset({"off", "0", "no", "false"})
KEEP = 32  # entries kept per folder; the oldest go first
SUFFIX = ".json"
MAX_ENTRY = 64 * 1024 * 1024  # an entry larger than this is not ours
T = TypeVar("T")
_warned: set[str] = set()


def warn(message: str) -> None:
    """One line on stderr, once per process and message: the run goes on without the cache."""
    if message not in _warned:
        _warned.add(message)
        sys.stderr.write(f"warning: {message}; running without the cache\n")


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    given = os.environ.get(CACHE_ENV, "")
    if given.strip().lower() in OFF:
        return None
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "negatives"


def unsafe(info: os.stat_result) -> str | None:
    """Why a cache folder or entry with this status must not be trusted, or None."""
    if info.st_uid != os.getuid():
        return "is owned by another user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is writable by other users"
    return None


def _safe_folder(folder: Path) -> bool:
    """Create the folder 0700 when missing; False (and a warning) when it cannot be trusted."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return False  # a read-only or missing parent only costs speed
    why = "is not a folder" if not stat.S_ISDIR(info.st_mode) else unsafe(info)
    if why:
        warn(f"cache folder {folder} {why}")
        return False
    return True


def fingerprint(kind: str, files: Iterable[Path]) -> str | None:
    """A key for `kind` built from `files`; None when a file cannot be read (no caching then)."""
    digest = blake2b(digest_size=20)
    digest.update(f"{kind}\0{sys.version}\0".encode())
    digest.update(CODE_STAMP.encode() + b"\0")
    for path in files:
        try:  # the same limits as the loader: a FIFO or device is refused, never read
            raw = read_limited(path, MAX_BYTES, str(path))
        except InputError:
            return None  # the loader reports it
        digest.update(display_path(path).encode() + b"\0" + raw + b"\0")
    return digest.hexdigest()


def _read(path: Path, expected: type[T]) -> T | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None  # missing (the usual miss) or a symlink
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY:
            return None
        why = unsafe(info)
        if why:
            warn(f"cache entry {path} {why}")
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = json.loads(handle.read(MAX_ENTRY + 1))
        return decode_as(data, expected)
    except (OSError, ValueError, CodecError, TypeError, RecursionError):
        return None  # a damaged or foreign entry is rebuilt
    finally:
        os.close(fd)


def _write(folder: Path, path: Path, value: object) -> None:
    try:
        text = json.dumps(encode(value), separators=(",", ":"), ensure_ascii=False)
    except (CodecError, ValueError, TypeError, NameError, RecursionError):
        return  # a value the codec cannot store is only not cached
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        _prune(folder)
    except OSError:
        return  # a read-only or full disk only costs speed


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)


def cached(kind: str, files: list[Path], expected: type[T], build: Callable[[], T]) -> T:
    """`build()`, or its stored result for these exact files. Errors from build are not stored."""
    folder = cache_dir()
    key = fingerprint(kind, files) if folder is not None else None
    if folder is None or key is None or not _safe_folder(folder):
        return build()
    path = folder / f"{kind}-{key}{SUFFIX}"
    hit = _read(path, expected)
    if hit is not None:
        return hit
    value = build()
    _write(folder, path, value)
    return value
