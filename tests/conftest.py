"""Shared fixtures: the shipped workspace, and helpers that advise on an athlete given as a dict."""

from __future__ import annotations

import copy
import dataclasses
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from negatives.engine.advice.advise import advise
from negatives.engine.infer.cache import CACHE_ENV
from negatives.engine.infer.workspace import Workspace, open_workspace
from negatives.engine.load import yamlio
from negatives.engine.load.yamlio import Document, dump
from negatives.engine.model.athlete import parse_athlete

# Cache bytecode even where the environment says not to (PYTHONDONTWRITEBYTECODE, set on some
# machines): the suite starts two workers and dozens of `python -m negatives` processes, each of
# which would otherwise compile the package's modules (and pytest rewrite the tests) again.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# CI (`CI=true`, as .ci/run sets) runs the slow property, fuzz and scale tests at their full
# budget; a local run uses a smaller one, so the suite stays within a few minutes.
FULL = os.environ.get("CI", "").lower() in ("true", "1")


def budget(full: int, local: int) -> int:
    """How many examples, evaluations or athletes a slow test runs: `full` in CI, else `local`."""
    return full if FULL else local

BASE_ATHLETE: dict[str, Any] = {
    "name": "Test",
    "experience": "intermediate",
    "units": "kg",
    "recovery": "well-rested",
    "cycle_week": 1,
    "partner": True,
    "lifts": [{"name": "bench press", "stalled": True}],
    "one_rep_max": {"dumbbell close-grip chest press": 30},
    "accentuated_eccentric_weeks_done": 0,
}


def athlete_dict(**changes: Any) -> dict[str, Any]:
    """BASE_ATHLETE with some fields changed (a value of None removes the field)."""
    out = copy.deepcopy(BASE_ATHLETE)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The suite's runs (and the CLI processes it starts) share a cache of their own."""
    old = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        del os.environ[CACHE_ENV]
    else:
        os.environ[CACHE_ENV] = old


@pytest.fixture(scope="session", autouse=True)
def parse_each_text_once() -> Iterator[None]:
    """Parse each distinct YAML text once in the whole session.

    Most CLI tests read the shipped knowledge and rules again (the corpora lay one broken file
    over a fresh copy of them and run two commands on it; other tests copy them to a temporary
    folder), and ruamel's round-trip parsing was most of the suite's time. A parsed Document is
    never changed after parsing, so sharing it changes no result: the same text under another
    file name gets the same data under that name (unless parsing reported problems, which name
    the file: then it is parsed again). A text that fails to parse raises every time.
    """
    original = yamlio.parse_text
    parsed: dict[str, Document] = {}

    def parse_text(text: str, file: str, *more: Any, **options: Any) -> Document:
        if more or options:  # a call this memo does not know: parse it as asked
            return original(text, file, *more, **options)
        doc = parsed.get(text)
        if doc is None or (doc.file != file and doc.problems):
            doc = parsed[text] = original(text, file)
        return doc if doc.file == file else dataclasses.replace(doc, file=file)

    yamlio.parse_text = parse_text
    yield
    yamlio.parse_text = original


@pytest.fixture(scope="session")
def ws() -> Workspace:
    return open_workspace("advise")


@pytest.fixture(scope="session")
def run_advice(ws: Workspace) -> Callable[..., dict[str, Any]]:
    """advice for BASE_ATHLETE with the given changes, as the JSON-ready dict."""

    def run(**changes: Any) -> dict[str, Any]:
        text = dump(athlete_dict(**changes))
        return advise(parse_athlete(text, "athlete.yaml", ws.kb), ws)

    return run


def method(advice: dict[str, Any], name: str) -> dict[str, Any]:
    return next(m for m in advice["methods"] if m["method"] == name)


def fired(advice: dict[str, Any]) -> set[str]:
    return {step["rule"] for step in advice["explanation"]}
