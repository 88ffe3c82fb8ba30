"""durable_rules: the engine built into this package (Python 3.13+), else the distribution.

On Python 3.13 and newer, setup.py compiles durable_rules 2.0.28's C engine into this folder
(`durable_rules_engine`) and copies its Python modules beside it (`durable/`); the durable-rules
distribution is then no dependency. Its `engine` module imports the C engine by the top-level name
`durable_rules_engine`, so that name is bound to the built one before `engine` is imported.

`core` (the C engine) is loaded with this package; `engine` (durable's Python host, about 30 ms
to import) only when first asked for: the advise path drives the C engine directly.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any


def _load_core() -> tuple[Any, bool]:
    """The C engine, and whether it is the built-in copy; else the distribution's."""
    try:
        core = importlib.import_module("negatives._durable.durable_rules_engine")
    except ImportError:
        try:
            return importlib.import_module("durable_rules_engine"), False
        except ImportError as err:
            raise ImportError(
                f"durable_rules is not installed for Python {sys.version.split()[0]}; "
                "reinstall negatives with this Python (pip install -e .)") from err
    sys.modules["durable_rules_engine"] = core
    return core, True


core, _BUILT = _load_core()


def __getattr__(name: str) -> Any:
    """durable's `engine` module, imported the first time it is used."""
    if name != "engine":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    engine = importlib.import_module("negatives._durable.durable.engine" if _BUILT
                                     else "durable.engine")
    globals()["engine"] = engine
    return engine
