"""The value of a cache entry: a validated answer and, once made, its grounding.

A new answer is stored as ``{"fields": <answer>}``; once the paper was grounded
as ``{"fields": <answer>, "ground": {"tag", "fields", "summary"}}``, where the
tag names what the grounding depends on (grounding version, per-field cap,
the paper's text hash), so a warm rerun grounds nothing when it still matches.
:func:`decode_answer` also reads the bare answer JSON of earlier versions.
Values are JSON text, validated when read, never pickles.
"""

from __future__ import annotations

import functools
import json

from pydantic import BaseModel, ValidationError, create_model

from ..schemas import ExtractedFields, GroundedFields, GroundingSummary

__all__ = ["Grounding", "decode_answer", "encode_answer"]

Grounding = tuple[str, GroundedFields, GroundingSummary]
"""A grounding made for a cached answer: its tag (what it depends on), fields and summary."""


class _CachedGrounding(BaseModel):
    tag: str
    fields: GroundedFields
    summary: GroundingSummary


@functools.lru_cache(maxsize=16)
def _cached_answer(model: type[BaseModel]) -> type[BaseModel]:
    """The model of a cache value whose answer is a ``model`` (the reply model asked for)."""
    return create_model(
        f"Cached{model.__name__}",
        fields=(model, ...),
        ground=(_CachedGrounding | None, None),
    )


def encode_answer(fields_json: str, grounding: Grounding | None = None) -> str:
    """The cache value of an answer (``ExtractedFields`` JSON text) and, if known, its grounding."""
    if grounding is None:
        return f'{{"fields":{fields_json}}}'
    tag, fields, summary = grounding
    return (
        f'{{"fields":{fields_json},"ground":{{"tag":{json.dumps(tag)},'
        f'"fields":{fields.model_dump_json()},"summary":{summary.model_dump_json()}}}}}'
    )


def decode_answer(
    text: str, model: type[BaseModel] = ExtractedFields
) -> tuple[BaseModel, Grounding | None] | None:
    """Read a cache value (also the bare answer JSON of earlier versions).

    Args:
        text: the stored value.
        model: the reply model the answer must validate as.

    Returns:
        The answer and its stored grounding (or None), or None when the value does
        not validate (the caller drops it).
    """
    try:
        answer = _cached_answer(model).model_validate_json(text)
    except ValidationError:
        try:
            return model.model_validate_json(text), None
        except ValidationError:
            return None
    fields: BaseModel = getattr(answer, "fields")  # noqa: B009  (a dynamic model)
    ground: _CachedGrounding | None = getattr(answer, "ground")  # noqa: B009
    if ground is None:
        return fields, None
    return fields, (ground.tag, ground.fields, ground.summary)
