"""Run compiled rules in durable_rules, guarding against its traps (see shared DURABLE_RULES.md)."""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from durable import engine as durable

from engine.compiler import DURABLE_ERRORS, STAGE_FACT, START_FACT, START_RULE, Compiled
from engine.errors import EngineError
from engine.rulemodel import Ref, Rule, Value

Fact = dict[str, Any]
_INTERNAL = ("id", "sid")


@dataclass(frozen=True)
class Firing:
    """One rule firing: the facts it matched (by alias) and the conclusions it drew."""

    seq: int
    rule: str
    bindings: dict[str, Fact]
    conclusions: tuple[tuple[str, dict[str, Any]], ...]


@dataclass
class _Session:
    sid: str
    max_firings: int
    firings: list[Firing] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    derived: set[str] = field(default_factory=set)
    matches: set[str] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)
    aborted: bool = False


class _Host(durable.Host):  # type: ignore[misc]
    """A host without the dispatcher and timer threads that crash on out-of-order deletions."""

    def __init__(self, actions: dict[str, Callable[[Any], None]]) -> None:
        self._actions = actions
        super().__init__()

    def _run(self) -> None:
        """No background threads: every evaluation runs synchronously inside assert_fact."""

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        return self._actions[action_name]


def _get(fact: Fact, dotted: str) -> Any:
    value: Any = fact
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


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
        self._host = _Host(actions)
        # durable_rules cannot re-register a name (#262): each runtime gets a name of its own.
        Runtime._names[compiled.name] += 1
        self.name = f"{compiled.name}-{Runtime._names[compiled.name]}"
        try:
            # set_rulesets pops keys out of the definition it is given: give it a copy.
            self._host.set_rulesets({self.name: copy.deepcopy(compiled.definition)})
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
        session.firings.append(Firing(len(session.firings), rule.id, matched, tuple(drawn)))
        for kind, args in drawn:
            if kind == "assert":
                derived = {"type": args["fact"], **{k: v for k, v in args.items() if k != "fact"}}
                self._assert_derived(session, c, derived)

    @staticmethod
    def _resolve(value: Value, matched: dict[str, Fact]) -> Any:
        if isinstance(value, Ref):
            return _get(matched.get(value.alias, {}), value.field)
        if isinstance(value, str) and "{" in value:
            return _TEMPLATE.sub(lambda m: _show(_get(matched.get(m[1], {}), m[2])), value)
        return value

    def _assert_derived(self, session: _Session, c: Any, fact: Fact) -> None:
        key = _key(fact)
        if key in session.derived:  # set semantics: a fact known already is not news
            return
        session.derived.add(key)
        # No rule may read this kind of fact: the conclusion stays in the firing record anyway.
        with contextlib.suppress(durable.MessageNotHandledException):
            c.assert_fact({**fact, "id": f"d{next(self._ids)}", "sid": session.sid})

    def _assert(self, session: _Session, fact: Fact) -> None:
        for attempt in range(3):
            try:
                self._host.assert_fact(self.name, {**fact, "id": f"f{next(self._ids)}",
                                                   "sid": session.sid})
                return
            except durable.MessageNotHandledException:
                return  # no pattern can ever match it
            except durable.MessageObservedException:
                if attempt == 2:  # 32-bit identity hashes collide (#376): retry under a new id
                    raise EngineError(
                        f"durable_rules rejected a fact as already seen: {fact}") from None
            except Exception as err:  # durable_rules' own error type carries only a code
                raise EngineError(_durable_failure(err)) from None

    def evaluate(self, facts: Iterable[Fact]) -> list[Firing]:
        """Assert the facts in a fresh session, run every stratum, return the firings in order."""
        session = _Session(f"s{next(self._ids)}", self.max_firings)
        self._session = session
        try:
            self._assert(session, {"type": START_FACT})
            seen: set[str] = set()
            for fact in facts:
                key = _key(fact)
                if fact["type"] in self.compiled.reads and key not in seen:
                    seen.add(key)
                    self._assert(session, fact)
            for n in range(1, self.compiled.max_stratum + 1):
                self._assert(session, {"type": STAGE_FACT, "n": n})
            state = self._host.get_state(self.name, session.sid)
            if state.get("exception"):
                session.errors.append(f"durable_rules reported: {state['exception']}")
        finally:
            self._session = None
            self._host.delete_state(self.name, session.sid)
        if session.errors:
            raise EngineError("; ".join(session.errors))
        return session.firings
