"""Backend tests: the real openai SDK over httpx2.MockTransport, with replies from fixtures."""

from __future__ import annotations

import asyncio
import email.utils
import time
from typing import Any

import httpx2
import pytest
from fixtures.llm.openai_stub import StubServer, answer_text, completion, error
from paperfields.config import LLMConfig
from paperfields.errors import BackendError, ModeNotSupported, RetriesExhausted
from paperfields.llm.backend import (
    MODE_ORDER,
    OFFICIAL_BASE_URL,
    ChatRequest,
    OpenAIBackend,
    RateLimiter,
    endpoint_family,
    is_official_openai,
    is_retryable,
    retry_after_seconds,
)
from paperfields.llm.prompts import ChatMessage
from paperfields.stats import RunStats

LOCAL = "http://llm.test:8000/v1"
SCHEMA = {"type": "object", "properties": {"summary": {"type": "string"}}}


def request(mode: Any = "json_schema", **changes: Any) -> ChatRequest:
    messages = [
        ChatMessage(role="system", content="Return JSON."),
        ChatMessage(role="user", content="paper"),
    ]
    values: dict[str, Any] = {"messages": messages, "mode": mode, "max_tokens": 256}
    values["schema"] = SCHEMA
    values.update(changes)
    return ChatRequest(**values)


