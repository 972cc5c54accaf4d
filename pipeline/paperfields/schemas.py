"""Pydantic contracts between the stages: the paper, the LLM-facing fields, the stored record.

Three shapes flow through a run:

* :class:`Paper` - what ingest produces from any input format (``papers.jsonl``);
* :class:`ExtractedFields` - what an extractor must return. It is the schema sent
  to the model: every property required, nullable instead of defaulted and
  ``extra="forbid"``, so it is valid for OpenAI strict structured outputs;
* :class:`Record` - one line of ``records.jsonl``: the same items enriched by the
  grounding stage (``span``, ``grounded``, ``match``), plus provenance.

User-defined fields (:mod:`paperfields.fields`) are stored next to the built-in
ones under ``fields.<name>`` in one of three shapes: a list of
:class:`GroundedUserItem`, a :class:`GroundedUserValue` (a scalar with its
evidence), or a bare scalar; :data:`GroundedUserField` is their union.

Each grounded item class subclasses its LLM-facing twin, so the two schemas
cannot drift apart. ``FIELDS_SCHEMA_VERSION`` changes whenever the LLM-facing
shape does; its hash goes into every record and every cache key.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "FIELDS_SCHEMA_VERSION",
    "FIELD_NAMES",
    "ClaimItem",
    "ClaimKind",
    "DatasetItem",
    "DatasetRole",
    "ErrorEntry",
    "ExtractedFields",
    "ExtractorIdentity",
    "FieldsSpecInfo",
    "GroundedClaim",
    "GroundedDataset",
    "GroundedFields",
    "GroundedMethod",
    "GroundedMetric",
    "GroundedTask",
    "GroundedUserField",
    "GroundedUserItem",
    "GroundedUserValue",
    "GroundingSummary",
    "MatchKind",
    "MethodItem",
    "MetricItem",
    "Paper",
    "PaperSource",
    "PromptInfo",
    "Provenance",
    "Record",
    "TaskItem",
    "Timings",
    "Usage",
    "UserField",
    "UserItem",
    "UserValue",
    "ValueKind",
    "content_sha256",
    "fields_json_schema",
    "fields_schema_sha256",
]

FIELDS_SCHEMA_VERSION = "fields-v2"
FIELD_NAMES: tuple[str, ...] = ("tasks", "methods", "datasets", "metrics", "claims")

DatasetRole = Literal["train", "eval", "both", "unknown"]
ClaimKind = Literal["performance", "efficiency", "capability", "finding", "limitation", "other"]
MatchKind = Literal["exact", "normalized", "fuzzy"]
ValueKind = Literal["absolute", "delta", "relative", "multiplier"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- ingest -----------------------------------------------------------------------


class PaperSource(_Strict):
    """Where a paper came from: input file, 1-based line (when known) and format name."""

    file: str
    line: int | None = None
    format: str


def content_sha256(title: str, abstract: str) -> str:
    """The one content hash: sha256 of exactly what an extractor sees, title and abstract.

    Ingest uses it to recognise duplicates, resume to recognise papers already
    done (``provenance.input_sha256``), and it never depends on input order or ids.
    """
    return hashlib.sha256(f"{title}\n\n{abstract}".encode()).hexdigest()


class Paper(_Strict):
    """One paper after ingest: whitespace-normalised text and a stable id.

    All evidence spans later in the pipeline are character offsets into
    ``abstract`` exactly as stored here.
    """

    id: str
    title: str
    abstract: str
    url: str | None = None
    authors: list[str] = Field(default_factory=list)
    published: str | None = None
    source: PaperSource | None = None


# --- LLM-facing fields (strict-structured-output compatible) -------------------------


class TaskItem(_Strict):
    """A research task or problem the paper addresses."""

    name: str = Field(description="Short task name as written in the abstract.")
    evidence: str = Field(description="Verbatim quote from the abstract that mentions it.")


class MethodItem(_Strict):
    """A method, model, architecture or technique; ``proposed`` marks the paper's own."""

    name: str = Field(description="Method or model name as written in the abstract.")
    proposed: bool = Field(description="True when this paper introduces the method.")
    description: str | None = Field(description="At most one short phrase; null if none.")
    evidence: str = Field(description="Verbatim quote from the abstract that mentions it.")


class DatasetItem(_Strict):
    """A dataset, benchmark or corpus and how the paper uses it."""

    name: str = Field(description="Dataset or benchmark name as written in the abstract.")
    role: DatasetRole = Field(description="train, eval, both, or unknown.")
    evidence: str = Field(description="Verbatim quote from the abstract that mentions it.")


