"""The project config file: `negatives.toml`, or `[tool.negatives]` in `pyproject.toml`.

Found upward from the working folder, as ruff finds its own. Folders in it are relative to the
file. Every problem is reported at once, located, like any other bad input.
"""

from __future__ import annotations

import os
import re
from dataclasses import field
from pathlib import Path
from typing import Any

from negatives.engine.load.diagnostics import SEVERITIES, Diagnostic
from negatives.engine.load.errors import InputError
from negatives.engine.load.records import record

CONFIG_ENV = "NEGATIVES_CONFIG"
CONFIG_NAME = "negatives.toml"
PYPROJECT = "pyproject.toml"
# key -> what its value must be; fail-on takes a severity.
KEYS: dict[str, str] = {"rules": "folder", "knowledge": "folder", "select": "list",
                        "ignore": "list", "fail-on": "severity"}
_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


@record
class Config:
    """The settings of one config file; None where it says nothing (or there is no file)."""

    file: str | None = None
    rules: Path | None = None
    knowledge: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    fail_on: str | None = None
    where: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> line, column

    def diagnostic(self, key: str, message: str, code: str = "config") -> Diagnostic:
        line, column = self.where.get(key, (1, 1))
        return Diagnostic(self.file or CONFIG_NAME, line, column, message, "error", code)


