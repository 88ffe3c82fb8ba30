"""Load rule files (YAML) into typed rules; check them against the fact catalogue and knowledge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from negatives.engine.language.limits import rule_problems
from negatives.engine.language.rulemodel import (
    OPERATORS,
    Conclusion,
    FieldTest,
    Group,
    Pattern,
    Ref,
    Rule,
    Value,
    Where,
    looks_like_ref,
    parse_value,
)
from negatives.engine.language.safety import prescription_problems, safety_problems
from negatives.engine.language.typecheck import field_problems, impossible, ref_problems
from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.errors import InputError
from negatives.engine.load.records import record
from negatives.engine.load.validate import did_you_mean, load_checked
from negatives.engine.load.yamlio import Document, YamlPath
from negatives.engine.model.catalog import RESERVED_FIELDS, fact_types, fields_of
from negatives.engine.model.knowledge import Citation, Knowledge
from negatives.engine.model.templates import ANY_PLACEHOLDER, RULE_PLACEHOLDER
from negatives.engine.model.vocabulary import FieldSpec

# Conclusion arguments that name things of the knowledge base: argument -> collection.
NAME_ARGS: dict[str, str] = {"exercise": "exercises", "lift": "lifts"}

TEST_SUFFIX = ".test.yaml"


@record
class RuleBase:
    """Every rule of one domain (advise or audit), in file order."""

    domain: str
    rules: tuple[Rule, ...]

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}


def rule_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if not p.name.endswith(TEST_SUFFIX))


def _where(raw: dict[str, Any], path: YamlPath) -> Group:
    items: list[Where] = []
    for key, value in raw.items():
        if key in ("any", "all"):
            items.append(Group(key, tuple(_where(v, (*path, key, i)) for i, v in enumerate(value))))
            continue
        # `{gte: 1, lte: 3}`: several operators on one field are all required (a range).
        tests = value.items() if isinstance(value, dict) else [("eq", value)]
        for op, arg in tests:
            parsed: Value | tuple[Any, ...]
            parsed = tuple(arg) if isinstance(arg, list) else parse_value(arg)
            items.append(FieldTest(key, op, parsed, (*path, key)))
    return Group("all", tuple(items))


def _rule(doc: Document, index: int, raw: dict[str, Any], domain: str) -> Rule:
    path: YamlPath = ("rules", index)
    patterns = tuple(
        Pattern(p["fact"], p.get("as", p["fact"].replace("-", "_")), bool(p.get("not", False)),
                _where(p.get("where", {}), (*path, "when", i, "where")), (*path, "when", i))
        for i, p in enumerate(raw["when"])
    )
    conclusions = tuple(
        Conclusion(kind, {k: parse_value(v) for k, v in args.items()}, (*path, "then", i))
        for i, c in enumerate(raw["then"]) for kind, args in c.items()
    )
    line, _ = doc.locate(path)
    cite = Citation(raw["source"], raw.get("quote"), raw.get("note"), doc.file, line)
    paths = [p.path for p in patterns] + [t.path for p in patterns for t in p.tests()] + \
        [(*c.path, c.kind, k) for c in conclusions for k, v in c.args.items()
         if isinstance(v, str)]
    places = tuple((q, *doc.locate(q)) for q in paths)
    return Rule(raw["id"], raw["title"], raw["priority"], patterns, conclusions, raw["because"],
                cite, tuple(raw.get("see_also", [])), tuple(raw.get("tags", [])), doc.file, line,
                domain, places, overrides=tuple(raw.get("overrides", [])),
                says=" ".join(str(raw.get("says", "")).split()))


def load_rules(folder: Path, domain: str, kb: Knowledge) -> RuleBase:
    """Read every rule file of `folder`; raise InputError listing every problem found."""
    problems: list[Diagnostic] = []
    located: list[tuple[Document, int, Rule]] = []
    files = rule_files(folder)
    if not files:
        problems.append(Diagnostic(str(folder), 1, 1, "no rule files (*.yaml) found", "error",
                                   "io"))
    for file in files:
        loaded = load_checked(file, "rule", problems)
        if loaded is not None:
            doc, plain = loaded
            located.extend((doc, i, _rule(doc, i, r, domain))
                           for i, r in enumerate(plain["rules"]))
    if not problems:
        problems.extend(Checker(domain, kb, located).run())
    if problems:
        raise InputError(problems)
    return RuleBase(domain, tuple(rule for _, _, rule in located))


class Checker:
    """Cross-file checks: ids, fact types and fields, references, knowledge names."""

    def __init__(self, domain: str, kb: Knowledge,
                 located: list[tuple[Document, int, Rule]]) -> None:
        self.domain = domain
        self.kb = kb
        self.located = located
        self.derived: dict[str, set[str]] = {}
        for _, _, rule in located:
            for c in rule.conclusions:
                if c.fact:
                    self.derived.setdefault(c.fact, set()).update(k for k in c.args if k != "fact")

    def run(self) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        seen: dict[str, Rule] = {}
        ids = {rule.id for _, _, rule in self.located}
        for doc, index, rule in self.located:
            if rule.id in seen:
                first = seen[rule.id]
                out.append(doc.diagnostic(("rules", index, "id"),
                                          f"duplicate rule id '{rule.id}' (first in "
                                          f"{first.file}:{first.line})", "duplicate"))
            seen.setdefault(rule.id, rule)
            out.extend(self._check_rule(doc, index, rule, ids))
        out.extend(safety_problems(self.located))
        return out

    def fields(self, fact: str) -> dict[str, FieldSpec | None] | None:
        """The fields of a fact, typed for input facts (untyped for derived ones)."""
        known = fields_of(self.kb, self.domain, fact)
        if known is not None:
            return dict(known)
        derived = self.derived.get(fact)
        return None if derived is None else dict.fromkeys(derived)

    def fact_types(self) -> list[str]:
        return sorted({*fact_types(self.kb, self.domain), *self.derived})

    def _check_rule(self, doc: Document, index: int, rule: Rule,
                    ids: set[str]) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        base: YamlPath = ("rules", index)
        if rule.cite.source not in self.kb.sources:
            out.append(doc.diagnostic((*base, "source"), f"unknown source '{rule.cite.source}'"
                                      f"{did_you_mean(rule.cite.source, self.kb.sources)}",
                                      "unknown"))
        for i, other in enumerate(rule.see_also):
            if other not in ids:
                out.append(doc.diagnostic((*base, "see_also", i), f"unknown rule '{other}'"
                                          f"{did_you_mean(other, ids)}", "unknown"))
        aliases: dict[str, Pattern] = {}
        for pattern in rule.patterns:
            out.extend(self._check_pattern(doc, pattern, aliases))
            if pattern.alias in aliases:
                out.append(doc.diagnostic((*pattern.path, "as"),
                                          f"alias '{pattern.alias}' is used twice in this rule; "
                                          "give one pattern another name with `as:`", "alias"))
            if not pattern.negated:
                aliases[pattern.alias] = pattern
        if all(p.negated for p in rule.patterns):
            out.append(doc.diagnostic((*base, "when"), "a rule needs at least one pattern "
                                      "without `not: true`", "negation"))
        for c in rule.conclusions:
            out.extend(self._check_conclusion(doc, c, aliases))
        out.extend(rule_problems(doc, rule, self.kb))
        if rule.says:
            out.extend(self._check_template(doc, (*base, "says"), rule.says, aliases, True))
        # `because` is the lifter's sentence when there is no `says`: its placeholders count too.
        out.extend(self._check_template(doc, (*base, "because"), rule.because, aliases, False))
        return out

    def _check_template(self, doc: Document, path: YamlPath, text: str,
                        aliases: dict[str, Pattern], strict: bool) -> list[Diagnostic]:
        """Each `{alias.field}` names a matched pattern's field; in `says:` nothing else is."""
        out: list[Diagnostic] = []
        for inner in ANY_PLACEHOLDER.findall(text):
            match = RULE_PLACEHOLDER.fullmatch("{" + inner + "}")
            if match is None:
                if strict:
                    out.append(doc.diagnostic(path, f"placeholder '{{{inner}}}' is not of the "
                                              "form {alias.field}", "placeholder"))
                continue
            alias, field = match[1], match[2]
            if alias not in aliases:
                out.append(doc.diagnostic(path, f"placeholder '{{{inner}}}': no pattern of this "
                                          f"rule is named '{alias}'{did_you_mean(alias, aliases)};"
                                          f" aliases: {', '.join(aliases) or 'none'}",
                                          "placeholder"))
                continue
            fields = self.fields(aliases[alias].fact) or {}
            top = field.split(".")[0]
            if top not in fields:
                out.append(doc.diagnostic(path, f"placeholder '{{{inner}}}': fact "
                                          f"'{aliases[alias].fact}' has no field '{top}'"
                                          f"{did_you_mean(top, fields)}", "placeholder"))
        return out

    def _check_pattern(self, doc: Document, pattern: Pattern,
                       aliases: dict[str, Pattern]) -> list[Diagnostic]:
        fields = self.fields(pattern.fact)
        if fields is None:
            return [doc.diagnostic((*pattern.path, "fact"), f"unknown fact '{pattern.fact}'"
                                   f"{did_you_mean(pattern.fact, self.fact_types())}; no input "
                                   "or rule produces it", "unknown-fact")]
        out: list[Diagnostic] = []
        for test in pattern.tests():
            top = test.field.split(".")[0]
            spec = fields.get(top)
            if top in RESERVED_FIELDS:
                out.append(doc.diagnostic(test.path, f"'{top}' is reserved by the engine",
                                          "reserved"))
            elif top not in fields:
                out.append(doc.diagnostic(test.path, f"fact '{pattern.fact}' has no field "
                                          f"'{test.field}'{did_you_mean(top, fields)}; fields: "
                                          f"{', '.join(sorted(fields))}", "unknown-field"))
            if test.op not in OPERATORS:
                out.append(doc.diagnostic(test.path, f"unknown operator '{test.op}'"
                                          f"{did_you_mean(test.op, OPERATORS)}", "operator"))
                continue
            if spec is not None and "." not in test.field:
                typed = field_problems(test, pattern.fact, spec)
                out.extend(doc.diagnostic(test.path, m, code) for m, code in typed)
                if spec.names and not typed and test.op in ("eq", "ne", "in", "not_in"):
                    values = test.value if isinstance(test.value, tuple) else (test.value,)
                    out.extend(self._check_name(doc, test.path, spec.names, v) for v in values
                               if isinstance(v, str) and not self._known(spec.names, v))
            if isinstance(test.value, Ref):
                out.extend(self._check_ref(doc, test.path, test.value, aliases,
                                           (test, pattern.fact, spec)))
                if test.op in ("in", "not_in", "exists", "matches"):
                    out.append(doc.diagnostic(test.path, f"'{test.op}' takes a literal value, "
                                              "not a reference", "operator"))
        if not out:
            out.extend(self._never(doc, pattern, fields))
        return out

    def _never(self, doc: Document, pattern: Pattern,
               fields: dict[str, FieldSpec | None]) -> list[Diagnostic]:
        """Conditions that contradict each other or the vocabulary's ranges."""
        found, dead = impossible(pattern.where, pattern.fact, fields)
        what = "the `not` pattern can never match, so it never holds the rule back" \
            if pattern.negated else "the rule can never fire"
        if dead:
            first, why = found[0]
            return [doc.diagnostic(first.path, f"{what}: {why}", "never-fires")]
        return []  # one dead `any` alternative: a warning of `rules check` (dead_alternatives)

    def _known(self, collection: str, name: str) -> bool:
        names: dict[str, Any] = getattr(self.kb, collection)
        return name in names

    def _check_name(self, doc: Document, path: YamlPath, collection: str, name: str,
                    why: str = "the rule could never match it") -> Diagnostic:
        names: dict[str, Any] = getattr(self.kb, collection)
        what = collection.rstrip("s").replace("exercise", "exercise (canonical name)")
        canonical = self.kb.resolve(collection, name)
        if canonical and canonical != name:
            return doc.diagnostic(path, f"'{name}' is an alias; rules match the canonical name "
                                  f"'{canonical}'", "unknown")
        if collection in ("exercises", "lifts", "regions"):
            message = self.kb.unknown(collection, name).replace(
                f"unknown {collection.rstrip('s')}", f"unknown {what}", 1)
            return doc.diagnostic(path, f"{message}; {why}", "unknown")
        return doc.diagnostic(path, f"unknown {what} '{name}'{did_you_mean(name, names)}; {why}",
                              "unknown")

    def _check_ref(self, doc: Document, path: YamlPath, ref: Ref,
                   aliases: dict[str, Pattern],
                   test: tuple[FieldTest, str, FieldSpec | None] | None = None
                   ) -> list[Diagnostic]:
        if ref.alias not in aliases:
            return [doc.diagnostic(path, f"'{ref}' refers to no earlier pattern"
                                   f"{did_you_mean(ref.alias, aliases)}; earlier aliases: "
                                   f"{', '.join(aliases) or 'none'}", "reference")]
        other_fact = aliases[ref.alias].fact
        fields = self.fields(other_fact) or {}
        top = ref.field.split(".")[0]
        if top not in fields:
            return [doc.diagnostic(path, f"'{ref}': fact '{other_fact}' has no "
                                   f"field '{top}'{did_you_mean(top, fields)}", "unknown-field")]
        other = fields[top]
        if test is not None and test[2] is not None and other is not None and "." not in top \
                and "." not in test[0].field:
            found = ref_problems(test[0], test[1], test[2], other_fact, other)
            return [doc.diagnostic(path, m, code) for m, code in found]
        return []

    def _check_conclusion(self, doc: Document, c: Conclusion,
                          aliases: dict[str, Pattern]) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        for key, value in c.args.items():
            path = (*c.path, c.kind, key)
            if isinstance(value, str) and key in ("message", "reason"):
                out.extend(self._check_template(doc, path, value, aliases, False))
            if isinstance(value, Ref):
                out.extend(self._check_ref(doc, path, value, aliases))
            elif looks_like_ref(value):
                out.append(doc.diagnostic(path, f"'{value}' is not a reference of the form "
                                          "$alias.field (write $$ for a literal $)", "reference"))
        method = c.args.get("method")
        if isinstance(method, str) and method not in self.kb.methods:
            out.append(doc.diagnostic((*c.path, c.kind, "method"), f"unknown method '{method}'"
                                      f"{did_you_mean(method, self.kb.methods)}", "unknown"))
        for key, collection in NAME_ARGS.items():
            name = c.args.get(key)
            if isinstance(name, str) and not self._known(collection, name):
                out.append(self._check_name(doc, (*c.path, c.kind, key), collection, name,
                                            "advice would name something that does not exist"))
        if c.kind == "prescribe" and isinstance(method, str) and method in self.kb.methods:
            out.extend(prescription_problems(doc, c, self.kb.methods[method]))
        pairing = c.args.get("pairing")
        if isinstance(pairing, str) and pairing not in self.kb.pairings:
            out.append(doc.diagnostic((*c.path, c.kind, "pairing"), f"unknown pairing "
                                      f"'{pairing}'{did_you_mean(pairing, self.kb.pairings)}",
                                      "unknown"))
        param = c.args.get("parameter")
        if c.kind == "prescribe" and isinstance(method, str) and method in self.kb.methods:
            params = self.kb.methods[method].parameters
            if isinstance(param, str) and param not in params:
                out.append(doc.diagnostic((*c.path, c.kind, "parameter"),
                                          f"method '{method}' has no parameter '{param}'"
                                          f"{did_you_mean(param, params)}", "unknown"))
        if c.kind == "assert" and isinstance(c.fact, str) and \
                fields_of(self.kb, self.domain, c.fact):
            out.append(doc.diagnostic((*c.path, c.kind, "fact"), f"'{c.fact}' is an input fact; "
                                      "derived facts need a name of their own", "derived-fact"))
        return out
