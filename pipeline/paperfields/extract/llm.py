"""LLM extraction: prompt -> backend -> parse -> validate -> repair, with a cache in front.

:class:`LLMExtractor` implements :class:`~paperfields.extract.Extractor` with a
model behind a :class:`~paperfields.llm.chat.Backend`. For each paper it renders
the versioned prompt, looks the request up in the extraction cache, and on a
miss asks the model. The reply is parsed (the first JSON object, fenced or
not) and validated against :class:`~paperfields.schemas.ExtractedFields`; a reply
that fails is sent back with the validation errors quoted, a bounded number of
times. A reply cut at the token limit is asked again once with twice the
limit. Refusals, truncation and replies that never validate become
:class:`~paperfields.errors.ExtractionError` subclasses. With ``--mode auto`` a
server that rejects an output mode is asked again in the next one
(:data:`~paperfields.llm.chat.MODE_ORDER`), and the mode that works is remembered
for later runs. Transport retries are not done here: they belong to the backend.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

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
from ..llm.cache import (
    ENTRIES_DIR,
    MODES_FILE,
    ExtractionCache,
    KeyBuilder,
    ModeMemory,
    decode_answer,
    encode_answer,
)
from ..llm.chat import (
    MODE_ORDER,
    Backend,
    ChatRequest,
    ChatResult,
    ConcreteMode,
    endpoint_family,
)
from ..llm.pricing import ModelPrice, cost_usd, resolve_price
from ..llm.prompts import ChatMessage, Prompt, load_prompt
from ..schemas import (
    ExtractedFields,
    ExtractorIdentity,
    Paper,
    Usage,
    fields_json_schema,
    fields_schema_sha256,
)
from ..stats import RunStats
from . import Extraction, Grounding

if TYPE_CHECKING:
    import httpx2

__all__ = ["InvalidReply", "LLMExtractor", "parse_fields_reply"]

RAW_OUTPUT_CHARS = 2000
LONG_REPLY_CHARS = 200_000
MAX_HELD_ANSWERS = 256
MAX_ERROR_LINES = 20
_FENCE = re.compile(r"```[a-zA-Z]*[ \t]*\n?(.*?)```", re.DOTALL)
_REFUSAL = re.compile(
    r"\b(i'?m sorry|i am sorry|i apologi[sz]e|i can(?:not|'t|’t)|i won'?t|"
    r"unable to (?:help|assist|comply)|can(?:not|'t) (?:help|assist|comply))",
    re.IGNORECASE,
)


class InvalidReply(ValueError):
    """A reply that is not a JSON object of the expected shape; ``details`` lists why."""

    def __init__(self, message: str, details: str) -> None:
        super().__init__(message)
        self.details = details


def parse_fields_reply(text: str) -> ExtractedFields:
    """Parse and validate a model reply.

    The reply may be bare JSON, JSON in a fenced block, or prose around a JSON
    object; the first JSON object found is used.

    Raises:
        InvalidReply: no JSON object, or one that fails validation.
    """
    if text[:1] == "{":  # the common case, parsed and validated in one pass
        try:
            return ExtractedFields.model_validate_json(text)
        except ValidationError:
            pass  # prose, a fence or a schema error: the careful path says which
    data = _first_json_object(text)
    try:
        return ExtractedFields.model_validate(data)
    except ValidationError as e:
        raise InvalidReply(
            f"reply does not match the schema ({e.error_count()} error(s))",
            _format_errors(e),
        ) from e


@dataclass(slots=True)
class _Tally:
    """Requests and tokens spent on one paper so far."""

    attempts: int = 0
    usage: Usage = field(default_factory=Usage)


class LLMExtractor:
    """Extract fields with a model through the OpenAI-compatible Chat Completions API.

    Args:
        config: model, endpoint, mode, limits, cache and record/replay settings.
        stats: live counters the backend and the repair loop bump, if any.
        backend: the backend to use; default an :class:`~paperfields.llm.backend.OpenAIBackend`.
        http_client: an ``httpx2.AsyncClient`` for the default backend (tests).
        prompt: the prompt to use; default ``extract_fields`` at ``config.prompt_version``.

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
    ) -> None:
        self.config = config
        self.name = f"openai:{config.model}"
        self.concurrency = config.concurrency
        self.stats = stats
        self.prompt = prompt or load_prompt("extract_fields", config.prompt_version)
        self.price = resolve_price(config.model, base_url=config.base_url, override=config.price)
        self._backend: Backend | None = backend
        self._backend_lock = asyncio.Lock()
        self._http_client = http_client
        self._endpoint = endpoint_family(config.base_url)
        self._schema = fields_json_schema()
        cache_dir = config.resolved_cache_dir
        replaying = config.replay_path is not None
        recording = config.record_path is not None
        self._cache_dir: Path | None = None if replaying or not config.use_cache else cache_dir
        self._read_cache = self._cache_dir is not None and not recording
        self._cache: ExtractionCache | None = None
        self._keys: dict[ConcreteMode, KeyBuilder] = {}
        self._held: dict[str, str] = {}
        self._memory = None if replaying or recording else ModeMemory(cache_dir / MODES_FILE)
        self.mode: ConcreteMode = self._initial_mode()
        self._open_cache()  # now, not on the event loop in the middle of a run

    @property
    def identity(self) -> ExtractorIdentity:
        """``openai:<model>`` with the prompt file's version and hash and the schema hash."""
        return ExtractorIdentity.of(self.name, self.prompt.info, fields_schema_sha256())

    async def extract(self, paper: Paper) -> Extraction:
        """Extract one paper (see the module docstring).

        Raises:
            Refusal: the model refused.
            TruncatedOutput: the reply hit the token limit, even with the limit doubled.
            SchemaValidationError: the reply never validated, even after repair.
            BackendError: the server failed (after the backend's transport retries).
        """
        messages = self.prompt.render(title=paper.title, abstract=paper.abstract)
        tally = _Tally()
        while True:
            mode = self.mode
            key = self._key(mode, messages)
            hit = self._lookup(key)
            if hit is not None:
                fields, grounded = hit
                extraction = self._extraction(fields, mode, tally, cache_hit=True)
                extraction.grounded = grounded
                extraction.on_grounded = self._keeper(key, fields)
                return extraction
            try:
                fields = await self._ask(paper, messages, mode, tally)
            except ModeNotSupported as e:
                if self._fall_back_from(mode):
                    continue
                _attach_usage(e, tally, self.price)
                raise
            except (BackendError, ExtractionError) as e:
                _attach_usage(e, tally, self.price)
                raise
            fields_json = fields.model_dump_json()
            self._hold(key, fields_json)
            extraction = self._extraction(fields, mode, tally, cache_hit=False)
            extraction.on_grounded = self._keeper(key, fields, fields_json)
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
        """Close the backend and the cache."""
        if self._backend is not None:
            await self._backend.aclose()
        self._flush()
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    # --- one paper -------------------------------------------------------------------

    async def _ask(
        self, paper: Paper, messages: list[ChatMessage], mode: ConcreteMode, tally: _Tally
    ) -> ExtractedFields:
        conversation = list(messages)
        max_tokens = self.config.max_tokens
        repairs_left = self.config.repair_attempts
        length_retried = False
        while True:
            request = ChatRequest(
                messages=conversation,
                mode=mode,
                max_tokens=max_tokens,
                temperature=self.config.temperature,
                schema=self._schema,
            )
            try:
                result = await (await self.backend()).complete(request)
            except BackendError as e:
                tally.attempts += e.attempts
                e.attempts = tally.attempts
                raise
            self._count(result, tally)
            refusal = _refusal(result)
            if refusal is not None:
                raise Refusal(
                    f"the model refused: {refusal[:300]}",
                    paper_id=paper.id,
                    attempts=tally.attempts,
                    raw_output=refusal[:RAW_OUTPUT_CHARS],
                )
            if result.finish_reason == "length":
                if length_retried:
                    raise TruncatedOutput(
                        f"the reply stopped at the token limit, even at {max_tokens} tokens"
                        " (raise --max-tokens)",
                        paper_id=paper.id,
                        attempts=tally.attempts,
                        raw_output=(result.text or "")[:RAW_OUTPUT_CHARS],
                    )
                length_retried = True
                max_tokens *= 2
                continue
            text = result.text or ""
            try:
                if len(text) > LONG_REPLY_CHARS:  # keep the event loop free for other papers
                    return await asyncio.to_thread(parse_fields_reply, text)
                return parse_fields_reply(text)
            except InvalidReply as e:
                if repairs_left <= 0:
                    raise SchemaValidationError(
                        f"{e} after {self.config.repair_attempts} repair attempt(s):\n{e.details}",
                        paper_id=paper.id,
                        attempts=tally.attempts,
                        raw_output=(result.text or "")[:RAW_OUTPUT_CHARS],
                    ) from e
                repairs_left -= 1
                if self.stats is not None:
                    self.stats.repairs += 1
                repair = self.prompt.render_part("repair", errors=f"{e}\n{e.details}")
                conversation += [
                    ChatMessage(role="assistant", content=result.text or ""),
                    ChatMessage(role="user", content=repair),
                ]

    def _count(self, result: ChatResult, tally: _Tally) -> None:
        tally.attempts += result.attempts
        tally.usage = tally.usage + result.usage

    def _extraction(
        self, fields: ExtractedFields, mode: ConcreteMode, tally: _Tally, *, cache_hit: bool
    ) -> Extraction:
        return Extraction(
            fields=fields,
            extractor=self.name,
            attempts=tally.attempts,
            cache_hit=cache_hit,
            usage=tally.usage,
            cost_usd=cost_usd(self.price, tally.usage),
            prompt=self.prompt.info,
            mode=mode,
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
            )
        return builder.key(messages)

    def _open_cache(self) -> ExtractionCache | None:
        if self._cache is None and self._cache_dir is not None:
            self._cache = ExtractionCache(self._cache_dir / ENTRIES_DIR)
        return self._cache

    def _lookup(self, key: str) -> tuple[ExtractedFields, Grounding | None] | None:
        if not self._read_cache:
            return None
        held = self._held.get(key)
        if held is not None:
            return ExtractedFields.model_validate_json(held), None
        cache = self._open_cache()
        text = cache.get(key) if cache is not None else None
        if text is None or cache is None:
            return None
        answer = decode_answer(text)
        if answer is None:
            cache.delete(key)
        return answer

    def _store(self, key: str, value: str) -> None:
        cache = self._open_cache()
        if cache is not None:
            cache.set(key, value)

    def _hold(self, key: str, fields_json: str) -> None:
        """Keep a new answer until its grounding comes (one cache write for both)."""
        if self._cache_dir is None:
            return
        self._held[key] = fields_json
        if len(self._held) > MAX_HELD_ANSWERS:  # a caller that never grounds
            self._flush()

    def _flush(self) -> None:
        """Cache the answers held back whose grounding never came."""
        held, self._held = self._held, {}
        for key, fields_json in held.items():
            self._store(key, encode_answer(fields_json))

    def _keeper(
        self, key: str, fields: ExtractedFields, fields_json: str | None = None
    ) -> Callable[[Grounding], None] | None:
        """A callback that caches the answer under ``key`` with its grounding, once made."""
        if self._cache_dir is None:
            return None

        def keep(grounding: Grounding) -> None:
            self._held.pop(key, None)
            text = fields_json if fields_json is not None else fields.model_dump_json()
            self._store(key, encode_answer(text, grounding))

        return keep


