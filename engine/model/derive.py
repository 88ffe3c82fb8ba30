"""Derived parameters: `derived: start_percent_1rm - start_percent_tolerance`, evaluated safely."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[a-z][a-z0-9_]*)|(?P<op>[-+*/()]))")
_OPS: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b,
    "*": lambda a, b: a * b, "/": lambda a, b: a / b,
}


class DeriveError(ValueError):
    """The expression cannot be read, or names something that is not a number."""


def names_in(expression: str) -> list[str]:
    return [m["name"] for m in _TOKEN.finditer(expression) if m["name"]]


def evaluate(expression: str, values: Mapping[str, float]) -> float:
    """Value of `a + b * c - (d / 2)` over `values`; only names, numbers, + - * / and ()."""
    tokens: list[str] = []
    pos = 0
    text = expression.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise DeriveError(f"cannot read '{text[pos:]}': write parameter names, numbers, "
                              "+ - * / and parentheses")
        tokens.append(m["num"] or m["name"] or m["op"])
        pos = m.end()
    result, rest = _sum(tokens, values)
    if rest:
        raise DeriveError(f"unexpected '{rest[0]}'")
    return round(result, 6)


def _sum(tokens: list[str], values: Mapping[str, float]) -> tuple[float, list[str]]:
    left, tokens = _product(tokens, values)
    while tokens and tokens[0] in "+-":
        op, (right, tokens) = tokens[0], _product(tokens[1:], values)
        left = _OPS[op](left, right)
    return left, tokens


def _product(tokens: list[str], values: Mapping[str, float]) -> tuple[float, list[str]]:
    left, tokens = _atom(tokens, values)
    while tokens and tokens[0] in "*/":
        op, (right, tokens) = tokens[0], _atom(tokens[1:], values)
        if op == "/" and right == 0:
            raise DeriveError("division by zero")
        left = _OPS[op](left, right)
    return left, tokens


def _atom(tokens: list[str], values: Mapping[str, float]) -> tuple[float, list[str]]:
    if not tokens:
        raise DeriveError("the expression ends too early")
    head, rest = tokens[0], tokens[1:]
    if head == "(":
        value, rest = _sum(rest, values)
        if not rest or rest[0] != ")":
            raise DeriveError("a '(' is not closed")
        return value, rest[1:]
    if head == "-":
        value, rest = _atom(rest, values)
        return -value, rest
    if head[0].isdigit():
        return float(head), rest
    if head[0].isalpha():
        if head not in values:
            from negatives.engine.load.validate import did_you_mean  # only on the error path

            raise DeriveError(f"'{head}' is not a number parameter here"
                              f"{did_you_mean(head, values)}")
        return values[head], rest
    raise DeriveError(f"unexpected '{head}'")
