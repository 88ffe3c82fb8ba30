"""Quote fingerprints: a run of words of the text is found, a changed word is not; no text."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negatives.engine.authoring.quotes import (
    GRAM_WORDS,
    check_quotes,
    fingerprint,
    quote_problem,
    words,
)
from negatives.engine.load.yamlio import load, to_plain
from negatives.engine.model.kbread import load_knowledge
from negatives.engine.model.knowledge import Fingerprint
from tests.conftest import ROOT

SHARED = ROOT.parent.parent / "shared" / "sources"
VOCAB = ["lift", "lower", "the", "weight", "slowly", "partner", "week", "load", "sets", "reps"]


def _fp(text: str) -> Fingerprint:
    raw = fingerprint("s", text)
    return Fingerprint("s", int(str(raw["n"])), str(raw["text_sha256"]),
                       frozenset(str(raw["grams"]).split()))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), min_size=12, max_size=60), st.data())
def test_every_run_of_words_is_found_and_a_foreign_word_is_not(text: list[str],
                                                                data: st.DataObject) -> None:
    fp = _fp(" ".join(text))
    start = data.draw(st.integers(0, len(text) - GRAM_WORDS))
    end = data.draw(st.integers(start + GRAM_WORDS, len(text)))
    quote = text[start:end]
    assert quote_problem(" ".join(quote), fp) is None
    where = data.draw(st.integers(0, len(quote) - 1))
    changed = [*quote[:where], "squat", *quote[where + 1:]]
    assert quote_problem(" ".join(changed), fp) is not None


def test_normalization_ellipsis_and_short_parts() -> None:
    fp = _fp("Skip it if you\u2019re a newbie. Do 3 sets of 10 reps, then rest.")
    assert quote_problem("skip it if you're a newbie", fp) is None
    assert quote_problem("Do 3 sets ... reps, then rest", fp) is None
    assert quote_problem("skip it if you are a beginner", fp) == \
        "it goes wrong at 'you', after 'skip it if'"
    assert "too short" in str(quote_problem("skip ... a newbie", fp))
    assert words("Eccentric-only: 105%!") == ["eccentric", "only", "105"]


def test_the_fingerprints_ship_no_text() -> None:
    text = (ROOT / "knowledge" / "fingerprints.yaml").read_text(encoding="utf-8")
    body = text.split("fingerprints:", 1)[1]
    assert "accentuated" not in body.replace("source: angelino-ael", "")
    assert {w for w in body.split() if w.isalpha() and len(w) > 8} <= {"fingerprints"}


@pytest.mark.skipif(not SHARED.is_dir(), reason="the articles are not beside the project")
def test_shipped_fingerprints_match_the_articles() -> None:
    shipped = to_plain(load(ROOT / "knowledge" / "fingerprints.yaml").data)["fingerprints"]
    sources = to_plain(load(ROOT / "knowledge" / "sources.yaml").data)["sources"]
    files = {s["id"]: SHARED / s["file"] for s in sources if "file" in s}
    assert {f["source"] for f in shipped} == set(files)
    for entry in shipped:
        text = Path(files[entry["source"]]).read_text(encoding="utf-8")
        assert entry["text_sha256"] == hashlib.sha256(text.encode()).hexdigest()
        assert entry["grams"].split() == str(fingerprint(entry["source"], text)["grams"]).split()


def test_a_source_without_fingerprint_warns_unless_it_says_how_quotes_are_checked(
        tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge, ignore=shutil.ignore_patterns("*.md"))
    extra = knowledge / "extra.yaml"
    source = ("sources:\n  - id: a-handbook\n    kind: reference\n    title: A handbook\n{check}"
              "muscles:\n  - id: neck-flexors\n    name: neck flexors\n    source: a-handbook\n"
              "    quote: \"the neck flexors bend the neck\"\n")
    extra.write_text(source.format(check=""), encoding="utf-8")
    found = check_quotes(load_knowledge(knowledge), [])
    assert [(d.severity, d.code, d.line) for d in found] == [("warning", "quote-unchecked", 9)]
    extra.write_text(source.format(check="    quote_check: read against the printed page\n"),
                     encoding="utf-8")
    assert check_quotes(load_knowledge(knowledge), []) == []
