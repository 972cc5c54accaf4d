"""Shared test fixtures: an isolated environment, a fake extractor, paths to sample inputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeExtractor, first_sentence_fields
from fieldsrun import make_fields_run

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


@pytest.fixture(scope="session")
def fields_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run folder with user fields of every type, made once through the stand-in server.

    Shared by the tests of one session: copy it before changing anything in it.
    """
    return make_fields_run(tmp_path_factory.mktemp("fields-run"))
