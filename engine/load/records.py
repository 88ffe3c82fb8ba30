"""Dataclasses whose generated code is compiled when first used, not when they are defined.

`@dataclass` writes each class's `__init__`, `__repr__` and `__eq__` (and, frozen, `__hash__`,
`__setattr__` and `__delattr__`) as source text and compiles it while the module is imported:
about 1.4 ms per frozen class on Python 3.11, 76 ms for the 53 classes a warm `advise` imports,
a fifth of its whole run. `record` makes the same dataclass without that code:

- the class is a dataclass at once (`fields()`, `replace()`, `asdict()`, `is_dataclass()`);
- `__init__` is compiled the first time an instance is created, from the source `@dataclass`
  writes (same parameters, defaults, factories, frozen assignment and `__post_init__` call),
  written here from the fields: compiling it through `dataclasses` from a copy of the class
  cost 0.8 ms per class, 13-17 ms of a warm `advise`. The cache builds its objects without
  `__init__`, and most of the classes it reads never compile anything;
- `__eq__`, `__hash__`, `__repr__`, `__setattr__` and `__delattr__` are shared functions that do
  what the generated ones do: compare and hash the tuple of the compared fields, refuse to assign
  or delete a field of a frozen instance.

Only `frozen` and `eq` are options; a class that needs more (`order`, `slots`) uses `@dataclass`.
"""

from __future__ import annotations

