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
