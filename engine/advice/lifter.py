"""The lifter's text: the answer, the plan, why and why not, in words from knowledge and rules."""

from __future__ import annotations

import re
import textwrap
from typing import Any

from negatives.engine.advice.whynot import Reason, reasons
from negatives.engine.model.knowledge import ALL_METHODS, Knowledge
from negatives.engine.model.templates import fill_named, show

Advice = dict[str, Any]
WIDTH = 100  # columns; longer sentences wrap under their bullet
SCREEN = 50  # lines: the text fits one screen
_UNIT = re.compile(r"(\d) (s|kg|lb)\b")


class Words:
    """The phrases of knowledge/phrases.yaml, filled by name."""

    def __init__(self, kb: Knowledge) -> None:
        self.kb = kb

    def __call__(self, phrase: str, **values: Any) -> str:
        return fill_named(self.kb.phrases[phrase].text, values)


def _wrap(text: str, indent: str, bullet: str = "- ") -> list[str]:
    # A number stays on the line of its unit ("4 s", "32 kg"): glued for the wrap, then spaced.
    glued = _UNIT.sub("\\1\u00a0\\2", text)
    lines = textwrap.wrap(glued, WIDTH, initial_indent=indent + bullet,
                          subsequent_indent=indent + " " * len(bullet),
                          break_on_hyphens=False) or [indent + bullet.rstrip()]
    return [line.replace("\u00a0", " ") for line in lines]


def _lower(sentence: str) -> str:
    """A sentence placed after a colon: "Lift in ..." reads "lift in ..." (not "NSCA ...")."""
    if len(sentence) > 1 and sentence[0].isupper() and sentence[1].islower():
        return sentence[0].lower() + sentence[1:]
    return sentence