import dataclasses
import inspect
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")
_EMPTY: Callable[[Any], tuple[Any, ...]] = lambda _: ()  # noqa: E731  # no compared fields


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of these attributes (what the generated methods build, field by field)."""
    if not names:
        return _EMPTY
    get = attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (get(obj),)
    return get  # attrgetter of 2+ names gives a tuple


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(*, frozen: bool = True, eq: bool = True) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: type[T] | None = None, /, *, frozen: bool = True,
           eq: bool = True) -> type[T] | Callable[[type[T]], type[T]]:
    """`@dataclass(frozen=frozen, eq=eq)`, its code compiled when first used."""
    def wrap(cls: type[T]) -> type[T]:
        return _record(cls, frozen, eq)

    return wrap if cls is None else wrap(cls)


def _record(cls: type[T], frozen: bool, eq: bool) -> type[T]:
    copy = {**cls.__dict__}  # as written
    if not cls.__doc__:  # what @dataclass writes there, without its inspect.signature (3-4 ms
        # at the first class: it compiles tokenize's expressions), from the annotations
        written = inspect.get_annotations(cls)
        cls.__doc__ = f"{cls.__name__}({', '.join(f'{n}: {t}' for n, t in written.items())})"
    # Not frozen here (that would compile __setattr__ and __delattr__), unless a base is: then
    # dataclasses insists, and the few lines it compiles are replaced below.
    bases = [b.__dict__["__dataclass_params__"] for b in cls.__mro__[1:]
             if "__dataclass_params__" in b.__dict__]
    based = any(p.frozen for p in bases)
    if frozen and bases and not based:  # what @dataclass says, when the class is defined
        raise TypeError("cannot inherit frozen dataclass from a non-frozen one")
    dataclasses.dataclass(cls, init=False, repr=False, eq=False, frozen=frozen and based)
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    params.init, params.repr, params.eq, params.frozen = True, True, eq, frozen  # what it is
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    names = [f.name for f in fields]
    shown = _getter([f.name for f in fields if f.repr])
    shown_names = [f.name for f in fields if f.repr]
    compared = _getter([f.name for f in fields if f.compare])
    hashed = _getter([f.name for f in fields if (f.compare if f.hash is None else f.hash)])

    source, scope = _init_source(cls, fields, frozen)

    def __init__(*args: Any, **kwargs: Any) -> None:  # no `self`: a field may be named so
        if cls.__init__ is __init__:
            init = _compile(source, scope, f"{cls.__qualname__}.__init__")
            cls.__init__ = init  # type: ignore[method-assign]
        cls.__init__(*args, **kwargs)

    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        values = shown(self)
        inner = ", ".join(f"{n}={v!r}" for n, v in zip(shown_names, values, strict=True))
        return f"{type(self).__qualname__}({inner})"

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    methods: dict[str, Any] = {"__init__": __init__, "__repr__": __repr__}
    if eq:
        methods["__eq__"] = __eq__
        methods["__hash__"] = __hash__ if frozen else None  # as @dataclass: eq, not frozen
    if frozen:
        methods.update(__setattr__=__setattr__, __delattr__=__delattr__)
    for name, method in methods.items():
        if name in copy:
            raise TypeError(f"{cls.__name__} defines {name}: use @dataclass")
        if method is not None:
            method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
    return cls


def _init_source(cls: type, fields: tuple[dataclasses.Field[Any], ...], frozen: bool
                 ) -> tuple[str, dict[str, Any]]:
    """The source of the `__init__` @dataclass writes for these fields, and the names it reads.

    The same parameters (keyword-only ones after a `*`), defaults, factories, frozen assignment
    and `__post_init__` call; only the text differs. What @dataclass refuses when it writes
    `__init__` is refused here, when the class is defined.
    """
    if any(f._field_type is not dataclasses._FIELD  # type: ignore[attr-defined]
           for f in cls.__dict__["__dataclass_fields__"].values()
           if f._field_type is not dataclasses._FIELD_CLASSVAR):  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__} has an InitVar: use @dataclass")
    # The names the source reads besides the fields, in dataclasses' style: no field (nor
    # `self`, renamed as dataclasses renames it) can take them.
    me = "__dataclass_self__" if any(f.name == "self" for f in fields) else "self"
    reserved = [f.name for f in fields if f.name.startswith("__record_")]
    if reserved:
        raise TypeError(f"{cls.__name__}: field names starting __record_ are reserved: "
                        f"{', '.join(reserved)}")
    scope: dict[str, Any] = {"__name__": cls.__module__,
                             "__record_setattr__": object.__setattr__,
                             "__record_vars__": vars,
                             "__record_factory__": _HAS_FACTORY}
    # A frozen record writes its fields straight into the instance's __dict__: what
    # object.__setattr__ does for a plain attribute, in a third of the time. A class with
    # __slots__, or with a data descriptor named as a field, keeps object.__setattr__.
    direct = frozen and not any("__slots__" in c.__dict__ for c in cls.__mro__[:-1]) and \
        not any(hasattr(type(getattr(cls, f.name, None)), "__set__") for f in fields)
    plain: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    seen_default = False
    for f in fields:
        value: str | None = f.name
        if f.default_factory is not dataclasses.MISSING:
            make = f"__record_make_{f.name}__"
            scope[make] = f.default_factory
            value = (f"{make}() if {f.name} is __record_factory__ else {f.name}" if f.init
                     else f"{make}()")
            default = "=__record_factory__"
        elif f.default is not dataclasses.MISSING:
            scope[f"__record_default_{f.name}__"] = f.default
            default = f"=__record_default_{f.name}__"
            if not f.init:
                value = None  # the class attribute is the value, as @dataclass leaves it
        else:
            default = ""
            if not f.init:
                value = None  # no value at all until someone sets one, as @dataclass leaves it
        if f.init:
            if f.kw_only:
                keyword.append(f.name + default)
            else:
                if seen_default and not default:
                    raise TypeError(f"non-default argument {f.name!r} follows default argument")
                seen_default = seen_default or bool(default)
                plain.append(f.name + default)
        if value is not None:
            body.append(f"__record_dict__[{f.name!r}] = {value}" if direct
                        else f"__record_setattr__({me}, {f.name!r}, {value})" if frozen
                        else f"{me}.{f.name} = {value}")
    if direct and body:
        body.insert(0, f"__record_dict__ = __record_vars__({me})")
    if hasattr(cls, "__post_init__"):
        body.append(f"{me}.__post_init__()")
    params = ", ".join([me, *plain, *(["*", *keyword] if keyword else [])])
    lines = "\n".join(f"    {line}" for line in body or ["pass"])
    return f"def __init__({params}):\n{lines}\n", scope


class _Factory:
    def __repr__(self) -> str:
        return "<factory>"


_HAS_FACTORY = _Factory()  # a parameter whose default a factory makes, as dataclasses shows it


def _compile(source: str, scope: dict[str, Any], qualname: str) -> Callable[..., None]:
    namespace: dict[str, Any] = {}
    exec(source, scope, namespace)  # the source _init_source wrote
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = qualname
    return init
