"""Run a partially evaluated rule base on durable_rules' C core directly (no Host, no Closure).

Each session gets the athlete's facts in one `assert_facts` call; the agenda is drained through
`start_action_for_state` / `complete_and_start_action`, and one durable firing (`cap`: all its
frames at once) expands into the original rules' firings through the merged rule's table. The
firings are put in the same canonical order as runtime.canonical, from keys computed once per
fact. A session is emptied after each evaluation and reused by the next (Driver._close). The traps
of shared DURABLE_RULES.md are guarded as runtime.py guards them (README table).
"""

from __future__ import annotations

import heapq
import itertools
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import field
from typing import Any, NamedTuple, TypeVar

from negatives._durable import core
from negatives.engine.infer.partialdata import (
    ABSENT,
    Expansion,
    Partial,
    fact_key,
    fast_encoder,
    unpack,
)
from negatives.engine.infer.runtime import (
    _TEMPLATE,
    Firing,
    Fixed,
    _durable_failure,
    _show,
)
from negatives.engine.language.compiler import STAGE_FACT, START_FACT, START_RULE
from negatives.engine.language.rulemodel import field_value
from negatives.engine.load.errors import EngineError
from negatives.engine.load.records import record

Fact = dict[str, Any]
Known = tuple[Fact, str]  # a fact and its key
T = TypeVar("T")
Payload = tuple[str, str]  # a fact's durable id and its JSON text as the C core gets it
_NO_FIELDS: frozenset[str] = frozenset()
_DUMP = fast_encoder(json.JSONEncoder(ensure_ascii=False))  # one encoder, not one per call
# An action's message is `{"<rule>":[{"<alias>":<fact>,...},...]}`, each <fact> the very text
# asserted: _DUMP's, so its own fields read `"name": value` (a space after the colon; a quote
# inside a value is escaped) and it begins with its id. Split at this mark, the message gives
# each frame's aliases and fact ids without decoding the facts: durable_rules writes
# `"<alias>":{` with no space, and no fact text holds the mark.
_MARK = '":{"id": "'


def frames(message: str, facts: Mapping[str, T]) -> list[dict[str, T]]:
    """Each frame of an action's message as {alias: facts[fact id]} (json.loads's frames)."""
    frame: dict[str, T] = {}
    out = [frame]
    pieces = message.split(_MARK)
    before = pieces[0]
    for piece in pieces[1:]:  # before: `...{"<alias>`, piece: `<id>", ...`
        alias = before[before.rindex('"') + 1:]
        if alias in frame:  # a frame holds each alias once: the next frame
            frame = {}
            out.append(frame)
        frame[alias] = facts[piece[:piece.index('"')]]
        before = piece
    return out


_NOT_HANDLED, _OBSERVED = 1, 2
_firing = tuple.__new__  # Firing(...) without its Python __new__: a NamedTuple is a tuple
RETRIES = 3  # 32-bit fact identities collide (#376): a rejected fact is retried under a new id
_RETRACTIONS = 256  # retraction texts kept per session: one per count of facts an evaluation had
_INPUT_SHAPES = 256  # session-fact shapes (type and field names) whose templates are kept


_ASCII = json.encoder.encode_basestring_ascii  # fact_key's text of a string (C)
_TEXT = json.encoder.encode_basestring  # _DUMP's (ensure_ascii=False)


class _Shape(NamedTuple):
    """The texts of the fact an `assert` conclusion derives, with %s where a value goes.

    A derived fact is {"type": <fact>, <the other arguments>...}; when every value is a string
    its key (fact_key: keys sorted, ASCII) and its payload body (Driver._body: the fields some
    pattern reads) are these templates filled with each value's JSON text, which is what the
    JSON encoder writes for a string. Any other value, or an argument that came out None and so
    is left out of the fact, takes the encoder (_derived).
    """

    kind: str  # the fact's type
    fields: tuple[str, ...]  # the arguments other than `fact`, in the fact's order
    key: str
    key_fields: tuple[str, ...]  # the fields whose values fill `key`, in its order
    body: str
    body_fields: tuple[str, ...]


def _shape(args: tuple[tuple[str, int, Any], ...], read: Mapping[str, frozenset[str]]
           ) -> _Shape | None:
    """The templates of an `assert` conclusion's derived fact, or None (_Shape); `read` gives
    the fields some pattern reads, per type (Driver.fields)."""
    names = [name for name, _, _ in args]
    kind = next((value for name, mode, value in args if name == "fact" and mode == 0), None)
    if not isinstance(kind, str) or "type" in names or len(set(names)) != len(names):
        return None
    fields = tuple(n for n in names if n != "fact")
    keep = read.get(kind, _NO_FIELDS)

    def text(order: list[str], escape: Callable[[str], str]) -> tuple[str, tuple[str, ...]]:
        parts = [escape(n).replace("%", "%%") + ": " + (escape(kind).replace("%", "%%")
                                                        if n == "type" else "%s")
                 for n in order]
        return ", ".join(parts), tuple(n for n in order if n != "type")

    key, key_fields = text(sorted(["type", *fields]), _ASCII)
    kept = [n for n in ("type", *fields) if n in keep]
    body, body_fields = text(kept, _TEXT)
    return _Shape(kind, fields, "{" + key + "}", key_fields,
                  ", " + body + "}" if kept else "}", body_fields)


