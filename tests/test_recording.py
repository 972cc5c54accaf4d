"""Record real exchanges, replay them offline: same results, no key in the file."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fixtures.llm.openai_stub import StubServer, answer_text, completion, error, load_papers
from paperfields.config import LLMConfig
from paperfields.errors import BackendError, InputError
from paperfields.extract import Extraction
from paperfields.extract.llm import LLMExtractor
from paperfields.llm.backend import OpenAIBackend
from paperfields.llm.recording import RecordingTransport, ReplayTransport, exchange_key

KEY = "sk-test-SECRET-123"
PAPERS = load_papers()


def run_papers(ex: LLMExtractor) -> list[Extraction | BaseException]:
    async def go() -> list[Extraction | BaseException]:
        try:
            results: list[Extraction | BaseException] = []
            for paper in PAPERS:
                try:
                    results.append(await ex.extract(paper))
                except BackendError as e:
                    results.append(e)
            return results
        finally:
            await ex.aclose()

    return asyncio.run(go())


def recording_extractor(stub: StubServer, path: Path, tmp_path: Path) -> LLMExtractor:
    cfg = LLMConfig(api_key=KEY, cache_dir=tmp_path / "cache", record_path=path)
    transport = RecordingTransport(httpx2.MockTransport(stub.handler), path, secrets=[KEY])
    client = httpx2.AsyncClient(transport=transport)
    backend = OpenAIBackend(cfg, http_client=client, backoff_s=0.001)
    return LLMExtractor(cfg, backend=backend)


def scripted_stub() -> StubServer:
    """The first paper meets a rate limit and a malformed reply before its answer."""
    stub = StubServer()
    stub.enqueue(
        error(429, "429", {"retry-after-ms": "1"}),
        completion(answer_text("cfgpp")[:200]),
    )
    return stub


def test_record_then_replay_gives_identical_results(tmp_path: Path) -> None:
    tape = tmp_path / "tape.jsonl"
    recorded = run_papers(recording_extractor(scripted_stub(), tape, tmp_path))
    lines = tape.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5  # 429, malformed, repaired answer, then one answer per other paper
    replay_cfg = LLMConfig(api_key=None, cache_dir=tmp_path / "cache", replay_path=tape)
    replayed = run_papers(LLMExtractor(replay_cfg))
    assert replayed == recorded
    first = recorded[0]
    assert isinstance(first, Extraction)
    assert first.attempts == 3
    assert all(isinstance(result, Extraction) for result in recorded)


def test_the_record_file_has_no_key_and_no_request_headers(tmp_path: Path) -> None:
    tape = tmp_path / "tape.jsonl"
    stub = StubServer()
    stub.enqueue(httpx2.Response(401, json={"error": {"message": f"Incorrect API key {KEY}"}}))
    run_papers(recording_extractor(stub, tape, tmp_path))
    data = tape.read_bytes()
    assert KEY.encode() not in data
    assert b"authorization" not in data.lower()
    assert b"[redacted]" in data
    first = json.loads(data.splitlines()[0])
    assert set(first) == {"key", "request", "response"}
    assert set(first["request"]) == {"method", "path", "body"}
    assert first["request"]["path"] == "/v1/chat/completions"
    assert first["response"]["status"] == 401
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes()


def test_an_unmatched_request_is_a_clear_backend_error(tmp_path: Path) -> None:
    tape = tmp_path / "tape.jsonl"
    tape.write_text("", encoding="utf-8")
    cfg = LLMConfig(cache_dir=tmp_path / "cache", replay_path=tape, max_attempts=5)
    results = run_papers(LLMExtractor(cfg))
    assert all(isinstance(r, BackendError) for r in results)
    first = results[0]
    assert isinstance(first, BackendError)
    assert "no recorded exchange matches POST /v1/chat/completions" in str(first)
    assert str(tape) in str(first)
    assert first.attempts == 1


def test_repeated_recordings_are_served_in_order(tmp_path: Path) -> None:
    body = b'{"model": "m", "messages": []}'
    key = exchange_key("POST", "/v1/chat/completions", body)
    tape = tmp_path / "tape.jsonl"
    lines = [
        {"key": key, "response": {"status": 429, "headers": {}, "body": {"error": {}}}},
        {"key": key, "response": {"status": 200, "headers": {}, "body": {"ok": 1}}},
    ]
    tape.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    transport = ReplayTransport(tape)

    async def three() -> list[int]:
        async with httpx2.AsyncClient(transport=transport) as client:
            url = "http://x/v1/chat/completions"
            return [(await client.post(url, content=body)).status_code for _ in range(3)]

    assert asyncio.run(three()) == [429, 200, 200]


def test_the_key_ignores_json_formatting() -> None:
    compact = exchange_key("POST", "/v1/chat/completions", b'{"a":1,"b":[2]}')
    spaced = exchange_key("post", "/v1/chat/completions", b'{ "b": [2], "a": 1 }')
    assert compact == spaced
    assert compact != exchange_key("POST", "/v1/embeddings", b'{"a":1,"b":[2]}')


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "replay file not found"), ('{"key": 1}\n', "not a recorded exchange")],
)
def test_a_bad_replay_file_is_an_input_error(tmp_path: Path, content: Any, message: str) -> None:
    tape = tmp_path / "tape.jsonl"
    if content is not None:
        tape.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        ReplayTransport(tape)
    assert str(tape) in str(caught.value)


RECORDED = Path(__file__).resolve().parent / "fixtures" / "llm" / "recorded"


def test_a_committed_recording_of_the_standin_server_replays_to_its_records(
    tmp_path: Path,
) -> None:
    from paperfields.config import RunConfig
    from paperfields.orchestrator.runner import run_pipeline

    tape = RECORDED / "standin-3-papers.jsonl"
    assert b"sk-test" not in tape.read_bytes() and b"uthorization" not in tape.read_bytes()
    llm = LLMConfig(base_url="http://127.0.0.1:8799/v1", replay_path=tape, max_wait_s=2)
    papers = Path(__file__).resolve().parent / "fixtures" / "llm" / "papers.jsonl"
    summary = run_pipeline([papers], RunConfig(out_dir=tmp_path / "run", llm=llm, progress=False))
    assert (summary.stats.ok, summary.stats.retries, summary.stats.repairs) == (3, 1, 1)

    def without_timings(path: Path) -> dict[str, Any]:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for row in rows:
            row["provenance"].pop("timings", None)
        return {row["id"]: row for row in rows}

    expected = without_timings(RECORDED / "standin-3-papers.records.jsonl")
    assert without_timings(summary.records_path) == expected
