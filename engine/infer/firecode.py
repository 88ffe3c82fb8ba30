"""An expansion's firing as a Python function of its own, for the expansions that fire often.

`Driver._fire` reads a prepared expansion as data: it loops over the dynamic aliases, the
bindings and every conclusion argument, and branches on each argument's mode. The function
written here takes the same steps for one expansion with the loops unrolled and the branches
decided: aliases, fields and argument names are written into the source as `repr` literals,
and every value the expansion holds (its sort key, static facts, constant conclusions,
templates) is a global of the function, never source text. The firing it appends is the
generic path's, tuple for tuple (tests/engine/test_firecode.py compares them).

Compiling costs about 0.24 ms per expansion, as much as about 60 firings save, so the driver
compiles one only in a long run: once it has evaluated `Driver.warm_after` sessions, an
expansion that fires `Driver.compile_after` more times is compiled (a failure to compile leaves
it with _fire, the reference the compiled function copies). One advice, or a few dozen
athletes on however large a rule base, compiles nothing; a batch or a benchmark compiles each
expansion that fires often, once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from negatives.engine.infer import driver as generic
from negatives.engine.language.rulemodel import field_value

if TYPE_CHECKING:
    from negatives.engine.infer.driver import Driver, _Prepared

Code = Callable[[Any, dict[str, Any], list[Any]], None]  # (run, matched, batch)


class _Source:
    """The lines of one function and the values its globals hold: by default an expansion's
    `fire(run, matched, batch)` with the driver's helpers; `name` and `params` make another."""

    def __init__(self, drv: Driver | None, name: str = "fire",
                 params: str = "run, matched, batch") -> None:
        self.name = name
        self.lines = [f"def {name}({params}):"]
        self.env: dict[str, Any] = {"_blocked": generic._blocked, "field_value": field_value,
                                    "_fill": generic._fill, "_derived": generic._derived,
                                    "_ASCII": generic._ASCII, "_TEXT": generic._TEXT,
                                    "_scalar": generic._scalar, "drv": drv}

    def function(self, filename: str) -> Any:
        """The function the lines write; the source holds literals and global names only."""
        exec(compile("\n".join(self.lines), filename, "exec"), self.env)
        return self.env[self.name]

    def value(self, value: Any) -> str:
        """The name of a global holding `value`."""
        name = f"_g{len(self.env)}"
        self.env[name] = value
        return name

    def line(self, text: str) -> None:
        self.lines.append("    " + text)


def compile_fire(exp: _Prepared, drv: Driver) -> Code | None:
    """`drv._fire(run, exp, matched, batch)` as `fire(run, matched, batch)` for this `exp`; None
    (the expansion stays with _fire) where a name it would write into the source is not text.
    """
    names = [*exp.dynamic, *(a for a, _ in exp.slots),
             *(n for kind, plans in exp.plans for n in (kind, *_names(plans)))]
    if not all(type(n) is str for n in names):
        return None  # the rule schema makes every name text: a safeguard, not a case
    src = _Source(drv)
    if exp.guards:
        src.line(f"if _blocked({src.value(exp.guards)}, run.kinds): return")
    known = {a: f"_d{i}" for i, a in enumerate(exp.dynamic)}  # alias -> local of (fact, key)
    for alias, name in known.items():
        src.line(f"{name} = matched[{alias!r}]")
    keys = [f"{known[a]}[1]" for a in exp.keyed]  # in the order they fill the sort key
    pieces = [src.value(piece) for piece in exp.key]
    if keys:  # the pieces with the keys between them (generic.fill)
        between = "".join(f"{k}, {p}, " for k, p in zip(keys, pieces[1:], strict=True))
        src.line(f"key = ({pieces[0]}, {between})")
    else:
        src.line(f"key = {src.value(exp.key)}")
    src.line("matches = run.matches")
    src.line("if key in matches: return")
    src.line("matches.add(key)")
    src.line("firings = run.firings")
    src.line("if len(firings) >= drv.max_firings: drv._runaway(firings)")
    bound = {a: src.value(s) if s is not None else f"{known[a]}[0]" if a in known
             else f"matched[{a!r}][0]" for a, s in exp.slots}
    src.line("facts = {" + ", ".join(f"{a!r}: {v}" for a, v in bound.items()) + "}")
    if exp.drawn is not None:
        src.line(f"drawn = {src.value(exp.drawn)}")
        src.line(f"made = {src.value(exp.made)}")
        _derive(src, drv, [(src.value(fact), src.value(key), src.value(body), fact["type"])
                           for (fact, key), body in zip(exp.derived, exp.bodies, strict=True)])
    else:
        _conclusions(src, drv, exp, bound)
    src.line(f"firings.append((key, {src.value(exp.rule)}, facts, drawn, made, "
             f"[{', '.join(keys)}]))")
    fire: Code = src.function(f"<firing of {exp.rule!r}>")
    return fire


_DYNAMIC = object()  # an argument read from the session's facts (its value known only then)


