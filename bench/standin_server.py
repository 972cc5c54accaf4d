"""An OpenAI-compatible stand-in server for paperfields benchmarks and tests (asyncio, stdlib only).

It serves ``POST /v1/chat/completions`` the way a real server would for the
extraction prompt: it finds the paper between ``<title>``/``<abstract>`` tags in
the user message and answers with fields built from that abstract (by
``paperfields.extract.offline.extractor.extract_fields`` when that module is present, else
by a simple rule whose evidence quotes are verbatim sentences of the abstract),
shaped for the requested output mode (``json_schema``, ``json_object``,
``tools`` or ``text``), with token usage. User-defined fields, asked for in the
schema or in the prompt section, are answered too (``bench/standin_fields.py``),
and a ``json_schema`` request whose strict schema breaks a rule of strict
structured outputs is refused with a 400, as OpenAI does. ``GET /stats`` returns its counters.

Latency and faults are configurable. Faults are fractions drawn per attempt
from a seeded generator keyed by the request body and how often that body was
seen, so a retry of the same request can succeed and a run is reproducible
whatever the arrival order: 429 (with ``retry-after-ms``), 500/503, stalls
longer than a client timeout, malformed JSON, truncated replies
(``finish_reason: length``) and refusals. ``unsupported_modes`` makes the server
reject those output modes with a 400, as servers without structured outputs do.

Evidence quotes are verbatim by default. With :class:`Misquotes` (``--paraphrase
0.15 --absent 0.05``) a share of them is misquoted the way real models do it,
from the paper itself: words dropped, neighbours swapped, a synonym, the end cut
off; and a share is absent, a sentence made of the abstract's own words that is
not in it (the near miss that costs grounding most).
It also serves the Files and Batches endpoints (``bench/standin_batches.py``):
batch lines are answered by :meth:`StandinServer.answer_line`, the same reply
generator and fault draws as live requests.

Replies are built once per abstract and kept; ``--prime FILE`` builds them
before listening, so a benchmark measures the client, not the server. Start it
in-process (``StandinServer(...).start_in_thread()`` returns the base URL) or
from the command line::

    python bench/standin_server.py --port 8765 --latency 0.2 --rate-429 0.1
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import hashlib
import importlib
import importlib.util
import json
import math
import random
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = [
    "Faults",
    "Misquotes",
    "ServerStats",
    "StandinServer",
    "batches_module",
    "build_fields",
    "main",
]


def batches_module() -> ModuleType:
    """``bench/standin_batches.py``, imported once (``bench/`` is a folder of scripts)."""
    name = "paperfields_bench_standin_batches"
    if name not in sys.modules:
        path = Path(__file__).resolve().with_name("standin_batches.py")
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_ABSTRACT = re.compile(r"<abstract>(.*?)</abstract>", re.DOTALL)
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
REFUSAL_TEXT = "I'm sorry, but I can't help with that request."


@dataclass(frozen=True)
class Faults:
    """Fractions of attempts that fail, each way; the rest are answered correctly."""

    rate_429: float = 0.0
    rate_500: float = 0.0
    rate_stall: float = 0.0
    rate_malformed: float = 0.0
    rate_truncated: float = 0.0
    rate_refusal: float = 0.0
    retry_after_ms: int = 20
    stall_s: float = 30.0
    unsupported_modes: frozenset[str] = frozenset()

    def draw(self, u: float) -> str | None:
        """Map a uniform draw in [0, 1) to a fault name, or None for a correct answer."""
        for name in ("429", "500", "stall", "malformed", "truncated", "refusal"):
            rate = getattr(self, f"rate_{name}")
            if u < rate:
                return name
            u -= rate
        return None


_SYNONYMS = {
    "propose": "present",
    "proposed": "presented",
    "introduce": "present",
    "method": "approach",
    "approach": "method",
    "model": "network",
    "models": "networks",
    "improve": "enhance",
    "improves": "enhances",
    "show": "demonstrate",
    "shows": "demonstrates",
    "achieves": "obtains",
    "achieve": "obtain",
    "results": "findings",
    "performance": "accuracy",
    "significantly": "substantially",
    "novel": "new",
    "large": "big",
    "using": "with",
    "task": "problem",
    "tasks": "problems",
    "data": "information",
    "outperforms": "beats",
    "experiments": "evaluations",
    "state-of-the-art": "leading",
}


@dataclass(frozen=True)
class Misquotes:
    """Fractions of evidence quotes that are paraphrased or absent (the rest stay verbatim)."""

    paraphrase: float = 0.0
    absent: float = 0.0
    seed: int = 0

    def apply(self, fields: dict[str, Any], abstract: str) -> dict[str, Any]:
        """Misquote ``fields`` in place, deterministically per abstract; return them."""
        if not self.paraphrase and not self.absent:
            return fields
        rng = random.Random(f"{self.seed}:{abstract_key(abstract)}")
        vocabulary = abstract.split()
        for name in ("tasks", "methods", "datasets", "metrics", "claims"):
            for item in fields.get(name, []):
                u = rng.random()
                if u < self.absent:
                    item["evidence"] = _absent_quote(rng, vocabulary, len(item["evidence"]))
                elif u < self.absent + self.paraphrase:
                    item["evidence"] = _paraphrase(rng, item["evidence"])
        return fields


def _paraphrase(rng: random.Random, quote: str) -> str:
    """One or two of the ways models misquote: drop words, swap two, a synonym, cut the end."""
    words = quote.split()
    if len(words) < 4:
        return quote.lower()
    for way in rng.sample(("drop", "swap", "synonym", "cut"), 1 + rng.randrange(2)):
        if way == "drop":
            for _ in range(1 + rng.randrange(max(1, len(words) // 10))):
                if len(words) > 3:
                    del words[rng.randrange(1, len(words) - 1)]
        elif way == "swap":
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        elif way == "synonym":
            known = [i for i, w in enumerate(words) if w.lower() in _SYNONYMS]
            if known:
                i = rng.choice(known)
                words[i] = _SYNONYMS[words[i].lower()]
            else:
                words[rng.randrange(len(words))] = "the"
        elif len(words) > 8:
            words = words[: max(4, int(len(words) * rng.uniform(0.5, 0.85)))]
    return " ".join(words)


def _absent_quote(rng: random.Random, vocabulary: list[str], length: int) -> str:
    """A sentence of the abstract's own words that the abstract does not contain."""
    words: list[str] = []
    while vocabulary and sum(len(w) + 1 for w in words) < max(40, length):
        start = rng.randrange(len(vocabulary))
        words += vocabulary[start : start + 1 + rng.randrange(3)]  # short real runs, shuffled
    rng.shuffle(words)
    return " ".join(words) or "a claim the paper never makes"


