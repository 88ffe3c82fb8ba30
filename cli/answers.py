"""Where `negatives ask` gets its answers: a terminal (with completion), piped lines, or a file."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from negatives.engine.advice.advise import Advice
from negatives.engine.consult.explain import how, why, why_not
from negatives.engine.consult.questions import (
    AnswerError,
    Field,
    Question,
    choices,
    equipment_names,
    fill,
    parse,
    parse_known,
    prompt_text,
)
from negatives.engine.consult.select import Witness
from negatives.engine.consult.session import Consultation
from negatives.engine.consult.space import Space, lift_entry
from negatives.engine.infer.workspace import Workspace
from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.errors import InputError
from negatives.engine.load.yamlio import Document, to_plain, write_atomic
from negatives.engine.model.athlete import Athlete as AthleteRecord
from negatives.engine.model.athlete import parse_athlete

FOLLOW_UP = "Ask `how <method or rule>` or `why not <method>`; press Enter to finish."
# The plan writer of `negatives plan` (issue 9): the athlete -> a program file's text, or None
# when there is nothing to add now. While it is None, the offer is to save the athlete file.
PLAN_WRITER: Callable[[AthleteRecord, Workspace], str | None] | None = None


class Quit(Exception):
    """The consultation cannot go on (end of input, or a bad piped answer): one line, exit 2."""


def _as_text(q: Question, raw: Any) -> str:
    if raw is None:
        return q.all if q.kind == "equipment" and q.all else (q.unsure or "")
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, list):
        return ", ".join(str(e.get("name")) if isinstance(e, dict) else str(e) for e in raw)
    return str(raw)


class FileAnswers:
    """Answers from YAML in the athlete file's format (an athlete file answers everything)."""

    def __init__(self, doc: Document, space: Space) -> None:
        self.doc = doc
        self.data: dict[str, Any] = to_plain(doc.data) if isinstance(doc.data, dict) else {}
        self.space = space

    def _lookup(self, f: Field) -> tuple[bool, Any, tuple[str | int, ...]]:
        kb = self.space.ws.kb
        if f.key == "stalled":
            for i, entry in enumerate(self.data.get("lifts") or []):
                lift = kb.lift(str(entry.get("name"))) if isinstance(entry, dict) else None
                if lift and lift.name == f.subject and "stalled" in entry:
                    return True, entry["stalled"], ("lifts", i, "stalled")
            return False, None, ()
        if f.key == "one_rep_max":
            for name, value in (self.data.get("one_rep_max") or {}).items():
                exercise = kb.exercise(str(name))
                if exercise and exercise.name == f.subject:
                    return True, value, ("one_rep_max", name)
            return False, None, ()
        return f.key in self.data, self.data.get(f.key), (f.key,)

    def known(self, consult: Consultation, w: Witness) -> list[str]:
        """Which offered 1RMs the answers give a value for ("skip" is not a value)."""
        q = consult.question(w.field)
        maxes = self.data.get("one_rep_max")
        if not isinstance(maxes, dict):
            text = prompt_text(q, w.field, consult.units, w.offer)
            raise InputError([Diagnostic(self.doc.file, 1, 1, f"no answer to question "
                                         f"'{w.field.id}': {text}", "error", "missing-answer")])
        out = []
        for name in w.offer:
            found, raw, _ = self._lookup(Field("one_rep_max", name))
            if found and raw is not None and _as_text(q, raw).lower() != (q.unsure or ""):
                out.append(name)
        click.echo(f"{prompt_text(q, w.field, consult.units, w.offer)} "
                   f"{', '.join(out) or q.none}", err=True)
        return out

    def answer(self, consult: Consultation, w: Witness) -> Any:
        q = consult.question(w.field)
        found, raw, path = self._lookup(w.field)
        if not found:
            text = prompt_text(q, w.field, consult.units)
            raise InputError([Diagnostic(self.doc.file, 1, 1, f"no answer to question "
                                         f"'{w.field.id}': {text}", "error", "missing-answer")])
        try:
            value = parse(q, _as_text(q, raw), self.space.ws.kb)
        except AnswerError as err:
            raise InputError([self.doc.diagnostic(
                path, f"question '{w.field.id}': {err} (got '{_as_text(q, raw)}')", "answer")]) \
                from None
        click.echo(f"{prompt_text(q, w.field, consult.units)} {_as_text(q, raw)}", err=True)
        return value

    def add_logs(self, consult: Consultation) -> None:
        """Lift logs in the answers stand for the "has it stalled" question, as in a file."""
        kb = self.space.ws.kb
        for entry in self.data.get("lifts") or []:
            lift = kb.lift(str(entry.get("name"))) if isinstance(entry, dict) else None
            mine = lift_entry(consult.known, lift.name) if lift else None
            if mine is not None and entry.get("log"):
                mine["log"] = entry["log"]


def _completer(words: list[str]) -> Callable[[str, int], str | None]:
    def complete(text: str, state: int) -> str | None:
        stem = text.lstrip()
        pad = text[: len(text) - len(stem)]
        hits = [pad + w for w in words if w.lower().startswith(stem.lower())]
        return hits[state] if state < len(hits) else None

    return complete


