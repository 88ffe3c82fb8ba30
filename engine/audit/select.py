"""Choose which audit findings to report: `--select`/`--ignore` by rule id or tag, as in ruff."""

from __future__ import annotations

from collections.abc import Iterable

from negatives.engine.audit.finding import Finding
from negatives.engine.audit.suppress import SUPPRESSION_FINDINGS
from negatives.engine.language.rulemodel import Rule
from negatives.engine.load.records import record

# How closely a selector names a rule: an id beats a tag, so `--select safety --ignore
# audit-ael-novice` and `--select audit-ael-novice --ignore safety` both do what they say.
# With no --select every rule is chosen, less closely than by any selector.
_BY_ID, _BY_TAG, _BY_DEFAULT, _NONE = 0, 1, 2, 3


@record
class Selection:
    """Rule ids or tags to report (empty: every rule), and rule ids or tags to leave out."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


def rule_tags(rules: dict[str, Rule]) -> dict[str, tuple[str, ...]]:
    """Every finding's rule id -> its tags: the YAML rules and the suppression findings."""
    return {**{r.id: r.tags for r in rules.values()}, **SUPPRESSION_FINDINGS}


def unknown_selectors(selectors: Iterable[str], tags: dict[str, tuple[str, ...]]) -> list[str]:
    known = set(tags) | {t for ts in tags.values() for t in ts}
    return [s for s in selectors if s not in known]


def _closest(rule_id: str, tags: tuple[str, ...], selectors: tuple[str, ...]) -> int:
    if rule_id in selectors:
        return _BY_ID
    return _BY_TAG if any(t in selectors for t in tags) else _NONE


def is_selected(rule_id: str, tags: tuple[str, ...], selection: Selection) -> bool:
    chosen = _closest(rule_id, tags, selection.select) if selection.select else _BY_DEFAULT
    if chosen == _NONE:
        return False
    # Equally close on both sides: ignore wins.
    return chosen < _closest(rule_id, tags, selection.ignore)


def apply_selection(findings: list[Finding], selection: Selection,
                    tags: dict[str, tuple[str, ...]]) -> list[Finding]:
    return [f for f in findings if is_selected(f.rule, tags.get(f.rule, ()), selection)]
