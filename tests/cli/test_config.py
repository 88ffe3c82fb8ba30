"""The config file: discovery, precedence (flags > env vars > config file > shipped) and errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from negatives.cli.main import cli
from negatives.engine.infer.workspace import shipped

DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error (?P<msg>.+) "
                        r"\[(?P<code>[a-z][a-z-]*)\]$")
# An unknown exercise (info), and eccentric-only reps at 130% (error).
PROGRAM = """name: test
units: kg
weeks:
  - week: 1
    days:
      - day: Monday
        exercises:
          - {exercise: sled push, sets: 4, reps: 1}
          - {exercise: barbell bench press, method: eccentric-only, sets: 3, reps: 8,
             percent_1rm: 130}
"""


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="negatives", env=env)


def rules_found(result: Result) -> set[str]:
    assert result.exit_code in (0, 1), result.stderr
    return {f["rule"] for f in json.loads(result.stdout)["findings"]}


@pytest.fixture(autouse=True)
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with a program in a subfolder; the tests run from the subfolder."""
    for name in ("NEGATIVES_RULES", "NEGATIVES_KNOWLEDGE", "NEGATIVES_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "programs").mkdir()
    (tmp_path / "programs" / "p.yaml").write_text(PROGRAM, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "programs")
    return tmp_path


MARK = "COPY"


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped rules whose 125% message starts with MARK."""
    copy = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(shipped("rules"), copy)
    path = copy / "audit" / "eccentric-methods.yaml"
    text = path.read_text("utf-8")
    old = 'message: "{e.percent}% of 1RM'
    assert text.count(old) == 1
    path.write_text(text.replace(old, f'message: "{MARK} {{e.percent}}% of 1RM'), "utf-8")
    return copy


def messages(result: Result) -> str:
    assert result.exit_code in (0, 1), result.stderr
    return " ".join(f["message"] for f in json.loads(result.stdout)["findings"])


def test_no_config_file_means_shipped_defaults() -> None:
    result = run("audit", "p.yaml", "--format", "json")
    assert rules_found(result) == {"audit-unknown-exercise", "audit-eo-above-125"}
    assert result.exit_code == 1


def test_negatives_toml_is_found_upward(project: Path) -> None:
    (project / "negatives.toml").write_text('ignore = ["names"]\nfail-on = "info"\n', "utf-8")
    result = run("audit", "p.yaml", "--format", "json")
    assert rules_found(result) == {"audit-eo-above-125"}


def test_pyproject_section_is_found_upward(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.negatives]\nselect = ["names"]\nfail-on = "info"\n',
        "utf-8")
    result = run("audit", "p.yaml", "--format", "json")
    assert rules_found(result) == {"audit-unknown-exercise"}
    assert result.exit_code == 1  # the info fails at fail-on = info


def test_a_pyproject_without_the_section_is_passed_over(project: Path) -> None:
    (project / "negatives.toml").write_text('select = ["names"]\n', "utf-8")
    (project / "programs" / "pyproject.toml").write_text('[tool.ruff]\nline-length = 1\n',
                                                         "utf-8")
    assert rules_found(run("audit", "p.yaml", "--format", "json")) == {"audit-unknown-exercise"}


def test_negatives_toml_beats_pyproject_in_the_same_folder(project: Path) -> None:
    (project / "negatives.toml").write_text('select = ["names"]\n', "utf-8")
    (project / "pyproject.toml").write_text('[tool.negatives]\nselect = ["load"]\n', "utf-8")
    assert rules_found(run("audit", "p.yaml", "--format", "json")) == {"audit-unknown-exercise"}


def test_flags_beat_the_config_file(project: Path) -> None:
    (project / "negatives.toml").write_text('select = ["names"]\nfail-on = "info"\n', "utf-8")
    flagged = run("audit", "p.yaml", "--format", "json", "--select", "eccentric-only")
    assert rules_found(flagged) == {"audit-eo-above-125"}
    (project / "negatives.toml").write_text('ignore = ["load"]\nfail-on = "info"\n', "utf-8")
    assert run("audit", "p.yaml").exit_code == 1
    assert run("audit", "p.yaml", "--fail-on", "error").exit_code == 0


def test_rules_folder_precedence(project: Path, marked: Path) -> None:
    """config file < env var < flag, for the rules folder (relative to the config file)."""
    copy = project / "my-rules"
    shutil.copytree(marked, copy)
    (project / "negatives.toml").write_text('rules = "my-rules"\n', "utf-8")
    assert MARK in messages(run("audit", "p.yaml", "--format", "json"))
    env = {"NEGATIVES_RULES": str(shipped("rules"))}
    assert MARK not in messages(run("audit", "p.yaml", "--format", "json", env=env))
    flagged = run("audit", "p.yaml", "--format", "json", "--rules", str(copy), env=env)
    assert MARK in messages(flagged)


def test_config_flag_and_env_var_choose_the_file(project: Path) -> None:
    (project / "negatives.toml").write_text('select = ["names"]\n', "utf-8")
    other = project / "other.toml"
    other.write_text('select = ["eccentric-only"]\n', "utf-8")
    by_env = run("audit", "p.yaml", "--format", "json", env={"NEGATIVES_CONFIG": str(other)})
    assert rules_found(by_env) == {"audit-eo-above-125"}
    by_flag = run("audit", "p.yaml", "--format", "json", "--config", "../negatives.toml",
                  env={"NEGATIVES_CONFIG": str(other)})
    assert rules_found(by_flag) == {"audit-unknown-exercise"}


def test_the_config_file_serves_every_command(project: Path, marked: Path) -> None:
    shutil.copytree(marked, project / "my-rules")
    (project / "negatives.toml").write_text('rules = "my-rules"\n', "utf-8")
    shown = run("rules", "show", "audit-eo-above-125")
    assert shown.exit_code == 0, shown.stderr
    assert "my-rules" in shown.stdout


@pytest.mark.parametrize(("text", "line", "column", "code", "words"), [
    ('select = ["names"]\nfial-on = "info"\n', 2, 1, "unknown", "did you mean 'fail-on'"),
    ('fail-on = "fatal"\n', 1, 1, "config", "one of error, warning, info"),
    ('\n\nselect = "names"\n', 3, 1, "config", "a list of rule ids or tags"),
    ('rules = "nowhere"\n', 1, 1, "config", "folder 'nowhere' not found"),
    ('select = ["names"\n', 2, 1, "toml-syntax", "invalid TOML"),
    ('select = ["safty"]\n', 1, 1, "unknown", "did you mean 'safety'"),
])
def test_a_bad_config_file_is_located(project: Path, text: str, line: int, column: int,
                                      code: str, words: str) -> None:
    (project / "negatives.toml").write_text(text, "utf-8")
    result = run("audit", "p.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    first = DIAGNOSTIC.match(result.stderr.splitlines()[0])
    assert first, result.stderr
    assert (first["file"], int(first["line"]), int(first["col"]), first["code"]) == (
        "../negatives.toml", line, column, code)
    assert words in first["msg"]


def test_every_problem_of_a_config_file_at_once(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.other]\nx = 1\n[tool.negatives]\nfail-on = 3\ncolour = "red"\n', "utf-8")
    result = run("audit", "p.yaml")
    assert result.exit_code == 2
    located = [m.group("file", "line", "code") for m in map(DIAGNOSTIC.match,
                                                             result.stderr.splitlines()) if m]
    assert located == [("../pyproject.toml", "4", "config"), ("../pyproject.toml", "5",
                                                               "unknown")]


def test_a_missing_config_file_named_by_flag(project: Path) -> None:
    result = run("audit", "p.yaml", "--config", "nope.toml")
    assert result.exit_code == 2
    assert "nope.toml:1:1: error config file not found [io]" in result.stderr


# TOML lines from which documents are drawn: headers, keys that put a value in tool.negatives
# or not, and lines that only name negatives (what a project that depends on it writes).
_TOML_LINES = [
    "[project]", "[tool]", "[tool.negatives]", "[ tool . \"negatives\" ]", "[tool.other]",
    "[tool.negatives.extra]", "[[tool.negatives.list]]", "[\"tool\"]", "['tool'.negatives]",
    "[tool.negativesx]", 'name = "negatives"', 'negatives = "negatives.cli:run"',
    'negatives = { select = ["names"] }', "negatives.select = [\"x\"]", '"negatives" = {}',
    "tool.negatives.select = [\"x\"]", 'tool = { negatives = { select = ["x"] } }',
    "\"tool\".negatives = {}", 'dependencies = ["negatives>=1"]', '"negatives.cli" = ["*.py"]',
    "x = 1", '# negatives = "a comment"', "desc = '''", "[tool.negatives]'''", "'''",
    "y = \"]\"  # [tool.negatives]", "x = [", "  [1],", "  \"[tool.negatives]\",", "]",
    "[tool] # a\u2028[x]", "# \x85[x]", "z = \"\u2029[x]\"", '[tool."negativ\\u0065s"]',
    "w = [[1], [2]]",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_TOML_LINES), max_size=8))
def test_the_pyproject_prefilter_never_hides_the_section(lines: list[str]) -> None:
    # Skipping TOML parsing is only allowed when tomllib finds no [tool.negatives] table.
    import tomllib

    from negatives.engine.load.config import _may_have_section

    text = "\n".join(lines) + "\n"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # the property is about valid files; broken ones: the test below
    tool = data.get("tool")
    has = isinstance(tool, dict) and isinstance(tool.get("negatives"), dict)
    if has:
        assert _may_have_section(text)


def test_the_prefilter_skips_a_project_that_only_depends_on_negatives() -> None:
    from negatives.engine.load.config import _may_have_section

    text = ('[project]\nname = "coach"\ndependencies = ["negatives>=1"]\n\n[project.scripts]\n'
            'negatives = "negatives.cli:run"\n\n[tool.setuptools.package-data]\n'
            '"negatives.rules" = ["*.yaml"]\n\n[[tool.mypy.overrides]]\nmodule = ["x"]\n')
    assert not _may_have_section(text)
    assert _may_have_section(text + "[tool.negatives]\nselect = [\"x\"]\n")
    assert _may_have_section("[tool]\nnegatives.select = [\"x\"]\n")
    # A line inside a multi-line string is not a header: the table is still [tool].
    assert _may_have_section("[tool]\nnote = '''\n[project]\n'''\nnegatives = {}\n")
    # Nor is a line inside a multi-line array, nor text after a Unicode line separator, which
    # TOML allows in comments and strings.
    assert _may_have_section('[tool]\nx = [\n  [1],\n]\nnegatives.select = ["x"]\n')
    assert _may_have_section('x = [\n  [1, 2],\n]\ntool.negatives.select = ["x"]\n')
    assert _may_have_section('[tool] # a\u2028[x]\nnegatives.select = ["x"]\n')
    assert _may_have_section('# \x85[x]\ntool.negatives.select = ["x"]\n')
    # A name written with escapes need not spell the word.
    assert _may_have_section('[tool."negativ\\u0065s"]\nselect = ["x"]\n')


def test_a_broken_file_that_may_hold_the_section_is_parsed_and_reported() -> None:
    from negatives.engine.load.config import _may_have_section

    assert _may_have_section('[tool.negatives\nselect = ["x"]\n')  # the header never ends
    assert _may_have_section('\ufeff[tool.negatives]\nselect = ["x"]\n')  # tomllib refuses a BOM
    assert _may_have_section('[tool]\nnegatives.select = "x\n')  # a string that never ends
