"""Run a compiled rule base once in a child process with a time and memory budget.

The last line of defence behind the static limits (engine/language/limits.py): a rule base that
would hang durable_rules, exhaust memory or crash the process does so in the child, and the
parent reports it as a problem instead of hanging with it.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from multiprocessing.connection import Connection
from typing import Any

from negatives.engine.language.compiler import Compiled

SECONDS = 20.0
MEGABYTES = 2048


def _child(conn: Connection, compiled: Compiled, max_firings: int, facts: list[Any],
           megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        from negatives.engine.infer.runtime import Runtime

        Runtime(compiled, max_firings).evaluate(facts)
        conn.send(None)
    except MemoryError:
        conn.send(f"ran out of its {megabytes} MB memory budget")
    except Exception as err:  # the parent reports whatever stopped the rule base
        conn.send(str(err))
    finally:
        conn.close()
        os._exit(0)  # no cleanup in the child: durable_rules' teardown can crash


def probe(compiled: Compiled, max_firings: int, facts: list[Any] | None = None,
          seconds: float = SECONDS, megabytes: int = MEGABYTES) -> str | None:
    """None when the rule base compiles and evaluates `facts` within budget, else why not."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    proc = context.Process(target=_child, args=(child, compiled, max_firings, facts or [],
                                                megabytes), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(seconds):
            return f"durable_rules did not finish compiling and running the rule base within " \
                   f"{seconds:g} s (a hang: too many tests on one fact type, or a join " \
                   "that enumerates too many combinations)"
        try:
            message: str | None = parent.recv()
        except EOFError:
            proc.join(5)
            return f"durable_rules crashed on the rule base (exit {proc.exitcode})"
        return message
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
