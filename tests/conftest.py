"""Shared test fixtures: an isolated environment, a fake extractor, paths to sample inputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeExtractor, first_sentence_fields

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE_PAGE = ROOT / "examples" / "hf-papers-page.txt"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No real key, no real server, a private cache folder for every test."""
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "OPENAI_ORG_ID",
        "OPENAI_PROJECT_ID",
        "PAPERFIELDS_MODEL",
        "PAPERFIELDS_RAISE_ERRORS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PAPERFIELDS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def example_page() -> Path:
    return EXAMPLE_PAGE


@pytest.fixture
def fake_extractor() -> FakeExtractor:
    return FakeExtractor(first_sentence_fields)