@dataclass
class ServerStats:
    """Counters of what the server received and answered."""

    requests: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    by_fault: Counter[str] = field(default_factory=Counter)
    by_mode: Counter[str] = field(default_factory=Counter)
    by_abstract: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (abstracts keyed by the first 16 hex of their sha256)."""
        return {
            "requests": self.requests,
            "max_in_flight": self.max_in_flight,
            "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
            "by_fault": dict(self.by_fault),
            "by_mode": dict(self.by_mode),
            "by_abstract": dict(self.by_abstract),
        }


def abstract_key(abstract: str) -> str:
    """The key of an abstract in :attr:`ServerStats.by_abstract`."""
    return hashlib.sha256(abstract.encode("utf-8")).hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def _fields_module() -> Any:
    """``bench/standin_fields.py``, loaded from beside this file however this one was loaded."""
    path = Path(__file__).with_name("standin_fields.py")
    name = "paperfields_bench_standin_fields"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@functools.lru_cache(maxsize=1)
def _offline_rules() -> Callable[[str, str], dict[str, Any]] | None:
    """paperfields' offline extractor when it is importable (it makes realistic replies)."""
    try:
        offline = importlib.import_module("paperfields.extract.offline.extractor")
        schemas = importlib.import_module("paperfields.schemas")
    except ImportError:
        return None

    def rules(title: str, abstract: str) -> dict[str, Any]:
        paper = schemas.Paper(id="standin", title=title, abstract=abstract)
        return dict(offline.extract_fields(paper).model_dump(mode="json"))

    return rules


def build_fields(title: str, abstract: str) -> dict[str, Any]:
    """Fields a good model could return for this paper; evidence is quoted verbatim."""
    offline = _offline_rules()
    if offline is not None:
        return offline(title, abstract)
    sentences = [s.strip() for s in _SENTENCE.findall(abstract) if s.strip()]
    own = title.split(":", 1)[0].strip() if ":" in title else ""
    methods = []
    if own and sentences:
        quote = next((s for s in sentences if own in s), sentences[0])
        if own in abstract:
            methods.append({"name": own, "proposed": True, "description": None, "evidence": quote})
    claims = [
        {"text": s, "kind": "finding", "evidence": s}
        for s in sentences
        if re.search(r"\b(we|our)\b", s, re.IGNORECASE)
    ][:3]
    return {
        "summary": sentences[0] if sentences else None,
        "tasks": [],
        "methods": methods,
        "datasets": [],
        "metrics": [],
        "claims": claims,
    }