def _section(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    if path.name != PYPROJECT:
        return data
    tool = data.get("tool")
    section = tool.get("negatives") if isinstance(tool, dict) else None
    return section if isinstance(section, dict) else None


_HEADER = re.compile(r"\s*\[\[?([^\]]*)\]")
_KEY = re.compile(r"\s*([\w\"'-][^=]*)=")


def _bare(name: str) -> str:
    """A table or key name without spaces and quotes (`tool . "negatives"`: tool.negatives)."""
    return name.replace(" ", "").replace("\t", "").replace('"', "").replace("'", "")


def _brackets(segment: str) -> int | None:
    """`[` minus `]` in a line's value, outside strings and comments (None: a string that does
    not end on the line)."""
    depth = 0
    i, n = 0, len(segment)
    while i < n:
        c = segment[i]
        if c == "#":
            break
        if c in "\"'":
            end = i + 1
            while end < n and segment[end] != c:
                end += 2 if c == '"' and segment[end] == "\\" else 1
            if end >= n:
                return None
            i = end + 1
            continue
        depth += (c == "[") - (c == "]")
        i += 1
    return depth


def _may_have_section(text: str) -> bool:
    """False only when no line can put a value in `tool.negatives` (then TOML is not parsed).

    That takes a `[tool.negatives...]` header, a `negatives...` key under `[tool]` or a `tool...`
    key before the first header. A project that depends on negatives names it in other tables
    (`dependencies`, `[project.scripts]`), which this tells apart. Lines are TOML's (split at
    `\n` only); the lines of a multi-line array are skipped. Whatever could hide a table from
    this reading says True, and TOML then decides (and reports a broken file): a multi-line
    string, a backslash (an escaped name), a byte order mark, a `]` in a quoted table name, a
    line that opens with `[` but is no header, a string that does not end on its line.
    """
    if "negatives" not in text and "\\" not in text:
        return False
    if '"""' in text or "'''" in text or "\ufeff" in text:
        return True
    table = ""
    depth = 0  # inside a multi-line array: how many `[` are open
    for line in text.split("\n"):
        if depth:
            net = _brackets(line)
            if net is None or depth + net < 0:
                return True
            depth += net
            continue
        header = _HEADER.match(line)
        if header:
            rest = line[header.end():]
            if line.lstrip().startswith("[["):
                rest = rest.removeprefix("]")  # an array of tables ends with `]]`
            if "]" in rest.split("#")[0]:  # a quoted name holding `]`
                return True
            table = _bare(header.group(1))
            if "\\" in table or table == "tool.negatives" or table.startswith("tool.negatives."):
                return True
            continue
        if line.lstrip().startswith("["):  # no header this reads: TOML decides
            return True
        key = _KEY.match(line)
        if key is None:
            continue
        net = _brackets(line[key.end():])
        if net is None or net < 0:
            return True
        depth = net
        if table not in ("", "tool"):
            continue
        name = _bare(key.group(1))
        first = name.split(".")[0]
        if "\\" in name or (table == "" and first == "tool") or (
                table == "tool" and first == "negatives"):
            return True
    return False


def _has_section(path: Path) -> bool:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return True  # reported when read
    if not _may_have_section(text):  # most pyproject.toml files: no TOML parsing (3-4 ms)
        return False
    import tomllib

    try:
        return _section(path, tomllib.loads(text)) is not None
    except tomllib.TOMLDecodeError:
        return True  # a broken pyproject.toml that may hold our table is reported, not skipped


def find_config(start: Path) -> Path | None:
    """negatives.toml, or a pyproject.toml with [tool.negatives], in start or a folder above."""
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
        if (folder / PYPROJECT).is_file() and _has_section(folder / PYPROJECT):
            return folder / PYPROJECT
    return None


def _locate(text: str, table: str, key: str) -> tuple[int, int]:
    """Line and column of `key =` in `[table]` ('' = the top level); (1, 1) when not found."""
    current = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            current = stripped.strip("[]").strip()
            continue
        match = re.match(rf"\s*(\"?{re.escape(key)}\"?)\s*=", line)
        if match and current == table:
            return number, match.start(1) + 1
    return 1, 1


def _value(key: str, kind: str, value: Any, base: Path) -> tuple[Any, str | None]:
    """The value as the Config holds it, or an error message."""
    if kind == "folder":
        if not isinstance(value, str) or not value:
            return None, f"`{key}` is a folder name (a string)"
        folder = (base / value).resolve()
        if not folder.is_dir():
            return None, f"`{key}`: folder {value!r} not found (relative to this file)"
        return folder, None
    if kind == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, f"`{key}` is a list of rule ids or tags, e.g. [\"safety\"]"
        return tuple(value), None
    if value not in SEVERITIES:
        return None, f"`{key}` is one of {', '.join(SEVERITIES)}, not {value!r}"
    return value, None


def _display(path: Path) -> str:
    """Relative to the working folder, also above it (`../negatives.toml`), as people cd."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)


def load_config(path: Path) -> Config:
    import tomllib

    from negatives.engine.load.validate import did_you_mean  # only for a config file

    file = _display(path)
    try:
        text = path.read_text("utf-8")
        data = tomllib.loads(text)
    except OSError as err:
        raise InputError([Diagnostic(file, 1, 1, f"cannot read: {err.strerror}", "error",
                                     "io")]) from None
    except UnicodeDecodeError:
        raise InputError([Diagnostic(file, 1, 1, "file is not UTF-8 text", "error",
                                     "not-text")]) from None
    except tomllib.TOMLDecodeError as err:
        at = _TOML_AT.search(str(err))
        last = text.split("\n")  # "at end of document": where the text ends
        line, col = (int(at.group(1)), int(at.group(2))) if at else (len(last), len(last[-1]) + 1)
        message = _TOML_AT.sub("", str(err)).replace("(at end of document)", "").strip()
        raise InputError([Diagnostic(file, line, col, f"invalid TOML: {message}", "error",
                                     "toml-syntax")]) from None
    table = "tool.negatives" if path.name == PYPROJECT else ""
    section = _section(path, data) or {}
    where = {key: _locate(text, table, key) for key in section}
    config = Config(file=file, where=where)
    values: dict[str, Any] = {}
    problems = []
    for key, value in section.items():
        if key not in KEYS:
            problems.append(config.diagnostic(
                key, f"unknown setting `{key}`{did_you_mean(key, KEYS)}; known: "
                f"{', '.join(KEYS)}", "unknown"))
            continue
        got, error = _value(key, KEYS[key], value, path.parent)
        if error:
            problems.append(config.diagnostic(key, error))
        else:
            values[key.replace("-", "_")] = got
    if problems:
        raise InputError(problems)
    return Config(file=file, where=where, **values)


def discover(given: Path | None = None, start: Path | None = None) -> Config:
    """The config in use: the one given (flag), else $NEGATIVES_CONFIG, else found upward."""
    chosen = given or (Path(os.environ[CONFIG_ENV]) if os.environ.get(CONFIG_ENV) else None)
    if chosen is not None and not chosen.is_file():
        raise InputError([Diagnostic(_display(chosen), 1, 1, "config file not found",
                                     "error", "io")])
    path = chosen or find_config(start or Path.cwd())
    return load_config(path) if path else Config()