def _names(plans: tuple[tuple[str, int, Any], ...]) -> list[Any]:
    """The argument names of a conclusion and the aliases and fields its arguments read."""
    out: list[Any] = []
    for name, mode, value in plans:
        out.append(name)
        if mode in (1, 3):
            out += list(value)
    return out


def _conclusions(src: _Source, drv: Driver, exp: _Prepared, bound: dict[str, str]) -> None:
    """generic._draw unrolled: each conclusion's arguments, then the facts it derives."""
    drawn, asserts = [], []
    for j, ((kind, plans), shape) in enumerate(zip(exp.plans, exp.shapes, strict=True)):
        args = f"_a{j}"
        src.line(f"{args} = {{}}")
        local: dict[str, tuple[str, Any]] = {}  # argument -> its expression, its constant
        for k, (name, mode, value) in enumerate(plans):
            if mode == 0:
                local[name] = ("None" if value is None else src.value(value), value)
                if value is not None:
                    src.line(f"{args}[{name!r}] = {local[name][0]}")
                continue
            if mode == 2:
                read = f"_fill({src.value(value)}, facts)"
            else:  # 3: a top-level field, 1: a dotted one, of a bound fact (or of none)
                whose = bound.get(value[0], "{}")
                read = (f"{whose}.get({value[1]!r})" if mode == 3
                        else f"field_value({whose}, {value[1]!r})")
            local[name] = (f"_v{j}_{k}", _DYNAMIC)
            src.line(f"_v{j}_{k} = {read}")
            src.line(f"if _v{j}_{k} is not None: {args}[{name!r}] = _v{j}_{k}")
        drawn.append(f"({kind!r}, {args})")
        if kind == "assert":
            asserts.append((_derived_fact(src, f"_t{j}", args, shape, local),
                            local["fact"][1] if "fact" in local else None))
    src.line(f"drawn = ({''.join(d + ', ' for d in drawn)})")
    src.line(f"made = [{', '.join(t + '[1]' for t, _ in asserts)}]")
    if asserts and all(type(kind) is str for _, kind in asserts):
        _derive(src, drv, [(f"{t}[0]", f"{t}[1]", f"{t}[2]", str(kind)) for t, kind in asserts])
    elif asserts:  # a fact type known only when it fires: the driver's own _derive
        src.line(f"drv._derive(run, ({''.join(t + '[:2], ' for t, _ in asserts)}), "
                 f"[{', '.join(t + '[2]' for t, _ in asserts)}], batch)")


def _derive(src: _Source, drv: Driver, facts: list[tuple[str, str, str, str]]) -> None:
    """Driver._derive unrolled for facts whose types are known: each (fact, key, body
    expressions, type) recorded, and queued to the rulesets whose patterns read its type."""
    if not facts:
        return
    src.line("known = run.derived")
    for fact, key, body, kind in facts:
        src.line(f"if {key} not in known:")
        src.line(f"    known.add({key})")
        if kind in drv.guarded:
            src.line(f"    run.kinds.setdefault({kind!r}, []).append({fact})")
        if kind not in drv.derived_read:
            continue
        src.line(f"    body = {body} or drv._body({fact}, {key})")
        indent = "    "
        if kind in drv.negated_only:  # one per payload body
            src.line("    if body not in run.negated:")
            src.line("        run.negated.add(body)")
            indent = "        "
        src.line(f"{indent}fid = f'f{{next(run.ids)}}'")
        src.line(f"{indent}run.facts[fid] = ({fact}, {key})")
        src.line(f"{indent}payload = (fid, f'{{{{\"id\": \"{{fid}}\", \"sid\": "
                 f"\"{{run.sid}}\"{{body}}')")
        for i, reads in enumerate(drv.reads):
            if kind in reads:
                src.line(f"{indent}(batch if run.current == {i} else run.queues[{i}])"
                         f".append(payload)")


def _derived_fact(src: _Source, out: str, args: str, shape: generic._Shape | None,
                  local: dict[str, tuple[str, Any]]) -> str:
    """generic._shaped unrolled into the local `out` = (fact, key, body): from the templates
    when every value is exactly a str (as _shaped tests it), else generic._derived's fact and
    key (the body made later). Returns `out`."""
    fallback = f"{out} = (*_derived({args}), '')"
    fields = [local[n] for n in shape.fields] if shape is not None else []
    if shape is None or any(c is not _DYNAMIC and type(c) is not str for _, c in fields):
        src.line(fallback)  # a constant that is not text: the templates never apply
        return out
    of = {n: expr for n, (expr, _) in zip(shape.fields, fields, strict=True)}
    fact = ", ".join([f"'type': {src.value(shape.kind)}", *(f"{n!r}: {of[n]}" for n in of)])
    key = "".join(f"_ASCII({of[n]}), " for n in shape.key_fields)
    body = "".join(f"_TEXT({of[n]}), " for n in shape.body_fields)
    test = " and ".join(f"type({e}) is str" for e, c in fields if c is _DYNAMIC) or "True"
    src.line(f"if {test}:")
    src.line(f"    {out} = ({{{fact}}}, {src.value(shape.key)} % ({key}), "
             f"{src.value(shape.body)} % ({body}))")
    src.line("else:")
    src.line("    " + fallback)
    return out