class StandinServer:
    """The stand-in server; see the module docstring.

    Args:
        latency_s: seconds added before every answer (not to 400/429 rejections).
        faults: what fraction of attempts fail, and how.
        misquotes: what fraction of evidence quotes are paraphrased or absent.
        seed: seeds the per-attempt fault draws.
        host, port: where to listen (port 0 picks a free one).
        batch_step_s: seconds a batch spends in each of validating, in_progress, finalizing.
        batch_faults: batches that fail, expire or are cancelled (a ``BatchFaults``).
        batch_limits: ``(max_requests, max_bytes)`` of a batch input file.
    """

    def __init__(
        self,
        *,
        latency_s: float = 0.0,
        faults: Faults | None = None,
        misquotes: Misquotes | None = None,
        seed: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
        batch_step_s: float = 0.05,
        batch_faults: Any = None,
        batch_limits: tuple[int, int] | None = None,
    ) -> None:
        self.latency_s = latency_s
        self.faults = faults or Faults()
        self.misquotes = misquotes or Misquotes()
        self.seed = seed
        self.host = host
        self.port = port
        self.stats = ServerStats()
        self._seen: Counter[str] = Counter()
        self._system_seen: set[str] = set()
        self._replies: dict[str, str] = {}
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        limits = {}
        if batch_limits is not None:
            limits = {"max_requests": batch_limits[0], "max_bytes": batch_limits[1]}
        self.batches = batches_module().BatchService(
            self.answer_line, step_s=batch_step_s, faults=batch_faults, seed=seed, **limits
        )

    @property
    def base_url(self) -> str:
        """``http://host:port/v1``."""
        return f"http://{self.host}:{self.port}/v1"

    async def start(self) -> str:
        """Listen on the current event loop; return the base URL."""
        self._server = await asyncio.start_server(self._connection, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.base_url

    async def stop(self) -> None:
        """Stop listening and close open connections."""
        if self._server is not None:
            self._server.close()
            for writer in list(self._writers):
                writer.close()
            await self._server.wait_closed()
            self._server = None

    def start_in_thread(self) -> str:
        """Run the server on its own event loop in a daemon thread; return the base URL."""
        started = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            loop.run_until_complete(self.start())
            started.set()
            loop.run_forever()
            loop.run_until_complete(self.stop())
            loop.close()

        self._thread = threading.Thread(target=serve, name="standin-server", daemon=True)
        self._thread.start()
        started.wait(10)
        return self.base_url

    def stop_thread(self) -> None:
        """Stop a server started with :meth:`start_in_thread`."""
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._thread = None

    # --- HTTP ------------------------------------------------------------------------

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                line = await reader.readline()
                if not line.strip():
                    break
                method, target, _version = line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while True:
                    header = await reader.readline()
                    if header in (b"\r\n", b"\n", b""):
                        break
                    name, _, value = header.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                if "chunked" in headers.get("transfer-encoding", "").lower():
                    body = await _read_chunked(reader)
                else:
                    length = int(headers.get("content-length") or 0)
                    body = await reader.readexactly(length) if length else b""
                status, extra, payload = await self._route(method, target, body, headers)
                raw = isinstance(payload, bytes)
                data = payload if raw else json.dumps(payload).encode("utf-8")
                head = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}"]
                if "content-type" not in extra:
                    head.append("content-type: application/json")
                head.append(f"content-length: {len(data)}")
                head += [f"{k}: {v}" for k, v in extra.items()]
                writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + data)
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _route(
        self, method: str, target: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], Any]:
        path, _, query = target.partition("?")
        served = self.batches.route(method, path, query, headers, body)
        if served is not None:
            return served
        if method == "GET" and path.rstrip("/").endswith("/stats"):
            return 200, {}, self.stats.to_dict()
        if method == "GET" and path.rstrip("/").endswith("/models"):
            return 200, {}, {"object": "list", "data": [{"id": "standin", "object": "model"}]}
        if method == "POST" and path.endswith("/chat/completions"):
            self.stats.requests += 1
            self.stats.in_flight += 1
            self.stats.max_in_flight = max(self.stats.max_in_flight, self.stats.in_flight)
            try:
                status, extra, payload = await self._chat(body)
            finally:
                self.stats.in_flight -= 1
            self.stats.by_status[status] += 1
            return status, extra, payload
        return 404, {}, {"error": {"message": f"no route for {method} {path}"}}

    # --- chat completions ------------------------------------------------------------

    def _begin(self, request: dict[str, Any], raw: bytes) -> tuple[str, float, str | None]:
        """Count one chat request and draw its fault: ``(mode, draw, fault)``.

        A request in a mode the server refuses draws nothing.

        The draw is keyed by the body and how often it was seen, so a retried request
        gets a fresh draw and a rerun of the same script the same ones.
        """
        mode = _mode_of(request)
        self.stats.by_mode[mode] += 1
        self.stats.by_abstract[abstract_key(_paper_of(request)[1])] += 1
        if mode in self.faults.unsupported_modes:
            return mode, 0.0, None  # refused before any fault is drawn
        identity = hashlib.sha256(raw).hexdigest()
        self._seen[identity] += 1
        draw = random.Random(f"{self.seed}:{identity}:{self._seen[identity]}").random()
        fault = self.faults.draw(draw)
        if fault is not None:
            self.stats.by_fault[fault] += 1
        return mode, draw, fault

    def _answer(self, request: dict[str, Any], mode: str, fault: str | None) -> tuple[int, Any]:
        """The reply to a request that got through the transport faults.

        A strict schema OpenAI would refuse gets a 400; otherwise a completion, cut
        or refused as ``fault`` says.
        """
        refused = _fields_module().schema_refusal(request) if mode == "json_schema" else None
        if refused is not None:
            return 400, _error(refused, "invalid_request_error", "response_format")
        title, abstract = _paper_of(request)
        content = self._reply_for(title, abstract, request)
        finish = "stop"
        limit = int(request.get("max_completion_tokens") or request.get("max_tokens") or 4096)
        if fault == "malformed":
            content = content[: len(content) // 2]
        elif fault == "truncated" or math.ceil(len(content) / 4) > limit:
            content = content[: min(len(content) // 2, limit * 4)]
            finish = "length"
        return 200, self._completion(request, mode, content, finish, fault == "refusal")

    async def _chat(self, body: bytes) -> tuple[int, dict[str, str], Any]:
        request = json.loads(body)
        mode, draw, fault = self._begin(request, body)
        if mode in self.faults.unsupported_modes:
            message = f"response_format / tools: output mode '{mode}' is not supported"
            return 400, {}, _error(message, "invalid_request_error", "response_format")
        if fault == "429":
            headers = {
                "retry-after-ms": str(self.faults.retry_after_ms),
                "retry-after": str(max(1, math.ceil(self.faults.retry_after_ms / 1000))),
            }
            return 429, headers, _error("Rate limit reached (stand-in)", "requests", None)
        await asyncio.sleep(self.latency_s)
        if fault == "500":
            status = 500 if int(draw * 1_000_000) % 2 == 0 else 503
            return status, {}, _error("The server had an error (stand-in)", "server_error", None)
        if fault == "stall":
            await asyncio.sleep(self.faults.stall_s)
        status, payload = self._answer(request, mode, fault)
        return status, {}, payload

    def answer_line(self, request: dict[str, Any], raw: bytes) -> tuple[int, dict[str, Any]]:
        """Answer one batch input line's body as ``(status, payload)``, like a live request.

        The same reply generator and per-attempt fault draws as live requests (keyed by
        the body and how often it was seen); a 429 or 5xx comes back as the line's error
        response, a stall as a plain answer (a batch has no client timeout).
        """
        mode, _, fault = self._begin(request, raw)
        if mode in self.faults.unsupported_modes:
            message = f"response_format / tools: output mode '{mode}' is not supported"
            return 400, _error(message, "invalid_request_error", "response_format")
        if fault == "429":
            return 429, _error("Rate limit reached (stand-in)", "requests", None)
        if fault == "500":
            return 500, _error("The server had an error (stand-in)", "server_error", None)
        return self._answer(request, mode, fault)

    def prime(self, papers: Iterable[tuple[str, str]]) -> int:
        """Build the replies for ``(title, abstract)`` pairs ahead of time; return how many.

        A benchmark primes the server so its own CPU time stays out of the measurement.
        """
        count = 0
        for title, abstract in papers:
            self._reply_for(title, abstract)
            count += 1
        return count

    def _reply_for(self, title: str, abstract: str, request: dict[str, Any] | None = None) -> str:
        builtins, users = _fields_module().requested_fields(request or {})
        key = abstract_key(f"{title}\n{abstract}\n{builtins}{users}")
        reply = self._replies.get(key)
        if reply is None:
            if len(self._replies) > 100_000:
                self._replies.clear()
            fields = build_fields(title, abstract) if builtins else {}
            fields = self.misquotes.apply(fields, abstract)
            fields.update(_fields_module().user_values(users, abstract))
            reply = json.dumps(fields, ensure_ascii=False)
            self._replies[key] = reply
        return reply

    def _completion(
        self, request: dict[str, Any], mode: str, content: str, finish: str, refusal: bool
    ) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": None}
        if refusal and mode == "json_schema":
            message.update(content=None, refusal=REFUSAL_TEXT)
        elif refusal:
            message["content"] = REFUSAL_TEXT
        elif mode == "tools":
            name = request["tools"][0]["function"]["name"]
            function = {"name": name, "arguments": content}
            call = {"id": "call_0", "type": "function", "function": function}
            message.update(content=None, tool_calls=[call])
            finish = "tool_calls" if finish == "stop" else finish
        elif mode == "text":
            message["content"] = f"Here are the extracted fields:\n```json\n{content}\n```"
        return {
            "id": f"chatcmpl-standin-{self.stats.requests}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": str(request.get("model", "standin")),
            "choices": [
                {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}
            ],
            "usage": self._usage(request, message),
        }

    def _usage(self, request: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
        texts = [str(m.get("content") or "") for m in request.get("messages", [])]
        prompt = math.ceil(sum(len(t) for t in texts) / 4)
        reply = message.get("content") or message.get("refusal") or ""
        if message.get("tool_calls"):
            reply = message["tool_calls"][0]["function"]["arguments"]
        completion = math.ceil(len(reply) / 4)
        system = texts[0] if texts else ""
        cached = 0
        if system in self._system_seen and len(system) >= 4096:  # ~1024 tokens, as OpenAI
            cached = (len(system) // 4) // 128 * 128
        self._system_seen.add(system)
        return {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
            "prompt_tokens_details": {"cached_tokens": cached},
        }


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    """The body of a ``transfer-encoding: chunked`` request."""
    chunks = []
    while True:
        size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
        if size == 0:
            while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readline()


def _mode_of(request: dict[str, Any]) -> str:
    fmt = request.get("response_format") or {}
    if fmt.get("type") in ("json_schema", "json_object"):
        return str(fmt["type"])
    return "tools" if request.get("tools") else "text"


def _paper_of(request: dict[str, Any]) -> tuple[str, str]:
    users = [
        str(m.get("content") or "") for m in request.get("messages", []) if m.get("role") == "user"
    ]
    first = users[0] if users else ""
    abstract = _ABSTRACT.search(first)
    title = _TITLE.search(first)
    return (title.group(1) if title else "", abstract.group(1) if abstract else first)


def _error(message: str, kind: str, param: str | None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": None}}


def main(argv: list[str] | None = None) -> None:
    """Run the stand-in server from the command line until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per answer")
    parser.add_argument("--seed", type=int, default=0)
    for name in ("429", "500", "stall", "malformed", "truncated", "refusal"):
        parser.add_argument(f"--rate-{name}", type=float, default=0.0, help="fraction")
    parser.add_argument("--retry-after-ms", type=int, default=20)
    parser.add_argument("--stall-seconds", type=float, default=30.0)
    parser.add_argument("--unsupported-modes", default="", help="comma list, e.g. json_schema")
    parser.add_argument("--paraphrase", type=float, default=0.0, help="fraction of quotes")
    parser.add_argument("--absent", type=float, default=0.0, help="fraction of quotes")
    parser.add_argument("--batch-step", type=float, default=1.0, help="seconds per batch phase")
    parser.add_argument("--prime", type=Path, help="JSONL of title/abstract to answer in advance")
    args = parser.parse_args(argv)
    faults = Faults(
        rate_429=args.rate_429,
        rate_500=args.rate_500,
        rate_stall=args.rate_stall,
        rate_malformed=args.rate_malformed,
        rate_truncated=args.rate_truncated,
        rate_refusal=args.rate_refusal,
        retry_after_ms=args.retry_after_ms,
        stall_s=args.stall_seconds,
        unsupported_modes=frozenset(m for m in args.unsupported_modes.split(",") if m),
    )
    server = StandinServer(
        latency_s=args.latency,
        faults=faults,
        misquotes=Misquotes(paraphrase=args.paraphrase, absent=args.absent, seed=args.seed),
        seed=args.seed,
        host=args.host,
        port=args.port,
        batch_step_s=args.batch_step,
    )

    if args.prime is not None:
        lines = args.prime.read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
        server.prime((str(row.get("title") or ""), str(row["abstract"])) for row in rows)

    async def serve() -> None:
        url = await server.start()
        print(f"standin: listening on {url}", flush=True)
        await asyncio.Event().wait()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