def _scalar(value: Any) -> tuple[str, str] | None:
    """A value's JSON text as fact_key writes it (ASCII) and as _DUMP does, or None for a value
    that is not a string, a bool, an int, a finite float or None (the encoder takes those)."""
    kind = type(value)
    if kind is str:
        return _ASCII(value), _TEXT(value)
    if kind is bool:
        return ("true", "true") if value else ("false", "false")
    if kind is int:
        text = int.__repr__(value)
        return text, text
    if kind is float and math.isfinite(value):
        text = float.__repr__(value)
        return text, text
    if value is None:
        return "null", "null"
    return None


class _Input(NamedTuple):
    """The key and body templates of the facts of one shape (type and field names, in order)."""

    key: str  # fact_key's text with %s for each value, the names sorted
    key_order: tuple[int, ...]  # the positions (in the fact's order) of the values it takes
    body: str  # Driver._body's: the fields some pattern reads, in the fact's order
    body_order: tuple[int, ...]


def _input(names: tuple[str, ...], keep: frozenset[str]) -> _Input:
    def entry(name: str, escape: Callable[[str], str]) -> str:
        return escape(name).replace("%", "%%") + ": %s"

    order = sorted(range(len(names)), key=names.__getitem__)
    kept = [i for i, n in enumerate(names) if n in keep]
    return _Input("{" + ", ".join(entry(names[i], _ASCII) for i in order) + "}", tuple(order),
                  ", " + ", ".join(entry(names[i], _TEXT) for i in kept) + "}" if kept else "}",
                  tuple(kept))


def _shaped(args: dict[str, Any], shape: _Shape) -> tuple[Fact, str, str] | None:
    """The derived fact, its key and its body by the templates; None where they do not apply."""
    fact: Fact = {"type": shape.kind}
    for name in shape.fields:
        value = args.get(name)
        if type(value) is not str:
            return None
        fact[name] = value
    return (fact, shape.key % tuple([_ASCII(fact[n]) for n in shape.key_fields]),
            shape.body % tuple([_TEXT(fact[n]) for n in shape.body_fields]))


@record(frozen=False)
class _Prepared:
    """An expansion in the form the hot loop reads (built once per process)."""

    rule: str
    static: dict[str, Fact]
    dynamic: tuple[str, ...]
    order: tuple[str, ...]
    # The firing's sort key: the pieces of its text between the keys of the dynamic facts
    # (sort_pieces), filled in with those keys in `keyed` order (fill).
    key: tuple[str, ...]
    keyed: tuple[str, ...]  # the dynamic aliases, sorted: the order their keys fill `key`
    slots: tuple[tuple[str, Fact | None], ...]  # the bindings in order: alias, static fact
    drawn: tuple[tuple[str, dict[str, Any]], ...] | None  # when no argument is dynamic
    derived: tuple[Known, ...]  # the facts `drawn` asserts, with their keys
    made: tuple[str, ...]  # their keys
    bodies: tuple[str, ...]  # their payload texts after id and sid (Driver._body)
    # Expansion.guards: per fact type, the fields and texts a session fact of that type must
    # have, all of them, to keep it from firing.
    guards: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    # When `drawn` is None: per conclusion its kind and [name, mode, value] with mode 0 a value,
    # 1 [alias, field] (a dotted field), 2 a template split by _TEMPLATE, 3 [alias, field] (a
    # top-level field).
    plans: tuple[tuple[str, tuple[tuple[str, int, Any], ...]], ...]
    shapes: tuple[_Shape | None, ...]  # per conclusion: how its derived fact's texts are made
    hits: int = 0  # times fired through Driver._fire once the driver was warm (warm_after)
    code: Callable[[Any, dict[str, Known], list[Payload]], None] | None = None  # firecode's


class _Entry:
    """A table entry: the expansions as cached, and as prepared once a session reaches them."""

    __slots__ = ("raw", "ready")

    def __init__(self, raw: list[Expansion] | str) -> None:
        self.raw = raw  # or as partialdata.pack wrote them
        self.ready: list[_Prepared] | None = None


def _prepare(e: Expansion, facts: list[Fact], keys: list[str | None],
             priority: dict[str, int], body: Callable[[Fact, str], str],
             fields: Mapping[str, frozenset[str]]) -> _Prepared:
    fixed = all(mode == 0 for _, args in e.conclusions for _, mode, _ in args)
    drawn = Fixed((kind, {name: value for name, _, value in args})
                  for kind, args in e.conclusions) if fixed else None
    derived = tuple(_derived(args) for kind, args in (drawn or ()) if kind == "assert")
    plans = tuple((kind, tuple(_plan(name, mode, value) for name, mode, value in args))
                  for kind, args in e.conclusions)
    shapes = tuple(_shape(args, fields) if kind == "assert" and drawn is None else None
                   for kind, args in plans)
    static = {a: facts[i] for a, i in e.static.items()}
    rank = priority.get(e.rule, 0)
    if not 0 <= rank <= 9999:  # the rule schema allows 0-1000
        raise EngineError(f"rule '{e.rule}': priority {rank} is outside 0-9999")
    bound = sorted({*static, *e.dynamic})
    key = sort_pieces(rank, e.rule, [(a, keys[e.static[a]] if a in static else None)
                                     for a in bound])
    return _Prepared(e.rule, static, tuple(e.dynamic), tuple(e.order), key,
                     tuple(a for a in bound if a not in static),
                     tuple((a, static.get(a)) for a in e.order), drawn, derived,
                     tuple(k for _, k in derived), tuple(body(f, k) for f, k in derived),
                     tuple((kind, tuple((f, v) for f, v in tests)) for kind, tests in e.guards),
                     plans, shapes)


