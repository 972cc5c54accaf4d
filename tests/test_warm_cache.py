"""Warm reruns: cached answers keep their grounding, so nothing is redone; keys stay exact."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from fixtures.llm.openai_stub import StubServer, answer_text, load_papers
from paperfields.config import LLMConfig, RunConfig
from paperfields.extract.llm import LLMExtractor
from paperfields.llm.backend import OpenAIBackend
from paperfields.llm.cache import (
    ENTRIES_DIR,
    ExtractionCache,
    KeyBuilder,
    cache_key,
    decode_answer,
)
from paperfields.orchestrator import records as records_module
from paperfields.orchestrator.runner import run_pipeline
from paperfields.schemas import Paper, fields_json_schema

LOCAL = "http://llm.test:8000/v1"
PAPERS = load_papers()

SETUP: dict[str, Any] = {
    "model": "gpt-5-mini",
    "endpoint": "https://llm.example",
    "mode": "json_schema",
    "schema": {"type": "object", "properties": {"a": {"type": "string"}}},
    "temperature": None,
    "max_tokens": 4096,
}
MESSAGES = [
    {"role": "system", "content": "Static instructions \u2014 \u00e9"},
    {"role": "user", "content": '<title>T</title><abstract>A "quoted" one</abstract>'},
]


def test_the_key_builder_gives_cache_key_byte_for_byte() -> None:
    builder = KeyBuilder(**SETUP)
    for messages in (MESSAGES, MESSAGES[:1], [], [*MESSAGES, {"role": "user", "content": "x"}]):
        assert builder.key(messages) == cache_key(messages=messages, **SETUP)
    other = [{"role": "system", "content": "Other"}, MESSAGES[1]]
    assert builder.key(other) == cache_key(messages=other, **SETUP)  # a new system prompt
    assert builder.key(MESSAGES) == cache_key(messages=MESSAGES, **SETUP)  # and back


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("model", "gpt-4.1-mini"),
        ("endpoint", "http://localhost:8000"),
        ("mode", "json_object"),
        ("schema", {"type": "object", "properties": {"a": {"type": "integer"}}}),
        ("temperature", 0.0),
        ("max_tokens", 8192),
    ],
)
def test_the_key_builder_covers_every_setting(name: str, value: Any) -> None:
    assert KeyBuilder(**{**SETUP, name: value}).key(MESSAGES) != KeyBuilder(**SETUP).key(MESSAGES)


@pytest.mark.parametrize("index", [0, 1])
def test_the_key_builder_covers_every_message(index: int) -> None:
    changed = [dict(m) for m in MESSAGES]
    changed[index]["content"] += " "
    builder = KeyBuilder(**SETUP)
    assert builder.key(changed) != builder.key(MESSAGES)
    role_changed = [dict(m) for m in MESSAGES]
    role_changed[index]["role"] = "assistant"
    assert builder.key(role_changed) != builder.key(MESSAGES)


# --- through the extractor -------------------------------------------------------------------


def extract_once(
    tmp_path: Path, paper: Paper, schema: dict[str, Any] | None = None, **changes: Any
) -> int:
    """Extract ``paper`` with a fresh extractor on the shared cache; return requests sent."""
    values: dict[str, Any] = {"base_url": LOCAL, "cache_dir": tmp_path / "cache"}
    values.update(changes)
    cfg = LLMConfig(**values)
    stub = StubServer()
    extractor = LLMExtractor(cfg, backend=OpenAIBackend(cfg, http_client=stub.client()))
    if schema is not None:
        extractor._schema = schema  # another reply schema, as a changed model would give

    async def go() -> None:
        try:
            await extractor.extract(paper)
        finally:
            await extractor.aclose()

    asyncio.run(go())
    return len(stub.requests)


@pytest.mark.parametrize(
    "change",
    [
        {"model": "gpt-4.1-mini"},
        {"base_url": "http://other.test:8000/v1"},
        {"mode": "json_object"},
        {"temperature": 0.3},
        {"max_tokens": 2048},
    ],
)
def test_a_changed_setting_misses_the_cache(tmp_path: Path, change: dict[str, Any]) -> None:
    assert extract_once(tmp_path, PAPERS[0]) == 1
    assert extract_once(tmp_path, PAPERS[0]) == 0
    assert extract_once(tmp_path, PAPERS[0], **change) == 1


def test_a_changed_paper_text_or_schema_misses_the_cache(tmp_path: Path) -> None:
    paper = PAPERS[0]
    assert extract_once(tmp_path, paper) == 1
    edited = paper.model_copy(update={"abstract": paper.abstract + " More."})
    assert extract_once(tmp_path, edited) == 1
    retitled = paper.model_copy(update={"title": paper.title + "!"})
    assert extract_once(tmp_path, retitled) == 1
    schema = fields_json_schema()
    schema["description"] = "changed"
    assert extract_once(tmp_path, paper, schema=schema) == 1


# --- warm runs ------------------------------------------------------------------------------


def run(tmp_path: Path, out: str, **options: Any) -> tuple[StubServer, list[dict[str, Any]]]:
    inputs = tmp_path / "papers.jsonl"
    if not inputs.exists():
        lines = [p.model_dump_json(include={"id", "title", "abstract"}) for p in PAPERS]
        inputs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    llm = LLMConfig(base_url=LOCAL, cache_dir=tmp_path / "cache")
    config = RunConfig(out_dir=tmp_path / out, extractor="openai", llm=llm, progress=False)
    config = config.replace(**options)
    stub = StubServer()
    extractor = LLMExtractor(llm, backend=OpenAIBackend(llm, http_client=stub.client()))
    summary = run_pipeline([inputs], config, extractor=extractor)
    assert summary.exit_code == 0
    lines = (tmp_path / out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return stub, [json.loads(line) for line in lines]


def test_a_warm_rerun_sends_nothing_and_grounds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[str] = []
    real_set = ExtractionCache.set

    def counting_set(self: ExtractionCache, key: str, value: str) -> None:
        writes.append(value)
        real_set(self, key, value)

    monkeypatch.setattr(ExtractionCache, "set", counting_set)
    _stub, cold = run(tmp_path, "cold")
    assert len(writes) == len(PAPERS)  # one write per answer, grounding included
    assert all('"ground":' in value for value in writes)
    calls: list[str] = []
    real = records_module.ground_fields

    def counting(abstract: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(abstract)
        return real(abstract, *args, **kwargs)

    monkeypatch.setattr(records_module, "ground_fields", counting)
    stub, warm = run(tmp_path, "warm")
    assert stub.requests == [] and calls == []
    assert [r["provenance"]["cache_hit"] for r in warm] == [True] * len(PAPERS)
    for a, b in zip(cold, warm, strict=True):
        assert (a["fields"], a["grounding"]) == (b["fields"], b["grounding"])
    # Another cap changes what grounding keeps: the cached grounding is not reused for it.
    stub, capped = run(tmp_path, "capped", max_items_per_field=1)
    assert stub.requests == [] and len(calls) == len(PAPERS)
    assert all(len(r["fields"]["claims"]) <= 1 for r in capped)


def test_an_entry_of_the_earlier_format_is_still_a_hit(tmp_path: Path) -> None:
    assert extract_once(tmp_path, PAPERS[0]) == 1
    with ExtractionCache(tmp_path / "cache" / ENTRIES_DIR) as cache:
        keys = list(cache._cache.iterkeys())
        assert len(keys) == 1
        assert decode_answer(cache.get(keys[0]) or "") is not None
        cache.set(keys[0], answer_text(PAPERS[0].id))  # bare ExtractedFields JSON, as before
    assert extract_once(tmp_path, PAPERS[0]) == 0
    with ExtractionCache(tmp_path / "cache" / ENTRIES_DIR) as cache:
        cache.set(keys[0], '{"fields": {"summary": 3}}')  # damaged: dropped, asked again
    assert extract_once(tmp_path, PAPERS[0]) == 1
