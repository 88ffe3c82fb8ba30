"""`negatives ask`: a consultation that asks only what can change the advice, with WHY and HOW."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from negatives.cli.answers import FileAnswers, Prompter, Quit
from negatives.cli.errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, guarded
from negatives.cli.options import rule_options
from negatives.engine.advice.render import ADVICE_FORMATS
from negatives.engine.consult.questions import load_questions
from negatives.engine.consult.session import Consultation, start_from
from negatives.engine.consult.space import Space
from negatives.engine.infer.workspace import knowledge_dir, open_workspace
from negatives.engine.load.errors import InputError, NegativesError
from negatives.engine.load.yamlio import Document, load, write_atomic
from negatives.engine.model.athlete import athlete_from_doc


@click.command("ask")
@click.option("--save", "save", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the answers as an athlete file (atomically) at the end.")
@click.option("--from", "start", type=click.Path(path_type=Path, dir_okay=False),
              help="Start from an athlete file (it may be partial): ask only what it lacks.")
@click.option("--answers", "answers", type=click.Path(path_type=Path, dir_okay=False),
              help="Answer from a YAML file in the athlete file's format, without a terminal.")
@rule_options
@guarded
def ask_command(save: Path | None, start: Path | None, answers: Path | None,
                rules: Path | None, knowledge: Path | None) -> None:
    """Ask "should I use negatives now?" as a consultation: one question at a time, only
    the ones whose answer can still change the advice. At a question, `why` says which
    rule needs the answer and `help` explains it; after the advice, `how METHOD|RULE` and
    `why not METHOD` explain it. Piped stdin answers one question per line."""
    ws = open_workspace("advise", rules, knowledge)
    space = Space(ws, load_questions(knowledge_dir(knowledge)))
    consult = Consultation(space, _start(start, space) if start else {})
    source: FileAnswers | Prompter = (
        FileAnswers(load(answers), space) if answers else Prompter(space, sys.stdin.isatty()))
    if isinstance(source, FileAnswers) and "name" in source.data:
        consult.known.setdefault("name", source.data["name"])
    saved = False
    try:
        while (w := consult.next()) is not None:
            if w.offer:
                consult.answer_known(w.offer, source.known(consult, w))
                continue
            consult.answer(w.field, source.answer(consult, w))
            if isinstance(source, FileAnswers) and w.field.key == "lifts":
                source.add_logs(consult)
        advice = consult.advice(str(save), None) if save else consult.advice("not saved", "you")
        if save:
            _write(save, consult.file_text())
            saved = True
        click.echo(ADVICE_FORMATS["text"](advice, ws.kb), nl=False)
        if isinstance(source, Prompter):
            source.after(consult, advice, save)
    except KeyboardInterrupt:
        click.echo("\ninterrupted" if saved else "\ninterrupted: nothing was saved", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Quit as stop:
        click.echo(str(stop), err=True)
        sys.exit(EXIT_BAD_INPUT)


def _write(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as err:
        raise NegativesError(f"{path}: cannot write: {err.strerror}") from None


def _start(path: Path, space: Space) -> dict[str, Any]:
    """A (possibly partial) athlete file: checked like `advise` checks it, minus missing keys."""
    doc: Document = load(path)
    try:
        athlete_from_doc(doc, space.ws.kb)
    except InputError as err:
        rest = [d for d in err.diagnostics if not d.message.startswith("missing required key")]
        if rest:
            raise InputError(rest) from None
    if not isinstance(doc.data, dict):
        raise NegativesError(f"{path}: an athlete file is a mapping of fields")
    return start_from(doc.data, space)
