"""`negatives advise` text for a lifter: the shipped examples, pinned as goldens; --explain.

The goldens are tests/cli/golden/advise/<example>.txt. After a deliberate change of the text,
regenerate them with `NEGATIVES_UPDATE_GOLDEN=1 pytest tests/cli/test_advise_text.py` and review
the diff.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from negatives.cli.main import cli
from tests.cli.corpus import compare_golden, updating

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "cli" / "golden" / "advise"
EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("*.yaml"))


def advise(*args: str) -> str:
    result = CliRunner().invoke(cli, ["advise", *args], prog_name="negatives")
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_text_is_pinned(example: str) -> None:
    text = advise(f"examples/{example}")
    compare_golden(GOLDEN / example.replace(".yaml", ".txt"), text, updating())
    assert len(text.splitlines()) <= 50


def test_explain_shows_the_full_rule_trace() -> None:
    text = advise("examples/alex.yaml", "--explain")
    assert "matched: " in text and "[ael-at-cycle-start]" in text and "source: " in text


def test_default_text_has_no_rule_ids_or_matched_values() -> None:
    text = advise("examples/alex.yaml")
    assert "matched:" not in text and "[ael-" not in text


def test_markdown_never_repeats_a_quote() -> None:
    text = advise("examples/alex.yaml", "--format", "markdown")
    quotes = re.findall(r'"([^"]{12,})"', text)
    assert quotes and len(quotes) == len(set(quotes))


def test_explain_is_for_text_only() -> None:
    result = CliRunner().invoke(cli, ["advise", "examples/alex.yaml", "--explain", "--format",
                                      "json"], prog_name="negatives")
    assert result.exit_code == 2 and "--explain" in result.stderr


def test_rules_show_gives_the_lifters_sentence_template() -> None:
    result = CliRunner().invoke(cli, ["rules", "show", "lift-stalled-as-given"],
                                prog_name="negatives")
    assert result.exit_code == 0
    assert "  says:      Your {l.name} has stalled: you said so." in result.stdout
