"""Run compiled rules in durable_rules, guarding against its traps (see shared DURABLE_RULES.md)."""

from __future__ import annotations

import contextlib
import copy
import heapq
import itertools
import json
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import field
from typing import Any, ClassVar, NamedTuple

from negatives.engine.language.compiler import (
    DURABLE_ERRORS,
    STAGE_FACT,
    START_FACT,
    START_RULE,
    Compiled,
)
from negatives.engine.language.rulemodel import Ref, Rule, Value, field_value
from negatives.engine.load.errors import EngineError
from negatives.engine.load.records import record

Fact = dict[str, Any]
_INTERNAL = ("id", "sid")


class Firing(NamedTuple):
    """One rule firing: the facts it matched (by alias) and the conclusions it drew.

    A NamedTuple, not a frozen dataclass: an evaluation makes dozens, and a frozen dataclass
    takes three times as long to build (one object.__setattr__ per field).
    """

    seq: int
    rule: str
    bindings: dict[str, Fact]
    conclusions: tuple[tuple[str, dict[str, Any]], ...]

    def derived(self) -> list[Fact]:
        """The facts its `assert` conclusions state, as rules see them."""
        return [{"type": args["fact"], **{k: v for k, v in args.items() if k != "fact"}}
                for kind, args in self.conclusions if kind == "assert"]


class Fixed(tuple[tuple[str, dict[str, Any]], ...]):
    """Conclusions whose arguments are all constants (a Firing's `conclusions`, a tuple).

    The driver makes one per expansion when it prepares it, and every firing of that expansion
    carries the same object; resolve keeps on it what it read from it (`read`), for the rule
    base and knowledge it read them with, and reads it only once; advise keeps the facts plans
    need (`planning`), which depend on the conclusions alone.
    """

    read: tuple[Any, Any, Any] | None = None  # resolve's
    planning: tuple[tuple[str, dict[str, Any]], ...] | None = None  # stalled_and_timing's


@record(frozen=False)
class _Session:
    sid: str
    max_firings: int
    firings: list[Firing] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    derived: set[str] = field(default_factory=set)
    matches: set[str] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)
    aborted: bool = False
    # Derived facts on their way to the other rulesets of a split rule base: (ruleset, fact).
    pending: deque[tuple[str, Fact]] = field(default_factory=deque)


def _host(actions: dict[str, Callable[[Any], None]]) -> Any:
    """A host without the dispatcher and timer threads that crash on out-of-order deletions.

    durable.engine (about 30 ms to import) is loaded only when the reference path runs.
    """
    from negatives._durable import engine as durable

    class _Host(durable.Host):  # type: ignore[misc]
        def __init__(self) -> None:
            self._actions = actions
            super().__init__()

        def _run(self) -> None:
            """No background threads: every evaluation runs synchronously inside assert_fact."""

        def get_action(self, action_name: str) -> Callable[[Any], None]:
            return self._actions[action_name]

    return _Host()


_TEMPLATE = re.compile(r"\{([a-z][a-z0-9_]*)\.([a-z][a-z0-9_.]*)\}")


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "?" if value is None else str(value)


def _durable_failure(err: Exception) -> str:
    code = str(err).rsplit(" ", 1)[-1]
    hint = DURABLE_ERRORS.get(code)
    return (f"durable_rules refused the rule base: {err}" + (f" ({hint})" if hint else "")
            + ". Split the rules or move values into knowledge facts and join on them.")


def _plain(fact: Any) -> Fact:
    return {k: v for k, v in dict(fact).items() if k not in _INTERNAL}


def _key(fact: Fact) -> str:
    return json.dumps(fact, sort_keys=True, default=str)


