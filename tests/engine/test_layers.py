"""The engine's folders are the pipeline's stages, and no module imports from a later stage."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "engine"
STAGES = ["load", "model", "language", "infer", "advice", "audit", "authoring", "consult"]


def engine_imports(path: Path) -> set[str]:
    """The `negatives.engine.<stage>` stages a module imports (at any depth in the module)."""
    stages: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[:2] == ["negatives", "engine"] and len(parts) > 2:
                stages.add(parts[2])
    return stages


def test_every_engine_module_sits_in_a_stage_folder() -> None:
    loose = [p.name for p in ENGINE.glob("*.py") if p.name != "__init__.py"]
    assert loose == []
    folders = {p.name for p in ENGINE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == {*STAGES, "schemas"}


def test_no_module_imports_from_a_later_stage() -> None:
    wrong = []
    for stage in STAGES:
        for path in sorted((ENGINE / stage).glob("*.py")):
            for used in engine_imports(path):
                if used in STAGES and STAGES.index(used) > STAGES.index(stage):
                    wrong.append(f"{path.relative_to(ROOT)} imports from the later stage {used}")
    assert wrong == []


def test_nothing_imports_the_old_top_level_names() -> None:
    old = []
    for folder in ("engine", "cli", "tests", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                names = ([node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                         else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
                old += [f"{path.relative_to(ROOT)}: {n}" for n in names
                        if n.split(".")[0] in {"engine", "cli", "rules", "knowledge"}]
    assert old == []


def test_the_package_links_the_top_level_folders() -> None:
    for name in ("engine", "cli", "rules", "knowledge"):
        link = ROOT / "negatives" / name
        assert link.is_symlink() and link.resolve() == ROOT / name