def _key_of(keys: tuple[tuple[str, str], ...], write: bool = True
            ) -> Callable[[dict[str, Known]], tuple[Any, ...]]:
    """A merged rule's table key of a frame: the values of the (alias, field) pairs whose
    constants vary. With `write`, top-level fields are read by a function written for these
    pairs, their names as `repr` literals (no value becomes code); else, and for a dotted
    field, through field_value."""
    if write and all(type(a) is str and type(f) is str and "." not in f for a, f in keys):
        reads = "".join(f"m[{a!r}][0].get({f!r}), " for a, f in keys)
        made: Callable[[dict[str, Known]], tuple[Any, ...]] = eval(f"lambda m: ({reads})")
        return made
    return lambda m: tuple([field_value(m[a][0], f) for a, f in keys])


def sort_pieces(priority: int, rule: str, bound: list[tuple[str, str | None]]
                ) -> tuple[str, ...]:
    """runtime.canonical's sort key (priority, rule, bindings) as the pieces of one text,
    `<priority>\\0<rule>\\0{"<alias>": <fact key>, ...}` with the priority zero-padded (0-1000
    by the rule schema), cut where the key of a dynamic fact goes (`bound`: each alias, sorted,
    with its static fact's key, or None for a dynamic fact).

    A firing's key is the tuple of these pieces and its dynamic facts' keys (fill), and such
    tuples sort as the texts they join into, which sort as runtime.canonical's tuples: no rule
    id holds a NUL; the firings of one rule have their pieces and keys at the same places,
    differing first inside a fact key (a whole JSON object, never the start of another one) or
    a piece; and at an earlier piece for two rules. Tuples of the same texts spare building,
    hashing and comparing one long text per firing.
    """
    pieces: list[str] = []
    text = f"{priority:04d}\0{rule}\0{{"
    for n, (alias, key) in enumerate(bound):
        text += f'{", " if n else ""}"{alias}": '
        if key is None:
            pieces.append(text)
            text = ""
        else:
            text += key
    pieces.append(text + "}")
    return tuple(pieces)


def fill(pieces: tuple[str, ...], keys: list[str]) -> tuple[str, ...]:
    """A firing's sort key: the pieces with the dynamic facts' keys between them."""
    out = [pieces[0]]
    for key, piece in zip(keys, pieces[1:], strict=True):
        out += (key, piece)
    return tuple(out)


def _plan(name: str, mode: int, value: Any) -> tuple[str, int, Any]:
    if mode == 2:
        return name, 2, _TEMPLATE.split(value)
    if mode == 1 and "." not in value[1]:
        return name, 3, tuple(value)
    return name, mode, value


def _fill(parts: list[str], facts: dict[str, Fact]) -> str:
    """runtime's template substitution, on a template split once: [text, alias, field, text...]."""
    out = [parts[0]]
    for j in range(1, len(parts), 3):
        out += (_show(field_value(facts.get(parts[j], {}), parts[j + 1])), parts[j + 2])
    return "".join(out)


def _draw(exp: _Prepared, facts: dict[str, Fact]
          ) -> tuple[tuple[tuple[str, dict[str, Any]], ...], tuple[Known, ...], list[str],
                     list[str]]:
    """The conclusions of a firing whose arguments read its facts, the facts it derives, their
    keys and their payload bodies ("" where Driver._body is to make it)."""
    drawn = []
    derived = []
    made = []
    bodies = []
    for (kind, plans), shape in zip(exp.plans, exp.shapes, strict=True):
        args: dict[str, Any] = {}
        for name, mode, value in plans:
            if mode == 3:
                value = facts.get(value[0], _NONE).get(value[1])
            elif mode == 1:
                value = field_value(facts.get(value[0], _NONE), value[1])
            elif mode == 2:
                value = _fill(value, facts)
            if value is not None:
                args[name] = value
        drawn.append((kind, args))
        if kind == "assert":
            texts = _shaped(args, shape) if shape is not None else None
            if texts is None:
                fact, key = _derived(args)
                body = ""
            else:
                fact, key, body = texts
            derived.append((fact, key))
            made.append(key)
            bodies.append(body)
    return tuple(drawn), tuple(derived), made, bodies


_NONE: Fact = {}  # what a missing alias reads as (never written to)


def _blocked(guards: tuple[tuple[str, tuple[tuple[str, str], ...]], ...],
             kinds: dict[str, list[Fact]]) -> bool:
    """Whether a session fact has every field = text of one of the guards (a `$not` pattern
    would then have kept the rule from matching). Only text constants on fields that hold only
    text are guards (prepare._guards): there durable_rules' equality is Python's."""
    for kind, tests in guards:
        for fact in kinds.get(kind, ()):
            if all(fact.get(name) == text for name, text in tests):
                return True
    return False


