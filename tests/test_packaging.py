"""The install: one import package in the wheel, the Pythons it claims, durable_rules on each."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

import negatives._durable
from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# What CI runs the suite on (.ci/run); requires-python must say exactly these.
TESTED = ("3.11", "3.12", "3.13")
NOT_COPIED = shutil.ignore_patterns(".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__",
                                    ".*_cache", ".hypothesis", "*.so", "durable")


def test_requires_python_is_what_is_tested() -> None:
    spec = SpecifierSet(PYPROJECT["project"]["requires-python"])
    assert all(f"{v}.0" in spec for v in TESTED)
    assert "3.10.13" not in spec
    assert "3.14.0" not in spec  # no 3.14 here to test on (README)


def test_durable_rules_is_a_dependency_only_where_its_release_runs() -> None:
    durable = next(Requirement(r) for r in PYPROJECT["project"]["dependencies"]
                   if r.startswith("durable-rules"))
    assert str(durable.specifier) == "==2.0.28"
    assert durable.marker is not None
    assert durable.marker.evaluate({"python_version": "3.12"})
    assert not durable.marker.evaluate({"python_version": "3.13"})


def test_the_engine_runs_from_the_package_on_313_else_from_the_distribution() -> None:
    here = Path(negatives._durable.__file__).parent
    core = Path(negatives._durable.core.__file__)
    engine = Path(negatives._durable.engine.__file__)
    if sys.version_info >= (3, 13):
        assert core.parent == here and engine.parent == here / "durable"
    else:
        assert here not in core.parents and here not in engine.parents


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """`pip wheel .` of a copy of the checkout (so the build leaves nothing in it)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    shutil.copytree(ROOT, source, symlinks=True, ignore=NOT_COPIED)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(tmp / "dist"), str(source)],
                   check=True, capture_output=True, text=True, timeout=600)
    return zipfile.ZipFile(next((tmp / "dist").glob("negatives-*.whl")))


def test_the_wheel_holds_only_the_negatives_package(wheel: zipfile.ZipFile) -> None:
    tops = {name.split("/")[0] for name in wheel.namelist()}
    version = PYPROJECT["project"]["version"]
    assert tops == {"negatives", f"negatives-{version}.dist-info"}


def test_the_wheel_ships_every_rule_knowledge_and_schema_file(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for folder, pattern in [("rules", "*.yaml"), ("rules", "*.md"), ("knowledge", "*.yaml"),
                            ("engine/schemas", "*.json"), ("engine", "*.py"), ("cli", "*.py")]:
        for path in (ROOT / folder).rglob(pattern):
            assert f"negatives/{path.relative_to(ROOT).as_posix()}" in names, path


def test_the_wheel_builds_the_engine_in_only_on_313(wheel: zipfile.ZipFile) -> None:
    built = [n for n in wheel.namelist() if n.startswith("negatives/_durable/")]
    if sys.version_info >= (3, 13):
        assert any(n.endswith(".so") for n in built)
        assert "negatives/_durable/durable/engine.py" in built
    else:
        assert built == ["negatives/_durable/__init__.py"]
