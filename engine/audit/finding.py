"""A located audit finding, as every report format and the suppression pass see it."""

from __future__ import annotations

from typing import Any

from negatives.engine.load.records import record


@record(frozen=False)
class Finding:
    rule: str
    severity: str
    message: str
    file: str
    line: int
    column: int
    path: str
    source: dict[str, Any]
    suppressed: str | None = None  # the justification, when a comment silences it

    def as_dict(self) -> dict[str, Any]:
        out = {"rule": self.rule, "severity": self.severity, "message": self.message,
               "file": self.file, "line": self.line, "column": self.column, "path": self.path,
               "source": self.source}
        if self.suppressed is not None:
            out["suppressed"] = True
            out["justification"] = self.suppressed
        return out
