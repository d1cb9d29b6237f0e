"""What a built wheel carries: every file the package reads at run time, not only its Python modules."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "communique"


def glob_matches(pattern: str, path: str) -> bool:
    """Setuptools' package-data glob: ``**/`` is any number of folders (none too), ``*`` stays within one."""
    regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*")
    return re.fullmatch(regex, path) is not None


def test_every_non_python_file_of_the_package_is_declared_as_package_data():
    """Data, samples, web assets and store migrations: a wheel without them installs a program that cannot run."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["communique"]
    files = [
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    ]
    assert any(f.startswith("store/migrations/") for f in files)  # the check below covers the migrations
    undeclared = [f for f in files if not any(glob_matches(pattern, f) for pattern in patterns)]
    assert undeclared == []
