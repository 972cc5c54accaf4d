"""The LLM extractor's side of the cache: answers looked up, held until grounded, then kept.

:class:`AnswerCache` opens the extraction cache (:mod:`paperfields.llm.cache`)
when the extractor is made, not mid-run on the event loop, and goes on without
it when it cannot be used. A hit brings back the answer and the grounding
stored with it. A new answer is held until the record is built and its
grounding handed back (:meth:`AnswerCache.keeper`), then written once, answer
and grounding together; answers whose grounding never comes are written alone
at :meth:`AnswerCache.close` (or when too many are held).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from ..llm.answers import Grounding, decode_answer, encode_answer
from ..llm.cache import ENTRIES_DIR, ExtractionCache
from ..stats import RunStats

__all__ = ["MAX_HELD_ANSWERS", "AnswerCache"]

MAX_HELD_ANSWERS = 256
"""New answers held back at most, waiting for their grounding."""


class AnswerCache:
    """Look up, hold and keep validated answers of one reply model.

    Args:
        cache_dir: the cache folder, or None for no cache at all.
        read: whether hits are used (False when recording: write only).
        model: the reply model answers validate as.
        stats: where a damaged cache is reported (as a run notice), if any.
    """

    def __init__(
        self,
        cache_dir: Path | None,
        *,
        read: bool,
        model: type[BaseModel],
        stats: RunStats | None = None,
    ) -> None:
        self._dir = cache_dir
        self._read = read and cache_dir is not None
        self._model = model
        self._stats = stats
        self._cache: ExtractionCache | None = None
        self._held: dict[str, str] = {}
        self._open()

    @property
    def enabled(self) -> bool:
        """False when there is no cache, or it could not be used."""
        return self._dir is not None

    def lookup(self, key: str) -> tuple[BaseModel, Grounding | None] | None:
        """The answer stored under ``key`` and its grounding (None when not stored yet)."""
        if not self._read:
            return None
        held = self._held.get(key)
        if held is not None:
            return self._model.model_validate_json(held), None
        cache = self._open()
        text = cache.get(key) if cache is not None else None
        if text is None or cache is None:
            return None
        answer = decode_answer(text, self._model)
        if answer is None:  # no longer validates: dropped, asked again
            cache.delete(key)
        return answer

    def hold(self, key: str, answer_json: str) -> None:
        """Keep a new answer until its grounding comes (one cache write for both)."""
        if self._dir is None:
            return
        self._held[key] = answer_json
        if len(self._held) > MAX_HELD_ANSWERS:  # a caller that never grounds
            self.flush()

    def keeper(
        self, key: str, answer: BaseModel, answer_json: str | None = None
    ) -> Callable[[Grounding], None] | None:
        """A callback that stores the answer under ``key`` with its grounding, once made."""
        if self._dir is None:
            return None

        def keep(grounding: Grounding) -> None:
            self._held.pop(key, None)
            text = answer_json if answer_json is not None else answer.model_dump_json()
            self._store(key, encode_answer(text, grounding))

        return keep

    def flush(self) -> None:
        """Store the answers held back whose grounding never came."""
        held, self._held = self._held, {}
        for key, answer_json in held.items():
            self._store(key, encode_answer(answer_json))

    def close(self) -> None:
        """Store what is held and close the cache."""
        self.flush()
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    def _store(self, key: str, value: str) -> None:
        cache = self._open()
        if cache is not None:
            cache.set(key, value)

    def _open(self) -> ExtractionCache | None:
        if self._cache is None and self._dir is not None:
            self._cache = ExtractionCache.open(self._dir / ENTRIES_DIR, on_problem=self._problem)
            if self._cache is None:
                self._dir = None  # unusable: this run goes on without a cache
                self._read = False
        return self._cache

    def _problem(self, message: str) -> None:
        if self._stats is not None:
            self._stats.notice(message)
