"""The corpus of broken rule files: every case, its exact output (golden), and the contract.

Each case of tests/fixtures/rules/broken/ lays one file over a copy of the shipped rules (see
tests/cli/corpus.py for the layout and the commands run). `<case>.expected` holds the exact output
and exit code of every command. Goldens are compared, never written, unless
NEGATIVES_UPDATE_GOLDEN=1 is set: then they are rewritten from the current output (for
maintainers; review the diff). Whatever the golden says, every command must keep the contract:
no traceback, exit 2 on unusable input with every problem as `file:line:col: error ... [code]`,
`rules check` exiting 1 exactly when it reports errors, and nothing written into the folders.

What `rules check` does with each kind of problem (recorded by the goldens):
- a file it cannot use (YAML, schema, names, references, duplicate ids): exit 2, the problems on
  stderr, as `advise` does;
- a whole-base finding: on stdout with a summary line; `never-fires` is an error (exit 1), a
  contradiction or an unread fact a warning (exit 0). `advise` does not run these checks.
- test files (`*.test.yaml`) are not read by `rules check`; `rules test` reports them (exit 2).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.corpus import (
    FIXTURES,
    TEST_FAIL,
    UPDATE_ENV,
    Corpus,
    CorpusRunner,
    assert_contract,
    assert_corpus_shape,
    check_problems,
    compare_golden,
    diagnostics,
    golden_params,
    updating,
)

CORPUS = Corpus("rules", FIXTURES / "rules" / "broken")

# Cases whose .expected holds the correct behaviour, hand-written, that the product does not
# produce yet. Their golden test is a strict xfail, and update mode leaves their golden alone.
# When a fix lands with other wording, rewrite the golden (review it) and drop the entry.
KNOWN_GOLDEN_BUGS: dict[str, str] = {
}

# The corpus must cover these, one case each.
REQUIRED = {
    "bad-yaml", "tab-indentation", "empty-file", "list-not-mapping", "missing-required-key",
    "wrong-type", "unknown-key-near-miss", "bad-priority", "unknown-conclusion-kind",
    "unknown-operator", "unknown-fact", "unknown-field", "unknown-method", "unknown-exercise",
    "unknown-lift", "unknown-source", "duplicate-id-same-file", "duplicate-id-across-files",
    "contradiction", "never-fires", "unread-fact", "undefined-alias", "duplicate-yaml-keys",
    "python-tag", "alias-bomb", "binary-garbage", "not-utf8", "test-file-schema-error",
    "test-expectation-fails", "misspelt-enum-value", "misspelt-enum-typo", "wrong-type-condition",
    "impossible-range", "impossible-all", "out-of-vocabulary-range", "dead-any-branch",
    "join-type-mismatch", "lift-is-an-exercise", "list-as-value", "misquote", "literal-parameter",
    "alias-in-condition",
}


@pytest.fixture(scope="session")
def run_case(tmp_path_factory: pytest.TempPathFactory) -> CorpusRunner:
    return CorpusRunner(CORPUS, tmp_path_factory)


@pytest.mark.parametrize("case", golden_params(CORPUS, KNOWN_GOLDEN_BUGS))
def test_golden(run_case: CorpusRunner, case: str) -> None:
    update = updating() and case not in KNOWN_GOLDEN_BUGS
    compare_golden(CORPUS.golden(case), run_case(case).render(), update)


@pytest.mark.parametrize("case", CORPUS.cases())
def test_contract(run_case: CorpusRunner, case: str) -> None:
    run = run_case(case)
    assert_contract(run)
    test = next((c for c in run.commands if c.kind == "test"), None)
    if test is not None and test.exit_code != 2:
        for line in test.stdout.splitlines():
            m = TEST_FAIL.match(line)
            if m:
                lines = (run.ws / m["file"]).read_text(encoding="utf-8").splitlines()
                assert 1 <= int(m["line"]) <= len(lines), line


def test_unusable_rules_stop_advise_like_check(run_case: CorpusRunner) -> None:
    """A rule file that cannot be used: `rules check` and `advise` (or `audit`) say the same."""
    stopped = 0
    for case in CORPUS.cases():
        run = run_case(case)
        check = run.command("check")
        if check.exit_code != 2:
            continue  # the rule files load; only the whole-base checks have something to say
        stopped += 1
        for cmd in run.commands[1:]:
            if cmd.kind != "test":
                assert (cmd.exit_code, cmd.stderr) == (2, check.stderr), case
    assert stopped >= 20


def test_every_case_has_a_golden_and_is_one_small_file() -> None:
    assert_corpus_shape(CORPUS)


def test_corpus_covers_the_categories() -> None:
    cases = set(CORPUS.cases())
    assert cases >= REQUIRED, sorted(REQUIRED - cases)
    assert set(KNOWN_GOLDEN_BUGS) <= cases
    extra = CORPUS.folder / "{}" / "advise" / "extra.yaml"
    assert b"\x00" in Path(str(extra).format("binary-garbage")).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        Path(str(extra).format("not-utf8")).read_bytes().decode("utf-8")
    assert Path(str(extra).format("empty-file")).read_bytes() == b""
    assert b"\t" in Path(str(extra).format("tab-indentation")).read_bytes()


@pytest.mark.parametrize(("case", "codes"), [
    ("bad-yaml", ["yaml-syntax"]),
    ("tab-indentation", ["yaml-syntax"]),
    ("empty-file", ["empty"]),
    ("binary-garbage", ["not-text"]),
    ("not-utf8", ["not-text"]),
    ("alias-bomb", ["too-large"]),
    ("python-tag", ["tag", "tag"]),
    ("duplicate-yaml-keys", ["duplicate-key", "duplicate-key"]),
    ("duplicate-id-same-file", ["duplicate"]),
    ("duplicate-id-across-files", ["duplicate"]),
    ("unknown-fact", ["unknown-fact"]),
    ("never-fires", ["unknown-fact"]),
    ("unknown-field", ["unknown-field"]),
    ("undefined-alias", ["reference", "reference", "unknown-field"]),
    ("misspelt-enum-value", ["unknown-value"]),
    ("misspelt-enum-typo", ["unknown-value", "unknown-value"]),
    ("wrong-type-condition", ["type", "type", "type"]),
    ("impossible-range", ["never-fires"]),
    ("impossible-all", ["never-fires"]),
    ("out-of-vocabulary-range", ["never-fires"]),
    ("join-type-mismatch", ["type"]),
    ("lift-is-an-exercise", ["unknown"]),
    ("list-as-value", ["schema"]),
    ("alias-in-condition", ["unknown"]),
    ("unknown-placeholder", ["placeholder"] * 4),
])
def test_problem_codes(run_case: CorpusRunner, case: str, codes: list[str]) -> None:
    check_problems(run_case(case), codes=codes)


@pytest.mark.parametrize(("case", "hint"), [
    ("unknown-key-near-miss", "did you mean 'where'?"),
    ("unknown-key-near-miss", "did you mean 'because'?"),
    ("unknown-conclusion-kind", "did you mean 'recommend'?"),
    ("unknown-fact", "did you mean 'athlete'?"),
    ("unknown-field", "did you mean 'experience'?"),
    ("unknown-method", "did you mean 'accentuated-eccentric'?"),
    ("unknown-source", "did you mean 'angelino-ael'?"),
    ("unknown-pairing-and-parameter", "did you mean 'db-bench-press-to-close-grip-press'?"),
    ("unknown-pairing-and-parameter", "did you mean 'eccentric_seconds'?"),
    ("undefined-alias", "did you mean 'name'?"),
    ("audit-unknown-field", "did you mean 'tempo_eccentric_s'?"),
    ("misspelt-enum-value", "did you mean 'novice'?"),
    ("misspelt-enum-typo", "did you mean 'fatigued'?"),
    ("misspelt-enum-typo", "did you mean 'pulling'?"),
    ("impossible-range", "`cycle_week > 10` and `cycle_week < 5` cannot both hold"),
    ("lift-is-an-exercise", "it is an exercise ('bilateral leg press'), not a lift; lifts: "),
    ("list-as-value", "for several values write {in: "),
    ("alias-in-condition", "rules match the canonical name 'overhead press'"),
])
def test_did_you_mean(run_case: CorpusRunner, case: str, hint: str) -> None:
    check_problems(run_case(case), hint=hint)


def test_whole_base_findings_are_on_stdout(run_case: CorpusRunner) -> None:
    for case, code, severity, exit_code in [("contradiction", "contradiction", "warning", 0),
                                            ("unread-fact", "unread-fact", "warning", 0),
                                            ("misquote", "misquote", "error", 1),
                                            ("literal-parameter", "literal-parameter",
                                             "warning", 0),
                                            ("dead-any-branch", "dead-alternative", "warning",
                                             0)]:
        cmd = run_case(case).command("check")
        found = diagnostics(cmd.stdout.splitlines()[:-1])
        assert [(m["code"], m["severity"]) for m in found] == [(code, severity)], case
        assert cmd.exit_code == exit_code, case
        assert run_case(case).command("advise").exit_code == 0, "advise does not lint"


def test_python_tag_never_executes(run_case: CorpusRunner) -> None:
    run = run_case("python-tag")
    assert all(c.exit_code == 2 for c in run.commands)
    assert not (run.ws / "pwned").exists(), "the tag was executed"
    assert not (run.ws / "pwned-too").exists(), "the tag was executed"
    assert not list(run.ws.rglob("pwned*"))


def test_broken_test_file_is_reported_by_rules_test_only(run_case: CorpusRunner) -> None:
    run = run_case("test-file-schema-error")
    assert run.command("check").exit_code == 0
    test = run.command("test")
    assert test.exit_code == 2
    assert test.stderr.startswith("rules/advise/extra.test.yaml:")


def test_failing_expectation_shows_expected_and_fired(run_case: CorpusRunner) -> None:
    out = run_case("test-expectation-fails").command("test").stdout
    assert "expected rule ael-three-weeks-max to fire; it did not" in out
    assert "expected rule ael-skip-novice to stay silent; it fired" in out
    fired = [line for line in out.splitlines() if line.startswith("    fired: ")]
    assert len(fired) == 2 and "ael-skip-novice" in fired[0].split(": ")[1].split(", ")
    assert fired[1] == "    fired: nothing"
    assert out.endswith("rules: 1 passed, 2 failed\n")


def test_goldens_untouched_by_a_normal_run(run_case: CorpusRunner,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(UPDATE_ENV, raising=False)
    before = {p: p.read_bytes() for p in CORPUS.folder.glob("*.expected")}
    compare_golden(CORPUS.golden("bad-yaml"), run_case("bad-yaml").render(), updating())
    assert {p: p.read_bytes() for p in CORPUS.folder.glob("*.expected")} == before