class Sleeps:
    """Records backoff waits instead of sleeping them."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def backend(
    stub: StubServer,
    *,
    sleeps: Any = None,
    stats: RunStats | None = None,
    backoff_s: float = 0.001,
    **config: Any,
) -> OpenAIBackend:
    values: dict[str, Any] = {"base_url": LOCAL, "max_attempts": 4, "timeout_s": 5.0}
    values.update(config)
    return OpenAIBackend(
        LLMConfig(**values),
        stats=stats,
        http_client=stub.client(),
        backoff_s=backoff_s,
        sleep=sleeps or Sleeps(),
    )


def run(coro: Any) -> Any:
    return asyncio.run(coro)


# --- request shaping ---------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODE_ORDER)
def test_each_mode_shapes_the_request_the_server_sees(mode: Any) -> None:
    stub = StubServer()
    stub.enqueue(completion('{"summary": "x"}'))
    run(backend(stub).complete(request(mode)))
    body = stub.requests[0].body
    assert stub.requests[0].path == "/v1/chat/completions"
    if mode == "json_schema":
        fmt = body["response_format"]
        assert fmt["type"] == "json_schema"
        assert fmt["json_schema"]["strict"] is True
        assert fmt["json_schema"]["schema"] == SCHEMA
    elif mode == "json_object":
        assert body["response_format"] == {"type": "json_object"}
    elif mode == "tools":
        assert body["tools"][0]["function"]["parameters"] == SCHEMA
        assert body["tool_choice"]["function"]["name"] == body["tools"][0]["function"]["name"]
    else:
        assert "response_format" not in body and "tools" not in body


def test_local_server_gets_max_tokens_and_a_placeholder_key() -> None:
    stub = StubServer()
    stub.enqueue(completion("{}"))
    run(backend(stub).complete(request()))
    seen = stub.requests[0]
    assert seen.body["max_tokens"] == 256
    assert "max_completion_tokens" not in seen.body
    assert seen.headers["authorization"] == "Bearer not-needed"


def test_official_api_gets_max_completion_tokens_and_the_key() -> None:
    stub = StubServer()
    stub.enqueue(completion("{}"))
    run(backend(stub, base_url=None, api_key="sk-test-SECRET-123").complete(request()))
    seen = stub.requests[0]
    assert seen.body["max_completion_tokens"] == 256
    assert "max_tokens" not in seen.body
    assert seen.headers["authorization"] == "Bearer sk-test-SECRET-123"
    assert seen.body["model"] == "gpt-5-mini"


def test_temperature_is_sent_only_when_set() -> None:
    stub = StubServer()
    stub.enqueue(completion("{}"), completion("{}"))
    run(backend(stub).complete(request()))
    run(backend(stub, temperature=0.0).complete(request(temperature=0.0)))
    assert "temperature" not in stub.requests[0].body
    assert stub.requests[1].body["temperature"] == 0.0


def test_endpoint_helpers() -> None:
    assert is_official_openai(None)
    assert is_official_openai(OFFICIAL_BASE_URL)
    lookalike = OFFICIAL_BASE_URL.replace(".com/", ".com.example.net/")
    assert not is_official_openai(lookalike)
    assert not is_official_openai("http://localhost:11434/v1")
    assert endpoint_family("HTTP://LocalHost:8000/v1/") == "http://localhost:8000"
    assert endpoint_family(None) == endpoint_family(OFFICIAL_BASE_URL + "/")
    assert "/v1" not in endpoint_family(None)
    assert endpoint_family("https://user:s3cret@Host.example:8443/v1?key=abc") == (
        "https://host.example:8443"
    )


# --- results ----------------------------------------------------------------------------


def test_usage_includes_cached_tokens() -> None:
    stub = StubServer()
    stub.enqueue(completion(answer_text("cfgpp"), prompt_tokens=1500, cached_tokens=1280))
    result = run(backend(stub).complete(request()))
    assert result.text == answer_text("cfgpp")
    assert result.finish_reason == "stop"
    assert (result.usage.prompt_tokens, result.usage.cached_tokens) == (1500, 1280)
    assert result.usage.completion_tokens == 600
    assert result.usage.requests == 1
    assert result.attempts == 1


def test_tools_mode_returns_the_tool_arguments() -> None:
    stub = StubServer()
    stub.enqueue(completion(None, finish_reason="tool_calls", tool_arguments='{"summary": "t"}'))
    result = run(backend(stub).complete(request("tools")))
    assert result.text == '{"summary": "t"}'


def test_refusal_and_length_are_reported() -> None:
    stub = StubServer()
    stub.enqueue(completion(None, refusal="I can't help with that."))
    stub.enqueue(completion('{"summary": "cut', finish_reason="length"))
    b = backend(stub)
    assert run(b.complete(request())).refusal == "I can't help with that."
    assert run(b.complete(request())).finish_reason == "length"


# --- transport retries ------------------------------------------------------------------


def test_429_then_200_honours_retry_after_ms() -> None:
    stub = StubServer()
    stub.enqueue(error(429, "429", {"retry-after-ms": "10", "retry-after": "1"}), completion("{}"))
    stats = RunStats()
    # A real sleep: the wait must follow retry-after-ms (10 ms), not the backoff or retry-after.
    b = backend(stub, stats=stats, backoff_s=5.0, sleeps=asyncio.sleep)
    started = time.perf_counter()
    result = run(b.complete(request()))
    elapsed = time.perf_counter() - started
    assert result.attempts == 2
    assert 0.010 <= elapsed < 0.9
    assert (stats.requests, stats.retries, stats.in_flight) == (2, 1, 0)


def test_retry_after_seconds_and_http_date() -> None:
    assert retry_after_seconds({"Retry-After": "2"}) == 2.0
    assert retry_after_seconds({"retry-after-ms": "250"}) == 0.25
    assert retry_after_seconds({"x-other": "1"}) is None
    future = email.utils.formatdate(time.time() + 30, usegmt=True)
    parsed = retry_after_seconds({"retry-after": future})
    assert parsed is not None and 25 < parsed <= 30
    assert retry_after_seconds({"retry-after": "not a date"}) is None


def test_500_then_200_is_retried_with_backoff() -> None:
    stub = StubServer()
    stub.enqueue(error(500, "500"), error(503, "500"), completion("{}"))
    sleeps = Sleeps()
    result = run(backend(stub, sleeps=sleeps).complete(request()))
    assert result.attempts == 3
    assert len(sleeps.waits) == 2
    assert all(0 < wait <= 0.002 for wait in sleeps.waits)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_terminal_statuses_are_not_retried(status: int) -> None:
    stub = StubServer()
    name = "401" if status == 401 else "400_context_length"
    stub.enqueue(error(status, name), completion("{}"))
    with pytest.raises(BackendError) as caught:
        run(backend(stub).complete(request()))
    assert type(caught.value) is BackendError
    assert caught.value.status == status
    assert caught.value.attempts == 1
    assert len(stub.requests) == 1


def test_401_message_names_the_status_and_hides_the_key() -> None:
    stub = StubServer()
    key = "sk-test-SECRET-123"
    stub.enqueue(httpx2.Response(401, json={"error": {"message": f"bad key {key}"}}))
    with pytest.raises(BackendError) as caught:
        run(backend(stub, api_key=key).complete(request()))
    assert "HTTP 401" in str(caught.value)
    assert key not in str(caught.value)


@pytest.mark.parametrize(
    ("make", "retryable"),
    [
        (lambda r: error(408, "500"), True),
        (lambda r: error(409, "500"), True),
        (lambda r: error(429, "429"), True),
        (lambda r: error(502, "500"), True),
        (lambda r: error(400, "400_context_length"), False),
        (lambda r: error(401, "401"), False),
        (lambda r: error(404, "500"), False),
        (lambda r: error(422, "500"), False),
    ],
)
def test_retryable_vs_terminal_classification(make: Any, retryable: bool) -> None:
    stub = StubServer()
    stub.enqueue(make)
    with pytest.raises(BackendError) as caught:
        run(backend(stub, max_attempts=1).complete(request()))
    assert is_retryable(caught.value.original) is retryable  # type: ignore[arg-type]
    assert isinstance(caught.value, RetriesExhausted) is retryable


def test_retries_are_bounded_by_attempts() -> None:
    stub = StubServer()
    stub.enqueue(*[error(503, "500") for _ in range(10)])
    with pytest.raises(RetriesExhausted) as caught:
        run(backend(stub, max_attempts=3).complete(request()))
    assert caught.value.attempts == 3
    assert caught.value.status == 503
    assert len(stub.requests) == 3


def test_retries_are_bounded_by_total_wait() -> None:
    stub = StubServer()
    stub.enqueue(*[error(429, "429", {"retry-after": "4"}) for _ in range(10)])
    sleeps = Sleeps()
    with pytest.raises(RetriesExhausted) as caught:
        run(backend(stub, sleeps=sleeps, max_attempts=10, max_wait_s=10.0).complete(request()))
    assert sleeps.waits == [4.0, 4.0]
    assert caught.value.attempts == 3


def test_timeouts_and_connection_errors_are_retried() -> None:
    stub = StubServer()
    stub.enqueue(httpx2.ReadTimeout("slow"), httpx2.ConnectError("refused"), completion("{}"))
    assert run(backend(stub).complete(request())).attempts == 3


def test_connection_errors_exhausted_have_no_status() -> None:
    stub = StubServer()
    stub.enqueue(*[httpx2.ConnectError("refused") for _ in range(3)])
    with pytest.raises(RetriesExhausted) as caught:
        run(backend(stub, max_attempts=3).complete(request()))
    assert caught.value.status is None
    assert "refused" in str(caught.value)


def test_a_non_json_body_is_a_backend_error() -> None:
    stub = StubServer()
    stub.enqueue(httpx2.Response(200, content=b"<html>gateway</html>"))
    with pytest.raises(BackendError, match="unreadable reply"):
        run(backend(stub).complete(request()))


# --- output mode rejection ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "name"),
    [
        ("json_schema", "400_json_schema"),
        ("json_object", "400_json_object"),
        ("tools", "400_tools"),
    ],
)
def test_a_400_naming_the_mode_is_mode_not_supported(mode: Any, name: str) -> None:
    stub = StubServer()
    stub.enqueue(error(400, name))
    with pytest.raises(ModeNotSupported) as caught:
        run(backend(stub).complete(request(mode)))
    assert caught.value.status == 400
    assert len(stub.requests) == 1


def test_a_400_about_something_else_is_not_a_mode_problem() -> None:
    stub = StubServer()
    stub.enqueue(error(400, "400_context_length"))
    with pytest.raises(BackendError) as caught:
        run(backend(stub).complete(request()))
    assert not isinstance(caught.value, ModeNotSupported)


# --- rate limit ---------------------------------------------------------------------------


def test_rate_limiter_spaces_requests() -> None:
    now = [100.0]
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    limiter = RateLimiter(120, clock=lambda: now[0], sleep=fake_sleep)

    async def three() -> None:
        for _ in range(3):
            await limiter.acquire()

    run(three())
    assert waits == pytest.approx([0.5, 1.0])


def test_rpm_limit_is_applied_to_requests() -> None:
    stub = StubServer()
    stub.enqueue(completion("{}"), completion("{}"))
    b = backend(stub, rpm=600)
    started = time.perf_counter()

    async def two() -> None:
        await asyncio.gather(b.complete(request()), b.complete(request()))

    run(two())
    assert time.perf_counter() - started >= 0.09
    assert len(stub.requests) == 2
