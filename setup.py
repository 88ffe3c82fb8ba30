"""Build step: on Python 3.13+, compile durable_rules 2.0.28's engine into negatives/_durable.

durable_rules 2.0.28 (the last release) calls `PyEval_CallObject`, which Python 3.13 removed: a
plain build of its sdist imports with "undefined symbol", or, where the compiler declares the
missing function implicitly, returns a pointer through an `int`. pip builds each dependency in a
process of its own, so nothing here can pass compiler flags to durable-rules' build. Instead, on
3.13+ negatives does not depend on the durable-rules distribution (see pyproject.toml): this
build fetches its sdist with pip, checks its sha256, compiles its C sources with the name mapped
back to `PyObject_CallObject` (same signature) into `negatives/_durable/durable_rules_engine`,
and copies its Python modules beside it (`negatives/_durable/durable/`). Implicit declarations are
errors, so a future removal cannot slip through as a broken module. `NEGATIVES_DURABLE_SDIST`
names a local copy of the sdist for offline builds. On 3.11 and 3.12 this file builds nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

DURABLE = "durable-rules==2.0.28"
SDIST = "durable_rules-2.0.28.tar.gz"
SDIST_SHA256 = "053b26f5e48d312d4fa27995243f954671be6eece477f150c059c364eb4d7d61"
SDIST_ENV = "NEGATIVES_DURABLE_SDIST"
CORE = "negatives._durable.durable_rules_engine"
BUNDLED_FROM = (3, 13)
# GCC 14 turned some warnings into errors (jruizgit/rules#404); a mismatched pointer type is
# harmless here, an implicitly declared function (returning int) never is.
FLAGS = ["-std=c99", "-Werror=implicit-function-declaration",
         "-Wno-error=incompatible-pointer-types"]
MACROS: list[tuple[str, str | None]] = [
    ("_GNU_SOURCE", None), ("PyEval_CallObject", "PyObject_CallObject")]


def fetch_sdist(folder: Path) -> Path:
    """durable_rules' sdist: the given local copy, or one pip downloads; sha256-checked."""
    given = os.environ.get(SDIST_ENV)
    if given:
        path = Path(given)
    else:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--no-binary", ":all:", "--dest", str(folder), DURABLE], check=True)
        path = folder / SDIST
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SDIST_SHA256:
        raise SystemExit(f"{path}: sha256 {digest}, expected {SDIST_SHA256} ({DURABLE})")
    return path


def unpack(sdist: Path, folder: Path) -> Path:
    with tarfile.open(sdist) as archive:
        archive.extractall(folder, filter="data")
    return folder / SDIST.removesuffix(".tar.gz")


class BuildDurable(build_ext):
    """build_ext that first fetches durable_rules' sources for the bundled engine."""

    def run(self) -> None:
        if not self.extensions:
            return
        with tempfile.TemporaryDirectory(prefix="negatives-durable-") as tmp:
            root = unpack(fetch_sdist(Path(tmp)), Path(tmp))
            core = self.extensions[0]
            core.sources = [str(p) for p in sorted((root / "src" / "rules").glob("*.c"))]
            core.sources.append(str(root / "src" / "rulespy" / "rules.c"))
            core.include_dirs = [str(root / "src" / "rules")]
            modules = Path(self.get_ext_fullpath(CORE)).parent / "durable"
            modules.mkdir(parents=True, exist_ok=True)
            for source in sorted((root / "libpy" / "durable").glob("*.py")):
                shutil.copyfile(source, modules / source.name)
            shutil.copyfile(root / "LICENSE", modules / "LICENSE")
            super().run()


bundled = sys.version_info >= BUNDLED_FROM
setup(
    ext_modules=[Extension(CORE, sources=[], define_macros=MACROS, extra_compile_args=FLAGS)]
    if bundled else [],
    cmdclass={"build_ext": BuildDurable},
)
