"""`record` behaves as `@dataclass` does: built, compared, hashed, shown and frozen alike."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import InitVar, dataclass, field
from typing import Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negatives.engine.load.records import record


@dataclass(frozen=True)
class PlainPoint:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@record
class Point:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class PlainBox:
    items: list[int] = field(default_factory=list)
    label: str = "box"

    def __post_init__(self) -> None:
        self.items.append(len(self.label))


@record(frozen=False)
class Box:
    items: list[int] = field(default_factory=list)
    label: str = "box"

    def __post_init__(self) -> None:
        self.items.append(len(self.label))


@record
class Child(Point):
    z: int = 5


values = st.integers(-3, 3)
texts = st.lists(st.sampled_from(["a", "b"]), max_size=2).map(tuple)


@given(values, values, texts, values, values, texts)
def test_a_frozen_record_matches_a_frozen_dataclass(x1: int, y1: int, t1: tuple[str, ...],
                                                      x2: int, y2: int,
                                                      t2: tuple[str, ...]) -> None:
    ours = Point(x1, y=y1, tags=t1), Point(x2, y2, t2, {"k": 1})
    theirs = PlainPoint(x1, y=y1, tags=t1), PlainPoint(x2, y2, t2, {"k": 1})
    assert (ours[0] == ours[1]) == (theirs[0] == theirs[1])
    assert (ours[0] != ours[1]) == (theirs[0] != theirs[1])
    assert [hash(o) for o in ours] == [hash(t) for t in theirs]
    assert [repr(o).replace("Point", "P") for o in ours] == [
        repr(t).replace("PlainPoint", "P") for t in theirs]
    assert dataclasses.astuple(ours[1]) == dataclasses.astuple(theirs[1])
    assert dataclasses.replace(ours[0], y=9) == Point(x1, 9, t1)


def test_a_frozen_record_refuses_changes() -> None:
    p = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del p.y
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.other = 1  # type: ignore[attr-defined]
    assert Point.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_a_frozen_record_writes_its_fields_as_object_setattr_would() -> None:
    # Straight into __dict__ (a third of the time), unless a slot or another data descriptor
    # is named as a field: there only object.__setattr__ reaches it.
    p = Point(1, 2)
    assert vars(p) == vars(PlainPoint(1, 2))

    class Slotted:
        __slots__ = ("x",)

    class Guarded:
        @property
        def y(self) -> int:
            return self.__dict__["_y"] * 10

        @y.setter
        def y(self, value: int) -> None:
            self.__dict__["_y"] = value

    @record
    class SlottedPoint(Slotted):
        x: int
        z: int

    @record
    class GuardedPoint(Guarded):
        y: int  # type: ignore[assignment]

    assert (SlottedPoint(1, 2).x, SlottedPoint(1, 2).z) == (1, 2)
    assert GuardedPoint(3).y == 30


def test_init_keeps_its_defaults_factories_and_errors() -> None:
    assert Point(1).meta == {} and Point(1).meta is not Point(1).meta
    with pytest.raises(TypeError) as ours:
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError) as theirs:
        PlainPoint()  # type: ignore[call-arg]
    assert str(ours.value) == str(theirs.value).replace("PlainPoint", "Point")
    assert Box().items == PlainBox().items == [3]
    box = Box([1], "ab")
    box.label = "c"
    other = Box([1], "ab")
    assert box != other
    other.label = "c"
    assert box == other and box.items == [1, 2]
    with pytest.raises(TypeError):
        hash(box)  # eq and not frozen: unhashable, as @dataclass makes it


def test_a_record_can_extend_a_record_and_survives_pickling() -> None:
    c = Child(1, 2, z=3)
    assert [f.name for f in dataclasses.fields(c)] == ["x", "y", "tags", "meta", "z"]
    assert c == Child(1, 2, (), {}, 3) and c != Point(1, 2)
    assert pickle.loads(pickle.dumps(c)) == c
    assert repr(c) == "Child(x=1, y=2, tags=(), z=3)"


def test_a_class_that_writes_its_own_methods_is_refused() -> None:
    with pytest.raises(TypeError, match="use @dataclass"):
        @record
        class Own:
            x: int

            def __eq__(self, other: object) -> bool:
                return True

            __hash__ = object.__hash__


def test_engine_classes_are_records_unless_they_need_more() -> None:
    # A plain @dataclass compiles its methods at import: every start pays for it.
    import ast
    from pathlib import Path

    engine = Path(__file__).resolve().parents[2] / "engine"
    plain = []
    for path in sorted(engine.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            for dec in node.decorator_list:
                call = dec if isinstance(dec, ast.Call) else None
                name = call.func if call else dec
                if isinstance(name, ast.Name) and name.id == "dataclass":
                    options = {k.arg for k in call.keywords} if call else set()
                    if not options & {"order", "slots", "unsafe_hash", "kw_only"}:
                        plain.append(f"{path.relative_to(engine)}: {node.name}")
    assert plain == []


def test_what_dataclass_refuses_is_refused_when_the_class_is_defined() -> None:
    with pytest.raises(TypeError, match="frozen"):
        @record
        class FrozenOnPlain(Box):
            extra: int = 0
    with pytest.raises(TypeError, match="use @dataclass"):
        @record
        class OwnHash:
            x: int

            def __hash__(self) -> int:
                return 1


@dataclass(frozen=True)
class PlainMixed:
    a: int
    b: list[int] = field(default_factory=list)
    c: str = field(default="c", init=False)
    d: dict[str, int] = field(default_factory=dict, init=False)
    e: int = field(default=1, kw_only=True)
    f: int = field(kw_only=True, default_factory=lambda: 7)
    limit: ClassVar[int] = 3


@record
class Mixed:
    a: int
    b: list[int] = field(default_factory=list)
    c: str = field(default="c", init=False)
    d: dict[str, int] = field(default_factory=dict, init=False)
    e: int = field(default=1, kw_only=True)
    f: int = field(kw_only=True, default_factory=lambda: 7)
    limit: ClassVar[int] = 3


def test_init_has_dataclass_parameters_for_every_kind_of_field() -> None:
    import inspect

    Mixed(0)  # the first instance compiles __init__
    ours, theirs = inspect.signature(Mixed), inspect.signature(PlainMixed)
    assert [(p.name, p.kind, repr(p.default)) for p in ours.parameters.values()] == [
        (p.name, p.kind, repr(p.default)) for p in theirs.parameters.values()]
    assert dataclasses.astuple(Mixed(1, e=2)) == dataclasses.astuple(PlainMixed(1, e=2))
    assert Mixed(1).b is not Mixed(1).b and Mixed(1).d == {} and Mixed(1).f == 7
    assert "c" not in vars(Mixed(1))  # init=False with a default: the class attribute, as theirs
    assert "c" not in vars(PlainMixed(1))
    with pytest.raises(TypeError) as mine:
        Mixed(1, 2, 3)  # type: ignore[misc]
    with pytest.raises(TypeError) as plain:
        PlainMixed(1, 2, 3)  # type: ignore[misc]
    assert str(mine.value) == str(plain.value).replace("PlainMixed", "Mixed")


def test_a_default_before_a_required_field_is_refused_when_defined() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        @record
        class Backwards:
            a: int = 0
            b: int  # type: ignore[misc]


def test_an_init_var_needs_dataclass() -> None:
    with pytest.raises(TypeError, match="InitVar"):
        @record
        class Seeded:
            a: int
            seed: InitVar[int]


@dataclass
class PlainLate:
    a: int
    b: int = field(init=False)
    self: int = 0  # dataclasses renames its own first parameter for such a field

    def __post_init__(self) -> None:
        self.b = self.a * 2


@record(frozen=False)
class Late:
    a: int
    b: int = field(init=False)
    self: int = 0

    def __post_init__(self) -> None:
        self.b = self.a * 2


def test_fields_without_init_or_named_self_behave_as_in_dataclass() -> None:
    assert dataclasses.astuple(Late(2, self=5)) == dataclasses.astuple(PlainLate(2, self=5))
    assert dataclasses.replace(Late(1), a=3).b == 6
    with pytest.raises(TypeError, match="reserved"):
        @record
        class Helpers:  # the names a generated __init__ reads besides the fields
            __record_setattr__: int = 1
