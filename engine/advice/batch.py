"""Batch advice: one athlete per JSON line in, one JSON result per line out, in input order."""

from __future__ import annotations

import gc
import json
import re
import signal
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from negatives.engine.advice.advise import advise
from negatives.engine.infer.workspace import Workspace, open_workspace
from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.errors import InputError, NegativesError
from negatives.engine.load.records import record
from negatives.engine.load.yamlio import MAX_BYTES, parse_text
from negatives.engine.model.athlete import athlete_from_doc

MAX_LINE = MAX_BYTES  # one athlete: the limit of an athlete file
_BOM = b"\xef\xbb\xbf"
# A JSON surrogate pair escape (what json.dumps writes for an emoji), not preceded by an
# escaped backslash: YAML would read it as two lone surrogates, so it becomes one \U escape.
_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.I)


@record
class Settings:
    rules: Path | None
    knowledge: Path | None
    source: str
    detail: str = "full"  # or "brief": no explanation


def read_lines(stream: BinaryIO) -> Iterator[str]:
    """The lines of a JSON Lines stream, split on \\n only (U+2028, form feed ... stay inside).

    A leading byte order mark is dropped. Bytes that are not UTF-8 survive as lone surrogates
    (surrogateescape), and a line over MAX_LINE bytes is cut after MAX_LINE + 1: advise_line
    turns both into that line's error, so one bad line never stops the others.
    """
    first = True
    while True:
        raw = stream.readline(MAX_LINE + 1)
        if not raw:
            return
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass  # skip the rest of an overlong line without holding it
        if first and raw.startswith(_BOM):
            raw = raw[len(_BOM):]
        first = False
        yield raw.rstrip(b"\n").rstrip(b"\r").decode("utf-8", "surrogateescape")


def is_error(result: str) -> bool:
    """Whether a result line is an error object (they start with their file, results do not)."""
    return result.startswith('{"file"')


def _error(source: str, number: int, diagnostics: list[Diagnostic]) -> str:
    problems = [{"line": number, "column": d.column, "message": d.message, "code": d.code,
                 "path": d.path} for d in diagnostics]
    return json.dumps({"file": source, "line": number, "error": problems}, ensure_ascii=False)


def _one(source: str, number: int, message: str, code: str, column: int = 1) -> str:
    return _error(source, number, [Diagnostic(source, number, column, message, "error", code)])


def _lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_lone_surrogate(k) or _lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_lone_surrogate(v) for v in value)
    return False


# Characters JSON strings may hold raw but YAML reads as line breaks or refuses: escaped, so
# the re-parse (for locations) sees the same string. Outside strings JSON refuses them anyway.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _pairs_joined(line: str) -> str:
    line = _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", line)
    return _PAIR.sub(lambda m: m[1] + "\\U" + format(
        0x10000 + ((int(m[2], 16) - 0xD800) << 10) + (int(m[3], 16) - 0xDC00), "08x"), line)


def advise_line(ws: Workspace, source: str, number: int, line: str, detail: str = "full") -> str:
    """The advice for one JSON line, or an error object naming that line; never an exception."""
    try:
        return _advise_line(ws, source, number, line, detail)
    except InputError as err:
        return _error(source, number, err.diagnostics)
    except NegativesError as err:
        return _one(source, number, str(err), "engine")
    except RecursionError:
        return _one(source, number, "the line is nested too deeply", "too-deep")
    except Exception as err:  # a bug on one line must not cost the other lines their answer
        return _one(source, number, f"internal error: {type(err).__name__}: {err}", "internal")


def _advise_line(ws: Workspace, source: str, number: int, line: str, detail: str) -> str:
    if len(line) > MAX_LINE or len(line.encode("utf-8", "surrogateescape")) > MAX_LINE:
        return _one(source, number, f"line is over {MAX_LINE} bytes; the limit is {MAX_LINE}",
                    "too-large")
    try:
        line.encode("utf-8")
    except UnicodeEncodeError as err:
        return _one(source, number, f"line is not UTF-8 text (character {err.start + 1})",
                    "not-text", err.start + 1)
    try:
        data = json.loads(line)
    except json.JSONDecodeError as err:
        return _one(source, number, f"invalid JSON: {err.msg}", "json", err.colno)
    except ValueError as err:  # e.g. an integer of more digits than Python converts
        return _one(source, number, f"invalid JSON: {err}", "json")
    if not isinstance(data, dict):
        return _one(source, number, "a line holds one athlete object", "schema")
    if _lone_surrogate(data):
        return _one(source, number, "the line holds an unpaired UTF-16 surrogate escape "
                    "(\\ud800-\\udfff alone); write the character itself", "not-text")
    athlete = athlete_from_doc(parse_text(_pairs_joined(line), f"{source}:{number}"), ws.kb)
    return json.dumps({"line": number, **advise(athlete, ws, detail)}, ensure_ascii=False)


_WORKER: Workspace | None = None
_SETTINGS: Settings | None = None


def _init(settings: Settings) -> None:
    global _WORKER, _SETTINGS
    _WORKER = open_workspace("advise", settings.rules, settings.knowledge)
    _SETTINGS = settings


def _init_worker() -> None:
    # The parent handles Ctrl-C and SIGTERM and ends the pool: a worker dies quietly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _work(item: tuple[int, str]) -> str:
    if _WORKER is None or _SETTINGS is None:
        raise NegativesError("batch worker was not initialised")
    return advise_line(_WORKER, _SETTINGS.source, *item, detail=_SETTINGS.detail)


def advise_batch(lines: Iterable[str], settings: Settings, jobs: int = 1) -> Iterator[str]:
    """Results in input order; blank lines are skipped. `jobs` > 1 spreads over processes.

    The workspace is opened once, before the workers fork, so they share it; the lines go to
    them in a few large chunks, so the hand-over costs little next to the advice.
    """
    items = [(n, text) for n, text in enumerate(lines, 1) if text.strip()]
    _init(settings)
    # The rule base lives as long as the process: out of the collector's way, or every full
    # collection walks all of it again (with 10,000 generated rules that tripled the time per
    # athlete). Forked workers then also keep sharing its pages.
    gc.freeze()
    if jobs <= 1 or len(items) < 2:
        yield from (_work(item) for item in items)
        return
    import multiprocessing  # only with --jobs > 1: the import costs single runs time

    context = multiprocessing.get_context("fork")
    chunk = max(1, min(256, len(items) // (jobs * 4)))
    with context.Pool(jobs, initializer=_init_worker) as pool:
        yield from pool.imap(_work, items, chunksize=chunk)
