"""negatives: a rule-engine expert system for negative (eccentric) strength training."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def _code_stamp() -> str:
    """The engine's code and schemas by name, size and modification time (as .pyc files do).

    Taken when the package is first imported, before any of its modules is read, so a cache
    entry is never filed under a newer stamp than the code that built it.
    """
    here = Path(__file__).resolve().parent
    out = [__version__]
    for path in sorted([*here.rglob("*.py"), *(here / "schemas").glob("*.json")]):
        stat = path.stat()
        out.append(f"{path.relative_to(here)}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(out)


CODE_STAMP = _code_stamp()