class MetricItem(_Strict):
    """An evaluation metric, with its value, dataset and method when the abstract states them."""

    name: str = Field(description="Metric name as written, e.g. 'BLEU', 'accuracy'.")
    value: str | None = Field(description="Value as written, e.g. '71.8%', '+0.7 points', '10x'.")
    dataset: str | None = Field(description="Dataset the value was measured on, if stated.")
    method: str | None = Field(
        description="Method the value belongs to, as written (the paper's own method for its "
        "own figures, a baseline's name for a baseline's figure), or null if not stated."
    )
    evidence: str = Field(description="Verbatim quote from the abstract that mentions it.")


class ClaimItem(_Strict):
    """A main claim of the paper."""

    text: str = Field(description="The claim in one sentence.")
    kind: ClaimKind = Field(description="performance, efficiency, capability, finding, ...")
    evidence: str = Field(description="Verbatim quote from the abstract that supports it.")


class ExtractedFields(_Strict):
    """Everything an extractor returns for one paper (the schema sent to the model)."""

    summary: str | None = Field(description="One sentence summarising the paper; null if unsure.")
    tasks: list[TaskItem]
    methods: list[MethodItem]
    datasets: list[DatasetItem]
    metrics: list[MetricItem]
    claims: list[ClaimItem]


class UserItem(_Strict):
    """One item of a user-defined list field: a short name and its verbatim evidence."""

    name: str = Field(description="The item in a short phrase, as written in the abstract.")
    evidence: str = Field(description="Verbatim quote from the abstract that supports it.")


class UserValue(_Strict):
    """A user-defined scalar that carries evidence (the spec's ``evidence = true``)."""

    value: bool | float | str | None
    evidence: str | None = Field(
        description="Verbatim quote from the abstract that supports the value; null if none."
    )


UserField = list[UserItem] | UserValue | bool | float | str | None
"""The value of one user-defined field before grounding (see :mod:`paperfields.fields`)."""


@lru_cache(maxsize=1)
def _schema_text() -> str:
    return json.dumps(ExtractedFields.model_json_schema(), sort_keys=True, separators=(",", ":"))


def fields_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of :class:`ExtractedFields` (a fresh copy)."""
    result: dict[str, Any] = json.loads(_schema_text())
    return result


@lru_cache(maxsize=1)
def fields_schema_sha256() -> str:
    """Return the sha256 of the canonical JSON text of the LLM-facing schema."""
    return hashlib.sha256(_schema_text().encode()).hexdigest()


# --- grounded, stored record -----------------------------------------------------------


class _Grounding(BaseModel):
    span: tuple[int, int] | None = Field(
        default=None, description="[start, end) character offsets of the evidence in abstract."
    )
    grounded: bool = Field(default=False, description="True when the evidence was found.")
    match: MatchKind | None = Field(default=None, description="How the evidence was found.")
    name_span: tuple[int, int] | None = Field(
        default=None,
        description="[start, end) of the item's name inside the evidence span, if found there.",
    )


class GroundedTask(_Grounding, TaskItem):
    """A :class:`TaskItem` after grounding."""


class GroundedMethod(_Grounding, MethodItem):
    """A :class:`MethodItem` after grounding."""


class GroundedDataset(_Grounding, DatasetItem):
    """A :class:`DatasetItem` after grounding."""


class GroundedMetric(_Grounding, MetricItem):
    """A :class:`MetricItem` after grounding, with its value parsed.

    Older records may lack ``method`` (fields-v1) and the parsed value; both read as null.
    """

    method: str | None = Field(
        default=None, description="Method the value belongs to, as written, or null."
    )
    number: float | None = Field(
        default=None, description="The value's figure ('~2.5%' -> 2.5); null if it has none."
    )
    unit: str | None = Field(default=None, description="'%', 'points', 'x', 'ms', ... or null.")
    kind: ValueKind | None = Field(
        default=None, description="absolute, delta, relative or multiplier; null if unparsed."
    )


class GroundedClaim(_Grounding, ClaimItem):
    """A :class:`ClaimItem` after grounding."""


class GroundedUserItem(_Grounding, UserItem):
    """A :class:`UserItem` after grounding."""


class GroundedUserValue(_Grounding, UserValue):
    """A :class:`UserValue` after grounding (no span when its evidence is null)."""

    model_config = ConfigDict(extra="forbid")


GroundedUserField = list[GroundedUserItem] | GroundedUserValue | bool | float | str | None
"""The stored value of one user-defined field: ``fields.<name>`` in a record."""


class GroundedFields(_Strict):
    """The record's ``fields``: the extracted fields with each item grounded.

    User-defined fields are the extra keys (``model_extra``), each validated as a
    :data:`GroundedUserField`; a record without them reads exactly as before.
    """

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, GroundedUserField] = Field(init=False)

    summary: str | None = None
    tasks: list[GroundedTask] = Field(default_factory=list)
    methods: list[GroundedMethod] = Field(default_factory=list)
    datasets: list[GroundedDataset] = Field(default_factory=list)
    metrics: list[GroundedMetric] = Field(default_factory=list)
    claims: list[GroundedClaim] = Field(default_factory=list)


class GroundingSummary(_Strict):
    """Counts of items by how their evidence was found."""

    items: int = 0
    grounded: int = 0
    exact: int = 0
    normalized: int = 0
    fuzzy: int = 0
    ungrounded: int = 0
    dropped: int = Field(default=0, description="Items beyond the per-field cap, not kept.")
    fuzzy_skipped: int = Field(
        default=0, description="Quotes left unmatched because the grounding time budget ran out."
    )


class Usage(_Strict):
    """Token usage summed over every request made for one paper (failed ones included)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    requests: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
            requests=self.requests + other.requests,
        )