class Prompter:
    """Answers typed at a terminal (readline, Tab completes) or piped, one line per question."""

    def __init__(self, space: Space, tty: bool) -> None:
        self.space = space
        self.tty = tty
        if tty:
            import readline  # line editing and completion for input(), terminals only

            readline.set_completer_delims(",")
            readline.parse_and_bind("tab: complete")

    def _read(self, prompt: str, words: list[str]) -> str:
        if self.tty:
            import readline

            readline.set_completer(_completer(words))
            return input(prompt)
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    def _words(self, q: Question) -> list[str]:
        kb = self.space.ws.kb
        if q.kind == "lifts":
            return kb.lift_names()
        if q.kind == "equipment":
            return [*equipment_names(), *(w for w in (q.all, q.none) if w)]
        return [*choices(q), *(w for w in (q.unsure,) if w)]

    def _help(self, q: Question, f: Field, units: str) -> list[str]:
        out = [fill(" ".join(q.help.split()), f, units)]
        out += [f"  {name}: {text}" for name, text in q.choices.items()]
        return [*out, "(`why`: which rule needs this answer)"]

    def known(self, consult: Consultation, w: Witness) -> list[str]:
        q = consult.question(w.field)
        kb = self.space.ws.kb
        got: list[str] = self._ask(consult, w, prompt_text(q, w.field, consult.units, w.offer),
                                   [*w.offer, *(x for x in (q.none,) if x)],
                                   lambda typed: parse_known(q, typed, kb, w.offer))
        return got

    def answer(self, consult: Consultation, w: Witness) -> Any:
        q = consult.question(w.field)
        return self._ask(consult, w, prompt_text(q, w.field, consult.units), self._words(q),
                         lambda typed: parse(q, typed, self.space.ws.kb))

    def _ask(self, consult: Consultation, w: Witness, text: str, words: list[str],
             parser: Callable[[str], Any]) -> Any:
        q = consult.question(w.field)
        while True:
            try:
                typed = self._read(f"{text} " if self.tty else "", [*words, "why", "help"])
            except EOFError:
                raise Quit(f"end of input at question '{w.field.id}': nothing was saved") \
                    from None
            command = typed.strip().lower()
            if command in ("why", "help"):
                lines = why(self.space, w, consult.known, consult.units) if command == "why" else \
                    self._help(q, w.field, consult.units)
                click.echo("\n".join(lines), err=not self.tty)
                continue
            try:
                value = parser(typed)
            except AnswerError as err:
                if not self.tty:
                    raise Quit(f"error: question '{w.field.id}': {err} (got '{typed}')") \
                        from None
                click.echo(f"  not understood: {err}")
                continue
            if not self.tty:
                click.echo(f"{text} {typed}", err=True)
            return value

    def after(self, consult: Consultation, advice: Advice, save: Path | None) -> None:
        """The offer to keep the answers (and the plan), then HOW and WHY NOT."""
        if save is not None:
            click.echo(f"\nSaved your answers to {save}: `negatives advise {save}` gives this "
                       "advice again.")
        elif self.tty:
            name = self._ask_line("\nSave your answers as an athlete file? File name, or Enter "
                                  "to skip: ", [])
            if name.strip():
                try:
                    write_atomic(Path(name.strip()), consult.file_text())
                except OSError as err:
                    click.echo(f"  not saved: {name.strip()}: {err.strerror}")
                else:
                    click.echo(f"Saved: `negatives advise {name.strip()}` gives this advice "
                               "again.")
        if self.tty and PLAN_WRITER is not None and advice["recommendations"]:
            self._offer_plan(consult, save)
        rules = self.space.ws.compiled.rules
        methods = [m["method"] for m in advice["methods"]]
        words = [*(f"how {n}" for n in [*methods, *rules]), *(f"why not {m}" for m in methods)]
        if self.tty:
            click.echo(FOLLOW_UP)
        while True:
            line = self._ask_line("> " if self.tty else "", words).strip()
            if line.lower() in ("", "quit", "exit", "q"):
                return
            low = line.lower()
            if low.startswith("why not "):
                click.echo("\n".join(why_not(advice, rules, line[8:].strip())))
            elif low.startswith("how "):
                click.echo("\n".join(how(advice, rules, line[4:].strip())))
            else:
                click.echo(FOLLOW_UP)

    def _offer_plan(self, consult: Consultation, save: Path | None) -> None:
        assert PLAN_WRITER is not None
        name = self._ask_line("Write the plan as a program file (`negatives audit` checks it)? "
                              "File name, or Enter to skip: ", []).strip()
        if not name:
            return
        ws = self.space.ws
        text = PLAN_WRITER(parse_athlete(consult.file_text(), str(save or name), ws.kb), ws)
        if text is None:
            click.echo("Nothing to plan now: see the advice above.")
        else:
            try:
                write_atomic(Path(name), text)
            except OSError as err:
                click.echo(f"  not written: {name}: {err.strerror}")
            else:
                click.echo(f"Wrote the plan to {name}.")

    def _ask_line(self, prompt: str, words: list[str]) -> str:
        try:
            return self._read(prompt, words)
        except EOFError:
            return ""
