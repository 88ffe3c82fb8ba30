"""Read a training program: validate it, expand repeated weeks, resolve names, keep locations."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from negatives.engine.load.diagnostics import format_path
from negatives.engine.load.errors import InputError
from negatives.engine.load.records import record
from negatives.engine.load.validate import check
from negatives.engine.load.yamlio import Document, YamlPath, load, to_plain
from negatives.engine.model.knowledge import Knowledge

MAX_ENTRIES = 2500  # exercise entries after repeats (bench/audit_scale.py: ~0.6 s per 1,000)


@record
class Entry:
    """One exercise of one day of one (expanded) week, with where it is written."""

    ref: str
    line: int
    column: int
    week: int
    day: str
    day_index: int
    position: int
    raw: dict[str, Any]
    exercise: str | None  # canonical name, None when unknown
    eccentric: str | None
    suggestion: str | None
    eccentric_suggestion: str | None

    @property
    def method(self) -> str | None:
        value = self.raw.get("method")
        return str(value) if value else None


@record
class Program:
    name: str
    units: str
    file: str
    entries: tuple[Entry, ...]
    weeks: tuple[int, ...]
    week_refs: dict[int, tuple[str, int, int]]
    text: str


def load_program(path: Path, kb: Knowledge, display: str | None = None) -> Program:
    return program_from_doc(load(path, display), kb)


def _suggest(name: str, kb: Knowledge) -> str | None:
    close = difflib.get_close_matches(name.lower(), kb.exercise_names(), n=1, cutoff=0.75)
    return close[0] if close else None


def program_from_doc(doc: Document, kb: Knowledge) -> Program:
    if not isinstance(doc.data, dict):
        raise InputError([doc.diagnostic((), "a program file is a mapping with `units` and "
                                             "`weeks`, not a list or value", "schema")])
    plain = to_plain(doc.data)
    problems = check(doc, "program", plain, kb.program_schema())
    if problems:
        raise InputError(problems)
    entries: list[Entry] = []
    covered: dict[int, int] = {}
    week_refs: dict[int, tuple[str, int, int]] = {}
    problems = []
    for wi, week in enumerate(plain["weeks"]):
        first, repeat = week["week"], week.get("repeat", 1)
        for number in range(first, first + repeat):
            if number in covered:
                problems.append(doc.diagnostic(("weeks", wi, "week"), f"week {number} is "
                                               f"already given by weeks[{covered[number]}]",
                                               "duplicate"))
                continue
            covered[number] = wi
            path: YamlPath = ("weeks", wi)
            week_refs[number] = (format_path(path), *doc.locate(path))
            entries += _entries(doc, kb, number, wi, week)
    if len(entries) > MAX_ENTRIES:  # an input limit: the audit's cost and firings grow with it
        problems.append(doc.diagnostic(("weeks",), f"the program has {len(entries)} exercise "
                                       f"entries once repeated weeks are expanded; the limit is "
                                       f"{MAX_ENTRIES}: audit it in parts", "too-large"))
    if problems:
        raise InputError(problems)
    return Program(plain.get("name", Path(doc.file).stem), plain["units"], doc.file,
                   tuple(entries), tuple(sorted(covered)), week_refs, doc.text)


def _entries(doc: Document, kb: Knowledge, number: int, wi: int,
             week: dict[str, Any]) -> list[Entry]:
    out = []
    for di, day in enumerate(week["days"]):
        for ei, raw in enumerate(day["exercises"]):
            path: YamlPath = ("weeks", wi, "days", di, "exercises", ei)
            line, col = doc.locate(path)
            known = kb.exercise(raw["exercise"])
            ecc_raw = raw.get("eccentric")
            ecc = kb.exercise(ecc_raw) if ecc_raw else None
            out.append(Entry(
                format_path(path), line, col, number, str(day["day"]), di, ei, raw,
                known.name if known else None, ecc.name if ecc else None,
                None if known else _suggest(raw["exercise"], kb),
                None if ecc or not ecc_raw else _suggest(ecc_raw, kb)))
    return out


def is_accessory(e: Entry, kb: Knowledge) -> bool:
    return accessory(e.raw, kb)


def accessory(raw: Any, kb: Knowledge) -> bool:
    """Explicit `role: accessory`, or (no role) a known single-joint exercise (not negative
    work). `raw` is one exercise entry as written."""
    if raw.get("method"):
        return False
    if "role" in raw:
        return bool(raw["role"] == "accessory")
    known = kb.exercise(str(raw["exercise"]))
    return known is not None and not known.compound


def volume(entries: list[Entry]) -> int:
    return day_volume([e.raw for e in entries])


def day_volume(raws: list[Any]) -> int:
    """Training volume of a day: sets x reps of its ordinary (not negative) work."""
    return sum(int(r["sets"]) * int(r["reps"]) for r in raws if not r.get("method"))