class PromptInfo(_Strict):
    """Which prompt produced a record: name, version and sha256 of the template file."""

    name: str
    version: str
    sha256: str


class FieldsSpecInfo(_Strict):
    """Which user-defined fields spec a record was made with: name, sha256, built-ins kept."""

    name: str
    sha256: str
    builtins: bool = True


class ExtractorIdentity(BaseModel):
    """What must match for two records to come from the same extraction setup.

    The extractor (``offline:rules-v2``, ``openai:<model>``), the prompt
    (name/version and the sha256 of its file), the sha256 of the LLM-facing
    schema and, with user-defined fields, the sha256 of their spec. A run folder
    holds records of one identity only, so resuming never mixes answers of
    different models, prompts, schemas or field specs.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    extractor: str
    prompt: str | None = None
    prompt_sha256: str | None = None
    schema_sha256: str
    fields_spec: str | None = None

    @classmethod
    def of(
        cls,
        extractor: str,
        prompt: PromptInfo | None,
        schema_sha256: str,
        fields_spec: FieldsSpecInfo | None = None,
    ) -> ExtractorIdentity:
        """Build the identity of an extractor name, its prompt, schema hash and fields spec."""
        return cls(
            extractor=extractor,
            prompt=f"{prompt.name}/{prompt.version}" if prompt else None,
            prompt_sha256=prompt.sha256 if prompt else None,
            schema_sha256=schema_sha256,
            fields_spec=fields_spec.sha256 if fields_spec else None,
        )

    def describe(self) -> str:
        """A short label: ``openai:gpt-5-mini (prompt extract_fields/v1, schema 280aef11)``."""
        parts = [f"prompt {self.prompt}"] if self.prompt else []
        parts.append(f"schema {self.schema_sha256[:8]}")
        if self.fields_spec:
            parts.append(f"fields spec {self.fields_spec[:8]}")
        return f"{self.extractor} ({', '.join(parts)})"


class Timings(_Strict):
    """Seconds spent per stage for one paper."""

    extract_s: float = 0.0
    ground_s: float = 0.0


class Provenance(_Strict):
    """How a record was made, enough to reproduce or audit it."""

    extractor: str = Field(description="'offline:<name>-v<N>' or 'openai:<model>'.")
    mode: str | None = Field(default=None, description="Structured-output mode used, if any.")
    prompt: PromptInfo | None = None
    schema_version: str = FIELDS_SCHEMA_VERSION
    schema_sha256: str
    input_sha256: str
    timings: Timings = Field(default_factory=Timings)
    cache_hit: bool = False
    attempts: int = 1
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    fields_spec: FieldsSpecInfo | None = None

    def identity(self) -> ExtractorIdentity:
        """The extraction setup this record came from (see :class:`ExtractorIdentity`)."""
        return ExtractorIdentity.of(
            self.extractor, self.prompt, self.schema_sha256, self.fields_spec
        )


class Record(_Strict):
    """One line of ``records.jsonl``."""

    id: str
    title: str
    abstract: str
    status: Literal["ok", "failed"] = "ok"
    fields: GroundedFields = Field(default_factory=GroundedFields)
    grounding: GroundingSummary = Field(default_factory=GroundingSummary)
    provenance: Provenance
    error: str | None = None


class ErrorEntry(_Strict):
    """One line of ``errors.jsonl``: a paper (or input line) that did not become a record."""

    id: str | None = None
    title: str | None = None
    stage: Literal["ingest", "extract"]
    error_type: str
    reason: str
    attempts: int = 0
    source: PaperSource | None = None
    usage: Usage | None = None
    raw_output: str | None = Field(
        default=None, description="The model's last reply (truncated), for debugging."
    )
