"""Test doubles: an extractor whose answers come from a function, and small generated inputs."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from paperfields.extract import Extraction
from paperfields.schemas import (
    ExtractedFields,
    ExtractorIdentity,
    Paper,
    Usage,
    fields_schema_sha256,
)

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

    @property
    def identity(self) -> ExtractorIdentity:
        return ExtractorIdentity.of(self.name, None, fields_schema_sha256())

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


def write_abstracts(path: Path, n: int) -> Path:
    """Write ``n`` short papers (ids ``p0000``...) as JSONL to ``path`` and return it."""
    with open(path, "w", encoding="utf-8") as fp:
        for i in range(n):
            row = {
                "id": f"p{i:04d}",
                "title": f"Paper number {i}",
                "abstract": f"We study problem {i}. Our method improves accuracy by {i % 7}%.",
            }
            fp.write(json.dumps(row) + "\n")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every object of a JSONL file, in order."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
