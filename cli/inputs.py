"""Input files named on the command line: `-` for stdin, folders expanded to their YAML files."""

from __future__ import annotations

import sys
from pathlib import Path

from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.errors import InputError
from negatives.engine.load.yamlio import MAX_BYTES, Document, load, parse_text

STDIN = "-"
STDIN_NAME = "<stdin>"


def read_stdin(file: str = STDIN_NAME) -> str:
    """All of stdin as text, with the limits a file has."""
    raw = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise InputError([Diagnostic(file, 1, 1, f"input is over the limit of {MAX_BYTES} bytes",
                                     "error", "too-large")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError([Diagnostic(file, 1, 1, f"input is not UTF-8 text (byte {err.start})",
                                     "error", "not-text")]) from None


def load_input(path: Path) -> Document:
    """Parse a YAML file, or stdin for `-`."""
    if str(path) == STDIN:
        return parse_text(read_stdin(), STDIN_NAME)
    return load(path, str(path))


def yaml_files(folder: Path) -> list[Path]:
    """The *.yaml files under a folder, recursively, in a stable order; hidden folders skipped."""
    return sorted(p for p in folder.rglob("*.yaml") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def expand(paths: tuple[Path, ...]) -> tuple[list[Path], list[str]]:
    """Files to read (folders replaced by their YAML files, `-` kept), and notes on empty ones."""
    files: list[Path] = []
    notes = []
    for path in paths:
        if str(path) != STDIN and path.is_dir():
            found = yaml_files(path)
            if not found:
                notes.append(f"warning: {path}: no *.yaml files in this folder")
            files += found
        else:
            files.append(path)
    # A file named twice (or by a folder and by name) is audited once, where first named.
    seen: set[Path] = set()
    unique = []
    for path in files:
        key = path if str(path) == STDIN else path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique, notes