def _upper(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _join(names: list[str]) -> str:
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else \
        "".join(names)


def to_text(advice: Advice, kb: Knowledge) -> str:
    """The answer, the plan, why, why not, how it works: one screen (SCREEN lines at most)."""
    say = Words(kb)
    head = [f"{say('title', name=advice['athlete']['name'])} {_answer(advice, say)}"]
    head += _methods(advice, say)
    if advice["recommendations"]:
        head += ["", say("plan-heading")]
        for i, rec in enumerate(advice["recommendations"], 1):
            head += _plan(i, rec, advice, say)
    why_not = _section(say("why-not-heading"), _why_not(reasons(advice), advice, say))
    background = _background(advice, kb, say)
    file = advice["athlete"]["file"]
    more = ["", say("more", file="-" if file.startswith("<") else file)]  # <stdin>: read with -
    why = _why(advice)
    # Over a screen, the last reasons of "why" give way (--explain has them all), then the
    # background; the answer, the plan and "why not" always stay.
    while why and len(head + _section("", why) + why_not + background + more) > SCREEN:
        why.pop()
    if len(head + _section("", why) + why_not + background + more) > SCREEN:
        background = []
    lines = head + _section(say("why-heading"), why) + why_not + background + more
    return "\n".join(lines).rstrip() + "\n"


def _answer(advice: Advice, say: Words) -> str:
    if advice["verdict"] == "yes":
        lifts = list(dict.fromkeys(r["target_lift"] for r in advice["recommendations"]
                                   if r["target_lift"]))
        return say("answer-yes", lifts=_join(lifts) or "lifts")
    return say("answer-no" if advice["verdict"] == "no" else "answer-not-now")


def _method_name(advice: Advice, method: str | None) -> str:
    return next((m["name"] for m in advice["methods"] if m["method"] == method), "")


def _methods(advice: Advice, say: Words) -> list[str]:
    out = []
    for m in advice["methods"]:
        lifts = _join(list(dict.fromkeys(r["target_lift"] for r in advice["recommendations"]
                                         if r["method"] == m["method"] and r["target_lift"])))
        # `when` refines a recommendation (now or with the next cycle); a status says the rest.
        when = m.get("when") if m["status"] == "recommended" else None
        status = say(f"when-{when}", lifts=lifts) if when else \
            say(f"status-{m['status']}", lifts=lifts)
        said: list[str] = []
        if m["status"] != "recommended":
            own = [w for w in advice.get("why_not", []) if w["method"] == m["method"]]
            said = [m["decided_by"]["says"]] if m["decided_by"] else \
                [w["says"] for w in own if w.get("from") != "candidates"] or \
                [w["says"] for w in own]
        line = " ".join([say("method-line", method=m["name"], status=status),
                         *(_upper(s) for s in dict.fromkeys(said))])
        out += _wrap(line, "  ")
    return out


def _plan(i: int, rec: dict[str, Any], advice: Advice, say: Words) -> list[str]:
    name = _method_name(advice, rec["method"])
    out = [f"  {say('plan-item', n=i, method=_upper(name), lift=rec['target_lift'])}"]
    what = []
    if rec["pairing"]:
        what.append(say("plan-pairing", concentric=rec["pairing"]["concentric"],
                        eccentric=rec["pairing"]["eccentric"]))
    elif rec.get("exercise"):
        what.append(say("plan-exercise", exercise=rec["exercise"]))
    if rec.get("tempo"):
        t = rec["tempo"]
        pause = t.get("bottom_pause_seconds")
        what.append(say("plan-tempo" if pause else "plan-tempo-continuous",
                        up=show(t.get("concentric_seconds")),
                        down=show(t.get("eccentric_seconds")), pause=show(pause)))
    if rec.get("sets") is not None:
        reps = f"{rec['reps_min']}-{rec['reps']}" if rec.get("reps_min") else str(rec["reps"])
        what.append(say("plan-sets", sets=rec["sets"], reps=reps))
    out += _wrap("; ".join(what), "     ", "")
    basis = rec.get("load_basis")
    if basis and rec["weeks"]:
        texts = advice.get("load_texts", {})
        convention = next((texts.get("conventions", {}).get(w.get("load_convention"))
                           for w in rec["weeks"] if w.get("load_convention")), None)
        orm = basis.get("one_rep_max")
        out += _wrap(say("plan-basis", exercise=basis["exercise"], one_rep_max=show(orm),
                         units=advice["athlete"]["units"],
                         convention=f", {convention}" if convention else "")
                     if orm is not None else
                     say("plan-basis-unknown", exercise=basis["exercise"]), "     ", "")
        notes: list[str] = []  # a rounding note is told once, under the weeks it concerns
        for w in rec["weeks"]:
            note = texts.get("notes", {}).get(w.get("rounding_note") or "")
            if note and note not in notes:
                notes.append(note)
            mark = f" {'*' * (notes.index(note) + 1)}" if note else ""
            out.append(f"       {_week(w, say)}{mark}")
        for i, note in enumerate(notes, 1):
            out += _wrap(fill_named(note, {"units": advice["athlete"]["units"]}), "       ",
                         "*" * i + " ")
    warnings = [w.get("says") or w["message"] for m in advice["methods"]
                if m["method"] == rec["method"] for w in m["warnings"] if _about(w, rec)]
    for warning in dict.fromkeys(warnings):
        out += _wrap(warning, "     ")
    return out


def _about(warning: dict[str, Any], rec: dict[str, Any]) -> bool:
    pairing = (rec.get("pairing") or {}).get("id")
    return (not warning.get("pairing") or warning["pairing"] == pairing) and \
        (not warning.get("lift") or warning["lift"] == rec["target_lift"])


def _week(w: dict[str, Any], say: Words) -> str:
    percent = w.get("percent_lifted") or w["percent_1rm"]
    if w.get("load") is None:
        return say("plan-week-unknown", week=w["week"], percent=show(percent))
    return say("plan-week", week=w["week"], percent=show(percent), load=show(w["load"]),
               units=w["units"])


def _why(advice: Advice) -> list[str]:
    said = [step["says"] for rec in advice["recommendations"] for step in rec.get("why", [])]
    return list(dict.fromkeys(s for s in said if s))


def _why_not(found: list[Reason], advice: Advice, say: Words) -> list[str]:
    """One line per lift; methods that share a reason share its sentence."""
    by_lift: dict[str, dict[str, list[str]]] = {}
    for r in found:
        if r.rule is None:
            chosen = next((x["target_lift"] for x in advice["recommendations"]
                           if x["method"] == r.method), "")
            count = sum(1 for x in advice["recommendations"] if x["method"] == r.method)
            text = say("why-not-cap", lift=r.lift, count=count, chosen=chosen)
        else:
            text = _lower(r.says).rstrip(".")
        names = by_lift.setdefault(r.lift, {}).setdefault(text, [])
        if r.method and r.rule is not None:
            names.append(_method_name(advice, r.method))
    out = []
    for lift, texts in by_lift.items():
        parts = [say("why-not-method", method=_join(names), reason=text) if names else text
                 for text, names in texts.items()]
        out.append(say("why-not-lift", lift=lift, reasons="; ".join(parts)) + ".")
    return out


def _section(heading: str, sentences: list[str]) -> list[str]:
    if not sentences:
        return []
    return ["", heading, *[ln for s in sentences for ln in _wrap(s, "  ")]]


def _background(advice: Advice, kb: Knowledge, say: Words) -> list[str]:
    active = {m["method"] for m in advice["methods"] if m["status"] in ("recommended", "allowed")}
    out = []
    for phrase in ("how-heading", "risks-heading"):
        shown = [kb.concepts[c].statement for c in kb.phrases[phrase].concepts
                 if c in kb.concepts and ({ALL_METHODS, *active} & set(kb.concepts[c].methods))]
        if shown:
            out += _wrap(f"{say(phrase)}: {' '.join(shown)}", "", "")
    return ["", *out] if out else []
