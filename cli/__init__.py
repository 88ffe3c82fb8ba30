"""negatives command-line interface (click); holds no domain logic."""

import gc
import sys
from typing import NoReturn

# The oldest Python negatives runs on; kept in step with requires-python in pyproject.toml.
OLDEST_PYTHON = (3, 11)


def run() -> None:
    """The `negatives` program.

    Starting up creates many long-lived objects (modules, knowledge, compiled rules) and almost
    no garbage, so collecting while it happens is wasted time: collection is off until the
    command group's callback freezes the startup objects out of it and turns it back on.
    Importing this package (tests do) changes nothing.
    """
    if sys.version_info < OLDEST_PYTHON:
        _cannot_start(f"it needs Python {'.'.join(map(str, OLDEST_PYTHON))} or newer; "
                      f"this is {sys.version.split()[0]}")
    gc.disable()
    try:
        from negatives.cli.main import main  # after gc.disable(): imports are most of the startup
    except ImportError as err:
        _cannot_start(str(err))

    main()


def _cannot_start(why: str) -> NoReturn:
    """One line, no traceback, exit 2: this Python or this install cannot run negatives."""
    sys.stderr.write(f"negatives cannot start: {why}\n")
    sys.exit(2)
