"""What a built wheel carries: every file the package reads at run time, not only its Python modules."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

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
    # the check below covers the migrations
    assert any(f.startswith("corpus/store/migrations/") for f in files)
    undeclared = [f for f in files if not any(glob_matches(pattern, f) for pattern in patterns)]
    assert undeclared == []


def _distribution(requirement: str) -> str:
    """The normalised distribution name of a requirement string ("psycopg[binary]==3.3.9" -> "psycopg")."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert name, requirement
    return re.sub(r"[-_.]+", "-", name.group(0)).lower()


def test_every_third_party_import_of_the_package_is_a_declared_dependency():
    """A module imported but only present as someone else's dependency breaks the day that one changes."""
    import ast
    import importlib.metadata
    import sys

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = [
        r for group, rs in config.get("optional-dependencies", {}).items() if group != "test" for r in rs
    ]
    declared = {_distribution(r) for r in [*config["dependencies"], *extras]}
    modules = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    installed = importlib.metadata.packages_distributions()
    undeclared = {
        module: installed.get(module)
        for module in sorted(modules - set(sys.stdlib_module_names) - {"communique"})
        # A module that is not installed here (an extra's, such as torch for `train vectors`) is looked up by
        # its own name.
        if not ({_distribution(d) for d in installed.get(module, [])} or {_distribution(module)}) & declared
    }
    assert undeclared == {}


# -- a plain `pip install` of the built wheel, as a user with Python 3.11 and its own pip would do it -----------


@pytest.fixture(scope="module")
def fresh_install(tmp_path_factory) -> Path:
    """The wheel built from this checkout, installed with its dependencies into a new venv whose pip is the one
    the interpreter ships (never upgraded); returns the venv's bin folder.

    Dependencies come through the machine's package index once, into a wheelhouse kept (under the system's temp
    folder, keyed by the dependency list) for later runs, which then install without the network.
    """
    import ensurepip
    import hashlib
    import subprocess
    import sys
    import tempfile

    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", work, ROOT],
        check=True,
        timeout=300,
    )
    (wheel,) = work.glob("communique-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=300)
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    own = subprocess.run([*pip, "--version"], capture_output=True, text=True, check=True).stdout
    assert own.startswith(f"pip {ensurepip.version()} "), own  # the interpreter's own pip, as a user has it
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    key = hashlib.sha256("\n".join(config["dependencies"]).encode()).hexdigest()[:16]
    house = Path(tempfile.gettempdir()) / f"communique-wheelhouse-{key}"
    if not (house / "complete").exists():
        subprocess.run([*pip, "download", "-q", "-d", house, wheel], check=True, timeout=1800)
        for own_wheel in house.glob("communique-*.whl"):
            own_wheel.unlink()  # this checkout's wheel changes with every commit: always the one just built
        (house / "complete").touch()
    subprocess.run(
        [*pip, "install", "-q", "--no-index", "--find-links", house, wheel], check=True, timeout=1800
    )
    return venv / "bin"


def _analyse(bin_folder: Path, *arguments: str) -> dict:
    import json
    import subprocess

    done = subprocess.run(
        [str(bin_folder / "communique"), "analyze", *arguments, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.slow
def test_the_installed_wheel_analyses_an_html_page(fresh_install):
    result = _analyse(fresh_install, str(ROOT / "tests" / "fixtures" / "caspian-ferry-article.html"))
    assert result["document"]["title"] == "Caspian ferry link reopens after two-year pause"
    assert {"AZE", "KAZ"} <= {a["code"] for a in result["actors"]}


@pytest.mark.slow
def test_the_installed_wheel_analyses_the_seed_article(fresh_install):
    from conftest import shared_path

    seed = shared_path("seed", "baku-bishkek.txt")
    result = _analyse(fresh_install, str(seed), "--published", "2022-10-13")
    assert result["document"]["language"] == "en"
    assert {"AZE", "KGZ"} <= {a["code"] for a in result["actors"]}
    assert result["events"] and result["quotes"]
