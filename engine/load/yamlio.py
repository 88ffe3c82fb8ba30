"""Read YAML with ruamel (round trip) so values keep their line and column; refuse unsafe input."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

import negatives
from negatives.engine.load.diagnostics import Diagnostic, format_path
from negatives.engine.load.errors import InputError
from negatives.engine.load.records import record
from negatives.engine.load.safeio import read_limited

# Input limits protect the process, they do not steer advice.
MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000  # after alias expansion: stops "billion laughs" documents
MAX_ITEMS = 5_000  # items of one list or keys of one mapping
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "merge", "timestamp")
}

YamlPath = tuple[str | int, ...]


@record
class Document:
    """A parsed YAML file: its data (ruamel round-trip objects) and where it came from."""

    file: str
    data: Any
    text: str
    problems: tuple[Diagnostic, ...] = ()  # found while parsing but not fatal (duplicate keys)

    def locate(self, path: YamlPath) -> tuple[int, int]:
        return locate(self.data, path)

    def diagnostic(
        self, path: YamlPath, message: str, code: str = "", severity: str = "error"
    ) -> Diagnostic:
        line, col = self.locate(path)
        return Diagnostic(self.file, line, col, message, severity, code, format_path(path))


def _rt() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = True  # duplicates are found on the node tree, all at once
    return yaml


def locate(data: Any, path: YamlPath) -> tuple[int, int]:
    """Line and column (1-based) of the deepest node of `path` that carries a position."""
    line, col = 1, 1
    node = data
    for part in path:
        try:
            if isinstance(node, CommentedMap) and part in node:
                line, col = node.lc.key(part)[0] + 1, node.lc.key(part)[1] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                line, col = node.lc.item(part)[0] + 1, node.lc.item(part)[1] + 1
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    if path == () and isinstance(data, (CommentedMap, CommentedSeq)) and data.lc.line is not None:
        line, col = data.lc.line + 1, data.lc.col + 1
    return line, col


def _node_problems(file: str, root: Node) -> list[Diagnostic]:
    """Duplicate keys, non-standard tags and alias bombs, found on the composed node graph."""
    problems: list[Diagnostic] = []
    sizes: dict[int, int] = {}

    def at(node: Node, message: str, code: str) -> Diagnostic:
        mark = node.start_mark
        return Diagnostic(file, mark.line + 1, mark.column + 1, message, "error", code)

    def walk(node: Node) -> int:
        key = id(node)
        if key in sizes:  # an alias: its size counts again, its problems were reported once
            return sizes[key]
        sizes[key] = 1
        tag = node.tag if isinstance(node.tag, str) else getattr(node.tag, "value", None)
        if tag and tag not in _STANDARD_TAGS:
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")
            problems.append(at(node, f"tag {shown} is not allowed; write plain YAML values", "tag"))
        if isinstance(node, ScalarNode) and node.style is None and \
                str(node.value).lower().lstrip("+-") in (".nan", ".inf"):
            problems.append(at(node, f"{node.value} is not a usable number", "not-a-number"))
        elif isinstance(node, ScalarNode) and node.style is None and "_" in str(node.value) \
                and node.tag in _NUMBER_TAGS:
            # YAML 1.1 reads 1_0 as 10; YAML 1.2 and JSON do not: say what was meant.
            problems.append(at(node, f"{node.value} is read as the number "
                               f"{str(node.value).replace('_', '')}; write it without '_', or "
                               "quote it for text", "number-form"))
        if isinstance(node, (MappingNode, SequenceNode)) and len(node.value) > MAX_ITEMS:
            what = "keys" if isinstance(node, MappingNode) else "items"
            problems.append(at(node, f"{len(node.value)} {what} in one place; the limit is "
                               f"{MAX_ITEMS}", "too-large"))
        size = 1
        if isinstance(node, MappingNode):
            seen: dict[object, Node] = {}
            for k, v in node.value:
                if isinstance(k, ScalarNode) and k.tag != "tag:yaml.org,2002:merge":
                    if k.value in seen:
                        first = seen[k.value].start_mark.line + 1
                        problems.append(
                            at(k, f"duplicate key '{k.value}' (first defined on line {first})",
                               "duplicate-key")
                        )
                    else:
                        seen[k.value] = k
                size += walk(k) + walk(v)
        elif isinstance(node, SequenceNode):
            for item in node.value:
                size += walk(item)
        sizes[key] = size
        return size

    total = walk(root)
    if total > MAX_NODES:
        how = " through aliases" if total > len(sizes) else ""
        problems.append(at(root, f"document expands to {total} nodes{how} (limit {MAX_NODES})",
                           "too-large"))
    return problems


def _syntax_error(file: str, err: YAMLError, text: str = "") -> Diagnostic:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    col = mark.column + 1 if mark is not None else 1
    if isinstance(err, ReaderError) and isinstance(err.position, int):  # a forbidden character
        before = text[:err.position]
        line, col = before.count("\n") + 1, err.position - (before.rfind("\n") + 1) + 1
        char = f"U+{int(err.character):04X}" if isinstance(err.character, int) else \
            repr(err.character)
        return Diagnostic(file, line, col, f"invalid YAML: character {char} is not allowed in "
                          "YAML text", "error", "yaml-syntax")
    if isinstance(err, MarkedYAMLError):
        problem = err.problem or err.context or "invalid YAML"
    else:
        problem = str(err).splitlines()[0] if str(err) else "invalid YAML"
    return Diagnostic(file, line, col, f"invalid YAML: {problem}", "error", "yaml-syntax")


def parse_text(text: str, file: str) -> Document:
    """Parse YAML text; raise InputError with every problem found."""
    if "\x00" in text:
        raise InputError([Diagnostic(file, 1, 1, "file is binary, not YAML text", "error",
                                     "not-text")])
    yaml = _rt()
    try:
        with warnings.catch_warnings():
            # A redefined anchor is valid YAML (the later one counts); ruamel warns about it on
            # stderr, outside any located report. Aliases are checked on the node tree below.
            warnings.simplefilter("ignore", ReusedAnchorWarning)
            root = yaml.compose(io.StringIO(text))
        if root is None:
            raise InputError([Diagnostic(file, 1, 1, "file is empty", "error", "empty")])
        problems = _node_problems(file, root)
        fatal = [p for p in problems if p.code != "duplicate-key"]
        if fatal:  # unsafe or unusable: do not construct anything from it
            raise InputError(problems)
        # Construct from the checked tree: parsing the text a second time would cost as much.
        data = yaml.constructor.construct_document(root)
    except YAMLError as err:
        raise InputError([_syntax_error(file, err, text)]) from None
    except RecursionError:
        raise InputError([Diagnostic(file, 1, 1, "the YAML is nested too deeply", "error",
                                     "too-deep")]) from None
    except (ValueError, TypeError) as err:
        raise InputError([Diagnostic(file, 1, 1, f"invalid YAML: {err}", "error",
                                     "yaml-syntax")]) from None
    return Document(file, data, text, tuple(problems))


SHIPPED = "<shipped>"


def display_path(path: Path) -> str:
    """A path as people want to see it: relative to the working folder when it is inside it,
    `<shipped>/rules/...` for the rules and knowledge shipped in the package, else as given."""
    try:
        full = path.resolve()
    except (ValueError, OSError):
        return str(path)
    with contextlib.suppress(ValueError, OSError):
        return str(full.relative_to(Path.cwd().resolve()))
    package = Path(negatives.__file__).parent
    for folder in ("rules", "knowledge"):
        with contextlib.suppress(ValueError, OSError):
            inside = full.relative_to((package / folder).resolve())
            return f"{SHIPPED}/{folder}/{inside.as_posix()}"
    return str(path)


def read_text(path: Path, display: str | None = None) -> str:
    file = display or display_path(path)
    raw = read_limited(path, MAX_BYTES, file)
    if b"\x00" in raw:
        raise InputError([Diagnostic(file, 1, 1, "file is binary, not YAML text", "error",
                                     "not-text")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError([Diagnostic(file, 1, 1, f"file is not UTF-8 text (byte {err.start})",
                                     "error", "not-text")]) from None


def load(path: Path, display: str | None = None) -> Document:
    """Read and parse one YAML file."""
    file = display or display_path(path)
    return parse_text(read_text(path, file), file)


def to_plain(data: Any) -> Any:
    """ruamel round-trip objects to plain dicts, lists and scalars (for jsonschema and facts)."""
    if isinstance(data, dict):
        return {str(k): to_plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [to_plain(v) for v in data]
    if isinstance(data, bool) or data is None:
        return data
    if isinstance(data, int):
        return int(data)
    if isinstance(data, float):
        return float(data)
    if isinstance(data, str):
        return str(data)
    return str(data)


def dump(data: Any) -> str:
    out = io.StringIO()
    _rt().dump(data, out)
    return out.getvalue()


def write_atomic(path: Path, text: str) -> None:
    """Write a file whole or not at all: temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
