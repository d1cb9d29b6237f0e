"""Shared fixtures. Tests that read ../shared skip with a reason when it is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips the calling test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs ../shared/{'/'.join(parts)} (the shared evaluation folder beside the repository)")
    return path


@pytest.fixture(scope="session")
def analyzer():
    """One Analyzer (model + knowledge base) for the whole test session."""
    from communique import Analyzer

    return Analyzer()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return shared_path("seed", "baku-bishkek.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    return json.loads(shared_path("seed", "baku-bishkek.gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_analysis(analyzer, seed_text):
    """The seed article analysed once, as the contract dict."""
    from communique import to_contract

    return to_contract(analyzer.analyze(seed_text, published="2022-10-13"))


# -- corpus store fixtures (tests/corpus/test_store.py, test_relations.py, test_exports.py, test_postgres.py) ---------


def postgres_url() -> str | None:
    """The PostgreSQL server scripts/test-services started (artifacts/pg-url), or COMMUNIQUE_TEST_PG_URL."""
    import os

    url = os.environ.get("COMMUNIQUE_TEST_PG_URL")
    marker = ROOT / "artifacts" / "pg-url"
    if not url and marker.exists():
        url = marker.read_text(encoding="utf-8").strip()
    return url or None


@pytest.fixture
def pg_database():
    """The URL of a fresh, empty PostgreSQL schema (its own namespace), dropped afterwards.

    A schema per test rather than a database: CREATE DATABASE costs a second, CREATE SCHEMA a millisecond.
    In CI a missing server is a failure, not a skip.
    """
    import os
    import uuid

    import psycopg

    base = postgres_url()
    if base is None:
        if os.environ.get("CI"):
            pytest.fail("no PostgreSQL server: run `bash scripts/test-services` first")
        pytest.skip("no PostgreSQL server (run `bash scripts/test-services` to start one)")
    name = f"communique_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {name}")
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options=-csearch_path%3D{name}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """An empty corpus store, once for each implementation."""
    from communique.corpus.store import open_store

    target = (
        str(tmp_path / "corpus.db") if request.param == "sqlite" else request.getfixturevalue("pg_database")
    )
    opened = open_store(target)
    yield opened
    opened.close()