class Runtime:
    """One registered ruleset and the actions behind its rules; evaluates fact sets one by one."""

    _names: ClassVar[Counter[str]] = Counter()

    def __init__(self, compiled: Compiled, max_firings: int) -> None:
        self.compiled = compiled
        self.max_firings = max_firings
        self._session: _Session | None = None
        self._ids = itertools.count(1)
        actions = {rid: self._action(rule) for rid, rule in compiled.rules.items()}
        actions[START_RULE] = self._start
        self._priority = {rid: rule.priority for rid, rule in compiled.rules.items()}
        self._host = _host(actions)
        from negatives._durable import engine as durable

        self._durable = durable
        # durable_rules cannot re-register a name (#262): each runtime gets a name of its own.
        Runtime._names[compiled.name] += 1
        name = f"{compiled.name}-{Runtime._names[compiled.name]}"
        # A rule base too large for one ruleset is spread over several (engine/partition.py).
        self.names = [name if len(compiled.parts) == 1 else f"{name}.{i}"
                      for i in range(len(compiled.parts))]
        self.reads = {n: compiled.part_reads(i) for i, n in enumerate(self.names)}
        try:
            # set_rulesets pops keys out of the definition it is given: give it a copy.
            self._host.set_rulesets({n: copy.deepcopy(compiled.part(i))
                                     for i, n in enumerate(self.names)})
        except Exception as err:  # durable_rules reports compile failures as bare error codes
            raise EngineError(_durable_failure(err)) from None

    def _start(self, c: Any) -> None:
        """The start rule fires in every session, so deleting the session is always safe."""

    def _action(self, rule: Rule) -> Callable[[Any], None]:
        def action(c: Any) -> None:  # exactly one parameter: two make durable_rules go async
            session = self._session
            if session is None or session.aborted:
                return
            try:
                self._fire(session, rule, c)
            except Exception as err:  # durable_rules would swallow it: keep it for the caller
                session.errors.append(f"rule '{rule.id}' failed: {type(err).__name__}: {err}")
                session.aborted = True

        return action

    def _fire(self, session: _Session, rule: Rule, c: Any) -> None:
        session.counts[rule.id] += 1
        if len(session.firings) >= session.max_firings:
            top = ", ".join(f"{r} ({n})" for r, n in session.counts.most_common(3))
            session.errors.append(
                f"stopped after {session.max_firings} rule firings (max_rule_firings); the rules "
                f"that fired most: {top}. A rule probably feeds itself or joins too widely.")
            session.aborted = True
            return
        matched = {a: _plain(f) for a, f in dict(c._m).items() if not a.startswith("_")}
        key = rule.id + _key(matched)
        if key in session.matches:  # two branches of a split disjunction matched the same facts
            return
        session.matches.add(key)
        drawn = []
        for conclusion in rule.conclusions:
            args = {k: self._resolve(v, matched) for k, v in conclusion.args.items()}
            args = {k: v for k, v in args.items() if v is not None}
            drawn.append((conclusion.kind, args))
        firing = Firing(len(session.firings), rule.id, matched, tuple(drawn))
        session.firings.append(firing)
        for derived in firing.derived():
            self._assert_derived(session, c, derived)

    @staticmethod
    def _resolve(value: Value, matched: dict[str, Fact]) -> Any:
        if isinstance(value, Ref):
            return field_value(matched.get(value.alias, {}), value.field)
        if isinstance(value, str) and "{" in value:
            return _TEMPLATE.sub(lambda m: _show(field_value(matched.get(m[1], {}), m[2])), value)
        return value

    def _assert_derived(self, session: _Session, c: Any, fact: Fact) -> None:
        key = _key(fact)
        if key in session.derived:  # set semantics: a fact known already is not news
            return
        session.derived.add(key)
        # No rule may read this kind of fact: the conclusion stays in the firing record anyway.
        with contextlib.suppress(self._durable.MessageNotHandledException):
            c.assert_fact({**fact, "id": f"d{next(self._ids)}", "sid": session.sid})
        own = c._ruleset._name  # the other rulesets of a split rule base get it after this chain
        session.pending.extend((name, fact) for name in self.names
                               if name != own and fact["type"] in self.reads[name])

    def _drain(self, session: _Session) -> None:
        """Hand derived facts to the other rulesets until no ruleset derives anything new."""
        while session.pending and not session.aborted:
            name, fact = session.pending.popleft()
            self._assert(session, fact, name)

    def _assert(self, session: _Session, fact: Fact, name: str) -> None:
        for attempt in range(3):
            try:
                self._host.assert_fact(name, {**fact, "id": f"f{next(self._ids)}",
                                              "sid": session.sid})
                return
            except self._durable.MessageNotHandledException:
                return  # no pattern can ever match it
            except self._durable.MessageObservedException:
                if attempt == 2:  # 32-bit identity hashes collide (#376): retry under a new id
                    raise EngineError(
                        f"durable_rules rejected a fact as already seen: {fact}") from None
            except Exception as err:  # durable_rules' own error type carries only a code
                raise EngineError(_durable_failure(err)) from None

    def evaluate(self, facts: Iterable[Fact]) -> list[Firing]:
        """Assert the facts in a fresh session, run every stratum, return the firings in order."""
        session = _Session(f"s{next(self._ids)}", self.max_firings)
        self._session = session
        started: list[str] = []
        try:
            for name in self.names:
                self._assert(session, {"type": START_FACT}, name)
                started.append(name)
            seen: set[str] = set()
            for fact in facts:
                key = _key(fact)
                if fact["type"] in self.compiled.reads and key not in seen:
                    seen.add(key)
                    for name in self.names:
                        if fact["type"] in self.reads[name]:
                            self._assert(session, fact, name)
            self._drain(session)
            for n in range(1, self.compiled.max_stratum + 1):
                for name in self.names:
                    self._assert(session, {"type": STAGE_FACT, "n": n}, name)
                    self._drain(session)
            for name in self.names:
                state = self._host.get_state(name, session.sid)
                if state.get("exception"):
                    session.errors.append(f"durable_rules reported: {state['exception']}")
        finally:
            self._session = None
            for name in started:  # only sessions whose start rule fired can be deleted safely
                self._host.delete_state(name, session.sid)
        if session.errors:
            raise EngineError("; ".join(session.errors))
        return canonical(session.firings, self._priority)


