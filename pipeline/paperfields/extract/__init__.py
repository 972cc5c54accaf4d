"""The extractor seam: one protocol that both the offline rules and the LLM implement.

An extractor turns one :class:`~paperfields.schemas.Paper` into
:class:`~paperfields.schemas.ExtractedFields` plus what provenance needs (attempts,
cache hit, usage, cost, prompt). It raises an
:class:`~paperfields.errors.ExtractionError` or
:class:`~paperfields.errors.BackendError` for a paper that cannot be done; the
orchestrator turns those into ``errors.jsonl`` entries. Grounding is not the
extractor's job: every result goes through :mod:`paperfields.ground`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..llm.answers import Grounding
from ..schemas import (
    ExtractedFields,
    ExtractorIdentity,
    FieldsSpecInfo,
    Paper,
    PromptInfo,
    Usage,
    UserField,
)

if TYPE_CHECKING:
    from ..config import RunConfig
    from ..stats import RunStats

__all__ = ["Extraction", "Extractor", "Grounding", "create_extractor"]



@dataclass(slots=True)
class Extraction:
    """The result of extracting one paper, before grounding.

    ``user_fields`` holds the values of user-defined fields by name, made with the
    spec ``fields_spec``; ``schema_sha256`` is the hash of the schema asked for
    (None: the built-in one). ``grounded`` is a grounding made earlier for this
    same answer (a cache hit), used when its tag matches what grounding would
    depend on now; ``on_grounded`` is called with a fresh grounding, so the
    extractor can keep it (in its cache).
    """

    fields: ExtractedFields
    extractor: str
    attempts: int = 1
    cache_hit: bool = False
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = None
    prompt: PromptInfo | None = None
    mode: str | None = None
    user_fields: dict[str, UserField] = field(default_factory=dict)
    fields_spec: FieldsSpecInfo | None = None
    schema_sha256: str | None = None
    grounded: Grounding | None = None
    on_grounded: Callable[[Grounding], None] | None = field(
        default=None, compare=False, repr=False
    )


@runtime_checkable
class Extractor(Protocol):
    """Anything that can extract fields from a paper.

    ``name`` is the provenance string (``offline:rules-v13``, ``openai:<model>``);
    ``identity`` is what a run folder's records must share with it to count as
    done (extractor, prompt, schema; see :class:`~paperfields.schemas.ExtractorIdentity`);
    ``concurrency`` is how many papers the orchestrator may have in flight.
    """

    name: str
    concurrency: int

    @property
    def identity(self) -> ExtractorIdentity:
        """The extraction setup this extractor's records carry in their provenance."""
        ...

    async def extract(self, paper: Paper) -> Extraction:
        """Extract one paper; raise ExtractionError/BackendError when it cannot be done."""
        ...

    async def aclose(self) -> None:
        """Release clients, caches and files."""
        ...


def create_extractor(config: RunConfig, stats: RunStats | None = None) -> Extractor:
    """Return the extractor ``config`` selects: the LLM when configured, else the offline rules
    (with ``config.offline_spans``).

    The LLM module (and with it the openai SDK) is imported only when used. A
    config with user-defined fields always uses the LLM (:class:`RunConfig` refuses
    user fields without one).
    """
    if config.uses_llm:
        from .llm import LLMExtractor

        return LLMExtractor(config.llm, stats=stats, fields=config.fields)
    from .offline.extractor import OfflineExtractor

    return OfflineExtractor(spans=config.offline_spans)