def _attach_usage(error: PipelineError, tally: _Tally, price: ModelPrice | None) -> None:
    """Attach the tokens a failed paper spent, and their price, for the orchestrator to count."""
    error.usage = tally.usage
    error.cost_usd = cost_usd(price, tally.usage)


def _refusal(result: ChatResult) -> str | None:
    """The refusal text of a reply: the API's refusal field, a content filter, or prose."""
    if result.refusal:
        return result.refusal
    if result.finish_reason == "content_filter":
        return "the reply was withheld by the server's content filter"
    text = (result.text or "").strip()
    if text and "{" not in text and _REFUSAL.search(text[:500]):
        return text
    return None


def _first_json_object(text: str) -> dict[str, Any]:
    stripped = text.strip()
    if not stripped:
        raise InvalidReply("the reply is empty", "- expected one JSON object")
    candidates = [stripped] + [m.group(1).strip() for m in _FENCE.finditer(stripped)]
    first_error: json.JSONDecodeError | None = None
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except json.JSONDecodeError as e:
            first_error = first_error or e
            continue
        if isinstance(value, dict):
            return value
    # Prose around one object: decode from its first brace (later braces are nested ones).
    start = stripped.find("{")
    if start > 0:
        try:
            value, _end = json.JSONDecoder().raw_decode(stripped, start)
        except json.JSONDecodeError as e:
            first_error = first_error or e
        else:
            if isinstance(value, dict):
                return value
    reason = f"{first_error.msg} at character {first_error.pos}" if first_error else "none found"
    raise InvalidReply("the reply is not a JSON object", f"- invalid JSON: {reason}")


def _format_errors(error: ValidationError) -> str:
    lines = []
    for item in error.errors()[:MAX_ERROR_LINES]:
        where = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in item["loc"]
        ).lstrip(".")
        line = f"- {where or '(top level)'}: {item['msg']}"
        if item["type"] not in ("missing", "extra_forbidden"):
            line += f" (got {json.dumps(item.get('input'), ensure_ascii=False)[:80]})"
        lines.append(line)
    if error.error_count() > MAX_ERROR_LINES:
        lines.append(f"- ... and {error.error_count() - MAX_ERROR_LINES} more")
    return "\n".join(lines)
