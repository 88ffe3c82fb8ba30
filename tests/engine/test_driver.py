"""The C-core driver keeps a guard, and a test, for each durable_rules trap (README table)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negatives.engine.advice.advise import stalled_and_timing
from negatives.engine.infer import driver as driver_module
from negatives.engine.infer.driver import Driver, fill, frames, sort_pieces
from negatives.engine.infer.partialdata import fact_key
from negatives.engine.infer.resolve import _read, resolve
from negatives.engine.infer.runtime import Fixed
from negatives.engine.infer.workspace import Workspace, open_workspace
from negatives.engine.language import partition
from negatives.engine.language.rulemodel import field_value
from negatives.engine.load.errors import EngineError
from negatives.engine.model.athlete import load_athlete
from negatives.engine.model.facts import all_facts
from tests.conftest import EXAMPLES, ROOT
from tests.engine.test_runtime import _threshold_facts, _thresholds, knowledge_copy, write_rules

NOVICE = {"type": "athlete", "experience": "novice", "name": "a", "cycle_week": 1}


def _alex(ws: Workspace) -> list[dict[str, Any]]:
    athlete = load_athlete(EXAMPLES / "alex.yaml", ws.kb, "alex.yaml")
    return all_facts(athlete, ws.kb)


def test_every_pattern_tests_the_fact_type(ws: Workspace) -> None:
    assert ws.partial is not None
    for rule in ws.partial.definition.values():
        for term in rule["all"]:
            (pattern,) = term.values()
            assert "type" in (pattern["$and"][0] if "$and" in pattern else pattern)


def test_every_rule_takes_all_its_matches_at_once(ws: Workspace) -> None:
    assert ws.partial is not None
    assert all(rule.get("cap") for rule in ws.partial.definition.values())


def test_an_error_while_firing_is_raised_and_the_session_deleted(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    # At most 1,024 live sessions per ruleset: a session left behind would fail the 1,025th.
    assert ws.partial is not None
    drv = Driver(ws.partial, 100)
    monkeypatch.setattr(drv, "_fire", lambda *a: (_ for _ in ()).throw(ValueError("boom")))
    for _ in range(1100):
        with pytest.raises(ValueError, match="boom"):
            drv.evaluate([NOVICE])
    monkeypatch.undo()
    assert drv.evaluate([NOVICE])


def test_deleting_a_session_in_which_nothing_was_dispatched_is_safe() -> None:
    # durable_rules crashes deleting a session in which no action ran (shared perf/seg.py):
    # the driver dispatches the start action first, even when it stops before draining.
    code = textwrap.dedent("""
        from negatives.engine.infer.workspace import open_workspace
        ws = open_workspace("advise")
        drv = ws.driver
        settle = drv._settle
        drv._settle = lambda run: None  # as if it stopped before draining anything
        for _ in range(200):
            drv.evaluate([{"type": "athlete", "experience": "novice"}])
        drv._settle = settle
        for _ in range(200):
            drv.evaluate([{"type": "unknown-kind", "x": 1}])
        print("ok")
    """)
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "ok"


def test_a_session_is_emptied_and_reused(ws: Workspace) -> None:
    # Opening a session zeroes about 8 KB per join node: an evaluation retracts what it
    # asserted and the next one reuses the session.
    assert ws.partial is not None
    drv = Driver(ws.partial, ws.max_firings)
    facts = _alex(ws)
    first = drv.evaluate(facts)
    sid = drv._live
    assert sid is not None
    assert all(driver_module.core.get_facts(h, sid) == "[]" for h in drv.handles)
    assert drv.evaluate([NOVICE]) == Driver(ws.partial, ws.max_firings).evaluate([NOVICE])
    assert drv._live == sid
    assert drv.evaluate(facts) == first
    # One retraction text per count of facts, naming the live session, at most _RETRACTIONS.
    assert len(drv._retractions) == 2
    assert all(f'"sid": "{sid}"' in t for t in drv._retractions.values())


def test_retraction_texts_are_bounded(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ws.partial is not None
    monkeypatch.setattr(driver_module, "_RETRACTIONS", 1)
    drv = Driver(ws.partial, ws.max_firings)
    facts = _alex(ws)
    first = drv.evaluate(facts)
    for _ in range(3):
        assert drv.evaluate([NOVICE]) == Driver(ws.partial, ws.max_firings).evaluate([NOVICE])
        assert drv.evaluate(facts) == first
    assert len(drv._retractions) == 1


@pytest.mark.parametrize("retract", ["does nothing", "raises"])
def test_a_session_that_was_not_emptied_is_deleted(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch, retract: str) -> None:
    # A fact left behind would reach the next athlete's rules: the session is deleted instead
    # (and none is left behind: at most 1,024 live sessions per ruleset).
    assert ws.partial is not None
    drv = Driver(ws.partial, ws.max_firings)
    facts = _alex(ws)
    expected = drv.evaluate(facts)
    real = driver_module.core

    def retract_facts(handle: int, text: str) -> tuple[int, int]:
        if retract == "raises":
            raise RuntimeError("retraction failed")
        return 0, 0

    fake = SimpleNamespace(**{n: getattr(real, n) for n in dir(real) if not n.startswith("__")})
    fake.retract_facts = retract_facts
    monkeypatch.setattr(driver_module, "core", fake)
    for _ in range(1100):
        assert drv.evaluate(facts) == expected
        assert drv._live is None


def test_no_threads(ws: Workspace) -> None:
    before = {t.name for t in threading.enumerate()}
    for _ in range(50):
        ws.driver.evaluate([NOVICE])
    assert {t.name for t in threading.enumerate()} == before


def test_identical_input_facts_are_asserted_once(ws: Workspace) -> None:
    firings = ws.driver.evaluate([NOVICE, dict(NOVICE)])
    assert [f.rule for f in firings].count("ael-skip-novice") == 1


def test_a_rejected_fact_id_is_retried(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    # Fact identities are 32-bit hashes (#376): the C core rejects a new fact now and then.
    real = driver_module.core
    facts = _alex(ws)
    expected = ws.driver.evaluate(facts)
    rejected = []

    def assert_facts(handle: int, text: str) -> tuple[int, int]:
        code, state = real.assert_facts(handle, text)
        if not rejected:
            rejected.append(text)
            return 2, state
        return code, state

    fake = SimpleNamespace(**{n: getattr(real, n) for n in dir(real) if not n.startswith("__")})
    fake.assert_facts = assert_facts
    monkeypatch.setattr(driver_module, "core", fake)
    assert ws.driver.evaluate(facts) == expected
    assert rejected

    fake.assert_fact = lambda handle, text: (2, 0)
    rejected.clear()
    with pytest.raises(EngineError, match="rejected a fact as already seen"):
        ws.driver.evaluate(facts)


RUNAWAY_RULES = """\
    rules:
      - id: cross-join
        title: every goal lift with every exercise muscle
        priority: 1
        when:
          - fact: lift
            as: l
          - fact: exercise-muscle
            as: b
        then:
          - assert: {fact: pair, x: $l.name, y: $b.muscle}
        because: test
        source: project-default
        note: test
    """


def test_runaway_rules_stop_at_the_firing_bound(tmp_path: Path) -> None:
    folder = write_rules(tmp_path, RUNAWAY_RULES)
    ws = open_workspace("advise", rules=folder,
                        knowledge=knowledge_copy(tmp_path, max_rule_firings=25))
    with pytest.raises(EngineError, match=r"stopped after 25 rule firings.*cross-join"):
        ws.driver.evaluate(_alex(ws))


def test_many_thresholds_are_spread_over_rulesets_and_agree(tmp_path: Path) -> None:
    ws = open_workspace("advise", rules=_thresholds(tmp_path))
    assert ws.partial is not None and len(ws.partial.parts) > 1
    facts = _threshold_facts(ws)
    assert ws.driver.evaluate(facts) == ws.runtime.evaluate(facts)


def test_a_durable_failure_at_assert_time_is_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(partition, "MAX_RANGE_PATTERNS", 10_000)
    monkeypatch.setenv("NEGATIVES_CACHE", "off")
    ws = open_workspace("advise", rules=_thresholds(tmp_path))
    assert ws.partial is not None and len(ws.partial.parts) == 1
    with pytest.raises(EngineError, match=r"error code: 303.*more than 64 tests"):
        ws.driver.evaluate(_threshold_facts(ws))


def test_frames_are_read_as_json_reads_them(ws: Workspace,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # The driver splits an action's message at a mark instead of decoding every fact in it
    # (driver.frames): the same frames, aliases and fact ids as json.loads, on real messages.
    real = driver_module.core
    seen: list[str] = []

    def start(handle: int, state: int) -> Any:
        got = real.start_action_for_state(handle, state)
        seen.extend([got[1]] if got else [])
        return got

    def complete(handle: int, state: int) -> Any:
        got = real.complete_and_start_action(handle, state)
        seen.extend([got] if got else [])
        return got

    fake = SimpleNamespace(**{n: getattr(real, n) for n in dir(real) if not n.startswith("__")})
    fake.start_action_for_state, fake.complete_and_start_action = start, complete
    monkeypatch.setattr(driver_module, "core", fake)
    ws.driver.evaluate(_alex(ws))
    assert len(seen) > 5
    assert any(len(json.loads(m).popitem()[1]) > 1 for m in seen)  # several frames at once
    for message in seen:
        ((_, decoded),) = json.loads(message).items()
        ids = {f["id"]: f["id"] for frame in decoded for f in frame.values()}
        assert frames(message, ids) == [{a: f["id"] for a, f in frame.items()}
                                        for frame in decoded]


def test_a_payload_holds_the_fields_patterns_read_and_reads_back(ws: Workspace) -> None:
    # A payload is the fact's read fields under a new id; one whose fields are all read reuses
    # its key's text, except where the key escaped non-ASCII text the rules hold as is.
    drv = ws.driver
    run = driver_module._Run("s1")
    tricky = 'x":{"id": "f0'
    facts = [{"type": "athlete", "experience": tricky, "name": "not read", "cycle_week": 2},
             {"type": "stalled-lift", "lift": "bench press"},
             {"type": "stalled-lift", "lift": "Bänkdrücken"},
             {"type": "stalled-lift", "lift": tricky},
             {"type": "no pattern reads this", "lift": "squat"}]  # nothing kept but the ids
    payloads = []
    for fact in facts:
        fid, text = drv._payload(run, fact, fact_key(fact))
        keep = drv.fields.get(fact["type"], frozenset())
        assert text.startswith(f'{{"id": "{fid}", ')
        assert json.loads(text) == {"id": fid, "sid": "s1",
                                    **{k: v for k, v in fact.items() if k in keep}}
        payloads.append((fid, text))
    assert "Bänkdrücken" in payloads[2][1]
    # The message durable_rules would send for two frames holding these facts reads back.
    message = ('{"rule":[{"a":' + payloads[0][1] + ',"b":' + payloads[1][1] + '},{"a":'
               + payloads[2][1] + ',"b":' + payloads[3][1] + "}]}")
    ids = {fid: fid for fid, _ in payloads}
    assert frames(message, ids) == [{"a": payloads[0][0], "b": payloads[1][0]},
                                    {"a": payloads[2][0], "b": payloads[3][0]}]


def test_fact_keys_are_the_text_json_dumps_writes() -> None:
    # fact_key reuses one C encoder (partialdata.fast_encoder); runtime.canonical's keys are
    # json.dumps's: the two orders agree only if the texts do.
    odd = object()
    for fact in [{"type": "a", "b": 1, "a": "é\"\n", "c": [1.5, None, True, 2.0]},
                 {"type": "x", "n": {"z": 1, "y": float("inf")}, "o": odd},
                 {"type": "lift", "name": "bench press", "stalled": False, "n": -0.0}]:
        assert fact_key(fact) == json.dumps(fact, sort_keys=True, default=str)


def test_damaged_table_keys_are_refused(ws: Workspace) -> None:
    # The keys are read in one json.loads: a key holding two lists would shift every later one.
    import dataclasses

    p = ws.partial
    assert p is not None
    name, group = next(iter(p.groups.items()))
    bad = dataclasses.replace(group, table={'["x"],["y"]': next(iter(group.table.values())),
                                            **group.table})
    with pytest.raises(EngineError, match="damaged"):
        Driver(dataclasses.replace(p, groups={**p.groups, name: bad}), 100)


_IDS = st.from_regex(r"[a-c][a-c0-9#-]{0,3}", fullmatch=True)  # ids sharing prefixes
_FACTS = st.dictionaries(st.text(max_size=3), st.text(max_size=3) | st.integers(-5, 5),
                         max_size=2)


@st.composite
def _rule_shapes(draw: st.DrawFn) -> tuple[int, str, list[tuple[str, bool]]]:
    """A rule: its priority, id and aliases (sorted), each static or not (fixed per rule)."""
    aliases = draw(st.lists(st.sampled_from(["a", "ab", "b", "t"]), unique=True, max_size=3))
    return (draw(st.sampled_from([0, 1, 9, 10, 999, 1000])), draw(_IDS),
            [(a, draw(st.booleans())) for a in sorted(aliases)])


@given(st.lists(_rule_shapes(), min_size=1, max_size=4, unique_by=lambda r: r[1]).flatmap(
    lambda rules: st.lists(st.tuples(st.sampled_from(rules),
                                     st.lists(_FACTS, min_size=3, max_size=3)), max_size=12)))
def test_the_sort_key_pieces_sort_as_the_canonical_tuples(
        firings: list[tuple[tuple[int, str, list[tuple[str, bool]]], list[dict[str, Any]]]]
        ) -> None:
    # The driver sorts firings by tuples of texts (sort_pieces, fill); runtime.canonical by
    # (priority, rule, the bindings' JSON text).
    keyed, canonical = [], []
    for (priority, rule, aliases), facts in firings:
        bound = dict(zip([a for a, _ in aliases], facts, strict=False))
        pieces = sort_pieces(priority, rule, [(a, fact_key(bound[a]) if static else None)
                                              for a, static in aliases])
        key = fill(pieces, [fact_key(bound[a]) for a, static in aliases if not static])
        text = json.dumps(bound, sort_keys=True, default=str)
        assert "".join(key) == f"{priority:04d}\0{rule}\0{text}"
        keyed.append(key)
        canonical.append((priority, rule, text))
    assert sorted(range(len(keyed)), key=keyed.__getitem__) == sorted(
        range(len(canonical)), key=lambda i: (canonical[i], i))
    assert len(set(keyed)) == len(set(canonical))  # the same firings are the same


_NAMES = st.sampled_from(["lift", "pairing", "a%b", "é", 'q"', "zz", "type", "fact"])
_VALUES = (st.text(max_size=4) | st.integers(-3, 3) | st.none() | st.booleans()
           | st.just(["x"]))


@given(st.text(max_size=4), st.lists(st.tuples(_NAMES, st.integers(0, 1), _VALUES),
                                     max_size=4),
       st.sets(st.sampled_from(["type", "lift", "pairing", "a%b", "é", 'q"', "zz"])))
def test_a_derived_fact_s_templates_give_the_encoder_s_texts(
        kind: str, args: list[tuple[str, int, Any]], keep: set[str]) -> None:
    # A derived fact's key and payload body come from templates (_shape) when every argument
    # is a string; they must be the texts fact_key and Driver._body write, and anything else
    # (a number, a None left out of the fact, a list, a repeated or reserved name) falls back.
    plans = (("fact", 0, kind), *((n, 3, ["t", n]) for n, _, _ in args))
    values = {"fact": kind, **{n: v for n, _, v in args if v is not None}}
    shape = driver_module._shape(plans, {kind: frozenset(keep)})
    names = [n for n, _, _ in args]
    if "type" in names or "fact" in names or len(set(names)) != len(names):
        assert shape is None
        return
    assert shape is not None
    got = driver_module._shaped(values, shape)
    if not all(isinstance(values.get(n), str) and not isinstance(values.get(n), bool)
               for n in names):
        assert got is None
        return
    assert got is not None
    fact, key, body = got
    assert fact == driver_module._derived(values)[0]
    assert key == fact_key(fact)
    kept = {k: v for k, v in fact.items() if k in keep}
    if kept:
        assert body.startswith(", ")
        assert json.loads("{" + body[2:]) == kept
        assert list(json.loads("{" + body[2:])) == list(kept)  # the fact's order
        assert "\\u" not in body or "\\u" in json.dumps(kept, ensure_ascii=False)
    else:
        assert body == "}"


@st.composite
def _causal_firings(draw: st.DrawFn) -> list[tuple[str, list[str], list[str]]]:
    """Firings as (sort key, facts derived, facts matched), in an order in which each one
    matched only facts given at the start or derived by an earlier firing (as a session runs)."""
    count = draw(st.integers(1, 25))
    keys = draw(st.permutations([f"k{n:02}" for n in range(count)]))
    out: list[tuple[str, list[str], list[str]]] = []
    derived: list[str] = []
    for n in range(count):
        matched = draw(st.lists(st.sampled_from([*derived, "input-1", "input-2"]), max_size=3))
        made = draw(st.lists(st.sampled_from(["d1", "d2", "d3", "d4", "d5"]), max_size=2))
        derived += made
        out.append((keys[n], made, matched))
    return out


@given(_causal_firings())
def test_the_canonical_order_is_the_lowest_key_among_the_ready(
        firings: list[tuple[str, list[str], list[str]]]) -> None:
    # runtime.canonical's rule, step by step: of the firings whose matched derived facts some
    # placed firing derived, the one with the lowest key goes next.
    run = driver_module._Run("s")
    run.derived = {k for _, made, _ in firings for k in made}
    run.firings = [(key, key, {}, (), made, matched) for key, made, matched in firings]
    expected: list[str] = []
    have: set[str] = set()
    left = list(firings)
    while left:
        ready = [f for f in left if all(k in have for k in f[2] if k in run.derived)]
        first = min(ready, key=lambda f: f[0])
        expected.append(first[0])
        have.update(first[1])
        left.remove(first)
    drv = Driver.__new__(Driver)
    assert [f.rule for f in drv._canonical(run)] == expected


def test_a_fact_only_negations_read_is_asserted_once_per_body(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two facts alike in every field the patterns read match a `$not` pattern alike: one is
    # asserted. Types some positive pattern reads (a firing binds them) are all asserted.
    assert ws.partial is not None
    real = driver_module.core
    sent: list[dict[str, Any]] = []

    def assert_facts(handle: int, text: str) -> tuple[int, int]:
        sent.extend(json.loads(text))
        return real.assert_facts(handle, text)  # type: ignore[no-any-return]

    fake = SimpleNamespace(**{n: getattr(real, n) for n in dir(real) if not n.startswith("__")})
    fake.assert_facts = assert_facts
    monkeypatch.setattr(driver_module, "core", fake)
    athlete = load_athlete(EXAMPLES / "alex.yaml", ws.kb, "alex.yaml")
    facts = all_facts(athlete, ws.kb)
    once = Driver(ws.partial, ws.max_firings)
    assert {"spottable-exercise", "equipped-pairing"} <= once.negated_only
    assert not once.negated_only & {"pairing-target", "stalled-lift", "athlete"}
    every = Driver(ws.partial, ws.max_firings)
    every.negated_only = frozenset()
    got = once.evaluate(facts)
    bodies = [json.dumps({k: v for k, v in f.items() if k not in ("id", "sid")}, sort_keys=True)
              for f in sent if f["type"] in once.negated_only]
    assert bodies and len(bodies) == len(set(bodies))
    count = len(sent)
    assert every.evaluate(facts) == got
    assert len(sent) - count > count  # the same firings from more facts


def test_constant_conclusions_are_read_once_per_rule_base(ws: Workspace) -> None:
    # resolve keeps what it read from an expansion's constant conclusions on them (Fixed),
    # with the rule base and knowledge it read them with: another rule base reads them anew.
    assert ws.partial is not None
    rules, kb = ws.compiled.rules, ws.kb
    firings = Driver(ws.partial, ws.max_firings).evaluate(_alex(ws))
    fixed = [f for f in firings if type(f.conclusions) is Fixed]
    assert fixed and any(f.conclusions != () for f in fixed)
    plain = [f._replace(conclusions=tuple(f.conclusions)) for f in firings]
    expected = resolve(plain, rules, kb)
    assert resolve(firings, rules, kb) == expected
    assert resolve(firings, rules, kb) == expected  # from what was kept
    assert all(f.conclusions.read[0] is rules for f in fixed)
    planned = stalled_and_timing(plain)
    assert planned[0] and stalled_and_timing(firings) == planned
    assert stalled_and_timing(firings) == planned  # from the facts kept on the conclusions
    decided = next(d for d in _read(firings, rules, kb)[0])
    moved = {**rules, decided.rule: dataclasses.replace(rules[decided.rule], priority=999)}
    again = [d for d in _read(firings, moved, kb)[0] if d.rule == decided.rule]
    assert again and all(d.priority == 999 for d in again)
    assert resolve(firings, rules, kb) == expected


@given(st.sampled_from(["athlete", "lift", "one-rep-max", "é%"]),
       st.dictionaries(st.sampled_from(["name", "value", "a%b", "é", 'q"', "zz", "stalled"]),
                       _VALUES | st.floats(allow_nan=True, allow_infinity=True)
                       | st.integers(-10**20, 10**20), max_size=5),
       st.sets(st.sampled_from(["type", "name", "value", "a%b", "é", 'q"', "zz"])))
def test_a_session_fact_s_texts_are_the_encoder_s(
        kind: str, fields: dict[str, Any], keep: set[str]) -> None:
    # A session fact's key and payload body come from templates per shape (Driver._texts):
    # the key must be fact_key's text, the body the fields patterns read (durable_rules reads
    # them by name, in any order), whatever the values (text with quotes, % and non-ASCII,
    # numbers, None, NaN, a list).
    # Once the driver is warm, from a function written for the shape (firecode.compile_texts).
    fact = {"type": kind, **fields}
    for warm in (False, True):
        drv = Driver.__new__(Driver)
        drv._inputs, drv._input_code, drv.fields = {}, {}, {kind: frozenset(keep)}
        drv.evaluations = drv.warm_after + 1 if warm else 0
        for _ in range(2):  # the second time from the kept templates or function
            key, body = drv._texts(fact)
            assert key == fact_key(fact)
            kept = {k: v for k, v in fact.items() if k in keep}
            if kept:
                assert body.startswith(", ")
                read = json.loads("{" + body[2:])
                assert json.dumps(read, sort_keys=True) == json.dumps(kept, sort_keys=True)
            else:
                assert body == "}"
        assert bool(drv._input_code) == warm and all(drv._input_code.values())


@pytest.mark.parametrize("split", [False, True], ids=["one ruleset", "split"])
def test_a_ruleset_gets_its_facts_ids_in_increasing_order(
        ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, split: bool) -> None:
    # _emptied retracts by id, newest first, which must be the reverse of the order each
    # ruleset got its facts: retracting the start fact before the athlete's facts corrupted
    # durable_rules' heap within a few thousand sessions.
    if split:
        base = open_workspace("advise", rules=_thresholds(tmp_path))
        facts = _threshold_facts(base)
    else:
        base, facts = ws, _alex(ws)
    assert base.partial is not None
    drv = Driver(base.partial, base.max_firings)
    real = driver_module.core
    got: dict[int, list[int]] = {}

    def assert_facts(handle: int, text: str) -> tuple[int, int]:
        got.setdefault(handle, []).extend(int(f["id"][1:]) for f in json.loads(text))
        return real.assert_facts(handle, text)  # type: ignore[no-any-return]

    fake = SimpleNamespace(**{n: getattr(real, n) for n in dir(real) if not n.startswith("__")})
    fake.assert_facts = assert_facts
    monkeypatch.setattr(driver_module, "core", fake)
    for _ in range(2):
        got.clear()
        drv.evaluate(facts)
        assert len(got) == len(drv.handles) > (1 if split else 0)
        assert all(ids == sorted(ids) and len(set(ids)) == len(ids) for ids in got.values())


@given(st.lists(st.tuples(st.sampled_from(["t", "a'b", 'q"', "é", "x\\y"]),
                          st.sampled_from(["lift", "a'b", "%s", "é", "m.name", "value"])),
                max_size=3))
def test_a_table_key_reads_the_varying_fields_of_a_frame(keys: list[tuple[str, str]]) -> None:
    # _key_of writes a function for top-level fields (their names as literals) and reads a
    # dotted field through field_value: both give the values of the pairs, in order.
    fact = {"lift": "squat", "a'b": 1, "%s": None, "é": True, "m": {"name": "x"}, "value": 2.5}
    matched = {alias: (fact, "key") for alias, _ in keys}
    expected = tuple(field_value(fact, f) for _, f in keys)
    assert driver_module._key_of(tuple(keys))(matched) == expected
    assert driver_module._key_of(tuple(keys), write=False)(matched) == expected
