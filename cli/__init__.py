"""negatives command-line interface (click); holds no domain logic."""

import gc


def run() -> None:
    """The `negatives` program.

    Starting up creates many long-lived objects (modules, knowledge, compiled rules) and almost
    no garbage, so collecting while it happens is wasted time: collection is off until the
    command group's callback freezes the startup objects out of it and turns it back on.
    Importing this package (tests do) changes nothing.
    """
    gc.disable()
    from negatives.cli.main import main  # after gc.disable(): the imports are most of the startup

    main()
