"""The cache's JSON codec: every value comes back equal, and a wrong shape is refused."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negatives.engine.infer.codec import CodecError, decode_as, encode
from negatives.engine.infer.workspace import Loaded, knowledge_dir, load, rules_dir


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True)
class Leaf:
    name: str
    value: int | float | bool | str | None
    colour: Colour = Colour.RED


@dataclass(frozen=True)
class Node:
    kind: str
    items: tuple[Leaf | Node, ...]
    tags: frozenset[str] = frozenset()
    weights: dict[str, float] = field(default_factory=dict)
    keyed: dict[int, tuple[str, int]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Dated:  # a field named as the type it holds: the module's name must win, as in typing
    Colour: Colour | None = None


def roundtrip(value: Any, tp: Any) -> Any:
    return decode_as(json.loads(json.dumps(encode(value), allow_nan=False)), tp)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(),
                    st.floats(allow_nan=False))
leaves = st.builds(Leaf, st.text(), scalars, st.sampled_from(Colour))
nodes = st.recursive(leaves, lambda kids: st.builds(
    Node, st.text(), st.lists(kids, max_size=3).map(tuple),
    st.frozensets(st.text(), max_size=3), st.dictionaries(st.text(), st.floats(allow_nan=False)),
    st.dictionaries(st.integers(), st.tuples(st.text(), st.integers())),
    st.dictionaries(st.text(), st.recursive(
        scalars.filter(lambda v: not isinstance(v, float)), lambda inner: st.lists(inner)
        | st.dictionaries(st.text(), inner)))), max_leaves=8)


@given(nodes)
def test_every_value_comes_back_equal(value: Leaf | Node) -> None:
    tp = type(value)
    back = roundtrip(value, tp)
    assert back == value
    assert type(back) is tp


def test_the_shipped_workspace_comes_back_equal() -> None:
    for domain in ("advise", "audit"):
        loaded = load(domain, rules_dir() / domain, knowledge_dir())
        assert roundtrip(loaded, Loaded) == loaded


@pytest.mark.parametrize("data", [
    {"$dc": "Other", "name": "x", "value": 1, "colour": "red"},
    {"$dc": "Leaf", "name": "x", "value": 1},
    {"$dc": "Leaf", "name": 1, "value": 1, "colour": "red"},
    {"$dc": "Leaf", "name": "x", "value": [1], "colour": "red"},
    {"$dc": "Leaf", "name": "x", "value": 1, "colour": "green"},
    {"__reduce__": ["os.system", ["id"]]},
    [1, 2],
])
def test_a_wrong_shape_is_refused(data: Any) -> None:
    with pytest.raises((CodecError, ValueError)):
        decode_as(data, Leaf)


def test_non_finite_numbers_survive() -> None:
    value = Leaf("x", float("inf"))
    assert roundtrip(value, Leaf) == value


def test_an_object_reached_twice_is_stored_once_and_comes_back_shared() -> None:
    leaf = Leaf("shared", 1)
    node = Node("n", (leaf, Node("inner", (leaf,)), leaf))
    data = json.loads(json.dumps(encode(node)))
    assert json.dumps(data).count('"shared"') == 1
    back = decode_as(data, Node)
    assert back == node
    inner = back.items[1]
    assert isinstance(inner, Node)
    assert back.items[0] is inner.items[0] is back.items[2]


def test_the_shipped_workspace_keeps_its_rules_shared() -> None:
    loaded = load("advise", rules_dir() / "advise", knowledge_dir())
    back = roundtrip(loaded, Loaded)
    assert all(back.compiled.rules[r.id] is r for r in back.base.rules)


@pytest.mark.parametrize("data", [
    {"$dc": "Node", "kind": "n", "items": [{"$dc": "Leaf", "$ref": 0}]},  # nothing stored as 0
    {"$dc": "Node", "kind": "n", "items": [  # 0 is a Node, not a Leaf
        {"$dc": "Node", "$id": 0, "kind": "m", "items": [], "tags": [], "weights": {},
         "keyed": {}, "extra": {}}, {"$dc": "Leaf", "$ref": 0}]},
    {"$dc": "Node", "kind": "n", "items": [{"$dc": "Leaf", "$ref": "0"}]},
    {"$dc": "Node", "kind": "n", "items": [{"$dc": "Leaf", "$ref": 0, "name": "x"}]},
])
def test_a_bad_reference_is_refused(data: Any) -> None:
    full = {"tags": [], "weights": {}, "keyed": {}, "extra": {}, **data}
    with pytest.raises((CodecError, ValueError)):
        decode_as(full, Node)


def test_field_types_are_read_as_get_type_hints_reads_them() -> None:
    # The codec evaluates each annotation text once (codec._hints); it must agree with typing.
    import dataclasses
    import typing

    from negatives.engine.infer.codec import _hints

    seen: set[type] = set()

    def walk(tp: Any) -> None:
        if isinstance(tp, type) and dataclasses.is_dataclass(tp) and tp not in seen:
            seen.add(tp)
            hints = typing.get_type_hints(tp)
            assert _hints(tp) == hints, tp
            for t in hints.values():
                walk(t)
        for arg in typing.get_args(tp):
            walk(arg)

    walk(Loaded)
    walk(Node)
    walk(Dated)
    assert len(seen) > 25
    assert roundtrip(Dated(Colour.BLUE), Dated) == Dated(Colour.BLUE)
