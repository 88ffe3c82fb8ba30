"""Error types: one base class, one subclass per pipeline stage."""

from __future__ import annotations

from collections.abc import Iterable

from negatives.engine.load.diagnostics import Diagnostic


class NegativesError(Exception):
    """Base class of every error negatives reports to a user."""


class InputError(NegativesError):
    """Bad input (athlete, program, rule or knowledge file): carries every problem found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        super().__init__("\n".join(d.render() for d in self.diagnostics))


class RuleCompileError(NegativesError):
    """The rule base could not be turned into a durable_rules ruleset."""


class EngineError(NegativesError):
    """Inference failed: an action raised, a rule looped, or durable_rules refused."""
