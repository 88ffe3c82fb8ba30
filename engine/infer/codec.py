"""A typed codec between dataclasses and JSON: data in, the same objects out, never code.

Decoding is driven by the type hints of the root type, walked field by field
(`typing.get_type_hints`): only the dataclasses reachable from that root can be built, so a
stored entry cannot name a class, a function or a module. Supported: dataclasses (frozen or
not), tuples (fixed and `...`), lists, frozensets, sets, dicts with str or int keys, enums,
unions (`X | None`, unions of dataclasses, told apart by their class name), `Any` (plain JSON)
and str, int, float, bool, None. A value of the wrong shape raises CodecError.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")
_TAG = "$dc"  # the class name of a dataclass in a union: {"$dc": "Group", ...fields}
_FLOAT = "$float"  # a float JSON cannot hold: {"$float": "inf"}
_MAP = "$map"  # a dict whose keys are not all plain strings: {"$map": [[key, value], ...]}


class CodecError(ValueError):
    """A stored value does not have the shape its type says."""


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


@cache
def _fields(cls: type) -> tuple[tuple[str, Any, bool], ...]:
    """(name, resolved type, passed to __init__) of every field of a dataclass."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name], f.init) for f in dataclasses.fields(cls))


def encode(value: Any) -> Any:
    """`value` as JSON data: dataclasses become objects tagged with their class name."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {_TAG: type(value).__name__}
        for name, _, _ in _fields(type(value)):
            out[name] = encode(getattr(value, name))
        return out
    if isinstance(value, enum.Enum):
        return encode(value.value)
    if isinstance(value, float) and not math.isfinite(value):
        return {_FLOAT: repr(value)}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {_MAP: [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, (frozenset, set)):
        return sorted((encode(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    raise CodecError(f"cannot encode a {type(value).__name__}")


def decode(data: Any, tp: Any) -> Any:
    """Rebuild a value of type `tp` from what `encode` gave."""
    return _decoder(tp)(data)


def decode_as(data: Any, tp: type[T]) -> T:
    value: T = _decoder(typing.cast(Any, tp))(data)
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
        key, val = _decoder(args[0]), _decoder(args[1])
        return lambda d: origin({key(k): val(v) for k, v in _pairs(d)})
    raise CodecError(f"type {tp!r} is not supported")


def _raise(err: Exception) -> Any:
    raise err


def _plain(data: Any) -> Any:
    if isinstance(data, dict) and _FLOAT in data:
        return _float(data)
    if isinstance(data, dict) and _MAP in data:
        return {_plain(k): _plain(v) for k, v in _pairs(data)}
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
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


def _sequence_decoder(origin: Any, args: tuple[Any, ...]) -> Callable[[Any], Any]:
    if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis) and args:
        items = [_decoder(a) for a in args]

        def fixed(data: Any) -> Any:
            if not isinstance(data, list) or len(data) != len(items):
                raise _fail(tuple, data)
            return tuple(f(v) for f, v in zip(items, data, strict=True))

        return fixed
    item = _decoder(args[0]) if args else _plain

    def many(data: Any) -> Any:
        if not isinstance(data, list):
            raise _fail(origin, data)
        return origin(item(v) for v in data)

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
        if isinstance(data, dict) and data.get(_TAG) in classes:
            return classes[data[_TAG]](data)
        if isinstance(data, dict) and _FLOAT in data and float in by_type:
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
    plan: list[tuple[str, Callable[[Any], Any], bool]] = []

    def build(data: Any) -> Any:
        if not plan:  # filled on first use: a dataclass may refer to itself through a union
            plan.extend((n, _decoder(t), i) for n, t, i in _fields(cls))
        if not isinstance(data, dict) or data.get(_TAG) != cls.__name__:
            raise _fail(cls, data)
        if set(data) - {_TAG} != {n for n, _, _ in plan}:
            raise CodecError(f"{cls.__name__}: stored fields differ from the class's")
        given = {n: f(data[n]) for n, f, i in plan if i}
        obj = cls(**given)
        for n, f, i in plan:
            if not i:
                object.__setattr__(obj, n, f(data[n]))
        return obj

    return build
