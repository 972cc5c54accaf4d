"""The one module that talks to an LLM server: a one-method protocol and its OpenAI implementation.

:class:`Backend` is what extraction needs: send one :class:`ChatRequest`, get
one :class:`ChatResult` (reply text, refusal, finish reason, token usage); these
shapes live in :mod:`paperfields.llm.chat`, free of the SDK, re-exported here.
:class:`OpenAIBackend` implements it over ``openai.AsyncOpenAI`` and the Chat
Completions API, for the official API and for any compatible server. It shapes
the request for the output mode (``json_schema``, ``json_object``, ``tools``,
``text``), picks the token-limit parameter the server expects, and owns the
transport retries: exponential backoff with jitter on 408/409/429/5xx, timeouts
and connection errors, honouring ``retry-after-ms`` / ``retry-after``, bounded
by attempts and total wait. The SDK's own retries are off (``max_retries=0``)
so the two never stack. ``timeout_s`` is a deadline for each attempt: it bounds
connect, write, every read and pool wait (``httpx2.Timeout``), and the whole
attempt too (``asyncio.wait_for``), so a server that drips one byte at a time
cannot hold a paper longer than attempts x timeout + the retry waits. SDK
errors are wrapped here, and only here, into :mod:`paperfields.errors`; the
API key is redacted from error bodies and from every text of a reply, so a
server that echoes it cannot get it written to disk. Record and replay plug in
as HTTP transports (:mod:`paperfields.llm.recording`) under the real SDK code
path.

Requests go through the SDK's client (``AsyncOpenAI.post``: its auth, headers,
timeouts and error mapping) with the body as built here, and the reply is read
once into a small model of the fields used (:class:`ChatReply`), skipping the
SDK's per-request parameter transforms and response models: the request body
is the same JSON, at a fraction of the CPU.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx2
import openai
from openai.types.chat import ChatCompletion
from pydantic import ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception

from ..config import LLMConfig, is_official_openai
from ..errors import BackendError, ModeNotSupported, RetriesExhausted
from ..schemas import Usage
from ..stats import RunStats
from .chat import (
    MODE_ORDER,
    OFFICIAL_BASE_URL,
    Backend,
    ChatReply,
    ChatRequest,
    ChatResult,
    ConcreteMode,
    endpoint_family,
)
from .recording import RecordingTransport, ReplayTransport

__all__ = [
    "MODE_ORDER",
    "OFFICIAL_BASE_URL",
    "SCHEMA_NAME",
    "TOOL_NAME",
    "Backend",
    "ChatRequest",
    "ChatResult",
    "ConcreteMode",
    "OpenAIBackend",
    "RateLimiter",
    "backoff_wait",
    "chat_body",
    "chat_result",
    "endpoint_family",
    "is_official_openai",
    "is_retryable",
    "redact_key",
    "retry_after_seconds",
]

PLACEHOLDER_API_KEY = "not-needed"
SCHEMA_NAME = "paper_fields"
TOOL_NAME = "record_paper_fields"
RETRYABLE_STATUS = frozenset({408, 409, 429})
REDACTED = "[redacted]"
MIN_REDACTED_KEY_CHARS = 8
"""Shorter "keys" are placeholders for local servers ("none", "x"): replacing them would
mangle ordinary text, and they guard nothing."""
DEFAULT_BACKOFF_S = 0.5
DEFAULT_BACKOFF_MAX_S = 20.0
_MODE_PARAMS = frozenset({"response_format", "tools", "tool_choice"})
_MODE_WORDS = ("response_format", "json_schema", "json_object", "structured output", "tool")


def retry_after_seconds(headers: Mapping[str, str] | httpx2.Headers | None) -> float | None:
    """Parse ``retry-after-ms``, then ``retry-after`` (seconds or an HTTP date); None if absent."""
    if headers is None:
        return None
    lowered = {k.lower(): v for k, v in headers.items()}
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = lowered.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / divisor
        except ValueError:
            if name == "retry-after-ms":
                continue
            try:
                date = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                return None
            return max(0.0, date.timestamp() - time.time())
        return max(0.0, seconds) if seconds == seconds else None  # reject NaN
    return None


def is_retryable(exc: BaseException) -> bool:
    """True for transient failures: 408/409/429/5xx, timeouts and connection errors."""
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError)  # includes APITimeoutError


class RateLimiter:
    """Spread requests evenly to at most ``rpm`` per minute, shared by all callers."""

    def __init__(
        self,
        rpm: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 60.0 / rpm
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0

    async def acquire(self) -> None:
        """Wait for the next free slot."""
        now = self._clock()
        slot = max(now, self._next)
        self._next = slot + self.interval
        if slot > now:
            await self._sleep(slot - now)


class OpenAIBackend:
    """:class:`Backend` over the openai SDK's ``AsyncOpenAI`` (Chat Completions).

    Args:
        config: model, base URL, key, timeout, retry bounds, rpm, record/replay paths.
        stats: live counters to bump (requests, retries, in flight), if any.
        http_client: an ``httpx2.AsyncClient`` to send through (tests, custom
            transports); it stays open after :meth:`aclose`.
        backoff_s: first backoff step in seconds; it doubles per retry and each wait is
            drawn between half the step and the whole step (jitter).
        backoff_max_s: ceiling of one backoff step.
        sleep: the coroutine used to wait between attempts.
    """

    def __init__(
        self,
        config: LLMConfig,
        *,
        stats: RunStats | None = None,
        http_client: httpx2.AsyncClient | None = None,
        backoff_s: float = DEFAULT_BACKOFF_S,
        backoff_max_s: float = DEFAULT_BACKOFF_MAX_S,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.config = config
        self.stats = stats
        self._backoff_s = backoff_s
        self._backoff_max_s = backoff_max_s
        self._sleep = sleep
        self._limiter = RateLimiter(config.rpm) if config.rpm else None
        self._owns_http_client = http_client is None
        self._official = is_official_openai(config.base_url)
        self._client = openai.AsyncOpenAI(
            api_key=config.api_key or PLACEHOLDER_API_KEY,
            base_url=config.base_url or OFFICIAL_BASE_URL,
            timeout=httpx2.Timeout(config.timeout_s),  # connect, write, each read, pool
            max_retries=0,
            http_client=http_client or _transport_client(config),
        )

    async def complete(self, request: ChatRequest) -> ChatResult:
        """Send ``request``, retrying transient failures; see :class:`Backend`.

        Raises:
            ModeNotSupported: the server rejected the output mode (a 400 naming it).
            RetriesExhausted: transient failures outlived ``max_attempts`` / ``max_wait_s``.
            BackendError: any other failure (401, 404, an unreadable reply ...).
        """
        arguments = self._arguments(request)
        attempts = 0
        retrying = AsyncRetrying(
            stop=self._should_stop,
            wait=self._wait,
            retry=retry_if_exception(is_retryable),
            sleep=self._sleep,
            before_sleep=self._count_retry,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    attempts += 1
                    reply = await self._send(arguments)
        except openai.OpenAIError as e:
            raise self._wrap(e, request, attempts) from e
        except BackendError as e:  # raised by a transport (replay without a match)
            e.attempts = attempts
            raise
        try:
            completion = ChatReply.model_validate_json(reply.content)
        except ValidationError as e:  # not JSON, or not a chat completion
            json_error = any(error["type"] == "json_invalid" for error in e.errors())
            what = f"not JSON ({e.errors()[0]['msg']})" if json_error else "not a chat completion"
            raise BackendError(
                f"unreadable reply from {endpoint_family(self.config.base_url)}: {what}",
                attempts=attempts,
                original=e,
            ) from e
        if not completion.choices:
            raise BackendError(
                f"unreadable reply from {endpoint_family(self.config.base_url)}:"
                " not a chat completion with at least one choice",
                attempts=attempts,
            )
        return chat_result(completion, request.mode, attempts, redact=self._redact)

    async def aclose(self) -> None:
        """Close the HTTP client, unless it was given by the caller."""
        if self._owns_http_client:
            await self._client.close()

    # --- request shaping -----------------------------------------------------------

    def _arguments(self, request: ChatRequest) -> dict[str, Any]:
        return chat_body(request, model=self.config.model, official=self._official)

    async def _send(self, arguments: dict[str, Any]) -> httpx2.Response:
        if self._limiter is not None:
            await self._limiter.acquire()
        if self.stats is not None:
            self.stats.requests += 1
            self.stats.in_flight += 1
        try:
            reply = self._client.post(
                "/chat/completions",
                body=arguments,
                cast_to=httpx2.Response,
                options={"security": {"bearer_auth": True}},
            )
            return await asyncio.wait_for(reply, self.config.timeout_s)
        except asyncio.TimeoutError:  # the whole attempt outlived its deadline
            request = httpx2.Request("POST", f"{self._client.base_url}chat/completions")
            raise openai.APITimeoutError(request=request) from None
        finally:
            if self.stats is not None:
                self.stats.in_flight -= 1

    # --- retry policy -----------------------------------------------------------------

    def _wait(self, state: RetryCallState) -> float:
        return backoff_wait(state, base_s=self._backoff_s, max_s=self._backoff_max_s)

    def _should_stop(self, state: RetryCallState) -> bool:
        if state.attempt_number >= self.config.max_attempts:
            return True
        return state.idle_for + state.upcoming_sleep > self.config.max_wait_s

    def _count_retry(self, state: RetryCallState) -> None:
        if self.stats is not None:
            self.stats.retries += 1

    # --- error wrapping ---------------------------------------------------------------

    def _wrap(self, error: openai.OpenAIError, request: ChatRequest, attempts: int) -> BackendError:
        where = endpoint_family(self.config.base_url)
        status = error.status_code if isinstance(error, openai.APIStatusError) else None
        detail = self._redact(_error_detail(error))
        if status == 400 and request.mode != "text" and _names_mode(error, detail):
            return ModeNotSupported(
                f"{where} rejected output mode {request.mode!r}: {detail}",
                status=status,
                attempts=attempts,
                original=error,
            )
        if is_retryable(error):
            what = f"HTTP {status}" if status is not None else type(error).__name__
            return RetriesExhausted(
                f"{where}: {what} after {attempts} attempt(s): {detail}",
                status=status,
                attempts=attempts,
                original=error,
            )
        prefix = f"HTTP {status}" if status is not None else type(error).__name__
        return BackendError(
            f"{where}: {prefix}: {detail}", status=status, attempts=attempts, original=error
        )

    def _redact(self, text: str) -> str:
        """``text`` with the API key replaced (a key that is a placeholder word is left alone)."""
        return redact_key(text, self.config.api_key)


def backoff_wait(state: RetryCallState, *, base_s: float, max_s: float) -> float:
    """Seconds before the next attempt, for the live backend and the Batch API client alike.

    The server's Retry-After when it sends one; else exponential backoff from
    ``base_s`` (doubling, capped at ``max_s``), drawn from the upper half of the step.
    """
    error = state.outcome.exception() if state.outcome is not None else None
    if isinstance(error, openai.APIStatusError):
        hinted = retry_after_seconds(error.response.headers)
        if hinted is not None:
            return hinted
    step = min(max_s, base_s * 2 ** (state.attempt_number - 1))
    return random.uniform(step / 2, step)


def redact_key(text: str, api_key: str | None) -> str:
    """``text`` with ``api_key`` replaced by ``[redacted]``.

    A key shorter than 8 characters is a placeholder word ("none", "local"),
    not a secret, and is left alone so ordinary words survive.
    """
    if not api_key or len(api_key) < MIN_REDACTED_KEY_CHARS or api_key not in text:
        return text
    return text.replace(api_key, REDACTED)


def _transport_client(config: LLMConfig) -> httpx2.AsyncClient | None:
    """An HTTP client that records or replays exchanges, or None for the SDK default."""
    if config.replay_path is not None:
        return httpx2.AsyncClient(transport=ReplayTransport(config.replay_path))
    if config.record_path is not None:
        inner = httpx2.AsyncHTTPTransport(limits=openai.DEFAULT_CONNECTION_LIMITS)
        secrets = [config.api_key] if config.api_key else []
        return httpx2.AsyncClient(
            transport=RecordingTransport(inner, config.record_path, secrets=secrets),
            limits=openai.DEFAULT_CONNECTION_LIMITS,
            follow_redirects=True,
        )
    return None


def chat_body(request: ChatRequest, *, model: str, official: bool) -> dict[str, Any]:
    """The JSON body of one Chat Completions request, shaped for its output mode.

    The live backend sends it and the Batch API path writes it as the ``body`` of a
    batch input line, so both ask exactly the same thing.

    Args:
        request: messages, mode, token limit, temperature and schema.
        model: the model id.
        official: True for OpenAI's own API, which expects ``max_completion_tokens``
            (other servers get ``max_tokens``).

    Returns:
        The body as a JSON-ready dict.
    """
    arguments: dict[str, Any] = {
        "model": model,
        "messages": [dict(message) for message in request.messages],
    }
    limit_name = "max_completion_tokens" if official else "max_tokens"
    arguments[limit_name] = request.max_tokens
    if request.temperature is not None:
        arguments["temperature"] = request.temperature
    schema = dict(request.schema)
    if request.mode == "json_schema":
        arguments["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": SCHEMA_NAME, "schema": schema, "strict": True},
        }
    elif request.mode == "json_object":
        arguments["response_format"] = {"type": "json_object"}
    elif request.mode == "tools":
        arguments["tools"] = [
            {
                "type": "function",
                "function": {
                    "name": TOOL_NAME,
                    "description": "Record the fields extracted from the paper.",
                    "parameters": schema,
                },
            }
        ]
        arguments["tool_choice"] = {"type": "function", "function": {"name": TOOL_NAME}}
    return arguments


def chat_result(
    completion: ChatCompletion | ChatReply,
    mode: ConcreteMode,
    attempts: int,
    *,
    redact: Callable[[str], str] | None = None,
) -> ChatResult:
    """Read one chat completion (live, or from a batch output line) as a :class:`ChatResult`.

    A server that echoes the API key inside a valid reply must not get it written
    to records, the cache or ``errors.jsonl``: with ``redact`` (the live backend
    passes its key redactor) every text taken from the reply passes through it
    here, before anyone else sees it.

    Args:
        completion: the parsed completion; it must have at least one choice.
        mode: the output mode it was asked in (``tools`` reads the forced call's arguments).
        attempts: HTTP requests it took, transport retries included.
        redact: applied to the reply's text, refusal and model name.
    """
    choice = completion.choices[0]
    message = choice.message
    text = message.content
    if mode == "tools":
        for call in message.tool_calls or []:
            function = getattr(call, "function", None)
            if function is not None and getattr(function, "arguments", None) is not None:
                text = function.arguments
                break
    clean = redact if redact is not None else _unchanged
    return ChatResult(
        text=clean(text) if text else text,
        refusal=clean(message.refusal) if message.refusal else message.refusal,
        finish_reason=choice.finish_reason,
        usage=_usage(completion),
        attempts=attempts,
        mode=mode,
        model=clean(completion.model) if completion.model else completion.model,
    )


def _unchanged(text: str) -> str:
    return text


def _usage(completion: ChatCompletion | ChatReply) -> Usage:
    usage = completion.usage
    if usage is None:
        return Usage(requests=1)
    details = usage.prompt_tokens_details
    cached = details.cached_tokens if details is not None else None
    return Usage(
        prompt_tokens=usage.prompt_tokens or 0,
        completion_tokens=usage.completion_tokens or 0,
        cached_tokens=cached or 0,
        requests=1,
    )


def _error_detail(error: openai.OpenAIError) -> str:
    if isinstance(error, openai.APIStatusError):
        body = error.body
        if isinstance(body, Mapping) and isinstance(body.get("message"), str):
            return str(body["message"])
        if body is not None:
            return json.dumps(body)[:500] if not isinstance(body, str) else body[:500]
        return error.message
    if isinstance(error, openai.APIConnectionError) and error.__cause__ is not None:
        return f"{error.message} ({error.__cause__})"
    return str(error)


def _names_mode(error: openai.OpenAIError, detail: str) -> bool:
    """True when a 400 is about the output mode (its ``param`` or its message says so)."""
    param = getattr(error, "param", None) or ""
    if param in _MODE_PARAMS:
        return True
    lowered = detail.lower()
    return any(word in lowered for word in _MODE_WORDS)
