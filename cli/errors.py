"""Turn negatives errors into messages and exit codes; no traceback reaches a user."""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import click

from negatives.engine.load.diagnostics import escape
from negatives.engine.load.errors import EngineError, InputError, NegativesError, RuleCompileError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXIT_TERMINATED = 143  # 128 + SIGTERM

F = TypeVar("F", bound=Callable[..., Any])


def guarded(func: F) -> F:
    """Run a command; report bad input (exit 2) and bugs (exit 3) in one line each."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(click.get_current_context().find_root().params.get("debug"))
        try:
            return func(*args, **kwargs)
        except InputError as err:
            for d in err.diagnostics:
                click.echo(d.render(), err=True)
            n = len(err.diagnostics)
            click.echo(f"{n} problem{'s' if n != 1 else ''} found.", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except (RuleCompileError, EngineError) as err:
            click.echo(f"error: the rule base cannot run: {escape(str(err))}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except NegativesError as err:
            click.echo(f"error: {escape(str(err))}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as cat does
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes at exit
            sys.exit(EXIT_OK)
        except Exception as err:
            if debug:
                traceback.print_exc()
            else:
                click.echo(f"internal error: {type(err).__name__}: {escape(str(err))} "
                           "(rerun with --debug for the traceback and report it)", err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]
