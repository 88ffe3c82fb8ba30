"""A located entry of a knowledge file, as the reader and the cross-checks see it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.records import record
from negatives.engine.load.yamlio import Document, YamlPath
from negatives.engine.model.knowledge import Citation, name_key


@record
class Entry:
    doc: Document
    path: YamlPath
    data: dict[str, Any]

    def cite(self) -> Citation:
        line, _ = self.doc.locate(self.path)
        return Citation(str(self.data.get("source", "")), self.data.get("quote"),
                        self.data.get("note"), self.doc.file, line)

    def problem(self, key: str | None, message: str, code: str = "knowledge") -> Diagnostic:
        path = (*self.path, key) if key else self.path
        return self.doc.diagnostic(path, message, code)


def unique(entries: list[Entry], key: str, what: str) -> Iterator[Diagnostic]:
    seen: dict[str, Entry] = {}
    for entry in entries:
        value = name_key(str(entry.data[key]))
        if value in seen:
            first = seen[value]
            yield entry.problem(key, f"duplicate {what} '{entry.data[key]}' (first in "
                                     f"{first.doc.file}:{first.doc.locate(first.path)[0]})",
                                "duplicate")
        else:
            seen[value] = entry
