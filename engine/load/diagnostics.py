"""Diagnostics: one located problem in a file, rendered as `file:line:col: severity message`."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    column: int
    message: str
    severity: str = "error"
    code: str = ""
    path: str = ""

    def render(self) -> str:
        code = f" [{self.code}]" if self.code else ""
        where = f" (at {self.path})" if self.path else ""
        return f"{self.file}:{self.line}:{self.column}: {self.severity} {self.message}{code}{where}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.message)


def format_path(path: tuple[str | int, ...]) -> str:
    """Render a YAML path the way people write it: `weeks[0].days[1].exercises[2]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
