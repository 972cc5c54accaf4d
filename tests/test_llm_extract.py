"""LLMExtractor over the real openai SDK: validation, repair, length, refusals, modes, cache."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from fixtures.llm.openai_stub import StubServer, answer_text, completion, error, load_papers
from paperfields.config import LLMConfig
from paperfields.errors import (
    BackendError,
    ModeNotSupported,
    Refusal,
    SchemaValidationError,
    TruncatedOutput,
)
from paperfields.extract import Extraction, Extractor
from paperfields.extract.llm import InvalidReply, LLMExtractor, parse_fields_reply
from paperfields.llm.backend import ChatResult, OpenAIBackend
from paperfields.llm.cache import MODES_FILE
from paperfields.llm.prompts import DEFAULT_PROMPTS_DIR, load_prompt
from paperfields.schemas import ExtractedFields, Paper, Usage
from paperfields.stats import RunStats

LOCAL = "http://llm.test:8000/v1"
PAPERS = {paper.id: paper for paper in load_papers()}
CFGPP = PAPERS["cfgpp"]


def config(tmp_path: Path, **changes: Any) -> LLMConfig:
    values: dict[str, Any] = {"base_url": LOCAL, "cache_dir": tmp_path / "cache"}
    values.update(changes)
    return LLMConfig(**values)


def extractor(
    stub: StubServer, cfg: LLMConfig, *, stats: RunStats | None = None, **kwargs: Any
) -> LLMExtractor:
    backend = OpenAIBackend(cfg, stats=stats, http_client=stub.client(), backoff_s=0.001)
    return LLMExtractor(cfg, stats=stats, backend=backend, **kwargs)


def extract(ex: LLMExtractor, paper: Paper = CFGPP) -> Extraction:
    async def go() -> Extraction:
        try:
            return await ex.extract(paper)
        finally:
            await ex.aclose()

    return asyncio.run(go())


def fields_of(paper_id: str) -> ExtractedFields:
    return ExtractedFields.model_validate_json(answer_text(paper_id))


# --- the realistic path ---------------------------------------------------------------


@pytest.mark.parametrize("paper_id", sorted(PAPERS))
def test_real_abstracts_extract_to_the_models_answer(tmp_path: Path, paper_id: str) -> None:
    stub = StubServer()
    stats = RunStats()
    result = extract(extractor(stub, config(tmp_path), stats=stats), PAPERS[paper_id])
    assert result.fields == fields_of(paper_id)
    assert result.extractor == "openai:gpt-5-mini"
    assert (result.mode, result.attempts, result.cache_hit) == ("json_schema", 1, False)
    assert result.prompt == load_prompt().info
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (1200, 600)
    assert result.cost_usd is None  # a local server has no price unless the user gives one
    assert (stats.requests, stats.retries, stats.repairs, stats.in_flight) == (1, 0, 0, 0)
    sent = stub.requests[0].body
    assert sent["messages"][-1]["content"].rstrip().endswith("</paper>")
    assert PAPERS[paper_id].abstract in sent["messages"][-1]["content"]


def test_it_is_an_extractor(tmp_path: Path) -> None:
    ex = LLMExtractor(config(tmp_path, concurrency=5))
    assert isinstance(ex, Extractor)
    assert ex.concurrency == 5
    asyncio.run(ex.aclose())


def test_an_unknown_model_has_no_cost(tmp_path: Path) -> None:
    result = extract(extractor(StubServer(), config(tmp_path, model="llama3.1:8b")))
    assert result.cost_usd is None
    assert result.usage.prompt_tokens == 1200


# --- validation and repair ------------------------------------------------------------


def test_malformed_json_is_repaired_with_the_error_quoted(tmp_path: Path) -> None:
    stub = StubServer()
    stub.enqueue(completion(answer_text("cfgpp")[:300]))
    stats = RunStats()
    result = extract(extractor(stub, config(tmp_path), stats=stats))
    assert result.fields == fields_of("cfgpp")
    assert result.attempts == 2
    assert result.usage.requests == 2
    assert stats.repairs == 1
    repair = stub.requests[1].body["messages"]
    assert [m["role"] for m in repair] == ["system", "user", "assistant", "user"]
    assert repair[2]["content"] == answer_text("cfgpp")[:300]
    assert "invalid JSON" in repair[3]["content"]


def test_a_schema_invalid_reply_is_repaired_with_the_validation_errors(tmp_path: Path) -> None:
    bad = json.loads(answer_text("cfgpp"))
    del bad["claims"]
    bad["methods"][0]["proposed"] = "yes please"
    stub = StubServer()
    stub.enqueue(completion(json.dumps(bad)))
    result = extract(extractor(stub, config(tmp_path)))
    assert result.fields == fields_of("cfgpp")
    feedback = stub.requests[1].body["messages"][-1]["content"]
    assert "- claims: Field required" in feedback
    assert "- methods[0].proposed:" in feedback
    assert '"yes please"' in feedback


def test_an_exchange_snapshot_resumes_the_repair_in_another_extractor(tmp_path: Path) -> None:
    """What a batch round relies on: a half-done exchange goes on elsewhere, identically."""
    cfg = config(tmp_path, price=(1.0, 4.0, 0.5))
    live_stub = StubServer()
    live_stub.enqueue(completion(answer_text("cfgpp")[:300]))
    live = extract(extractor(live_stub, cfg))

    first = LLMExtractor(cfg)
    exchange = first.begin(CFGPP, mode="json_schema")
    usage = Usage(prompt_tokens=10, completion_tokens=5, requests=1)
    broken = ChatResult(answer_text("cfgpp")[:300], None, "stop", usage, 1, "json_schema")
    assert first.take(exchange, broken, batch=True) is None  # a re-ask is planned
    snapshot = json.loads(json.dumps(exchange.snapshot()))
    assert exchange.cost_usd == pytest.approx((10 * 1.0 + 5 * 4.0) / 2 / 1e6)  # batch half price

    second = LLMExtractor(cfg)
    resumed = second.resume(CFGPP, snapshot)
    assert second.request(resumed) == first.request(exchange)
    assert list(second.request(resumed).messages) == live_stub.requests[1].body["messages"]
    assert resumed.key == exchange.key == first.begin(CFGPP, mode="json_schema").key
    good = ChatResult(answer_text("cfgpp"), None, "stop", usage, 1, "json_schema")
    done = second.take(resumed, good)
    assert done is not None and done.fields == live.fields
    assert (done.attempts, done.usage.requests) == (2, 2)
    assert done.cost_usd == pytest.approx(15 / 1e6 + 30 / 1e6)  # half price, then full price
    assert second.cached(second.begin(CFGPP, mode="json_schema")) is not None  # stored
    for ex in (first, second):
        asyncio.run(ex.aclose())


def test_batch_price_is_half_of_the_standard_price_for_every_kind_of_token() -> None:
    from paperfields.llm.pricing import BATCH_PRICE_FACTOR, resolve_price

    live = resolve_price("gpt-5-mini")
    batch = resolve_price("gpt-5-mini", batch=True)
    assert live is not None and batch is not None and BATCH_PRICE_FACTOR == 0.5
    assert (batch.input, batch.cached_input, batch.output) == (
        live.input / 2,
        live.cached_input / 2,
        live.output / 2,
    )
    assert resolve_price("gpt-5-mini", base_url=LOCAL, batch=True) is None  # not OpenAI's
    mine = resolve_price("m", base_url=LOCAL, override=(2.0, 8.0, 1.0), batch=True)
    assert mine is not None and (mine.input, mine.output, mine.cached_input) == (1.0, 4.0, 0.5)


def test_repair_is_bounded_then_schema_validation_error(tmp_path: Path) -> None:
    stub = StubServer()
    stub.enqueue(*[completion('{"summary": 1}') for _ in range(5)])
    with pytest.raises(SchemaValidationError) as caught:
        extract(extractor(stub, config(tmp_path, repair_attempts=2)))
    assert caught.value.attempts == 3
    assert caught.value.usage.completion_tokens == 3 * 600  # type: ignore[attr-defined]
    assert caught.value.paper_id == "cfgpp"
    assert caught.value.raw_output == '{"summary": 1}'
    assert len(stub.requests) == 3


def test_no_repair_when_repair_attempts_is_zero(tmp_path: Path) -> None:
    stub = StubServer()
    stub.enqueue(completion("not json at all"))
    with pytest.raises(SchemaValidationError):
        extract(extractor(stub, config(tmp_path, repair_attempts=0)))
    assert len(stub.requests) == 1


def test_backend_errors_carry_the_attempts_of_earlier_turns(tmp_path: Path) -> None:
    stub = StubServer()
    stub.enqueue(completion("{"), error(401, "401"))
    with pytest.raises(BackendError) as caught:
        extract(extractor(stub, config(tmp_path)))
    assert caught.value.status == 401
    assert caught.value.attempts == 2
    assert caught.value.usage.requests == 1  # type: ignore[attr-defined]


# --- length and refusal ----------------------------------------------------------------


def test_a_truncated_reply_is_asked_again_with_twice_the_limit(tmp_path: Path) -> None:
    stub = StubServer()
    stub.enqueue(completion(answer_text("cfgpp")[:500], finish_reason="length"))
    result = extract(extractor(stub, config(tmp_path, max_tokens=1000)))
    assert result.fields == fields_of("cfgpp")
    assert [r.body["max_tokens"] for r in stub.requests] == [1000, 2000]
    assert stub.requests[1].body["messages"] == stub.requests[0].body["messages"]


def test_truncated_twice_raises(tmp_path: Path) -> None:
    stub = StubServer()
    stub.enqueue(*[completion('{"summary": "', finish_reason="length") for _ in range(3)])
    with pytest.raises(TruncatedOutput) as caught:
        extract(extractor(stub, config(tmp_path, max_tokens=1000)))
    assert caught.value.attempts == 2
    assert "2000 tokens" in str(caught.value)


def test_a_refusal_raises_with_its_text(tmp_path: Path) -> None:
    stub = StubServer()
    stub.enqueue(completion(None, refusal="I'm sorry, I can't help with that request."))
    with pytest.raises(Refusal, match="I'm sorry, I can't help with that request."):
        extract(extractor(stub, config(tmp_path)))
    assert len(stub.requests) == 1


@pytest.mark.parametrize("mode", ["text", "tools"])
def test_a_prose_refusal_in_text_or_tools_mode_raises(tmp_path: Path, mode: str) -> None:
    stub = StubServer()
    stub.enqueue(completion("I cannot assist with extracting information from this document."))
    with pytest.raises(Refusal, match="I cannot assist"):
        extract(extractor(stub, config(tmp_path, mode=mode)))


def test_a_content_filter_stop_is_a_refusal(tmp_path: Path) -> None:
    stub = StubServer()
    stub.enqueue(completion(None, finish_reason="content_filter"))
    with pytest.raises(Refusal, match="content filter"):
        extract(extractor(stub, config(tmp_path)))


# --- output modes -----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["json_object", "tools", "text"])
def test_every_mode_extracts_the_same_fields(tmp_path: Path, mode: str) -> None:
    stub = StubServer()
    result = extract(extractor(stub, config(tmp_path, mode=mode)))
    assert result.fields == fields_of("cfgpp")
    assert result.mode == mode


def test_auto_falls_back_and_remembers_the_mode(tmp_path: Path) -> None:
    cfg = config(tmp_path)
    stub = StubServer()
    stub.enqueue(error(400, "400_json_schema"))
    result = extract(extractor(stub, cfg))
    assert result.mode == "json_object"
    assert result.attempts == 2
    assert [r.body["response_format"]["type"] for r in stub.requests] == [
        "json_schema",
        "json_object",
    ]
    remembered = json.loads((tmp_path / "cache" / MODES_FILE).read_text())
    assert remembered == {"http://llm.test:8000 gpt-5-mini": "json_object"}
    # A later run starts with the remembered mode: one request, no rejection.
    later = StubServer()
    again = extract(extractor(later, config(tmp_path, use_cache=False)), PAPERS["mmteb"])
    assert again.mode == "json_object"
    assert [r.body["response_format"]["type"] for r in later.requests] == ["json_object"]


def test_auto_falls_back_all_the_way_to_text(tmp_path: Path) -> None:
    stub = StubServer()
    stub.enqueue(
        error(400, "400_json_schema"), error(400, "400_json_object"), error(400, "400_tools")
    )
    result = extract(extractor(stub, config(tmp_path)))
    assert result.mode == "text"
    assert result.fields == fields_of("cfgpp")
    last = stub.requests[-1].body
    assert "response_format" not in last and "tools" not in last


def test_an_explicit_mode_does_not_fall_back(tmp_path: Path) -> None:
    stub = StubServer()
    stub.enqueue(error(400, "400_json_schema"))
    with pytest.raises(ModeNotSupported):
        extract(extractor(stub, config(tmp_path, mode="json_schema")))
    assert len(stub.requests) == 1
    assert not (tmp_path / "cache" / MODES_FILE).exists()


# --- cache ----------------------------------------------------------------------------------


def test_a_cache_hit_sends_no_request(tmp_path: Path) -> None:
    extract(extractor(StubServer(), config(tmp_path)))
    stub = StubServer()
    stats = RunStats()
    result = extract(extractor(stub, config(tmp_path), stats=stats))
    assert stub.requests == []
    assert result.cache_hit is True
    assert result.fields == fields_of("cfgpp")
    assert (result.attempts, result.usage.prompt_tokens, result.cost_usd) == (0, 0, 0.0)
    assert stats.requests == 0


def test_no_cache_sends_every_time_and_writes_nothing(tmp_path: Path) -> None:
    stub = StubServer()
    for _ in range(2):
        extract(extractor(stub, config(tmp_path, use_cache=False)))
    assert len(stub.requests) == 2
    assert not (tmp_path / "cache").exists()


def test_only_validated_results_are_cached(tmp_path: Path) -> None:
    stub = StubServer()
    stub.enqueue(*[completion("{}") for _ in range(3)])
    with pytest.raises(SchemaValidationError):
        extract(extractor(stub, config(tmp_path)))
    later = StubServer()
    extract(extractor(later, config(tmp_path)))
    assert len(later.requests) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"model": "gpt-4.1-mini"},
        {"temperature": 0.2},
        {"max_tokens": 2048},
        {"base_url": "http://other-server.test:8000/v1"},  # another endpoint, same model name
        {"mode": "json_object"},
    ],
)
def test_a_changed_setting_misses_the_cache(tmp_path: Path, change: dict[str, Any]) -> None:
    extract(extractor(StubServer(), config(tmp_path)))
    stub = StubServer()
    extract(extractor(stub, config(tmp_path, **change)))
    assert len(stub.requests) == 1


def test_a_changed_schema_misses_the_cache(tmp_path: Path) -> None:
    extract(extractor(StubServer(), config(tmp_path)))
    stub = StubServer()
    changed = extractor(stub, config(tmp_path))
    schema = json.loads(json.dumps(changed._schema))
    schema["properties"]["summary"]["description"] = "Two sentences."
    changed._schema = schema
    extract(changed)
    assert len(stub.requests) == 1


def test_the_cache_key_holds_the_mode_actually_used_not_auto(tmp_path: Path) -> None:
    fallback = StubServer()
    fallback.enqueue(error(400, "400_json_schema"))  # auto falls back to json_object
    assert extract(extractor(fallback, config(tmp_path))).mode == "json_object"
    strict = StubServer()
    extract(extractor(strict, config(tmp_path, mode="json_schema")))
    assert len(strict.requests) == 1  # a json_object answer is not a json_schema answer
    same = StubServer()
    assert extract(extractor(same, config(tmp_path, mode="json_object"))).cache_hit is True
    assert same.requests == []


def test_a_changed_prompt_misses_the_cache(tmp_path: Path) -> None:
    extract(extractor(StubServer(), config(tmp_path)))
    prompts = tmp_path / "prompts"
    shutil.copytree(DEFAULT_PROMPTS_DIR, prompts)
    path = prompts / "extract_fields" / "v2.md"  # the default version
    path.write_text(path.read_text().replace("at most five", "at most four"), encoding="utf-8")
    changed = load_prompt(prompts_dir=prompts)
    stub = StubServer()
    result = extract(extractor(stub, config(tmp_path), prompt=changed))
    assert len(stub.requests) == 1
    assert result.prompt is not None and result.prompt.sha256 == changed.sha256


def test_the_api_key_is_in_no_cache_file(tmp_path: Path) -> None:
    key = "sk-test-SECRET-123"
    cfg = config(tmp_path, api_key=key)
    stub = StubServer()
    stub.enqueue(error(400, "400_json_schema"))
    extract(extractor(stub, cfg))
    assert stub.requests[0].headers["authorization"] == f"Bearer {key}"
    files = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert len(files) >= 2  # the SQLite cache and modes.json
    for path in files:
        assert key.encode() not in path.read_bytes(), path


# --- reply parsing ---------------------------------------------------------------------------


def test_parse_accepts_bare_fenced_and_wrapped_json() -> None:
    text = answer_text("mmteb")
    expected = fields_of("mmteb")
    assert parse_fields_reply(text) == expected
    assert parse_fields_reply(f"```json\n{text}\n```") == expected
    assert parse_fields_reply(f"Sure! Here you go:\n{text}\nHope this helps.") == expected


@pytest.mark.parametrize(
    ("reply", "detail"),
    [
        ("", "expected one JSON object"),
        ("[1, 2]", "invalid JSON"),
        ('{"summary": "cut', "invalid JSON"),
        ('{"summary": null}', "tasks: Field required"),
    ],
)
def test_parse_rejects_with_details(reply: str, detail: str) -> None:
    with pytest.raises(InvalidReply) as caught:
        parse_fields_reply(reply)
    assert detail in caught.value.details
