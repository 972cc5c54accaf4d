"""LLM extraction: prompt -> backend -> parse -> validate -> repair, with a cache in front.

:class:`LLMExtractor` implements :class:`~paperfields.extract.Extractor` with a
model behind a :class:`~paperfields.llm.backend.Backend`. For each paper it renders
the versioned prompt, looks the request up in the extraction cache, and on a
miss asks the model. What it asks for - prompt, reply schema, and the section for
user-defined fields - comes from an :class:`~paperfields.extract.plan.ExtractionPlan`.
The reply is parsed (the first JSON object, fenced or not) and validated against
the plan's reply model (:class:`~paperfields.schemas.ExtractedFields` without a
fields spec); a reply that fails is sent back with the validation errors quoted,
a bounded number of times. A reply cut at the token limit is asked again once
with twice the limit. Refusals, truncation and replies that never validate become
:class:`~paperfields.errors.ExtractionError` subclasses. With ``--mode auto`` a
server that rejects an output mode is asked again in the next one
(:data:`~paperfields.llm.backend.MODE_ORDER`), and the mode that works is remembered
for later runs. Transport retries are not done here: they belong to the backend.

One paper's conversation is an :class:`Exchange`. The request builder
(:meth:`LLMExtractor.begin`, :meth:`~LLMExtractor.request`) and the reply handler
(:meth:`LLMExtractor.take`: parse and validate with :mod:`.replies`, store in
the cache, or plan the re-ask) are shared by live extraction (:meth:`LLMExtractor.converse`) and the
Batch API path (``paperfields.orchestrator.batch``), which sends the same
requests as batch input lines and feeds the batch output lines to the same
handler. Grounding follows in both paths through
:func:`paperfields.orchestrator.records.build_record`.

The cache holds each valid answer with its grounding: a new answer is held
until :func:`~paperfields.orchestrator.records.build_record` hands back its
grounding (``Extraction.on_grounded``), then written once; a hit brings the
stored grounding along (``Extraction.grounded``), so a warm rerun grounds
nothing. Keys come from a :class:`~paperfields.llm.cache.KeyBuilder`, and the
backend (with the SDK) is made on the first miss, in a thread: a run answered
from the cache never loads the SDK.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..config import LLMConfig
from ..errors import (
    BackendError,
    ExtractionError,
    ModeNotSupported,
    PipelineError,
    Refusal,
    SchemaValidationError,
    TruncatedOutput,
)
from ..fields import FieldsSpec
from ..llm.cache import MODES_FILE, ModeMemory
from ..llm.chat import (
    MODE_ORDER,
    Backend,
    ChatRequest,
    ChatResult,
    ConcreteMode,
    endpoint_family,
)
from ..llm.keys import KeyBuilder
from ..llm.pricing import ModelPrice, cost_usd, resolve_price
from ..llm.prompts import ChatMessage, Prompt
from ..schemas import ExtractorIdentity, Paper, Usage
from ..stats import RunStats
from . import Extraction
from .answer_cache import AnswerCache
from .plan import ExtractionPlan
from .replies import InvalidReply, parse_fields_reply, refusal_of

if TYPE_CHECKING:
    import httpx2

__all__ = ["Exchange", "InvalidReply", "LLMExtractor", "parse_fields_reply"]

RAW_OUTPUT_CHARS = 2000
LONG_REPLY_CHARS = 200_000
"""Replies longer than this are parsed and validated in a thread (the event loop stays free)."""


@dataclass(slots=True)
class Exchange:
    """One paper's conversation with the model: what to ask next and what it has cost so far.

    :meth:`LLMExtractor.begin` makes it (the request builder: rendered prompt,
    output mode, cache key); :meth:`LLMExtractor.request` turns it into the next
    :class:`~paperfields.llm.backend.ChatRequest`; :meth:`LLMExtractor.take` reads
    one reply into it (the reply handler). Live extraction and the Batch API path
    both drive it, so a paper is asked the same things whichever way its requests
    travel. :meth:`snapshot` and :meth:`LLMExtractor.resume` carry an unfinished
    exchange (a repair re-ask) from one process to the next.
    """

    paper: Paper
    mode: ConcreteMode
    messages: list[ChatMessage]
    key: str
    conversation: list[ChatMessage]
    max_tokens: int
    repairs_left: int
    length_retried: bool = False
    attempts: int = 0
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = 0.0

    def count(self, result: ChatResult, price: ModelPrice | None) -> None:
        """Add one reply's requests, tokens and their price at ``price``."""
        self.attempts += result.attempts
        self.usage = self.usage + result.usage
        self.add_cost(cost_usd(price, result.usage))

    def add_cost(self, cost: float | None) -> None:
        """Add ``cost``; once one priced part is unknown the total is unknown (None)."""
        self.cost_usd = None if cost is None or self.cost_usd is None else self.cost_usd + cost

    def snapshot(self) -> dict[str, Any]:
        """The state a later process needs to go on with this exchange (JSON-ready).

        The first messages are not kept: :meth:`LLMExtractor.resume` renders them
        again from the paper.
        """
        return {
            "mode": self.mode,
            "tail": [dict(m) for m in self.conversation[len(self.messages) :]],
            "max_tokens": self.max_tokens,
            "repairs_left": self.repairs_left,
            "length_retried": self.length_retried,
            "attempts": self.attempts,
            "usage": self.usage.model_dump(),
            "cost_usd": self.cost_usd,
        }


