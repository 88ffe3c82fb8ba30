"""Diagnostics: one located problem in a file, rendered as `file:line:col: severity message`."""

from __future__ import annotations

from negatives.engine.load.records import record

SEVERITIES = ("error", "warning", "info")
# Characters a terminal acts on or a reader cannot see: C0 and C1 controls, DEL, line and
# paragraph separators, bidirectional overrides and isolates, zero-width marks.
_INVISIBLE = [*range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A),
              *range(0x200B, 0x2010), 0xFEFF]


def _shown(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# str.translate tables (no regex to compile at every start): each such character -> its escape.
_UNSAFE = {c: _shown(c) for c in [*range(0x20), *_INVISIBLE]}
_UNSAFE_KEEP_LINES = {c: e for c, e in _UNSAFE.items() if c != 0x0A}


def escape(text: str, keep_newlines: bool = False) -> str:
    """`text` safe to print: control and invisible characters shown as escapes (`\\x1b`).

    Every echoed key, name, path and message goes through here in text output, so a file name
    cannot forge a diagnostic line or send escape sequences to a terminal. JSON and SARIF are
    written exactly (their encoders escape what they must).
    """
    if text.isprintable():  # most text: every character escaped is one isprintable refuses
        return text
    return text.translate(_UNSAFE_KEEP_LINES if keep_newlines else _UNSAFE)


@record
class Diagnostic:
    file: str
    line: int
    column: int
    message: str
    severity: str = "error"
    code: str = ""
    path: str = ""

    def render(self) -> str:
        code = f" [{escape(self.code)}]" if self.code else ""
        where = f" (at {escape(self.path)})" if self.path else ""
        return f"{escape(self.file)}:{self.line}:{self.column}: {self.severity} " \
               f"{escape(self.message)}{code}{where}"

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
