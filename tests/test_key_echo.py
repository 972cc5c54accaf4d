"""A server that echoes the API key inside its replies cannot get the key written to disk.

The real openai SDK talks to the scripted stub: one paper's valid reply
carries the key in its summary, a claim and an evidence quote; another
paper's reply is invalid JSON around the key (so it lands in ``errors.jsonl``
with its raw output); a third is a refusal quoting the key. Afterwards no
byte of the run folder or the cache folder holds the key.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from fixtures.llm.openai_stub import FIXTURES, StubServer, answer_text, completion
from paperfields.config import LLMConfig, RunConfig
from paperfields.extract.llm import LLMExtractor
from paperfields.llm.backend import OpenAIBackend
from paperfields.orchestrator.runner import run_pipeline
from paperfields.stats import RunStats

KEY = "sk-test-ECHOED-0123456789abcdef"


def echoing_answer() -> str:
    answer = json.loads(answer_text("cfgpp"))
    answer["summary"] = f"The key is {KEY}."
    answer["claims"][0]["text"] = f"{KEY} was used"
    answer["tasks"][0]["evidence"] = f"quoted {KEY} verbatim"
    return json.dumps(answer)


def all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_an_echoed_key_reaches_no_record_cache_or_error(tmp_path: Path) -> None:
    stub = StubServer()
    stub.enqueue(  # concurrency 1: the papers ask in file order (cfgpp, aft-reasoners, mmteb)
        completion(echoing_answer()),
        completion(f"not JSON at all, but here is {KEY} for you"),
        completion(None, refusal=f"I cannot share {KEY}."),
    )
    cfg = LLMConfig(
        api_key=KEY,
        base_url="http://llm.test:8000/v1",
        cache_dir=tmp_path / "cache",
        concurrency=1,
        repair_attempts=0,
    )
    stats = RunStats()
    backend = OpenAIBackend(cfg, stats=stats, http_client=stub.client())
    extractor = LLMExtractor(cfg, stats=stats, backend=backend)
    config = RunConfig(out_dir=tmp_path / "run", extractor="openai", llm=cfg, progress=False)
    try:
        summary = run_pipeline(
            [FIXTURES / "papers.jsonl"], config, extractor=extractor, stats=stats
        )
    finally:
        asyncio.run(extractor.aclose())
    assert summary.stats.ok == 1 and summary.stats.failed == 2
    assert len(stub.requests) == 3 and KEY in stub.requests[0].headers["authorization"]
    record = json.loads((tmp_path / "run" / "records.jsonl").read_text())
    assert record["fields"]["summary"] == "The key is [redacted]."
    errors = [
        json.loads(line) for line in (tmp_path / "run" / "errors.jsonl").read_text().splitlines()
    ]
    assert [e["error_type"] for e in errors] == ["SchemaValidationError", "Refusal"]
    assert "[redacted]" in errors[0]["raw_output"] and "[redacted]" in errors[1]["raw_output"]
    for folder in (tmp_path / "run", tmp_path / "cache"):
        assert KEY.encode() not in all_bytes(folder), folder
    assert b"[redacted]" in all_bytes(tmp_path / "cache")  # the cached answer, redacted


def test_a_placeholder_key_for_a_local_server_is_not_redacted_from_text() -> None:
    backend = OpenAIBackend(LLMConfig(api_key="none", base_url="http://localhost:8000/v1"))
    assert backend._redact("none of the baselines") == "none of the baselines"
    asyncio.run(backend.aclose())


def test_an_echoed_key_in_a_batch_output_file_never_reaches_disk(tmp_path: Path) -> None:
    """The Batch API path: the downloaded output file and every text read from it."""
    import httpx2
    from paperfields.llm.batch import BatchClient, read_output_line

    body = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "gpt-5-mini",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": echoing_answer()},
            }
        ],
    }
    lines = [
        {"custom_id": "cfgpp", "response": {"status_code": 200, "body": body}, "error": None},
        {
            "custom_id": "mmteb",
            "response": {"status_code": 400, "body": {"error": {"message": f"bad {KEY}"}}},
            "error": None,
        },
        {"custom_id": "x", "response": None, "error": {"code": "e", "message": f"{KEY}!"}},
    ]
    content = "".join(json.dumps(line) + "\n" for line in lines).encode()

    def handler(request: httpx2.Request) -> httpx2.Response:
        assert request.url.path.endswith("/files/file-out/content")
        return httpx2.Response(200, content=content)

    cfg = LLMConfig(api_key=KEY, base_url="http://llm.test:8000/v1")

    async def go() -> Path:
        http = httpx2.AsyncClient(transport=httpx2.MockTransport(handler))
        client = BatchClient(cfg, http_client=http)
        try:
            return await client.download("file-out", tmp_path / "b0001.output.jsonl")
        finally:
            await client.aclose()
            await http.aclose()

    path = asyncio.run(go())
    assert KEY.encode() not in path.read_bytes()
    assert b"[redacted]" in path.read_bytes()
    from paperfields.llm.backend import redact_key

    def redact(text: str) -> str:
        return redact_key(text, KEY)

    for obj in lines:  # even a line read before redaction on disk comes out clean
        outcome = read_output_line(obj, "json_schema", redact=redact)
        assert KEY not in repr(outcome)
