"""From one extraction to what the run folder stores: a grounded record, or an error entry.

:func:`build_record` grounds an extraction and adds provenance; the two
``*_entry`` functions turn a failed paper into the ``errors.jsonl`` line that
says why. The library's :func:`paperfields.extract_paper` uses the same
:func:`build_record`, so a record made in a notebook equals one made by a run.
"""

from __future__ import annotations

import time

from ..config import DEFAULT_MAX_ITEMS_PER_FIELD
from ..errors import BackendError, ExtractionError, PipelineError
from ..extract import Extraction
from ..ground import GROUND_VERSION, ground_fields, ground_user_fields
from ..names.values import parse_metric_values
from ..schemas import (
    ErrorEntry,
    GroundedFields,
    Paper,
    Provenance,
    Record,
    Timings,
    content_sha256,
    fields_schema_sha256,
)

__all__ = ["build_record", "failure_entry", "id_conflict_entry"]


def build_record(
    paper: Paper,
    extraction: Extraction,
    *,
    extract_s: float,
    max_items: int = DEFAULT_MAX_ITEMS_PER_FIELD,
) -> Record:
    """Ground an extraction, parse its metric values, and wrap it with provenance into a Record.

    User-defined fields are grounded too and stored under ``fields.<name>``. A
    grounding the extraction brings (from the cache) is used when its tag matches.

    Args:
        paper: the paper the extraction is of.
        extraction: what the extractor returned.
        extract_s: seconds the extraction took (for the record's timings).
        max_items: items kept per field (see :func:`~paperfields.ground.ground_fields`).
    """
    started = time.perf_counter()
    digest = content_sha256(paper.title, paper.abstract)
    tag = f"{GROUND_VERSION}/{max_items}/{digest}"
    prior = extraction.grounded
    if prior is not None and prior[0] == tag:  # grounded before (a warm cache): nothing to redo
        fields, grounding = prior[1], prior[2]
    else:
        fields, grounding = ground_fields(paper.abstract, extraction.fields, max_items=max_items)
        if extraction.on_grounded is not None and not grounding.fuzzy_skipped:
            extraction.on_grounded((tag, fields, grounding))
    parse_metric_values(fields)  # number, unit and kind of each metric value
    if extraction.user_fields:
        user = ground_user_fields(
            paper.abstract, extraction.user_fields, grounding, max_items=max_items
        )
        fields = GroundedFields.model_validate({**dict(fields), **user})
    ground_s = time.perf_counter() - started
    return Record(
        id=paper.id,
        title=paper.title,
        abstract=paper.abstract,
        status="ok",
        fields=fields,
        grounding=grounding,
        provenance=Provenance(
            extractor=extraction.extractor,
            mode=extraction.mode,
            prompt=extraction.prompt,
            schema_sha256=extraction.schema_sha256 or fields_schema_sha256(),
            input_sha256=digest,
            timings=Timings(extract_s=round(extract_s, 6), ground_s=round(ground_s, 6)),
            cache_hit=extraction.cache_hit,
            attempts=extraction.attempts,
            usage=extraction.usage,
            cost_usd=extraction.cost_usd,
            fields_spec=extraction.fields_spec,
        ),
    )


def failure_entry(paper: Paper, error: Exception) -> ErrorEntry:
    """The ``errors.jsonl`` line of a paper whose extraction raised ``error``."""
    expected = isinstance(error, (ExtractionError, BackendError))
    reason = str(error) if expected else f"internal error: {type(error).__name__}: {error}"
    return ErrorEntry(
        id=paper.id,
        title=paper.title,
        stage="extract",
        error_type=type(error).__name__,
        reason=reason or type(error).__name__,
        attempts=int(getattr(error, "attempts", 1)),
        source=paper.source,
        usage=error.usage if isinstance(error, PipelineError) else None,
        raw_output=error.raw_output if isinstance(error, ExtractionError) else None,
    )


def id_conflict_entry(paper: Paper) -> ErrorEntry:
    """The ``errors.jsonl`` line of a paper whose id a record with other text already holds."""
    return ErrorEntry(
        id=paper.id,
        title=paper.title,
        stage="extract",
        error_type="IdConflict",
        reason=(
            f"id {paper.id!r} is already in records.jsonl for a paper with different text "
            "(ids from titles depend on input order); use a new run folder or give explicit ids"
        ),
        attempts=0,
        source=paper.source,
    )
