"""The exit codes of every command, as README's "Exit codes" table gives them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from negatives.cli.main import cli
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
ALEX = str(ROOT / "examples" / "alex.yaml")
CLEAN = str(FIXTURES / "programs" / "valid" / "slow-eccentric.yaml")
FINDINGS = str(FIXTURES / "programs" / "invalid" / "ael-block-4-weeks.yaml")
WARNINGS = str(FIXTURES / "programs" / "invalid" / "ael-4x8.yaml")
BAD_ATHLETE = str(FIXTURES / "athletes" / "invalid" / "missing-required.yaml")


def code(*args: str) -> int:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    """An editable copy of the shipped rules and knowledge."""
    for name in ("rules", "knowledge"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.md"))
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def folders(copy: Path) -> tuple[str, ...]:
    return ("--rules", str(copy / "rules"), "--knowledge", str(copy / "knowledge"))


def test_advise() -> None:
    assert code("advise", ALEX) == 0
    assert code("advise", BAD_ATHLETE) == 2


def test_audit() -> None:
    assert code("audit", CLEAN) == 0
    assert code("audit", FINDINGS) == 1
    assert code("audit", WARNINGS) == 0
    assert code("audit", WARNINGS, "--fail-on", "warning") == 1
    assert code("audit", BAD_ATHLETE) == 2


def test_rules_check_0_clean_1_whole_base_errors_2_unusable_files(copy: Path) -> None:
    assert code("rules", "check", *folders(copy)) == 0
    safety = copy / "rules" / "advise" / "safety.yaml"
    edit(safety, 'quote: "skip it if you\u2019re a newbie"', 'quote: "skip it if you are new"')
    assert code("rules", "check", *folders(copy)) == 1  # a misquote: the rules still load
    assert code("advise", ALEX, *folders(copy)) == 0
    edit(safety, "where: {experience: novice}", "where: {experience: Novice}")
    assert code("rules", "check", *folders(copy)) == 2  # unusable: advise stops on it too
    assert code("advise", ALEX, *folders(copy)) == 2


def test_rules_test() -> None:
    assert code("rules", "test", "a novice skips*") == 0
    assert code("rules", "test", "no case has this name") == 1


def test_rules_diff_exit_code(copy: Path) -> None:
    (copy / "cases").mkdir()
    shutil.copy(ALEX, copy / "cases")
    cases = str(copy / "cases")
    assert code("rules", "diff", "--cases", cases, "--exit-code", *folders(copy)) == 0
    edit(copy / "knowledge" / "methods.yaml", "      start_percent_1rm:\n        value: 105",
         "      start_percent_1rm:\n        value: 100")
    assert code("rules", "diff", "--cases", cases, *folders(copy)) == 0
    assert code("rules", "diff", "--cases", cases, "--exit-code", *folders(copy)) == 1


def test_show_schema_init(tmp_path: Path) -> None:
    assert code("rules", "show", "ael-skip-novice") == 0
    assert code("rules", "show", "no-such-rule") == 2
    assert code("schema", "athlete") == 0
    assert code("schema", "nothing") == 2
    assert code("init", str(tmp_path / "copy")) == 0
    assert code("init", str(tmp_path / "copy")) == 2


def test_readme_documents_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Exit codes"):].split("\n\n")[1]
    for command in ("advise", "audit", "rules check", "rules test", "rules coverage",
                    "rules diff", "rules list", "rules show", "schema", "init"):
        assert re.search(rf"`{command}`", table), command


def test_the_shipped_rules_pass_rules_check_with_no_warnings() -> None:
    result = CliRunner().invoke(cli, ["rules", "check"], env={"NEGATIVES_RULES": None,
                                                               "NEGATIVES_KNOWLEDGE": None})
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"\d+ rules checked: 0 error\(s\), 0 warning\(s\)\n", result.output), \
        result.output
