"""The OpenAI Batch API through the official SDK: upload, create, poll, cancel, download, read.

:class:`BatchClient` is the only code that talks to the Files and Batches
endpoints (``files.create`` with purpose ``batch``, ``batches.create`` on
``/v1/chat/completions`` with the 24 h window, ``batches.retrieve``,
``batches.cancel``, ``batches.list``, ``files.content``). Each call is retried
on transient failures (408/409/429/5xx, timeouts, connection errors) with the
same policy as live requests, and SDK errors become
:class:`~paperfields.errors.BackendError` with the key redacted. What the
server says about a batch comes back as a plain :class:`BatchInfo`.
:func:`read_output_line` reads one line of an output or error file: a reply
(a :class:`~paperfields.llm.backend.ChatResult`, the same type live requests
give) or a :class:`LineError` that says whether sending the request again may
help. :func:`input_line` writes one request as a batch input line, with the
body :func:`~paperfields.llm.backend.chat_body` builds for live requests.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeVar

import httpx2
import openai
from openai.types import Batch
from openai.types.chat import ChatCompletion
from pydantic import ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception

from ..config import LLMConfig
from ..errors import BackendError
from .backend import (
    OFFICIAL_BASE_URL,
    PLACEHOLDER_API_KEY,
    ChatRequest,
    ChatResult,
    ConcreteMode,
    backoff_wait,
    chat_body,
    chat_result,
    endpoint_family,
    is_official_openai,
    is_retryable,
    redact_key,
)

__all__ = [
    "BATCH_ENDPOINT",
    "COMPLETION_WINDOW",
    "FINISHED",
    "BatchClient",
    "BatchInfo",
    "LineError",
    "input_line",
    "read_output_line",
]

BATCH_ENDPOINT: Final = "/v1/chat/completions"
COMPLETION_WINDOW: Final = "24h"
FINISHED = frozenset({"completed", "failed", "expired", "cancelled"})
"""Batch statuses that will not change any more."""
TRANSFER_TIMEOUT_S = 600.0
"""Uploads and downloads of files up to 200 MB get at least this long."""
LIST_LIMIT = 100
MAX_BACKOFF_S = 20.0
"""Longest pause between retries of a Files or Batches call (Retry-After may ask more)."""
RETRYABLE_CODES = frozenset({"batch_expired", "rate_limit_exceeded", "server_error", "timeout"})

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BatchInfo:
    """What the server says about one batch (a plain copy of the SDK's ``Batch``)."""

    id: str
    status: str
    input_file_id: str
    output_file_id: str | None = None
    error_file_id: str | None = None
    total: int = 0
    completed: int = 0
    failed: int = 0
    created_at: int = 0
    errors: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        """True once the status will not change any more."""
        return self.status in FINISHED

    @classmethod
    def of(cls, batch: Batch) -> BatchInfo:
        """Copy the SDK's ``Batch``."""
        counts = batch.request_counts
        problems = batch.errors.data if batch.errors is not None and batch.errors.data else []
        errors = tuple(
            f"{e.code or 'error'}: {e.message or ''}"
            + (f" (line {e.line})" if e.line is not None else "")
            for e in problems
        )
        return cls(
            id=batch.id,
            status=batch.status,
            input_file_id=batch.input_file_id,
            output_file_id=batch.output_file_id,
            error_file_id=batch.error_file_id,
            total=counts.total if counts else 0,
            completed=counts.completed if counts else 0,
            failed=counts.failed if counts else 0,
            created_at=batch.created_at,
            errors=errors,
            metadata=dict(batch.metadata or {}),
        )


@dataclass(frozen=True, slots=True)
class LineError:
    """A batch request that got no usable reply; ``retryable`` when sending it again may help."""

    custom_id: str
    reason: str
    retryable: bool
    code: str | None = None
    status: int | None = None


def input_line(custom_id: str, request: ChatRequest, *, model: str, official: bool) -> str:
    """One batch input line (with its newline) asking what a live request would ask.

    Args:
        custom_id: the id that matches the reply to its paper.
        request: the request, as the live path builds it.
        model: the model id.
        official: True for OpenAI's own API (``max_completion_tokens``).
    """
    body = chat_body(request, model=model, official=official)
    line = {"custom_id": custom_id, "method": "POST", "url": BATCH_ENDPOINT, "body": body}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"


def read_output_line(
    obj: Mapping[str, Any],
    mode: ConcreteMode,
    *,
    redact: Callable[[str], str] | None = None,
) -> ChatResult | LineError:
    """Read one line of a batch's output or error file.

    A 200 response whose body is a chat completion becomes a :class:`ChatResult`
    (one attempt); anything else a :class:`LineError`: 408/409/429/5xx and
    ``batch_expired`` are retryable, ``batch_cancelled`` and other 4xx are not.
    ``redact`` (the client's :meth:`BatchClient.redact`) cleans every text of the
    reply, so a server that echoes the API key cannot get it written down.

    Raises:
        ValueError: the line has no ``custom_id``.
    """
    custom_id = obj.get("custom_id")
    if not isinstance(custom_id, str):
        raise ValueError("a batch output line without custom_id")
    response = obj.get("response")
    error = obj.get("error")
    if isinstance(response, Mapping) and isinstance(response.get("status_code"), int):
        status = int(response["status_code"])
        body = response.get("body")
        if status == 200 and isinstance(body, Mapping):
            try:
                completion = ChatCompletion.model_validate(body)
            except ValidationError as e:
                reason = f"unreadable reply: {e.error_count()} problem(s) in the completion"
                return LineError(custom_id, reason, retryable=True, status=status)
            if completion.choices:
                return chat_result(completion, mode, 1, redact=redact)
            return LineError(custom_id, "a completion without choices", True, status=status)
        detail = _body_message(body)
        if redact is not None:
            detail = redact(detail)
        retryable = status in (408, 409, 429) or status >= 500
        return LineError(custom_id, f"HTTP {status}: {detail}", retryable, status=status)
    if isinstance(error, Mapping):
        code = str(error.get("code") or "error")
        message = str(error.get("message") or "")
        if redact is not None:
            message = redact(message)
        return LineError(custom_id, f"{code}: {message}", code in RETRYABLE_CODES, code=code)
    return LineError(custom_id, "a line with neither response nor error", retryable=True)


def _body_message(body: Any) -> str:
    if isinstance(body, Mapping):
        inner = body.get("error")
        if isinstance(inner, Mapping) and inner.get("message"):
            return str(inner["message"])
    return json.dumps(body)[:300]


class BatchClient:
    """The Files and Batches endpoints over ``openai.AsyncOpenAI``.

    Args:
        config: base URL, key, timeout and retry bounds (as for live requests).
        http_client: an ``httpx2.AsyncClient`` to send through (tests).
        backoff_s: first retry pause in seconds, doubling, with jitter.
    """

    def __init__(
        self,
        config: LLMConfig,
        *,
        http_client: httpx2.AsyncClient | None = None,
        backoff_s: float = 0.5,
    ) -> None:
        self.config = config
        self.official = is_official_openai(config.base_url)
        self._where = endpoint_family(config.base_url)
        self._backoff_s = backoff_s
        self._owns_http_client = http_client is None
        self._client = openai.AsyncOpenAI(
            api_key=config.api_key or PLACEHOLDER_API_KEY,
            base_url=config.base_url or OFFICIAL_BASE_URL,
            timeout=config.timeout_s,
            max_retries=0,
            http_client=http_client,
        )

    async def upload(self, path: Path) -> str:
        """Upload a batch input file (purpose ``batch``); return its file id."""
        timeout = max(self.config.timeout_s, TRANSFER_TIMEOUT_S)
        created = await self._call(
            "upload the batch input file",
            lambda: self._client.files.create(file=path, purpose="batch", timeout=timeout),
        )
        return created.id

    async def create(self, input_file_id: str, metadata: Mapping[str, str]) -> BatchInfo:
        """Create a batch over an uploaded input file (``/v1/chat/completions``, 24 h)."""
        batch = await self._call(
            "create the batch",
            lambda: self._client.batches.create(
                input_file_id=input_file_id,
                endpoint=BATCH_ENDPOINT,
                completion_window=COMPLETION_WINDOW,
                metadata=dict(metadata),
            ),
        )
        return BatchInfo.of(batch)

    async def retrieve(self, batch_id: str) -> BatchInfo:
        """The batch's current status, counts and file ids."""
        batch = await self._call(
            f"look up batch {batch_id}", lambda: self._client.batches.retrieve(batch_id)
        )
        return BatchInfo.of(batch)

    async def cancel(self, batch_id: str) -> BatchInfo:
        """Ask the server to cancel the batch (it moves to ``cancelling``, then ``cancelled``)."""
        batch = await self._call(
            f"cancel batch {batch_id}", lambda: self._client.batches.cancel(batch_id)
        )
        return BatchInfo.of(batch)

    async def find(
        self, input_file_id: str, *, newer_than: int, scan: int = 1000
    ) -> BatchInfo | None:
        """The batch created over ``input_file_id``, if any (newest first, back to ``newer_than``).

        Used after an interruption between creating a batch and writing its id
        down: the input file id is unique, so the batch is adopted, never created twice.
        """

        async def search() -> BatchInfo | None:
            seen = 0
            async for batch in self._client.batches.list(limit=LIST_LIMIT):
                seen += 1
                if batch.input_file_id == input_file_id:
                    return BatchInfo.of(batch)
                if batch.created_at < newer_than or seen >= scan:
                    return None
            return None

        return await self._call("list batches", search)

    def redact(self, text: str) -> str:
        """``text`` with this client's API key replaced by ``[redacted]``."""
        return redact_key(text, self.config.api_key)

    async def download(self, file_id: str, target: Path) -> Path:
        """Stream an output or error file to ``target``, the API key redacted; return ``target``."""
        timeout = max(self.config.timeout_s, TRANSFER_TIMEOUT_S)

        async def fetch() -> Path:
            streaming = self._client.files.with_streaming_response
            async with streaming.content(file_id, timeout=timeout) as response:
                with open(target, "w", encoding="utf-8") as out:
                    async for line in response.iter_lines():  # whole lines: the key is never split
                        out.write(self.redact(line) + "\n")
            return target

        return await self._call(f"download file {file_id}", fetch)

    async def aclose(self) -> None:
        """Close the HTTP client, unless it was given by the caller."""
        if self._owns_http_client:
            await self._client.close()

    async def __aenter__(self) -> BatchClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- retries and errors ------------------------------------------------------------

    async def _call(self, what: str, send: Callable[[], Awaitable[T]]) -> T:
        attempts = 0
        retrying = AsyncRetrying(
            stop=self._should_stop,
            wait=self._wait,
            retry=retry_if_exception(is_retryable),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    attempts += 1
                    return await send()
        except openai.OpenAIError as e:
            raise self._wrap(what, e, attempts) from e
        raise AssertionError("unreachable: tenacity re-raises")  # pragma: no cover

    def _wait(self, state: RetryCallState) -> float:
        return backoff_wait(state, base_s=self._backoff_s, max_s=MAX_BACKOFF_S)

    def _should_stop(self, state: RetryCallState) -> bool:
        if state.attempt_number >= self.config.max_attempts:
            return True
        return state.idle_for + state.upcoming_sleep > self.config.max_wait_s

    def _wrap(self, what: str, error: openai.OpenAIError, attempts: int) -> BackendError:
        status = error.status_code if isinstance(error, openai.APIStatusError) else None
        detail = error.message if isinstance(error, openai.APIError) else str(error)
        if isinstance(error, openai.APIConnectionError) and error.__cause__ is not None:
            detail = f"{detail} ({error.__cause__})"
        detail = self.redact(detail)
        prefix = f"HTTP {status}" if status is not None else type(error).__name__
        hint = " (does this server offer the Batch API?)" if status in (404, 405) else ""
        return BackendError(
            f"{self._where}: could not {what}: {prefix}: {detail[:500]}{hint}",
            status=status,
            attempts=attempts,
            original=error,
        )