class LLMExtractor:
    """Extract fields with a model through the OpenAI-compatible Chat Completions API.

    Args:
        config: model, endpoint, mode, limits, cache and record/replay settings.
        stats: live counters the backend and the repair loop bump, if any.
        backend: the backend to use; default an :class:`~paperfields.llm.backend.OpenAIBackend`.
        http_client: an ``httpx2.AsyncClient`` for the default backend (tests).
        prompt: the prompt to use; default ``extract_fields`` at ``config.prompt_version``.
        fields: user-defined fields to extract too (see :mod:`paperfields.fields`).
        plan: the whole prompt + schema plan; default built from the three above.

    With ``record_path`` the cache is written but not read (so every request is
    recorded); with ``replay_path`` the cache is not used at all. Both start
    ``--mode auto`` at ``json_schema`` without the remembered mode, so a
    recording and its replay send the same requests. ``use_cache=False`` skips
    cached results only: the remembered output mode is still read and written.
    """

    def __init__(
        self,
        config: LLMConfig,
        *,
        stats: RunStats | None = None,
        backend: Backend | None = None,
        http_client: httpx2.AsyncClient | None = None,
        prompt: Prompt | None = None,
        fields: FieldsSpec | None = None,
        plan: ExtractionPlan | None = None,
    ) -> None:
        self.config = config
        self.name = f"openai:{config.model}"
        self.concurrency = config.concurrency
        self.stats = stats
        self.plan = plan or ExtractionPlan.build(config.prompt_version, fields, prompt=prompt)
        self.prompt = self.plan.prompt
        self.price = resolve_price(config.model, base_url=config.base_url, override=config.price)
        self.batch_price = resolve_price(
            config.model, base_url=config.base_url, override=config.price, batch=True
        )
        self._backend: Backend | None = backend
        self._backend_lock = asyncio.Lock()
        self._http_client = http_client
        self._endpoint = endpoint_family(config.base_url)
        self._schema = self.plan.reply.json_schema
        self._close_backend = True
        cache_dir = config.resolved_cache_dir
        replaying = config.replay_path is not None
        recording = config.record_path is not None
        self._answers = AnswerCache(
            None if replaying or not config.use_cache else cache_dir,
            read=not recording,
            model=self.plan.reply.model,
            stats=stats,
        )
        self._keys: dict[ConcreteMode, KeyBuilder] = {}
        self._memory = None if replaying or recording else ModeMemory(cache_dir / MODES_FILE)
        self.mode: ConcreteMode = self._initial_mode()

    @property
    def identity(self) -> ExtractorIdentity:
        """``openai:<model>`` with the prompt's version and hash, the schema and spec hashes."""
        return self.plan.identity(self.name)

    def with_fields(self, fields: FieldsSpec | None) -> LLMExtractor:
        """An extractor like this one, sharing its backend, that extracts ``fields`` too.

        Closing it leaves the shared backend open (it belongs to this extractor). A
        spec that leaves the built-in fields out brings its own prompt.
        """
        keeps_prompt = fields is None or fields.builtins
        plan = ExtractionPlan.build(
            self.config.prompt_version, fields, prompt=self.prompt if keeps_prompt else None
        )
        if self._backend is None:
            self._backend = self._new_backend()
        twin = LLMExtractor(self.config, stats=self.stats, backend=self._backend, plan=plan)
        twin._close_backend = False
        return twin

    @property
    def batch_mode(self) -> ConcreteMode:
        """The output mode of Batch API requests: ``--mode``, with ``auto`` meaning ``json_schema``.

        A batch cannot fall back from a mode the server rejects, so ``auto`` takes the
        strongest one, as OpenAI's endpoint supports it.
        """
        return MODE_ORDER[0] if self.config.mode == "auto" else self.config.mode

    async def extract(self, paper: Paper) -> Extraction:
        """Extract one paper (see the module docstring).

        Raises:
            Refusal: the model refused.
            TruncatedOutput: the reply hit the token limit, even with the limit doubled.
            SchemaValidationError: the reply never validated, even after repair.
            BackendError: the server failed (after the backend's transport retries).
        """
        exchange = self.begin(paper)
        while True:
            hit = self.cached(exchange)
            if hit is not None:
                return hit
            try:
                return await self.converse(exchange)
            except ModeNotSupported:
                if not self._fall_back_from(exchange.mode):
                    raise
                exchange = self._restart(exchange, self.mode)

    async def converse(self, exchange: Exchange) -> Extraction:
        """Ask the model live until ``exchange`` ends in valid fields (stored in the cache).

        Raises:
            ExtractionError: refusal, truncation or no valid reply (usage attached).
            BackendError: the server failed (usage attached).
        """
        backend = await self.backend()
        while True:
            try:
                result = await backend.complete(self.request(exchange))
            except BackendError as e:
                exchange.attempts += e.attempts
                e.attempts = exchange.attempts
                _attach_usage(e, exchange)
                raise
            if len(result.text or "") > LONG_REPLY_CHARS:  # keep the event loop free
                extraction = await asyncio.to_thread(self.take, exchange, result)
            else:
                extraction = self.take(exchange, result)
            if extraction is not None:
                return extraction

    async def backend(self) -> Backend:
        """The backend, created on first use: a run answered from the cache never loads the SDK.

        The SDK is imported in a thread, so the requests and papers already in flight
        keep moving meanwhile.
        """
        if self._backend is None:
            async with self._backend_lock:
                if self._backend is None:
                    self._backend = await asyncio.to_thread(self._new_backend)
        return self._backend

    def _new_backend(self) -> Backend:
        from ..llm.backend import OpenAIBackend

        return OpenAIBackend(self.config, stats=self.stats, http_client=self._http_client)

    async def aclose(self) -> None:
        """Close the backend (unless shared, see :meth:`with_fields`) and the cache."""
        if self._close_backend and self._backend is not None:
            await self._backend.aclose()
        self._answers.close()

    # --- the request builder and the reply handler -----------------------------------

    def begin(self, paper: Paper, *, mode: ConcreteMode | None = None) -> Exchange:
        """Start an exchange for ``paper``: render the prompt and compute the cache key.

        Args:
            paper: the paper to extract.
            mode: the output mode; default the extractor's current live mode.
        """
        mode = self.mode if mode is None else mode
        messages = self.plan.messages(paper)
        return Exchange(
            paper=paper,
            mode=mode,
            messages=messages,
            key=self._key(mode, messages),
            conversation=list(messages),
            max_tokens=self.config.max_tokens,
            repairs_left=self.config.repair_attempts,
        )

    def resume(self, paper: Paper, snapshot: dict[str, Any]) -> Exchange:
        """Rebuild an exchange from :meth:`Exchange.snapshot` (taken in this or another process).

        Raises:
            KeyError, ValueError: the snapshot is not one :meth:`Exchange.snapshot` made.
        """
        exchange = self.begin(paper, mode=snapshot["mode"])
        exchange.conversation += [
            ChatMessage(role=m["role"], content=m["content"]) for m in snapshot["tail"]
        ]
        exchange.max_tokens = int(snapshot["max_tokens"])
        exchange.repairs_left = int(snapshot["repairs_left"])
        exchange.length_retried = bool(snapshot["length_retried"])
        exchange.attempts = int(snapshot["attempts"])
        exchange.usage = Usage.model_validate(snapshot["usage"])
        cost = snapshot["cost_usd"]
        exchange.cost_usd = None if cost is None else float(cost)
        return exchange

    def request(self, exchange: Exchange) -> ChatRequest:
        """The next request of ``exchange`` (its conversation so far, mode and token limit)."""
        return ChatRequest(
            messages=exchange.conversation,
            mode=exchange.mode,
            max_tokens=exchange.max_tokens,
            temperature=self.config.temperature,
            schema=self._schema,
        )

    def cached(self, exchange: Exchange) -> Extraction | None:
        """The cached result of ``exchange``'s first request, as a cache-hit extraction."""
        hit = self._answers.lookup(exchange.key)
        if hit is None:
            return None
        reply, grounded = hit
        extraction = self._extraction(reply, exchange, cache_hit=True)
        extraction.grounded = grounded
        extraction.on_grounded = self._answers.keeper(exchange.key, reply)
        return extraction

    def take(
        self, exchange: Exchange, result: ChatResult, *, batch: bool = False
    ) -> Extraction | None:
        """Read one reply into ``exchange``: parse, validate and cache it, or plan the re-ask.

        Returns the extraction once the reply is valid (and stores it in the cache),
        or None when the model must be asked again: the reply stopped at the token
        limit (the limit doubles, once) or did not validate (the errors are quoted
        back, ``repair_attempts`` times). The reply's tokens are priced at the
        Batch API price when ``batch`` is set.

        Raises:
            Refusal: the model refused.
            TruncatedOutput: the reply hit the token limit twice.
            SchemaValidationError: the reply did not validate and no repair is left.
        """
        exchange.count(result, self.batch_price if batch else self.price)
        try:
            fields = self._read(exchange, result)
        except ExtractionError as e:
            _attach_usage(e, exchange)
            raise
        if fields is None:
            return None
        fields_json = fields.model_dump_json()
        self._answers.hold(exchange.key, fields_json)
        extraction = self._extraction(fields, exchange, cache_hit=False)
        extraction.on_grounded = self._answers.keeper(exchange.key, fields, fields_json)
        return extraction

    def _read(self, exchange: Exchange, result: ChatResult) -> BaseModel | None:
        paper = exchange.paper
        refusal = refusal_of(result)
        if refusal is not None:
            raise Refusal(
                f"the model refused: {refusal[:300]}",
                paper_id=paper.id,
                attempts=exchange.attempts,
                raw_output=refusal[:RAW_OUTPUT_CHARS],
            )
        if result.finish_reason == "length":
            if exchange.length_retried:
                raise TruncatedOutput(
                    f"the reply stopped at the token limit, even at {exchange.max_tokens} tokens"
                    " (raise --max-tokens)",
                    paper_id=paper.id,
                    attempts=exchange.attempts,
                    raw_output=(result.text or "")[:RAW_OUTPUT_CHARS],
                )
            exchange.length_retried = True
            exchange.max_tokens *= 2
            return None
        try:
            return parse_fields_reply(result.text or "", self.plan.reply.model)
        except InvalidReply as e:
            if exchange.repairs_left <= 0:
                raise SchemaValidationError(
                    f"{e} after {self.config.repair_attempts} repair attempt(s):\n{e.details}",
                    paper_id=paper.id,
                    attempts=exchange.attempts,
                    raw_output=(result.text or "")[:RAW_OUTPUT_CHARS],
                ) from e
            exchange.repairs_left -= 1
            if self.stats is not None:
                self.stats.repairs += 1
            repair = self.prompt.render_part("repair", errors=f"{e}\n{e.details}")
            exchange.conversation += [
                ChatMessage(role="assistant", content=result.text or ""),
                ChatMessage(role="user", content=repair),
            ]
            return None

    def _restart(self, exchange: Exchange, mode: ConcreteMode) -> Exchange:
        """A fresh exchange in ``mode`` that keeps what ``exchange`` already spent."""
        fresh = self.begin(exchange.paper, mode=mode)
        fresh.attempts, fresh.usage, fresh.cost_usd = (
            exchange.attempts,
            exchange.usage,
            exchange.cost_usd,
        )
        return fresh

    def _extraction(self, reply: BaseModel, exchange: Exchange, *, cache_hit: bool) -> Extraction:
        fields, user_fields = self.plan.reply.split(reply)
        return Extraction(
            fields=fields,
            extractor=self.name,
            attempts=exchange.attempts,
            cache_hit=cache_hit,
            usage=exchange.usage,
            cost_usd=exchange.cost_usd,
            prompt=self.prompt.info,
            mode=exchange.mode,
            user_fields=user_fields,
            fields_spec=self.plan.fields_spec,
            schema_sha256=self.plan.reply.sha256,
        )

    # --- output mode -----------------------------------------------------------------

    def _initial_mode(self) -> ConcreteMode:
        if self.config.mode != "auto":
            return self.config.mode
        remembered = self._memory.get(self._endpoint, self.config.model) if self._memory else None
        for mode in MODE_ORDER:
            if mode == remembered:
                return mode
        return MODE_ORDER[0]

    def _fall_back_from(self, rejected: ConcreteMode) -> bool:
        """Move past ``rejected`` in auto mode; False when there is nothing left to try."""
        if self.config.mode != "auto":
            return False
        position = MODE_ORDER.index(rejected)
        if position + 1 >= len(MODE_ORDER):
            return False
        if MODE_ORDER.index(self.mode) <= position:
            self.mode = MODE_ORDER[position + 1]
            if self._memory is not None:
                try:
                    self._memory.remember(self._endpoint, self.config.model, self.mode)
                except OSError:
                    pass  # remembering is an optimisation; the run goes on without it
        return True

    # --- cache -------------------------------------------------------------------------

    def _key(self, mode: ConcreteMode, messages: list[ChatMessage]) -> str:
        builder = self._keys.get(mode)
        if builder is None:
            builder = self._keys[mode] = KeyBuilder(
                model=self.config.model,
                endpoint=self._endpoint,
                mode=mode,
                schema=self._schema,
                temperature=self.config.temperature,
                max_tokens=self.config.max_tokens,
                fields_spec=self.plan.fields_spec.sha256 if self.plan.fields_spec else None,
            )
        return builder.key(messages)


def _attach_usage(error: PipelineError, exchange: Exchange) -> None:
    """Attach the tokens a failed paper spent, and their price, for the orchestrator to count."""
    error.usage = exchange.usage
    error.cost_usd = exchange.cost_usd
