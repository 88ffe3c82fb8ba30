"""The partially evaluated rule base as plain data: dataclasses of dicts, lists and strings."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import field
from typing import Any

from negatives.engine.infer.codec import decode, encode
from negatives.engine.infer.universe import Known
from negatives.engine.load.records import record

Fact = dict[str, Any]
ABSENT = "$absent"  # suffix of the fact type that stands for "no such fact" (prepare._absences)


def fast_encoder(encoder: json.JSONEncoder) -> Callable[[Any], str]:
    """`encoder.encode` with its C encoder built once: json builds one on every call.

    The same C encoder json.dumps uses, so the text is the same; without the cycle check
    (facts are never circular). Falls back to `encode` where the C encoder is missing.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None or encoder.indent is not None:  # pragma: no cover - other Python builds
        return encoder.encode
    escape = (json.encoder.encode_basestring_ascii if encoder.ensure_ascii
              else json.encoder.encode_basestring)
    chunks = make(None, encoder.default, escape, None, encoder.key_separator,
                  encoder.item_separator, encoder.sort_keys, encoder.skipkeys, encoder.allow_nan)
    join = "".join
    return lambda value: join(chunks(value, 0))


_KEY = fast_encoder(json.JSONEncoder(sort_keys=True, default=str))


def fact_key(fact: Fact) -> str:
    """A fact's identity, as runtime.canonical and explain key facts (the same text)."""
    return _KEY(fact)


def norm_key(values: list[Any]) -> str:
    """A table key: durable_rules' equality takes true as 1 and 2.0 as 2."""
    out = []
    for v in values:
        if isinstance(v, bool) or (isinstance(v, float) and v.is_integer()):
            v = int(v)
        out.append(v)
    return json.dumps(out)


@record(frozen=False)
class Expansion:
    """One original rule's firing, as far as it is known when the rules are compiled.

    `static` gives each static alias its fact as an index into Partial.facts (shared, so the
    cache holds each fact once); `args` of each conclusion are [name, mode, value]: mode 0 a
    value, 1 a field [alias, field] of a dynamic fact, 2 a text template over the matched facts.
    """

    rule: str
    static: dict[str, int]
    dynamic: list[str]
    order: list[str]  # aliases in pattern order, as the firing's bindings list them
    conclusions: list[list[Any]]  # [kind, [[name, mode, value], ...]]
    # Facts that must not be in the session for it to fire (Residual.guards): [type, [[field,
    # text], ...]].
    guards: list[list[Any]] = field(default_factory=list)


@record(frozen=False)
class Merged:
    """One durable rule: `keys` [alias, field] pick the expansions out of `table`.

    Each entry holds its expansions as JSON text (`pack`), read back the first time a session
    reaches the entry (`unpack`, driver.py): loading a cached rule base then builds none of its
    ~800 expansions, of which one athlete needs a few dozen (cold start).
    """

    name: str
    priority: int
    keys: list[list[str]]
    table: dict[str, str]


def pack(expansions: list[Expansion]) -> str:
    """A table entry: the expansions as JSON text (the codec's: data, never code)."""
    return json.dumps(encode(expansions), ensure_ascii=False, separators=(",", ":"))


def unpack(text: str) -> list[Expansion]:
    """The expansions of a table entry `pack` wrote."""
    expansions: list[Expansion] = decode(json.loads(text), list[Expansion])
    return expansions


@record(frozen=False)
class Partial:
    """Plain data (cached with the rule base): durable rules, their tables, what each reads."""

    name: str
    definition: dict[str, Any]
    parts: list[list[str]]
    reads: list[list[str]]  # fact types each ruleset's patterns test
    groups: dict[str, Merged]
    start: list[Expansion]  # firings that need no session fact at all
    static: list[str]  # fact types joined at compile time, never asserted
    facts: list[Fact]  # the static facts the expansions bind
    known: list[Known]  # knowledge facts of the types that stay dynamic
    fields: dict[str, list[str]]  # fact type -> top-level fields some pattern reads
    derived_read: list[str]  # concluded fact types some pattern reads
    max_stratum: int
    priority: dict[str, int]
    # [type, fields, values]: for each value list no session fact of `type` has, the session
    # gets a `<type>$absent` fact (negations of facts that are all in from the start).
    absent: list[list[Any]]
    guarded: list[str]  # derived fact types some expansion's guard reads (prepare._guards)
