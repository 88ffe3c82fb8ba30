"""Quotes stay honest: each `quote` is checked against its source's fingerprint (n-gram hashes)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from negatives.engine.language.rules import RuleBase
from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.model.knowledge import Citation, Fingerprint, Knowledge

GRAM_WORDS = 3  # words per hashed n-gram: short enough for the shortest quoted phrase
_ELLIPSIS = re.compile(r"\.\.\.|\u2026|\[[^\]]*\]")


def words(text: str) -> list[str]:
    """Lower-case words; apostrophes dropped (you're = youre), other punctuation a space."""
    text = text.lower().replace("\u2019", "").replace("\u2018", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", " ", text).split()


def gram_hash(gram: list[str]) -> str:
    return hashlib.blake2b(" ".join(gram).encode(), digest_size=4).hexdigest()


def grams(text: str, n: int = GRAM_WORDS) -> list[str]:
    w = words(text)
    return [gram_hash(w[i:i + n]) for i in range(len(w) - n + 1)]


def fingerprint(source: str, text: str, n: int = GRAM_WORDS) -> dict[str, object]:
    """The fingerprint entry of one source text (knowledge/fingerprints.yaml)."""
    return {"source": source, "n": n,
            "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "grams": " ".join(sorted(set(grams(text, n))))}


def quote_problem(quote: str, fp: Fingerprint) -> str | None:
    """Why the quote is not in the fingerprinted text, or None when every part of it is."""
    for part in _ELLIPSIS.split(quote):
        w = words(part)
        if not w:
            continue
        if len(w) < fp.n:
            return f"'{part.strip()}' is too short to check ({fp.n} words at least)"
        for i in range(len(w) - fp.n + 1):
            if gram_hash(w[i:i + fp.n]) not in fp.grams:
                if i:
                    return f"it goes wrong at '{w[i + fp.n - 1]}', after " \
                           f"'{' '.join(w[:i + fp.n - 1])}'"
                return f"it has no '{' '.join(w[:fp.n])}'"
    return None


def _cites(kb: Knowledge) -> Iterator[tuple[str, Citation]]:
    for kind in ("muscles", "exercises", "lifts", "pairings", "methods", "concepts", "regions"):
        for key, entry in getattr(kb, kind).items():
            yield f"{kind.rstrip('s')} '{key}'", entry.cite
    for method in kb.methods.values():
        for name, p in method.parameters.items():
            yield f"parameter {name} of {method.id}", p.cite
    for name, s in kb.settings.items():
        yield f"setting {name}", s.cite


def _quote_line(cite: Citation, lines: dict[str, list[str]]) -> tuple[int, int]:
    """Line and column of the `quote:` of the entry that starts at cite.line."""
    if cite.file not in lines:
        try:
            lines[cite.file] = Path(cite.file).read_text(encoding="utf-8").splitlines()
        except OSError:
            lines[cite.file] = []
    text = lines[cite.file]
    for i in range(cite.line - 1, min(len(text), cite.line + 40)):
        col = text[i].find("quote:")
        if col >= 0:
            return i + 1, col + 8
    return cite.line, 1


def check_quotes(kb: Knowledge, bases: list[RuleBase]) -> list[Diagnostic]:
    """Every quote of a rule or knowledge entry, against its source's fingerprint."""
    cites = list(_cites(kb)) + [(f"rule '{r.id}'", r.cite) for b in bases for r in b.rules]
    out: list[Diagnostic] = []
    lines: dict[str, list[str]] = {}
    for what, cite in cites:
        if not cite.quote or cite.source not in kb.sources:
            continue
        line, col = _quote_line(cite, lines)
        fp = kb.fingerprints.get(cite.source)
        if fp is None and kb.sources[cite.source].quote_check:
            continue  # no text in the project to fingerprint; the source says how it is checked
        if fp is None:
            out.append(Diagnostic(cite.file, line, col, f"cannot check the quote of {what}: "
                                  f"source '{cite.source}' has no fingerprint (build one with "
                                  "tools/fingerprint.py from its text, or say how its quotes are "
                                  "checked in its `quote_check:`)", "warning",
                                  "quote-unchecked"))
            continue
        why = quote_problem(cite.quote, fp)
        if why is not None:
            title = kb.sources[cite.source].title
            out.append(Diagnostic(cite.file, line, col, f"the quote of {what} is not in the text "
                                  f"of '{cite.source}' ({title}): {why}; quote it word for "
                                  "word (use ... for a gap)", "error", "misquote"))
    return out
