"""Rule texts read numbers from parameters: a literal that is a parameter's value is flagged."""

from __future__ import annotations

import re

from negatives.engine.language.rulemodel import Rule
from negatives.engine.language.rules import RuleBase
from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.model.knowledge import Knowledge

# A number standing alone (not `1RM`, not inside a `{alias.field}` placeholder), or a number word.
_NUMBER = re.compile(r"(?<![\w.{])(\d+(?:\.\d+)?)(?![\w}]|\.\d)")
_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_WORD = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.I)
_PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\.[a-z0-9_.]+\}")


def _methods(rule: Rule, kb: Knowledge) -> dict[str, str | None]:
    """Methods the rule is about -> the alias of its `method` pattern (None: no such pattern)."""
    out: dict[str, str | None] = {}
    for c in rule.conclusions:
        method = c.args.get("method")
        if isinstance(method, str) and method in kb.methods:
            out.setdefault(method, None)
    for p in rule.patterns:
        if p.fact != "method" or p.negated:
            continue
        names = [t.value for t in p.tests() if t.field == "name" and t.op == "eq"]
        for name in names if names else list(kb.methods):
            if isinstance(name, str) and name in kb.methods:
                out[name] = p.alias
    return out


def literal_parameters(base: RuleBase, kb: Knowledge) -> list[Diagnostic]:
    """A message or reason that says a parameter's number instead of `{m.parameter}`."""
    out: list[Diagnostic] = []
    for rule in base.rules:
        methods = _methods(rule, kb)
        if not methods:
            continue
        for c in rule.conclusions:
            for key, text in c.args.items():
                if not isinstance(text, str) or key not in ("message", "reason", "says"):
                    continue
                plain = _PLACEHOLDER.sub("", text)
                found = [(m.group(1), float(m.group(1)), plain[m.end():])
                         for m in _NUMBER.finditer(plain)]
                found += [(m.group(1), float(_WORDS[m.group(1).lower()]), plain[m.end():])
                          for m in _WORD.finditer(plain)]
                for said, number, after in found:
                    hits = _parameters(methods, kb, number, after)
                    if not hits:
                        continue
                    method, alias = hits[0][0], hits[0][2]
                    names = " or ".join(h[1] for h in hits)
                    first = hits[0][1]
                    fix = f"write {{{alias}.{first}}}" if alias else (
                        f"match the method (`fact: method`, `as: m`, `where: {{name: {method}}}`) "
                        f"and write {{m.{first}}}")
                    line, col = rule.place((*c.path, c.kind, key))
                    out.append(Diagnostic(rule.file, line, col, f"rule '{rule.id}' says "
                                          f"'{said}' in its {key}: that is parameter {names} of "
                                          f"{method}; {fix} so the text follows the parameter",
                                          "warning", "literal-parameter"))
    return out


def _parameters(methods: dict[str, str | None], kb: Knowledge, number: float,
                after: str) -> list[tuple[str, str, str | None]]:
    """Parameters of value `number`; those named like the word after it first (`3 weeks`)."""
    hits = []
    for method, alias in methods.items():
        for name, p in kb.methods[method].parameters.items():
            v = p.value
            if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v) == number:
                hits.append((method, name, alias))
    word = re.match(r"\W*([a-z]+)", after.lower())
    stem = word.group(1).rstrip("s") if word else ""
    def rank(hit: tuple[str, str, str | None]) -> int:
        name = hit[1]
        return 0 if name == f"{stem}s" or name == stem else 1 if name.endswith(stem + "s") else 2

    named = sorted((h for h in hits if stem and stem in h[1]), key=rank)
    return named or hits
