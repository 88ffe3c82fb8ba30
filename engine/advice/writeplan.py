"""Write plans as a program file (the audit's format): a standalone block, or into a program."""

from __future__ import annotations

import copy
import io
from dataclasses import field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.util import load_yaml_guess_indent

from negatives.engine.advice.plan import AEL, NOW, Plan, Week
from negatives.engine.load.records import record
from negatives.engine.model.athlete import Athlete
from negatives.engine.model.knowledge import Knowledge
from negatives.engine.model.program import accessory, day_volume

WIDTH = 4096  # never re-wrap the lifter's long lines


@record(frozen=False)
class Written:
    """The program text (None: nothing to write) and what the lifter should be told."""

    text: str | None
    notes: list[str] = field(default_factory=list)


def writable(recs: list[Plan]) -> tuple[list[Plan], list[Plan]]:
    """(plans to write, plans left for later): the work that starts now, or, when nothing does,
    the block that starts with the next cycle. Only plans with weeks can be written."""
    usable = [p for p in recs if p.cycle_weeks and (p.exercise or p.pairing)]
    now = [p for p in usable if p.when == NOW]
    chosen = now or usable
    return chosen, [p for p in usable if p not in chosen]


def _fmt(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def entry(p: Plan, w: Week, kb: Knowledge) -> CommentedMap:
    """One exercise entry of the program for plan `p` in week `w`, with the load explained."""
    out = CommentedMap()
    pairing = kb.pairings.get(p.pairing) if p.pairing else None
    out["exercise"] = pairing.concentric if pairing else p.exercise
    out["method"] = p.method
    if pairing:
        out["eccentric"] = pairing.eccentric
    out["sets"] = p.sets or 1
    out["reps"] = p.reps or 1
    if p.tempo is not None:
        t = p.tempo
        out["tempo"] = "-".join(str(_fmt(t.get(k, 0))) for k in (
            "eccentric_seconds", "bottom_pause_seconds", "concentric_seconds", "top_pause"))
    if p.reps_min is not None and p.reps is not None and p.reps_min != p.reps:
        out.yaml_add_eol_comment(f"{p.reps_min}-{p.reps} reps", "reps")
    if w.load is not None:
        out["load"] = _fmt(w.load)
        out.yaml_add_eol_comment(_load_comment(p, w, kb), "load")
    elif w.percent_1rm is not None:
        out["percent_1rm"] = _fmt(w.percent_1rm)
        if p.load_basis:
            out.yaml_add_eol_comment(f"of your {p.load_basis} 1RM", "percent_1rm")
    return out


def _load_comment(p: Plan, w: Week, kb: Knowledge) -> str:
    convention = kb.conventions.get(w.load_convention or "")
    text = f"{w.percent_lifted}% of your {p.load_basis} 1RM ({_fmt(p.one_rep_max or 0)} " \
           f"{w.units})"
    return text + (f", {convention.text}" if convention else "")


def _days_needed(chosen: list[Plan]) -> int:
    return max((p.days_per_week or 1 for p in chosen), default=0)


def _weeks_of(chosen: list[Plan]) -> list[int]:
    return sorted({n for p in chosen for n in p.cycle_weeks})


def standalone(chosen: list[Plan], kb: Knowledge, athlete: Athlete) -> str:
    days = _days_needed(chosen)
    weeks = CommentedSeq()
    for number in _weeks_of(chosen):
        week = CommentedMap(week=number, days=CommentedSeq())
        for d in range(days):
            work = CommentedSeq(entry(p, p.week(number), kb) for p in chosen
                                if number in p.cycle_weeks and d < (p.days_per_week or 1))
            if work:
                week["days"].append(CommentedMap(day=f"Day {d + 1}", exercises=work))
        weeks.append(week)
    doc = CommentedMap(name=f"Negatives for {athlete.name}", units=athlete.units, weeks=weeks)
    doc.yaml_set_start_comment(
        f"Written by `negatives plan` from {athlete.file}. Check it with:\n"
        f"negatives audit THIS_FILE --athlete {athlete.file}")
    return _dump(doc, 2, 4, 2)


def _dump(data: Any, mapping: int, sequence: int, offset: int) -> str:
    yaml = YAML(typ="rt")
    yaml.width = WIDTH
    yaml.preserve_quotes = True
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def into_program(text: str, chosen: list[Plan], kb: Knowledge) -> Written:
    """The program with the negative work on the lowest-volume days of each week, in place of
    those days' accessory work (at the end of the workout), everything else kept."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    _, indent, offset = load_yaml_guess_indent(text)
    data = yaml.load(text)
    notes: list[str] = []
    present = _covered(data["weeks"])
    wanted: dict[int, list[tuple[Plan, Week]]] = {}
    for p in chosen:
        for number in p.cycle_weeks:
            if number not in present:
                notes.append(f"Your program has no week {number}: the {p.method} work stops "
                             f"before it.")
                break
            wanted.setdefault(number, []).append((p, p.week(number)))
    _unshare(data["weeks"])
    week_maps = _split(data["weeks"], set(wanted))
    for number, work in sorted(wanted.items()):
        _place(week_maps[number], work, kb)
    sequence, offset = indent or 2, offset or 0
    mapping = sequence - offset if sequence > offset else sequence
    return Written(_dump(data, mapping, sequence, offset), notes)


def _unshare(weeks: CommentedSeq) -> None:
    """Weeks that share their days through a YAML alias get copies: work added to one week's
    days must not appear in another's."""
    seen: set[int] = set()
    for wk in weeks:
        if id(wk["days"]) in seen:
            wk["days"] = copy.deepcopy(wk["days"])
        seen.add(id(wk["days"]))


def _covered(weeks: list[Any]) -> set[int]:
    return {n for wk in weeks for n in range(int(wk["week"]),
                                             int(wk["week"]) + int(wk.get("repeat", 1)))}


def _split(weeks: CommentedSeq, needed: set[int]) -> dict[int, CommentedMap]:
    """Give each needed week a mapping of its own, splitting `repeat:` runs around it."""
    out: dict[int, CommentedMap] = {}
    i = 0
    while i < len(weeks):
        wk = weeks[i]
        first, count = int(wk["week"]), int(wk.get("repeat", 1))
        numbers = range(first, first + count)
        if count == 1 or not needed & set(numbers):
            if first in needed:
                out[first] = wk
            i += 1
            continue
        groups: list[list[int]] = []
        for n in numbers:
            if n in needed or not groups or groups[-1][-1] in needed:
                groups.append([n])
            else:
                groups[-1].append(n)
        pristine = copy.deepcopy(wk)
        pieces = [wk] + [copy.deepcopy(pristine) for _ in groups[1:]]
        for piece, group in zip(pieces, groups, strict=True):
            piece["week"] = group[0]
            if len(group) > 1:
                piece["repeat"] = len(group)
            elif "repeat" in piece:
                del piece["repeat"]
            if group[0] in needed:
                out[group[0]] = piece
        for k, piece in enumerate(pieces[1:], 1):
            weeks.insert(i + k, piece)
        i += len(pieces)
    return out


def _place(week: CommentedMap, work: list[tuple[Plan, Week]], kb: Knowledge) -> None:
    days = week["days"]
    needed = min(_days_needed([p for p, _ in work]), len(days))
    order = sorted(range(len(days)), key=lambda i: (day_volume(days[i]["exercises"]), i))
    chosen = sorted(order[:needed])
    for rank, index in enumerate(chosen):
        exercises = days[index]["exercises"]
        mine = [(p, w) for p, w in work if rank < (p.days_per_week or 1)]
        if any(p.method == AEL for p, _ in mine):  # the pairing replaces the accessory work
            for k in reversed(range(len(exercises))):
                if accessory(exercises[k], kb):
                    del exercises[k]
        for p, w in mine:
            exercises.append(entry(p, w, kb))