def _pattern_type(pattern: dict[str, Any]) -> str:
    """The fact type a durable pattern tests (every pattern tests one, first)."""
    first = pattern["$and"][0] if "$and" in pattern else pattern
    return str(first["type"])


def _derived(args: dict[str, Any]) -> Known:
    fact = {"type": args["fact"], **{k: v for k, v in args.items() if k != "fact"}}
    return fact, fact_key(fact)


@record(frozen=False)
class _Run:
    """One evaluation's state."""

    sid: str
    facts: dict[str, Known] = field(default_factory=dict)  # durable id -> fact and key
    # One per firing: its sort key (_Prepared.key), rule, bindings, conclusions, the keys of
    # the facts it derived, the keys of the dynamic facts it matched.
    firings: list[tuple[tuple[str, ...], str, dict[str, Fact], tuple[Any, ...],
                        tuple[str, ...] | list[str], list[str]]] = field(default_factory=list)
    matches: set[tuple[str, ...]] = field(default_factory=set)  # the sort keys: one per firing
    derived: set[str] = field(default_factory=set)
    negated: set[str] = field(default_factory=set)  # payload bodies of negated-only facts sent
    queues: list[list[Payload]] = field(default_factory=list)
    states: list[int | None] = field(default_factory=list)
    dispatched: list[bool] = field(default_factory=list)
    dirty: list[bool] = field(default_factory=list)  # facts asserted since the last drain
    kinds: dict[str, list[Fact]] = field(default_factory=dict)  # session facts guards read
    ids: itertools.count[int] = field(default_factory=itertools.count)
    current: int = 0  # the ruleset whose action runs


