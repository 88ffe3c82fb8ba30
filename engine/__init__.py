"""negatives: a rule-engine expert system for negative (eccentric) strength training."""

from __future__ import annotations

import os

__version__ = "0.1.0"


def _code_stamp() -> str:
    """The engine's code and schemas by name, size and modification time (as .pyc files do).

    Taken when the package is first imported, before any of its modules is read, so a cache
    entry is never filed under a newer stamp than the code that built it. (os.walk and os.stat:
    pathlib's rglob took 5 ms of every start.)
    """
    here = os.path.dirname(os.path.realpath(__file__))
    found = []
    for folder, dirs, files in os.walk(here):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        schemas = os.path.relpath(folder, here) == "schemas"
        found += [os.path.relpath(os.path.join(folder, f), here) for f in files
                  if f.endswith(".py") or (schemas and f.endswith(".json"))]
    out = [__version__]
    for rel in sorted(found, key=lambda r: r.split(os.sep)):  # pathlib's order: by parts
        info = os.stat(os.path.join(here, rel))
        out.append(f"{rel.replace(os.sep, '/')}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(out)


CODE_STAMP = _code_stamp()
