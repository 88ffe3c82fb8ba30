"""Batch advice: one athlete per JSON line in, one JSON result per line out, in input order."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from negatives.engine.advice.advise import advise
from negatives.engine.infer.workspace import Workspace, open_workspace
from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.errors import InputError, NegativesError
from negatives.engine.load.yamlio import parse_text
from negatives.engine.model.athlete import athlete_from_doc


@dataclass(frozen=True)
class Settings:
    rules: Path | None
    knowledge: Path | None
    source: str
    detail: str = "full"  # or "brief": no explanation


def _error(source: str, number: int, diagnostics: list[Diagnostic]) -> str:
    problems = [{"line": number, "column": d.column, "message": d.message, "code": d.code,
                 "path": d.path} for d in diagnostics]
    return json.dumps({"file": source, "line": number, "error": problems}, ensure_ascii=False)


def advise_line(ws: Workspace, source: str, number: int, line: str, detail: str = "full") -> str:
    """The advice for one JSON line, or an error object naming that line."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as err:
        return _error(source, number, [Diagnostic(source, number, err.colno,
                                                  f"invalid JSON: {err.msg}", "error", "json")])
    if not isinstance(data, dict):
        return _error(source, number, [Diagnostic(source, number, 1, "a line holds one athlete "
                                                  "object", "error", "schema")])
    try:
        athlete = athlete_from_doc(parse_text(line, f"{source}:{number}"), ws.kb)
        return json.dumps({"line": number, **advise(athlete, ws, detail)}, ensure_ascii=False)
    except InputError as err:
        return _error(source, number, err.diagnostics)


_WORKER: Workspace | None = None
_SETTINGS: Settings | None = None


def _init(settings: Settings) -> None:
    global _WORKER, _SETTINGS
    _WORKER = open_workspace("advise", settings.rules, settings.knowledge)
    _SETTINGS = settings


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
    if jobs <= 1 or len(items) < 2:
        yield from (_work(item) for item in items)
        return
    import multiprocessing  # only with --jobs > 1: the import costs single runs time

    context = multiprocessing.get_context("fork")
    chunk = max(1, min(256, len(items) // (jobs * 4)))
    with context.Pool(jobs) as pool:
        yield from pool.imap(_work, items, chunksize=chunk)
