"""durable_rules: the engine built into this package (Python 3.13+), else the distribution.

On Python 3.13 and newer, setup.py compiles durable_rules 2.0.28's C engine into this folder
(`durable_rules_engine`) and copies its Python modules beside it (`durable/`); the durable-rules
distribution is then no dependency. Its `engine` module imports the C engine by the top-level name
`durable_rules_engine`, so that name is bound to the built one before `engine` is imported.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any


def _load() -> tuple[Any, Any]:
    """The C engine and durable's `engine` module: the built-in copy, else the distribution."""
    try:
        core = importlib.import_module("negatives._durable.durable_rules_engine")
    except ImportError:
        try:
            return (importlib.import_module("durable_rules_engine"),
                    importlib.import_module("durable.engine"))
        except ImportError as err:
            raise ImportError(
                f"durable_rules is not installed for Python {sys.version.split()[0]}; "
                "reinstall negatives with this Python (pip install -e .)") from err
    sys.modules["durable_rules_engine"] = core
    return core, importlib.import_module("negatives._durable.durable.engine")


core, engine = _load()