def canonical(firings: list[Firing], priority: dict[str, int]) -> list[Firing]:
    """The firings in an order that depends on what fired, not on durable_rules' agenda.

    The agenda order is not guaranteed (#190) and differs when a rule base is spread over
    several rulesets. This order is causal (a firing comes after one that derived each fact it
    matched) and otherwise by priority, rule id and matched facts; `seq` is renumbered.
    """
    made = {key for f in firings for key in _derived_keys(f)}
    needs = [{k for k in map(_key, f.bindings.values()) if k in made} for f in firings]
    waiting_on: dict[str, list[int]] = {}
    for i, keys in enumerate(needs):
        for key in keys:
            waiting_on.setdefault(key, []).append(i)
    sort_key = [(priority.get(f.rule, 0), f.rule, _key(f.bindings), i)
                for i, f in enumerate(firings)]
    ready = [sort_key[i] for i, keys in enumerate(needs) if not keys]
    heapq.heapify(ready)
    placed: list[Firing] = []
    while ready:
        i = heapq.heappop(ready)[-1]
        f = firings[i]
        placed.append(Firing(len(placed), f.rule, f.bindings, f.conclusions))
        for key in _derived_keys(f):
            for j in waiting_on.pop(key, []):
                needs[j].discard(key)
                if not needs[j]:
                    heapq.heappush(ready, sort_key[j])
    if len(placed) != len(firings):  # cannot happen: a fact is derived before it is matched
        raise EngineError("firings could not be put in causal order")
    return placed


def _derived_keys(firing: Firing) -> list[str]:
    return [_key(fact) for fact in firing.derived()]