Handler = Callable[[str, dict[str, Any], Any, list[Any]], bool]  # (message, facts, run, batch)


def compile_frames(aliases: tuple[str, ...], keys: tuple[tuple[str, str], ...],
                   table: dict[tuple[Any, ...], Any], only: Any, drv: Driver) -> Handler | None:
    """A merged rule's action as one function: the frames of its message read, each frame's
    table key looked up, and the entry's expansions fired, as Driver._drain does through
    generic.frames, the rule's key function and _fire.

    durable_rules writes a rule's frames with its aliases in one order (`aliases`, learnt from
    a message the generic path read). The function takes that order as given but checks it:
    the text before each fact id must end with `"<alias>` of its place, and the count of
    facts must be a whole number of frames. Where either fails it returns False and the
    driver reads the message the generic way; what the function fired before that is fired
    again there, which changes nothing (a firing is recorded once per sort key, a derived fact
    once per key). None (the generic path) where a name is not text.
    """
    names = [*aliases, *(n for pair in keys for n in pair)]
    if not aliases or len(set(aliases)) != len(aliases) or not all(
            type(n) is str for n in names) or any('"' in a for a in aliases):
        return None
    src = _Source(drv, "handle", "message, facts, run, batch")
    count = len(aliases)
    src.line(f"pieces = message.split({src.value(generic._MARK)})")
    src.line(f"if (len(pieces) - 1) % {count}: return False")
    src.line(f"for j in range(1, len(pieces), {count}):")
    local = {a: f"_d{i}" for i, a in enumerate(aliases)}
    for i, alias in enumerate(aliases):
        mark = '"' + alias  # what the text before the alias's fact id ends with
        src.line(f"    p = pieces[j + {i - 1}]")
        src.line(f"    if not p.endswith({mark!r}): return False")
        src.line(f"    p = pieces[j + {i}]")
        src.line(f"    {local[alias]} = facts[p[:p.index('\"')]]")
    if only is not None:
        src.line(f"    entry = {src.value(only)}")
    else:
        reads = [f"{local[a]}[0].get({f!r})" if "." not in f
                 else f"field_value({local[a]}[0], {f!r})" for a, f in keys]
        src.line(f"    entry = {src.value(table)}.get(({''.join(r + ', ' for r in reads)}))")
        src.line("    if entry is None: continue")
    src.line("    matched = {" + ", ".join(f"{a!r}: {v}" for a, v in local.items()) + "}")
    src.line("    for exp in entry.ready or drv._ready(entry):")
    src.line("        if exp.code is not None: exp.code(run, matched, batch)")
    src.line("        else: drv._fire(run, exp, matched, batch)")
    src.line("return True")
    handle: Handler = src.function(f"<frames of {', '.join(aliases)}>")
    return handle


Texts = Callable[[dict[str, Any]], "tuple[str, str] | None"]


def compile_texts(kind: str, names: tuple[str, ...], keep: frozenset[str]) -> Texts | None:
    """Driver._texts for session facts of one shape (type `kind`, field names `names` in their
    order) as a function of its own: fact_key's text and the payload body of the fields in
    `keep`, each value encoded once, the type's text written in. The function returns None for
    a value the templates do not take (generic._scalar's None): the encoder then makes them.
    None (the templates of _Input then) where a name or the type is not text.
    """
    if type(kind) is not str or not all(type(n) is str for n in names) or \
            names.count("type") != 1:
        return None
    src = _Source(None, "texts", "fact")
    src.line(f"{''.join(f'v{i}, ' for i in range(len(names)))}= fact.values()")
    kept = [i for i, n in enumerate(names) if n in keep]
    for i, name in enumerate(names):
        if name == "type":
            continue
        both = i in kept  # the body takes it too: its text as _DUMP writes it
        src.line(f"if type(v{i}) is str:")
        src.line(f"    a{i} = _ASCII(v{i})" + (f"; t{i} = _TEXT(v{i})" if both else ""))
        src.line("else:")
        src.line(f"    s = _scalar(v{i})")
        src.line("    if s is None: return None")
        src.line(f"    a{i}, t{i} = s")

    def entry(i: int, escape: Callable[[str], str]) -> str:  # as driver._input writes it
        value = escape(kind).replace("%", "%%") if names[i] == "type" else "%s"
        return escape(names[i]).replace("%", "%%") + ": " + value

    order = sorted(range(len(names)), key=names.__getitem__)
    key = "{" + ", ".join(entry(i, generic._ASCII) for i in order) + "}"
    body = ", " + ", ".join(entry(i, generic._TEXT) for i in kept) + "}" if kept else "}"
    keys = "".join(f"a{i}, " for i in order if names[i] != "type")
    bodies = "".join(f"t{i}, " for i in kept if names[i] != "type")
    src.line(f"return {src.value(key)} % ({keys}), {src.value(body)} % ({bodies})")
    texts: Texts = src.function(f"<texts of {kind!r}>")
    return texts