class Driver:
    """The partial rule base registered with the C core; evaluates one athlete's facts at a time."""

    _names = itertools.count(1)
    # Once the driver has evaluated `warm_after` sessions, an expansion that fires
    # `compile_after` more times (a positive count) through _fire gets a function of its own
    # (firecode.py); None: never. Compiling costs about 60 firings' worth of time, so it pays
    # in a long run only: a run of a few dozen athletes, however large its rule base, compiles
    # nothing (2,000 generated rules, 10 athletes: 3.6 ms per athlete, 7 ms when compiling
    # after 16 firings from the start).
    compile_after: int | None = 16
    warm_after = 64
    # Once warm, each merged rule's action is read by a function of its own (_handler): its
    # frames, table key and expansions in one call. False: always the generic path.
    action_functions = True

    def __init__(self, partial: Partial, max_firings: int) -> None:
        self.p = partial
        self.max_firings = max_firings
        self.handles: list[int] = []
        number = next(Driver._names)
        for i, part in enumerate(partial.parts):
            definition = {n: partial.definition[n] for n in (START_RULE, *part)}
            try:
                self.handles.append(core.create_ruleset(
                    f"{partial.name}-{number}.{i}", json.dumps(definition, ensure_ascii=False)))
            except Exception as err:  # the C core reports compile failures as bare codes
                raise EngineError(_durable_failure(err)) from None
        self.reads = [frozenset(r) for r in partial.reads]
        self.fields = {t: frozenset(fs) for t, fs in partial.fields.items()}
        self.derived_read = frozenset(partial.derived_read)
        # Derived types that only `$not` patterns read: a negation asks whether some fact
        # matches, and two facts alike in every field the patterns read match alike, so one
        # of them is asserted (fewer facts for the C core to join and retract).
        tested = [(alias.endswith("$not"), _pattern_type(pattern))
                  for rule in partial.definition.values() for term in rule["all"]
                  for alias, pattern in term.items()]
        self.negated_only = frozenset({t for negated, t in tested if negated} -
                                      {t for negated, t in tested if not negated})
        self.static = frozenset(partial.static)
        self.guarded = frozenset(partial.guarded)
        self.read = frozenset(t for r in partial.reads for t in r)
        # Every `<type>$absent` fact a session can get, with its key and payload body: [type,
        # fields, values]. The facts every session gets are made once too.
        self.absent = [(kind, tuple(fields),
                        [(tuple(v), fact, key, self._body(fact, key)) for v in values
                         for fact in [{"type": kind + ABSENT, **dict(zip(fields, v, strict=True))}]
                         for key in [fact_key(fact)]])
                       for kind, fields, values in partial.absent]
        self.absent_kinds = frozenset(kind for kind, _, _ in self.absent)
        # One ruleset that reads every session fact type and every absence: all go to it.
        self.single = len(self.handles) == 1 and self.read | {
            kind + ABSENT for kind in self.absent_kinds} <= self.reads[0]
        start = {"type": START_FACT}
        self.start_fact = (start, self._body(start, ""))
        self.stages = [(fact, self._body(fact, "")) for n in range(1, partial.max_stratum + 1)
                       for fact in [{"type": STAGE_FACT, "n": n}]]
        self._keys: list[str | None] = [None] * len(partial.facts)  # static facts' keys
        self._inputs: dict[tuple[str, tuple[str, ...]], _Input] = {}  # session facts' shapes
        # Per shape, once warm, its own function (_texts), or None where none is written.
        self._input_code: dict[tuple[str, tuple[str, ...]],
                               Callable[[Fact], tuple[str, str] | None] | None] = {}
        # Tables keyed by tuples of the raw values: Python's equality, like durable_rules',
        # takes true as 1 and 2.0 as 2, so no value needs normalising on the hot path. An entry
        # is prepared the first time a session reaches it: a run that advises one athlete
        # prepares a few dozen of the ~800 expansions, not all of them (cold start).
        # Every table key (a JSON list as text) read in one json.loads: one call, not ~500.
        texts = [k for g in partial.groups.values() for k in g.table]
        parsed = json.loads(f"[{','.join(texts)}]")
        if len(parsed) != len(texts) or not all(isinstance(k, list) for k in parsed):
            raise EngineError("the compiled rule base's tables are damaged; delete the cache")
        keys = iter(parsed)
        # Per merged rule: its (alias, field) pairs whose constants vary, its table, the
        # function reading a frame's table key (_key_of, written when the rule first fires) and
        # the function taking its whole action once the driver is warm (_handler; False: none).
        self.groups: dict[str, list[Any]] = {
            name: [tuple((a, f) for a, f in g.keys),
                   {tuple(next(keys)): _Entry(exps) for exps in g.table.values()}, None, None]
            for name, g in partial.groups.items()}
        self.start = self._ready(_Entry(partial.start))
        self._sids = itertools.count(1)
        # The session the next evaluation reuses (emptied by _close): its id, and per ruleset
        # its state and whether an action ever ran in it.
        self._live: str | None = None
        self._states: list[int | None] = [None] * len(self.handles)
        self._ran = [False] * len(self.handles)
        self._retractions: dict[int, str] = {}  # id count -> the text retracting them all
        self._retracting: str | None = None  # the session those texts name
        self.evaluations = 0

    def _ready(self, entry: _Entry) -> list[_Prepared]:
        """The entry's expansions in the form the hot loop reads (prepared once)."""
        if entry.ready is None:
            raw = entry.raw if isinstance(entry.raw, list) else unpack(entry.raw)
            facts, keys = self.p.facts, self._keys
            for i in {i for e in raw for i in e.static.values()}:
                if keys[i] is None:
                    keys[i] = fact_key(facts[i])
            entry.ready = [_prepare(e, facts, keys, self.p.priority, self._body, self.fields)
                           for e in raw]
        return entry.ready

    def _payload(self, run: _Run, fact: Fact, key: str, body: str = "") -> Payload:
        """The fact under a new id, as JSON text: id and sid first, then `body` (_body's)."""
        fid = f"f{next(run.ids)}"
        run.facts[fid] = (fact, key)
        return fid, f'{{"id": "{fid}", "sid": "{run.sid}"{body or self._body(fact, key)}'

    def _texts(self, fact: Fact) -> tuple[str, str]:
        """fact_key(fact) and a payload body of the fields some pattern reads (_body's
        content, in the fact's order), from templates per shape of fact; the encoder for a
        value the templates do not take, or past `_INPUT_SHAPES` shapes."""
        names = tuple(fact)
        kind = fact["type"]
        code = self._input_code.get((kind, names))
        if code is not None:  # written for this shape once warm (firecode.compile_texts)
            got = code(fact)
            if got is not None:
                return got
        elif self.evaluations > self.warm_after and (kind, names) not in self._input_code \
                and len(self._input_code) < _INPUT_SHAPES:
            from negatives.engine.infer.firecode import compile_texts

            try:
                made = compile_texts(kind, names, self.fields.get(kind, _NO_FIELDS))
            except Exception:  # any failure keeps the templates
                made = None
            self._input_code[kind, names] = made
        values = [(_ASCII(v), _TEXT(v)) if type(v) is str else _scalar(v)
                  for v in fact.values()]
        shape = self._inputs.get((fact["type"], names))
        if shape is None and len(self._inputs) < _INPUT_SHAPES and all(
                type(n) is str for n in names):
            shape = self._inputs[fact["type"], names] = _input(
                names, self.fields.get(fact["type"], _NO_FIELDS))
        if shape is None or None in values:
            key = fact_key(fact)
            return key, self._body(fact, key)
        texts: list[tuple[str, str]] = values  # type: ignore[assignment]
        return (shape.key % tuple([texts[i][0] for i in shape.key_order]),
                shape.body % tuple([texts[i][1] for i in shape.body_order]))

    def _body(self, fact: Fact, key: str) -> str:
        """The fact's JSON text after its id and sid: the fields some pattern reads.

        A fact whose fields are all read reuses its key's text (the same JSON with the keys
        sorted: durable_rules reads fields by name) unless the key escaped a character that
        _DUMP writes as is. A constant derived fact's body is made once (_prepare).
        """
        keep = self.fields.get(fact["type"], _NO_FIELDS)
        if key and keep.issuperset(fact) and "\\u" not in key:
            return ", " + key[1:]
        kept = {k: v for k, v in fact.items() if k in keep}
        return ", " + _DUMP(kept)[1:] if kept else "}"

    def _assert(self, run: _Run, part: int, batch: list[Payload]) -> None:
        handle = self.handles[part]
        try:
            code, state = core.assert_facts(handle, f"[{', '.join([t for _, t in batch])}]")
        except Exception as err:  # the C core's own errors carry only a code
            raise EngineError(_durable_failure(err)) from None
        run.states[part] = state
        run.dirty[part] = True
        if code != _OBSERVED:
            return
        # A batch goes on past a rejected fact, without saying which: each is asserted again
        # under a new id. A fact stored twice only repeats frames, and firings are deduplicated.
        for fid, _ in batch:
            for attempt in range(RETRIES):
                code, state = core.assert_fact(handle, self._payload(run, *run.facts[fid])[1])
                if code != _OBSERVED:
                    break
                if attempt == RETRIES - 1:
                    raise EngineError(f"durable_rules rejected a fact as already seen: "
                                      f"{run.facts[fid][0]}")

    def evaluate(self, facts: Iterable[Fact]) -> list[Firing]:
        """Firings, in runtime.canonical's order, for a session holding `facts` (dynamic types)."""
        parts = range(len(self.handles))
        if self._live is None:  # a new session
            run = _Run(f"a{next(self._sids)}")
            run.states = [None] * len(self.handles)
            run.dispatched = [False] * len(self.handles)
        else:  # the previous evaluation's, emptied
            run = _Run(self._live)
            run.states = list(self._states)
            run.dispatched = list(self._ran)
            self._live = None  # until this evaluation closes it cleanly
        self.evaluations += 1
        run.dirty = [False] * len(self.handles)
        seen: set[str] = set()
        unique: list[tuple[Fact, str, str]] = []  # a fact, its key and its payload body
        kept: dict[str, list[Fact]] = {}  # per type some absence is read from, its facts
        static, read, absent = self.static, self.read, self.absent_kinds
        for fact in facts:
            kind = fact["type"]
            if kind in static:
                continue
            if kind in absent:
                kept.setdefault(kind, []).append(fact)
            if kind in self.guarded:
                run.kinds.setdefault(kind, []).append(fact)
            if kind not in read:  # no pattern tests it: no ruleset gets it
                continue
            key, body = self._texts(fact)
            if key not in seen:
                seen.add(key)
                unique.append((fact, key, body))
        # Each ruleset's start fact first: ids are issued in the order facts are asserted,
        # which _emptied relies on (it retracts by id, newest first).
        run.queues = [[self._payload(run, self.start_fact[0], "", self.start_fact[1])]
                      for _ in parts]
        if self.single:  # one ruleset reading every fact here (most rule bases)
            queue, add = run.queues[0], self._payload
            for fact, key, body in [*unique, *self._absent(kept)]:
                queue.append(add(run, fact, key, body))
        else:
            for fact, key, body in [*unique, *self._absent(kept)]:
                payload: Payload | None = None
                for i in parts:
                    if fact["type"] in self.reads[i]:
                        payload = payload or self._payload(run, fact, key, body)
                        run.queues[i].append(payload)
        done = False
        try:
            for i in parts:
                self._assert(run, i, run.queues[i])
                run.queues[i] = []
            self._settle(run)
            for stage, body in self.stages:
                for i in parts:
                    if STAGE_FACT in self.reads[i]:
                        run.queues[i].append(self._payload(run, stage, "", body))
                self._settle(run)
            done = True
        finally:
            self._close(run, done)
        return self._canonical(run)

    def _absent(self, facts: dict[str, list[Fact]]) -> list[tuple[Fact, str, str]]:
        """The `<type>$absent` facts: values some negation tests that no session fact has
        (`facts`: the session's, per type); each with its key and payload body."""
        out: list[tuple[Fact, str, str]] = []
        for kind, fields, values in self.absent:
            have = {tuple([f.get(x) for x in fields]) for f in facts.get(kind, ())}
            out += [(fact, key, body) for value, fact, key, body in values if value not in have]
        return out

    def _close(self, run: _Run, done: bool) -> None:
        """Empty the session for the next evaluation, or delete it.

        After a complete evaluation every fact the session got is retracted; the next
        evaluation reuses the session. That spares opening one: durable_rules zeroes about 8 KB
        per join node for each new session (a quarter of its time on asserting, measured), and
        deleting one is not free either. A session still holding a fact afterwards, or one
        whose evaluation failed, is deleted; one in which nothing was dispatched crashes the C
        core when deleted, so its start action is dispatched first.
        """
        try:
            if done and self._emptied(run):
                self._live, self._states, self._ran = run.sid, run.states, run.dispatched
                return
        except Exception:  # a C-core error while emptying: the session is deleted instead
            pass
        for i, handle in enumerate(self.handles):
            state = run.states[i]
            if state is None:
                continue
            if not run.dispatched[i]:
                got = core.start_action_for_state(handle, state)
                while got:
                    got = core.complete_and_start_action(handle, state)
            core.delete_state(handle, run.sid)

    def _emptied(self, run: _Run) -> bool:
        """Retract, ruleset by ruleset, every fact the evaluation asserted, drain whatever the
        retraction set off without firing it, and check that the session holds no fact.

        Every fact asserted got its id from `run.ids` (f0, f1, ...) in the order the rulesets
        got them, so the retraction names them all newest first: the reverse of the order in
        which they were asserted (a join loses its last fact before its first). The order is
        not a detail: retracting the start fact before the athlete's facts (its id was once
        issued after theirs) corrupted durable_rules' heap within a few thousand sessions
        ("free(): invalid pointer"), while the reverse order ran clean (measured: crashes in
        11 of 17 runs of 5,000-10,000 evaluations, none in 18 in the reverse order). An id a
        ruleset never got is passed over. The text depends only on the session and the count of
        ids: it is made once per count while the session lives (at most `_RETRACTIONS`).
        """
        sid, issued = run.sid, next(run.ids)
        texts = self._retractions
        if self._retracting != sid:
            texts.clear()
            self._retracting = sid
        text = texts.get(issued)
        if text is None:
            named = ", ".join([f'{{"id": "f{n}", "sid": "{sid}"}}'
                               for n in range(issued - 1, -1, -1)])
            text = f"[{named}]"  # a retraction needs only the id and the sid
            if len(texts) < _RETRACTIONS:
                texts[issued] = text
        for i, handle in enumerate(self.handles):
            state = run.states[i]
            if state is None:
                continue
            core.retract_facts(handle, text)
            got = core.start_action_for_state(handle, state)
            while got:  # a negation freed by a retraction: dropped, never fired
                got = core.complete_and_start_action(handle, state)
            if core.get_facts(handle, sid) != "[]":
                return False
        return True

    def _settle(self, run: _Run) -> None:
        """Drain every ruleset, handing derived facts across, until none has anything to do."""
        busy = True
        while busy:
            for i in range(len(self.handles)):
                if run.queues[i]:
                    batch, run.queues[i] = run.queues[i], []
                    self._assert(run, i, batch)
                if run.dirty[i]:  # a ruleset no fact reached since it was drained has no agenda
                    self._drain(run, i)  # to the end: facts its actions assert included
                    run.dirty[i] = False
            busy = any(run.queues)

    def _drain(self, run: _Run, part: int) -> None:
        """Run the ruleset's agenda to its end, then assert what its actions derived and go on.

        The facts derived while the agenda runs are asserted together once it is empty, not
        after each action: fewer calls into the C core and fewer, fuller actions. The firings
        are the same (within a stratum every pattern is positive, so the order in which facts
        arrive changes only when a match is found, never whether), and their order is
        runtime.canonical's, not the agenda's.
        """
        ruleset = self.handles[part]
        run.current = part
        facts = run.facts
        fire = self._fire
        batch: list[Payload] = []
        while True:
            state = run.states[part]
            got = core.start_action_for_state(ruleset, state)
            message = got[1] if got else None
            while message:
                run.dispatched[part] = True
                name = message[2:message.index('"', 2)]
                if name == START_RULE:
                    for exp in self.start:
                        if exp.code is not None:
                            exp.code(run, {}, batch)
                        else:
                            fire(run, exp, {}, batch)
                else:
                    group = self.groups[name]
                    keys, table, key_of, handler = group
                    if handler and handler(message, facts, run, batch):
                        message = core.complete_and_start_action(ruleset, state)
                        continue
                    warm = self.evaluations > self.warm_after
                    if key_of is None:  # written once the driver is warm (one advice: never)
                        key_of = _key_of(keys, warm)
                        if warm:
                            group[2] = key_of
                    only = None if keys else table.get(())  # no constants vary: one entry
                    read = frames(message, facts)
                    if warm and handler is None and self.action_functions:
                        group[3] = self._handler(read, keys, table, only)
                    for matched in read:
                        entry = only if only is not None else table.get(key_of(matched))
                        if entry is None:
                            continue
                        for exp in entry.ready or self._ready(entry):
                            if exp.code is not None:
                                exp.code(run, matched, batch)
                            else:
                                fire(run, exp, matched, batch)
                message = core.complete_and_start_action(ruleset, state)
            if not batch:
                return
            self._assert(run, part, batch)
            batch = []

    def _handler(self, read: list[dict[str, Known]], keys: tuple[tuple[str, str], ...],
                 table: dict[tuple[Any, ...], _Entry], only: _Entry | None
                 ) -> Callable[[str, dict[str, Known], _Run, list[Payload]], bool] | bool:
        """A merged rule's action as a function of its own (firecode.compile_frames), written
        from the frames of one message read the generic way; False where its frames do not hold
        the same aliases in the same order, or it cannot be written (the generic path then)."""
        from negatives.engine.infer.firecode import compile_frames

        aliases = tuple(read[0])
        if any(tuple(frame) != aliases for frame in read):
            return False
        try:
            return compile_frames(aliases, keys, table, only, self) or False
        except Exception:  # any failure keeps the generic path
            return False

    def _fire(self, run: _Run, exp: _Prepared, matched: dict[str, Known],
              batch: list[Payload]) -> None:
        if self.evaluations > self.warm_after:
            exp.hits += 1
            if exp.hits == self.compile_after:
                exp.code = self._compiled(exp)
        if exp.guards and _blocked(exp.guards, run.kinds):
            return
        keyed = exp.keyed
        key: tuple[str, ...]
        if len(keyed) == 1:  # most firings: one fact of the session
            dkeys = [matched[keyed[0]][1]]
            pieces = exp.key
            key = (pieces[0], dkeys[0], pieces[1])
        elif len(keyed) == 2:
            dkeys = [matched[keyed[0]][1], matched[keyed[1]][1]]
            pieces = exp.key
            key = (pieces[0], dkeys[0], pieces[1], dkeys[1], pieces[2])
        elif keyed:
            dkeys = [matched[a][1] for a in keyed]
            key = fill(exp.key, dkeys)
        else:
            dkeys = []
            key = exp.key
        matches = run.matches
        if key in matches:  # several frames (or rulesets) give the same firing
            return
        matches.add(key)
        firings = run.firings
        if len(firings) >= self.max_firings:
            self._runaway(firings)
        facts = ({a: matched[a][0] if s is None else s for a, s in exp.slots} if exp.static
                 else {a: matched[a][0] for a in exp.order})
        made: tuple[str, ...] | list[str]
        bodies: tuple[str, ...] | list[str]
        if exp.drawn is not None:
            drawn, derived, made, bodies = exp.drawn, exp.derived, exp.made, exp.bodies
        else:
            drawn, derived, made, bodies = _draw(exp, facts)
        if derived:
            self._derive(run, derived, bodies, batch)
        firings.append((key, exp.rule, facts, drawn, made, dkeys))

    def _compiled(self, exp: _Prepared) -> Callable[[Any, dict[str, Known], list[Payload]],
                                                   None] | None:
        """The expansion's own function (firecode.py), or None to keep it with _fire.

        _fire is the reference the function copies, so a failure to compile (a bug there, not
        in the rules) costs speed, never an answer; the tests check that every expansion they
        reach compiles (tests/engine/test_firecode.py).
        """
        from negatives.engine.infer.firecode import compile_fire

        try:
            return compile_fire(exp, self)
        except Exception:  # any failure keeps the generic path
            return None

    def _derive(self, run: _Run, derived: tuple[Known, ...],
                bodies: tuple[str, ...] | list[str], batch: list[Payload]) -> None:
        """Record the facts a firing derived; queue those some pattern reads, each once."""
        known = run.derived
        for n, (fact, fkey) in enumerate(derived):
            if fkey in known:
                continue
            known.add(fkey)
            kind = fact["type"]
            if kind in self.guarded:
                run.kinds.setdefault(kind, []).append(fact)
            if kind in self.derived_read:
                body = bodies[n] or self._body(fact, fkey)
                if kind in self.negated_only:  # what a negation reads: one per payload body
                    if body in run.negated:
                        continue
                    run.negated.add(body)
                payload = self._payload(run, fact, fkey, body)
                for i, reads in enumerate(self.reads):
                    if kind in reads:
                        (batch if i == run.current else run.queues[i]).append(payload)

    def _runaway(self, firings: list[Any]) -> None:
        counts = Counter(f[1] for f in firings)
        top = ", ".join(f"{r} ({n})" for r, n in counts.most_common(3))
        raise EngineError(
            f"stopped after {self.max_firings} rule firings (max_rule_firings); the rules "
            f"that fired most: {top}. A rule probably feeds itself or joins too widely.")

    def _canonical(self, run: _Run) -> list[Firing]:
        """runtime.canonical, with every key computed once.

        A firing waits for the firings that derived a fact it matched: only dynamic facts can
        be derived (static types are those no rule concludes), and `run.derived` holds the key
        of every derived fact, as runtime.canonical's `made` does.
        """
        # One sort by key (rule and bindings make it unique: the rest of a firing's tuple is
        # never compared). The order is the sort's, except that a firing whose derived facts
        # are not all placed yet is passed over, and goes in as soon as they are, before any
        # firing later in the sort: runtime.canonical's "the lowest key among the firings that
        # are ready", with a heap only for the few firings that had to wait.
        firings = run.firings
        firings.sort()
        placed: list[Firing] = []
        add = placed.append
        pending = set(run.derived)  # the derived facts no placed firing has derived yet
        passed: list[tuple[int, set[str]]] = []  # passed over: place in order, facts missing
        released: list[int] = []  # the places of passed-over firings now ready (a heap)
        at, count, n = 0, len(firings), 0
        while True:
            if released and (at >= count or released[0] < at):
                firing = firings[heapq.heappop(released)]
            elif at < count:
                firing = firings[at]
                at += 1
                matched = firing[5]
                if matched and not pending.isdisjoint(matched):
                    passed.append((at - 1, pending.intersection(matched)))
                    continue
            else:
                break
            add(_firing(Firing, (n, firing[1], firing[2], firing[3])))
            n += 1
            derived = firing[4]
            if derived:
                pending.difference_update(derived)
                if passed:
                    still = []
                    for where, missing in passed:
                        missing.difference_update(derived)
                        if missing:
                            still.append((where, missing))
                        else:
                            heapq.heappush(released, where)
                    passed = still
        if n != count:  # cannot happen: a fact is derived before it is read
            raise EngineError("firings could not be put in causal order")
        return placed
