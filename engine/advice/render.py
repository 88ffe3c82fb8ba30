"""Render advice: the lifter's text, the rule trace (--explain), JSON and Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from negatives.engine.advice.lifter import to_text
from negatives.engine.advice.whynot import reasons
from negatives.engine.load.diagnostics import escape
from negatives.engine.model.knowledge import Knowledge

Advice = dict[str, Any]
_VERDICT = {"yes": "YES", "not-now": "NOT NOW", "no": "NO"}


def to_json(advice: Advice) -> str:
    return json.dumps(advice, indent=2, ensure_ascii=False) + "\n"


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _quote(source: dict[str, Any]) -> str:
    text = source.get("quote") or source.get("note") or ""
    return f'{source["id"]}: "{text}"' if source.get("quote") else f"{source['id']}: {text}"


def _sets(rec: dict[str, Any]) -> str:
    if rec.get("sets") is None:
        return ""
    reps = f"{rec['reps_min']}-{rec['reps']}" if rec.get("reps_min") else str(rec.get("reps"))
    return f"{rec['sets']} x {reps}"


def _what(rec: dict[str, Any]) -> str:
    if rec["pairing"]:
        p = rec["pairing"]
        return f"lift with {p['concentric']}, lower with {p['eccentric']}"
    if rec.get("exercise"):
        return f"on the {rec['exercise']}"
    if rec.get("tempo"):
        t = rec["tempo"]
        return (f"tempo {_num(t.get('concentric_seconds'))} s up, "
                f"{_num(t.get('eccentric_seconds'))} s down, "
                f"{_num(t.get('bottom_pause_seconds'))} s pause at the bottom")
    return ""


def _week_lines(rec: dict[str, Any]) -> list[str]:
    out = []
    for w in rec["weeks"]:
        pct = f"{w['percent_1rm']:g}% of 1RM"
        if w["load"] is None:
            out.append(f"week {w['week']}: {pct} (load unknown: 1RM missing)")
        else:
            exact = f" (exactly {_num(w['exact_load'])})" if w["exact_load"] != w["load"] else ""
            out.append(f"week {w['week']}: {pct} = {_num(w['load'])} {w['units']}{exact}")
    return out


def _facts(step: dict[str, Any]) -> str:
    return ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in step["facts"].items())


def to_explain(advice: Advice) -> str:
    """Every rule that decided, with the values it matched and its source (coaches, authors)."""
    advice = _printable(advice)
    lines = [f"negatives advise: {advice['athlete']['name']} ({advice['athlete']['file']})", "",
             f"Answer: {_VERDICT[advice['verdict']]}. {advice['summary']}", ""]
    if advice["recommendations"]:
        lines.append("Recommendations")
        for i, rec in enumerate(advice["recommendations"], 1):
            name = next(m["name"] for m in advice["methods"] if m["method"] == rec["method"])
            target = f" for the {rec['target_lift']}" if rec["target_lift"] else ""
            lines.append(f"  {i}. {name}{target}: {_what(rec)}")
            if _sets(rec):
                lines.append(f"     {_sets(rec)}")
            if rec["load_basis"]:
                basis = rec["load_basis"]
                orm = f"{_num(basis['one_rep_max'])} {advice['athlete']['units']}" \
                    if basis["one_rep_max"] is not None else "unknown"
                lines.append(f"     load from your concentric 1RM of the {basis['exercise']} "
                             f"({orm})")
            lines += [f"       {w}" for w in _week_lines(rec)]
            lines += [f"     note: {n}" for n in rec["notes"]]
            lines.append("     why:")
            for seq in rec["chain"]:
                step = advice["explanation"][seq]
                lines.append(f"       - [{step['rule']}] {step['title']}")
                if step["facts"]:
                    lines.append(f"         matched: {_facts(step)}")
                lines.append(f"         source: {_quote(step['source'])}")
        lines.append("")
    lines.append("Methods")
    width = max(len(m["name"]) for m in advice["methods"])
    for m in advice["methods"]:
        by = f"  [{m['decided_by']['rule']}]" if m["decided_by"] else ""
        lines.append(f"  {m['name']:<{width}}  {m['status']}{by}")
    lines.append("")
    lines += _why_not(advice)
    lines += _notes(advice)
    return "\n".join(lines).rstrip() + "\n"


def _why_not(advice: Advice) -> list[str]:
    out = []
    for m in advice["methods"]:
        if m["status"] in ("blocked", "not-now"):
            out.append(f"  - {m['name']}: {m['status']}")
            out += [f"      {r}" for r in m["reasons"]]
            for o in m["overridden"]:
                out.append(f"      overrides [{o['rule']}] ({o['status']}, priority "
                           f"{o['priority']}) by priority {m['decided_by']['priority']}")
            if m["decided_by"]:
                out.append(f"      source: {_quote(m['decided_by']['source'])}")
        for c in m["candidates"]:
            if c["status"] in ("blocked", "not-now"):
                what = c.get("pairing") or c.get("exercise")
                out.append(f"  - {m['name']}, {what}: {c['status']}")
                out += [f"      {r}" for r in c["reasons"]]
    return ["Why not", *out, ""] if out else []


def _notes(advice: Advice) -> list[str]:
    out = []
    for m in advice["methods"]:
        if m["status"] in ("recommended", "allowed"):
            for p in m["prescription"].values():
                for o in p["overrides"]:
                    out.append(f"  - {m['name']}: {p['rule']} sets {p['value']} over "
                               f"{o['rule']} ({o['value']})")
            out += [f"  - {m['name']}: {w['message']} [{w['rule']}]" for w in m["warnings"]
                    if not w["pairing"] or any(r["pairing"] and r["pairing"]["id"] == w["pairing"]
                                               for r in advice["recommendations"])]
            out += [f"  - {m['name']}: {r}" for r in m["reasons"] if m["status"] == "allowed"]
    out += [f"  - {w['message']} [{w['rule']}]" for w in advice["warnings"]]
    return ["Notes", *out, ""] if out else []


def to_markdown(advice: Advice) -> str:
    a = advice["athlete"]
    lines = [f"# Negative training advice for {a['name']}", "",
             f"**Answer: {_VERDICT[advice['verdict']]}.** {advice['summary']}", ""]
    if advice["recommendations"]:
        lines += ["## Recommendations", ""]
        for rec in advice["recommendations"]:
            target = f" — {rec['target_lift']}" if rec["target_lift"] else ""
            lines += [f"### {rec['method']}{target}", "", f"- {_what(rec)}"]
            if _sets(rec):
                lines.append(f"- {_sets(rec)}")
            if rec["weeks"]:
                lines += ["", "| week | % of 1RM | load |", "| --- | --- | --- |"]
                for w in rec["weeks"]:
                    load = f"{_num(w['load'])} {w['units']}" if w["load"] is not None else "—"
                    lines.append(f"| {w['week']} | {w['percent_1rm']:g} | {load} |")
            lines += ["", "Rules: " + ", ".join(f"`{r}`" for r in rec["rules"]), ""]
            lines += [f"> {n}" for n in rec["notes"]]
    lines += ["## Methods", "", "| method | status | decided by |", "| --- | --- | --- |"]
    for m in advice["methods"]:
        by = f"`{m['decided_by']['rule']}`" if m["decided_by"] else "—"
        lines.append(f"| {m['name']} | {m['status']} | {by} |")
    lines.append("")
    why = reasons(advice)
    if why:
        lines += ["## Why not", ""]
        lines += [f"- {r.lift}" + (f", {r.method}" if r.method else "") + f": {r.says}"
                  for r in why if r.rule]
        lines.append("")
    lines += ["## Sources", ""]
    quoted: dict[str, list[str]] = {}
    for step in advice["explanation"]:
        if step["source"].get("quote"):
            rules = quoted.setdefault(_quote(step["source"]), [])
            if step["rule"] not in rules:
                rules.append(step["rule"])
    lines += [f"- {', '.join(f'`{r}`' for r in rules)} — {quote}"
              for quote, rules in quoted.items()]
    return "\n".join(lines).rstrip() + "\n"


def _printable(value: Any) -> Any:
    """Every string of the advice with control characters escaped, for the text formats."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, dict):
        return {k: _printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable(v) for v in value]
    return value


# Output formats: name -> renderer of the advice (the knowledge gives the text its words).
ADVICE_FORMATS: dict[str, Callable[[Advice, Knowledge], str]] = {
    "text": lambda advice, kb: to_text(_printable(advice), kb),
    "json": lambda advice, kb: to_json(advice),
    "markdown": lambda advice, kb: to_markdown(_printable(advice)),
}
