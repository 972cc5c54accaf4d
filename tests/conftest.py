"""Shared test fixtures: an isolated environment, a fake extractor, paths to sample inputs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.extract import Extraction
from pipeline.schemas import ExtractedFields, Paper, Usage

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


Responder = Callable[[Paper], ExtractedFields]


class FakeExtractor:
    """An Extractor whose answers come from a function; records every paper it saw."""

    def __init__(
        self,
        respond: Responder,
        *,
        concurrency: int = 4,
        name: str = "fake:test-v1",
        delay_s: float = 0.0,
        cost_usd: float | None = None,
    ) -> None:
        self.respond = respond
        self.concurrency = concurrency
        self.name = name
        self.delay_s = delay_s
        self.cost_usd = cost_usd
        self.history: list[str] = []
        self.closed = False

    async def extract(self, paper: Paper) -> Extraction:
        self.history.append(paper.id)
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        fields = self.respond(paper)
        usage = Usage(prompt_tokens=100, completion_tokens=50, requests=1)
        return Extraction(fields=fields, extractor=self.name, usage=usage, cost_usd=self.cost_usd)

    async def aclose(self) -> None:
        self.closed = True


def first_sentence_fields(paper: Paper) -> ExtractedFields:
    """A valid answer quoting the abstract's first sentence as evidence."""
    sentence = paper.abstract.split(". ")[0]
    return ExtractedFields.model_validate(
        {
            "summary": sentence,
            "tasks": [{"name": "a task", "evidence": sentence}],
            "methods": [
                {"name": "a method", "proposed": True, "description": None, "evidence": sentence}
            ],
            "datasets": [],
            "metrics": [],
            "claims": [{"text": sentence, "kind": "other", "evidence": sentence}],
        }
    )


@pytest.fixture
def fake_extractor() -> FakeExtractor:
    return FakeExtractor(first_sentence_fields)
