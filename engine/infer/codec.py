"""A typed codec between dataclasses and JSON: data in, the same objects out, never code.

Decoding is driven by the type hints of the root type, walked field by field
(`typing.get_type_hints`): only the dataclasses reachable from that root can be built, so a
stored entry cannot name a class, a function or a module. Supported: dataclasses (frozen or
not), tuples (fixed and `...`), lists, frozensets, sets, dicts with str or int keys, enums,
unions (`X | None`, unions of dataclasses, told apart by their class name), `Any` (plain JSON)
and str, int, float, bool, None. A value of the wrong shape raises CodecError.

An object reached twice (the rule base's rules are also the compiled rules' values) is stored
once: its first place gets `"$id": k`, every later place `{"$dc": <class>, "$ref": k}`, and it
comes back as one object again. Decoding builds each class from a plan made once per class (its
fields checked by exact JSON type where that suffices) and fills the instance's fields without
running `__init__`, which a frozen dataclass makes slow: the cached workspace is read on every
start.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import math
import sys
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")
_TAG = "$dc"  # the class name of a dataclass in a union: {"$dc": "Group", ...fields}
_FLOAT = "$float"  # a float JSON cannot hold: {"$float": "inf"}
_MAP = "$map"  # a dict whose keys are not all plain strings: {"$map": [[key, value], ...]}
_ID, _REF = "$id", "$ref"  # stored once: {"$dc": C, "$id": k, ...}, then {"$dc": C, "$ref": k}
_MARKS = frozenset({_TAG, _FLOAT, _MAP, _ID, _REF})  # keys a stored dict spells as a $map
_SCALARS = (str, int, bool, type(None))  # checked by their exact JSON type
# The objects of each decode in progress by their "$id" (a stack: decode is not reentrant in
# practice, but a nested call must not see the outer one's objects).
_MEMO: list[dict[int, Any]] = []


class CodecError(ValueError):
    """A stored value does not have the shape its type says."""


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


@cache
def _fields(cls: type) -> tuple[tuple[str, Any, bool], ...]:
    """(name, resolved type, passed to __init__) of every field of a dataclass."""
    hints = _hints(cls)
    return tuple((f.name, hints[f.name], f.init) for f in dataclasses.fields(cls))


_ANNOTATIONS: dict[str, types.CodeType] = {}  # annotation text -> its code, compiled once


def _hints(cls: type) -> dict[str, Any]:
    """typing.get_type_hints for a class whose annotations are text (`from __future__ import
    annotations`), evaluated as it does (the module's names first, then the class's), but each
    distinct text compiled once: most fields share a few dozen texts (`str`, `int | None`, ...),
    and get_type_hints compiled every one of them on each start."""
    out: dict[str, Any] = {}
    for base in reversed(cls.__mro__[:-1]):
        written = inspect.get_annotations(base)
        if any(not isinstance(text, str) for text in written.values()):
            return typing.get_type_hints(cls)  # annotations already evaluated: its own way
        module = sys.modules[base.__module__].__dict__
        names = dict(vars(base))
        for name, text in written.items():
            code = _ANNOTATIONS.get(text)
            if code is None:
                code = _ANNOTATIONS[text] = compile(text, "<annotation>", "eval")
            # What get_type_hints evaluates too: the project's own annotation text.
            value = eval(code, names, module)
            out[name] = type(None) if value is None else value
    return out


def encode(value: Any) -> Any:
    """`value` as JSON data: dataclasses become objects tagged with their class name; an object
    reached twice is written once and referred to after."""
    memo: dict[int, dict[str, Any]] = {}
    return _share(_encode(value, memo), {}, {})


def _encode(value: Any, memo: dict[int, dict[str, Any]]) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        known = memo.get(id(value))
        if known is not None:  # the same dict: _share turns its later places into references
            return known
        out: dict[str, Any] = {_TAG: type(value).__name__}
        for name, _, _ in _fields(type(value)):
            out[name] = _encode(getattr(value, name), memo)
        memo[id(value)] = out
        return out
    if isinstance(value, enum.Enum):
        return _encode(value.value, memo)
    if isinstance(value, float) and not math.isfinite(value):
        return {_FLOAT: repr(value)}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        if all(isinstance(k, str) and k not in _MARKS for k in value):
            return {k: _encode(v, memo) for k, v in value.items()}
        return {_MAP: [[_encode(k, memo), _encode(v, memo)] for k, v in value.items()]}
    if isinstance(value, (frozenset, set)):
        return sorted((_encode(v, memo) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_encode(v, memo) for v in value]
    raise CodecError(f"cannot encode a {type(value).__name__}")


def _share(data: Any, ids: dict[int, int], done: dict[int, dict[str, Any]]) -> Any:
    """The tree with each dataclass reached again replaced by a reference, in document order
    (the order decoding meets them)."""
    if isinstance(data, dict):
        if _TAG in data:
            k = ids.get(id(data))
            if k is not None:
                ref = {_TAG: data[_TAG], _REF: k}
                first = done[id(data)]
                first.setdefault(_ID, k)
                return ref
            ids[id(data)] = len(ids)
            out = {_TAG: data[_TAG]}
            done[id(data)] = out
            out.update({n: _share(v, ids, done) for n, v in data.items() if n != _TAG})
            return out
        return {n: _share(v, ids, done) for n, v in data.items()}
    if isinstance(data, list):
        return [_share(v, ids, done) for v in data]
    return data


def decode(data: Any, tp: Any) -> Any:
    """Rebuild a value of type `tp` from what `encode` gave."""
    _MEMO.append({})
    try:
        return _decoder(tp)(data)
    finally:
        _MEMO.pop()


def decode_as(data: Any, tp: type[T]) -> T:
    value: T = decode(data, typing.cast(Any, tp))
    return value


def _fail(tp: Any, data: Any) -> CodecError:
    return CodecError(f"expected {tp!r}, got {type(data).__name__}")


@cache
def _decoder(tp: Any) -> Callable[[Any], Any]:
    if tp is Any:
        return _plain
    if tp is type(None) or tp is None:
        return lambda d: d if d is None else _raise(_fail(tp, d))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return lambda d: tp(d)
    if tp in (str, int, bool):
        return _scalar(tp)
    if tp is float:
        return _float
    if _is_union(tp):
        return _union_decoder(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.ClassVar:
        return _decoder(args[0])
    if origin in (tuple, list, frozenset, set):
        return _sequence_decoder(origin, args)
    if origin is dict or (isinstance(origin, type) and issubclass(origin, dict)):
        return _dict_decoder(origin, args[0], args[1])
    raise CodecError(f"type {tp!r} is not supported")


@cache
def _exact(tp: Any) -> tuple[type, ...] | None:
    """The JSON types a value of `tp` has, when checking its type is all decoding does."""
    if tp in _SCALARS:
        return (tp,)
    if tp is None:
        return (type(None),)
    if _is_union(tp):
        parts = [_exact(o) for o in typing.get_args(tp)]
        if all(p is not None for p in parts):
            return tuple(t for p in parts if p is not None for t in p)
    return None


def _raise(err: Exception) -> Any:
    raise err


def _plain(data: Any) -> Any:
    kind = type(data)
    if kind is dict:
        if _FLOAT in data:
            return _float(data)
        if _MAP in data:
            return {_plain(k): _plain(v) for k, v in _pairs(data)}
        return {k: v if type(v) in _SCALARS else _plain(v) for k, v in data.items()}
    if kind is list:
        return [v if type(v) in _SCALARS else _plain(v) for v in data]
    return data


def _scalar(tp: type) -> Callable[[Any], Any]:
    def check(data: Any) -> Any:
        if type(data) is not tp:  # bool is not an int here, nor an int a bool
            raise _fail(tp, data)
        return data

    return check


def _float(data: Any) -> float:
    if isinstance(data, dict) and set(data) == {_FLOAT} and data[_FLOAT] in ("inf", "-inf",
                                                                             "nan"):
        return float(data[_FLOAT])
    if type(data) not in (int, float):
        raise _fail(float, data)
    return data  # type: ignore[no-any-return]  # an int stays an int, as it was stored


def _pairs(data: Any) -> list[Any]:
    if isinstance(data, dict) and _MAP not in data:
        return list(data.items())
    pairs = data.get(_MAP) if isinstance(data, dict) else None
    if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2
                                              for p in pairs):
        raise _fail(dict, data)
    return pairs


def _dict_decoder(origin: Any, key_tp: Any, value_tp: Any) -> Callable[[Any], Any]:
    key, val, exact = _decoder(key_tp), _decoder(value_tp), _exact(value_tp)
    plain_keys = key_tp is str

    def mapping(data: Any) -> Any:
        if plain_keys and type(data) is dict and _MAP not in data:  # the usual case
            if exact is not None:
                for v in data.values():
                    if type(v) not in exact:
                        raise _fail(value_tp, v)
                return origin(data)
            return origin({k: val(v) for k, v in data.items()})
        return origin({key(k): val(v) for k, v in _pairs(data)})

    return mapping


def _sequence_decoder(origin: Any, args: tuple[Any, ...]) -> Callable[[Any], Any]:
    if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis) and args:
        items = [_decoder(a) for a in args]

        def fixed(data: Any) -> Any:
            if type(data) is not list or len(data) != len(items):
                raise _fail(tuple, data)
            return tuple([f(v) for f, v in zip(items, data, strict=True)])

        return fixed
    item = _decoder(args[0]) if args else _plain
    exact = _exact(args[0]) if args else None

    def many(data: Any) -> Any:
        if type(data) is not list:
            raise _fail(origin, data)
        if exact is not None:
            for v in data:
                if type(v) not in exact:
                    raise _fail(args[0], v)
            return data if origin is list else origin(data)
        return origin([item(v) for v in data])

    return many


def _union_decoder(tp: Any) -> Callable[[Any], Any]:
    options = typing.get_args(tp)
    classes = {o.__name__: _decoder(o) for o in options
               if isinstance(o, type) and dataclasses.is_dataclass(o)}
    others = [o for o in options if not (isinstance(o, type) and dataclasses.is_dataclass(o))]
    # Scalars first, by exact JSON type: a bool is never read as an int, an int stays an int.
    by_type: dict[type, Callable[[Any], Any]] = {}
    for o in others:
        if o in (str, int, bool) or o is type(None):
            by_type[o] = _decoder(o)
        elif o is float:
            by_type[float] = _float
            by_type.setdefault(int, _float)
    rest = [_decoder(o) for o in others if o not in (str, int, bool, float, type(None))]

    def union(data: Any) -> Any:
        if type(data) is dict:
            pick = classes.get(data.get(_TAG))  # type: ignore[arg-type]
            if pick is not None:
                return pick(data)
            if _FLOAT in data and float in by_type:
                return _float(data)
        pick = by_type.get(type(data))
        if pick is not None:
            return pick(data)
        for option in rest:
            try:
                return option(data)
            except (CodecError, TypeError, ValueError):
                continue
        raise _fail(tp, data)

    return union


def _dataclass_decoder(cls: type) -> Callable[[Any], Any]:
    name = cls.__name__
    # Filled on first use (a dataclass may refer to itself through a union): each field's name,
    # the exact types that are all its check, or else its decoder.
    steps: list[tuple[str, tuple[type, ...] | None, Callable[[Any], Any]]] = []
    names: list[str] = []
    expected: set[str] = set()
    # A dataclass with a __post_init__ or __slots__ is built through __init__; the others get
    # their fields directly (what __init__ would store: every field, init or not, is stored).
    direct = not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")
    make = object.__new__

    def fields(data: dict[str, Any]) -> list[Any]:
        values = []
        for n, exact, f in steps:
            v = data[n]
            if exact is None:
                v = f(v)
            elif type(v) not in exact:
                raise _fail(exact, v)
            values.append(v)
        return values

    def build(data: Any) -> Any:
        if not steps:
            for n, t, _ in _fields(cls):
                steps.append((n, _exact(t), _decoder(t)))
                names.append(n)
            expected.update(names, (_TAG,))
        if type(data) is not dict or data.get(_TAG) != name:
            raise _fail(cls, data)
        if data.keys() != expected:
            return shared(data)
        values = fields(data)
        if direct:
            obj: Any = make(cls)
            obj.__dict__.update(zip(names, values, strict=True))
            return obj
        given = dict(zip(names, values, strict=True))
        obj = cls(**{n: given[n] for n, _, i in _fields(cls) if i})
        for n, _, i in _fields(cls):
            if not i:
                object.__setattr__(obj, n, given[n])
        return obj

    def shared(data: dict[str, Any]) -> Any:
        memo = _MEMO[-1] if _MEMO else {}
        if data.keys() == {_TAG, _REF}:
            got = memo.get(data[_REF]) if type(data[_REF]) is int else None
            if type(got) is not cls:
                raise CodecError(f"{name}: a reference to no stored {name}")
            return got
        k = data.get(_ID)
        if type(k) is int and k not in memo and data.keys() - {_ID} == expected:
            obj = build({n: v for n, v in data.items() if n != _ID})
            memo[k] = obj
            return obj
        raise CodecError(f"{name}: stored fields differ from the class's")

    return build
