"""The corpus of broken knowledge files: every case, its exact output (golden), and the contract.

Each case of tests/fixtures/knowledge/broken/ lays one file over a copy of the shipped knowledge
(a new or replaced `*.yaml`, or a `<file>.yaml.edit` that changes a few lines of a shipped file;
see tests/cli/corpus.py). `<case>.expected` holds the exact output and exit code of
`negatives rules check` and `negatives advise examples/alex.yaml`. Both read every knowledge file
first, so a broken one stops both with exit 2 and the same located problems. Goldens are
compared, never written, unless NEGATIVES_UPDATE_GOLDEN=1 is set (then they are rewritten from
the current output; review the diff).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.corpus import (
    CHECK,
    FIXTURES,
    MAX_BYTES,
    ROOT,
    Corpus,
    CorpusRunner,
    assert_bad_input,
    assert_contract,
    assert_corpus_shape,
    check_problems,
    compare_golden,
    diagnostics,
    golden_params,
    make_workspace,
    run_cli,
    snapshot,
    updating,
)

CORPUS = Corpus("knowledge", FIXTURES / "knowledge" / "broken")

# Cases whose .expected holds the correct behaviour, hand-written, that the product does not
# produce yet. Their golden test is a strict xfail, and update mode leaves their golden alone.
# When a fix lands with other wording, rewrite the golden (review it) and drop the entry.
KNOWN_GOLDEN_BUGS: dict[str, str] = {}
# Cases that break the contract itself (a traceback or an internal error); strict xfail too.
KNOWN_CONTRACT_BUGS: dict[str, str] = {}

REQUIRED = {
    "bad-yaml", "exercises-wrong-type", "unknown-muscle", "pairing-unknown-exercise",
    "method-parameter-negative", "unknown-source", "missing-quote", "duplicate-exercise",
    "alias-clash", "list-not-mapping", "empty-file", "stale-derived-parameter",
    "derived-unknown-parameter", "derived-circle", "knowledge-misquote", "vocabulary-unknown-type",
    "region-unknown-muscle", "reps-min-above-max",
}


@pytest.fixture(scope="session")
def run_case(tmp_path_factory: pytest.TempPathFactory) -> CorpusRunner:
    return CorpusRunner(CORPUS, tmp_path_factory)


@pytest.mark.parametrize("case", golden_params(CORPUS, KNOWN_GOLDEN_BUGS))
def test_golden(run_case: CorpusRunner, case: str) -> None:
    update = updating() and case not in KNOWN_GOLDEN_BUGS
    compare_golden(CORPUS.golden(case), run_case(case).render(), update)


@pytest.mark.parametrize("case", golden_params(CORPUS, KNOWN_CONTRACT_BUGS))
def test_contract(run_case: CorpusRunner, case: str) -> None:
    assert_contract(run_case(case))


@pytest.mark.parametrize("case", golden_params(CORPUS, KNOWN_GOLDEN_BUGS))
def test_check_and_advise_report_the_same(run_case: CorpusRunner, case: str) -> None:
    check, advise = run_case(case).commands
    if check.exit_code != 2:  # a finding of the whole-base checks (a misquote): advice still runs
        assert (check.exit_code, advise.exit_code) == (1, 0), case
        return
    assert (check.exit_code, check.stdout, check.stderr) == \
           (advise.exit_code, advise.stdout, advise.stderr), "knowledge is read first by both"


def test_every_case_has_a_golden_and_is_one_small_file() -> None:
    assert_corpus_shape(CORPUS)


def test_corpus_covers_the_categories() -> None:
    cases = set(CORPUS.cases())
    assert cases >= REQUIRED, sorted(REQUIRED - cases)
    assert set(KNOWN_GOLDEN_BUGS) <= cases
    assert (CORPUS.folder / "empty-file" / "extra.yaml").read_bytes() == b""
    assert [p.name for p in CORPUS.overlay("exercises-wrong-type")] == ["exercises.yaml"]


@pytest.mark.parametrize(("case", "codes"), [
    ("bad-yaml", ["yaml-syntax"]),
    ("empty-file", ["empty"]),
    ("list-not-mapping", ["schema"]),
    ("exercises-wrong-type", ["schema", "schema", "schema"]),
    ("missing-quote", ["schema"]),
    ("duplicate-exercise", ["duplicate"]),
    ("alias-clash", ["duplicate"]),
    ("unknown-muscle", ["unknown", "unknown"]),
    ("pairing-unknown-exercise", ["unknown", "unknown"]),
    ("unknown-source", ["unknown", "unknown"]),
    ("stale-derived-parameter", ["stale-derived"]),
    ("derived-unknown-parameter", ["derived"]),
    ("derived-circle", ["derived"]),
    ("vocabulary-unknown-type", ["schema"]),
    ("region-unknown-muscle", ["unknown"]),
    ("reps-min-above-max", ["inconsistent"]),
])
def test_problem_codes(run_case: CorpusRunner, case: str, codes: list[str]) -> None:
    check_problems(run_case(case), codes=codes)


@pytest.mark.parametrize(("case", "hint"), [
    ("unknown-muscle", "did you mean 'pectorals'?"),
    ("unknown-muscle", "did you mean 'quadriceps'?"),
    ("pairing-unknown-exercise", "did you mean 'dumbbell bench press'?"),
    ("unknown-source", "did you mean 'angelino-ael'?"),
    ("unknown-source", "did you mean 'eccentric-training'?"),
    ("stale-derived-parameter", "start_percent_1rm - start_percent_tolerance = 107.5"),
    ("vocabulary-unknown-type", "expected one of: string, integer, number, boolean"),
])
def test_did_you_mean(run_case: CorpusRunner, case: str, hint: str) -> None:
    check_problems(run_case(case), hint=hint)


def test_a_misquote_in_knowledge_is_an_error_of_rules_check(run_case: CorpusRunner) -> None:
    cmd = run_case("knowledge-misquote").command("check")
    found = diagnostics(cmd.stdout.splitlines()[:-1])
    assert [(m["file"], m["code"], m["severity"]) for m in found] == [
        ("knowledge/methods.yaml", "misquote", "error")]
    assert "it has no 'do 4 sets'" in found[0]["msg"]


def test_replaced_file_is_reported_not_the_files_that_need_it(run_case: CorpusRunner) -> None:
    """exercises.yaml replaced by a broken one: its schema problems only, no follow-on errors."""
    cmd = run_case("exercises-wrong-type").command("check")
    files = {m["file"] for m in diagnostics(cmd.stderr.splitlines()[:-1])}
    assert files == {"knowledge/exercises.yaml"}


def test_ten_megabyte_knowledge_file(tmp_path: Path) -> None:
    """A 10 MB knowledge file: refused by its size before it is parsed, named, exit 2."""
    ws = tmp_path / "ws"
    ws.mkdir()
    make_workspace(CORPUS, "empty-file", ws)
    (ws / "knowledge" / "extra.yaml").unlink()
    line = b"# padding padding padding padding padding padding padding padding padding\n"
    big = ws / "knowledge" / "huge.yaml"
    big.write_bytes(b"exercises:\n" + line * (10 * 1024 * 1024 // len(line) + 1))
    size = big.stat().st_size
    assert size > 10 * 1024 * 1024
    before = snapshot(ws)
    expected = (f"knowledge/huge.yaml:1:1: error file is {size} bytes; the limit is {MAX_BYTES} "
                "[too-large]\n1 problem found.\n")
    check = run_cli(ws, CHECK, tmp_path / "cache")
    assert check.exit_code == 2
    assert_bad_input(ws, check)
    assert check.stderr == expected
    # The real process, with a generous timeout: it must not hang on the big file.
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEGATIVES_")}
    env.update(PYTHONPATH=str(ROOT), NEGATIVES_CACHE="off")
    done = subprocess.run([sys.executable, "-m", "negatives", "advise", "examples/alex.yaml",
                           "--rules", "rules", "--knowledge", "knowledge"],
                          cwd=ws, capture_output=True, text=True, timeout=120, check=False,
                          env=env)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", expected)
    assert "Traceback" not in done.stderr
    assert snapshot(ws) == before
