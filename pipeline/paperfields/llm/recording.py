"""Record real HTTP exchanges with an LLM server, and replay them offline.

Both are ``httpx2`` transports handed to the openai SDK through its
``http_client``, so a replayed run goes through exactly the code path of a
live one. :class:`RecordingTransport` (``--record FILE``) appends one JSON line
per exchange, opening and closing the file each time so a killed run keeps
what it recorded: the request method, URL path and JSON body, and the response
status, a few safe headers and JSON body. Request headers are never written,
so the ``Authorization`` header and the API key stay out of the file (any
given secret is also scrubbed from the text as a second guard).
:class:`ReplayTransport` (``--replay FILE``) answers each request with the
recorded response whose key matches: a sha256 of the method, path and
canonical JSON body. Several recordings of one request (a 429, then a 200) are
served in order, the last one repeating. A request with no recording is a
:class:`~paperfields.errors.BackendError`.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpx2

from ..errors import BackendError, InputError
from ..io.jsonl import iter_jsonl

__all__ = ["RecordingTransport", "ReplayTransport", "exchange_key"]

RECORDED_HEADERS = frozenset(
    {
        "content-type",
        "retry-after",
        "retry-after-ms",
        "x-request-id",
        "openai-processing-ms",
        "x-ratelimit-limit-requests",
        "x-ratelimit-remaining-requests",
        "x-ratelimit-limit-tokens",
        "x-ratelimit-remaining-tokens",
    }
)
REDACTED = "[redacted]"


def exchange_key(method: str, path: str, body: bytes) -> str:
    """Return the replay key of a request: sha256 over method, path and canonical JSON body."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"))
    except ValueError:
        canonical = body.decode("utf-8", errors="replace")
    text = f"{method.upper()} {path}\n{canonical}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RecordingTransport(httpx2.AsyncBaseTransport):
    """Send through ``inner`` and append each exchange to ``path`` as one JSON line.

    Args:
        inner: the transport that really sends (e.g. ``httpx2.AsyncHTTPTransport``).
        path: the JSONL file to append to (created with its folder).
        secrets: strings (such as the API key) scrubbed from every written line.
    """

    def __init__(
        self, inner: httpx2.AsyncBaseTransport, path: Path, *, secrets: Iterable[str] = ()
    ) -> None:
        self._inner = inner
        self.path = path
        self._secrets = [secret for secret in secrets if secret]

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = await request.aread()
        response = await self._inner.handle_async_request(request)
        try:
            content = await response.aread()
        finally:
            await response.aclose()
        self._write(request, body, response, content)
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx2.Response(
            response.status_code, headers=headers, content=content, request=request
        )

    async def aclose(self) -> None:
        await self._inner.aclose()

    def _write(
        self, request: httpx2.Request, body: bytes, response: httpx2.Response, content: bytes
    ) -> None:
        exchange = {
            "key": exchange_key(request.method, request.url.path, body),
            "request": {
                "method": request.method,
                "path": request.url.path,
                "body": _json_or_text(body),
            },
            "response": {
                "status": response.status_code,
                "headers": {
                    name.lower(): value
                    for name, value in response.headers.items()
                    if name.lower() in RECORDED_HEADERS
                },
                "body": _json_or_text(content),
            },
        }
        line = json.dumps(exchange, ensure_ascii=False, separators=(",", ":"))
        for secret in self._secrets:
            line = line.replace(secret, REDACTED)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as fp:
            fp.write(line + "\n")


class ReplayTransport(httpx2.AsyncBaseTransport):
    """Answer requests from a file written by :class:`RecordingTransport`; no network.

    Raises:
        InputError: (at construction) the file is missing or has an invalid line.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise InputError("replay file not found", path=str(path))
        self._responses: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for line, exchange in iter_jsonl(path):
            key = exchange.get("key")
            response = exchange.get("response")
            if not isinstance(key, str) or not isinstance(response, dict):
                raise InputError("not a recorded exchange", path=str(path), line=line)
            self._responses[key].append(response)
        self._served: dict[str, int] = defaultdict(int)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = await request.aread()
        key = exchange_key(request.method, request.url.path, body)
        recorded = self._responses.get(key)
        if not recorded:
            raise BackendError(
                f"{self.path}: no recorded exchange matches {request.method} {request.url.path}"
                f" (request key {key[:12]}); replay with the flags used when recording"
                " (--model, --base-url, --mode, --max-tokens, --prompt-version), or record again"
            )
        index = min(self._served[key], len(recorded) - 1)
        self._served[key] += 1
        response = recorded[index]
        payload = response.get("body")
        text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
        headers = dict(response.get("headers") or {})
        headers.setdefault("content-type", "application/json")
        return httpx2.Response(
            int(response.get("status", 200)),
            headers=headers,
            content=text.encode("utf-8"),
            request=request,
        )


def _json_or_text(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return data.decode("utf-8", errors="replace")
