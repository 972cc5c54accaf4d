"""The LLM-facing reply model and JSON Schema built from a fields spec.

:func:`reply_schema` turns a :class:`~paperfields.fields.spec.FieldsSpec` (or
None, for the built-in fields alone) into a :class:`ReplySchema`: a pydantic
model made with ``create_model`` over :class:`~paperfields.schemas.ExtractedFields`
(or over an empty strict base when the spec leaves built-ins out), its JSON
Schema, and the schema's sha256. Every user field is required and nullable
rather than optional, every object forbids extra keys, and nested models are
only referenced, never described beside their ``$ref`` - so the schema stays
valid for OpenAI strict structured outputs (:func:`~paperfields.fields.strict.strict_problems`
checks it). A scalar is ``T | null``, a scalar with evidence an object
``{"value": T | null, "evidence": string | null}``, a list a list of
:class:`~paperfields.schemas.UserItem`. :meth:`ReplySchema.split` cuts a
validated reply into the built-in :class:`~paperfields.schemas.ExtractedFields`
and the user fields, ready for grounding.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model

from ..schemas import (
    FIELD_NAMES,
    ExtractedFields,
    UserField,
    UserItem,
    fields_json_schema,
    fields_schema_sha256,
)
from .spec import FieldSpec, FieldsSpec

__all__ = ["REPLY_MODEL_NAME", "ReplySchema", "reply_schema"]

REPLY_MODEL_NAME = "PaperFields"
_BUILTIN_KEYS = ("summary", *FIELD_NAMES)
_USER_FIELDS: TypeAdapter[dict[str, UserField]] = TypeAdapter(dict[str, UserField])


class _StrictReply(BaseModel):
    """The fields asked of the model for one paper."""

    model_config = ConfigDict(extra="forbid")


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_") if part)


def _value_type(spec: FieldSpec) -> Any:
    if spec.type == "string":
        return str
    if spec.type == "number":
        return float
    if spec.type == "boolean":
        return bool
    return Literal[spec.values]


def _definition(spec: FieldSpec) -> tuple[Any, Any]:
    """The ``create_model`` entry of one user field: ``(annotation, FieldInfo)``."""
    description = spec.description or None
    if spec.is_list:
        return list[UserItem], Field(description=description)
    value = _value_type(spec)
    if not spec.evidence:
        return value | None, Field(description=description)
    # A nested model is only $ref'ed (strict mode refuses keywords beside a $ref),
    # so the field's description becomes the model's own.
    holder = create_model(
        f"{_camel(spec.name)}Value",
        __base__=_StrictReply,
        __doc__=description or f"The value of '{spec.name}' with its evidence.",
        value=(value | None, Field(description="The value; null if the abstract does not say.")),
        evidence=(
            str | None,
            Field(
                description="Verbatim quote from the abstract that supports the value; null "
                "when the value is null."
            ),
        ),
    )
    return holder, ...


@dataclass(frozen=True, slots=True)
class ReplySchema:
    """What the model is asked to return: a pydantic model, its JSON Schema and its hash.

    ``schema_text`` is the canonical JSON text of the schema (sorted keys), the text
    ``sha256`` is taken of.
    """

    model: type[BaseModel]
    schema_text: str
    sha256: str
    spec: FieldsSpec | None = None

    @property
    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema sent to the model (a fresh copy)."""
        result: dict[str, Any] = json.loads(self.schema_text)
        return result

    def split(self, reply: BaseModel) -> tuple[ExtractedFields, dict[str, UserField]]:
        """Cut a validated reply into the built-in fields and the user fields (by name).

        Without built-ins the returned :class:`ExtractedFields` is empty.
        """
        if self.spec is None:
            assert isinstance(reply, ExtractedFields)
            return reply, {}
        data = reply.model_dump()
        builtins = (
            ExtractedFields.model_validate({k: data[k] for k in _BUILTIN_KEYS})
            if self.spec.builtins
            else ExtractedFields(
                summary=None, tasks=[], methods=[], datasets=[], metrics=[], claims=[]
            )
        )
        user = _USER_FIELDS.validate_python({name: data[name] for name in self.spec.names()})
        return builtins, user


def _canonical(schema: dict[str, Any]) -> str:
    return json.dumps(schema, sort_keys=True, separators=(",", ":"))


@lru_cache(maxsize=32)
def reply_schema(spec: FieldsSpec | None) -> ReplySchema:
    """The reply schema for ``spec`` (None: the built-in fields, unchanged).

    Returns:
        The model that validates replies, its JSON Schema and the schema's sha256.
    """
    if spec is None:
        text = _canonical(fields_json_schema())
        return ReplySchema(ExtractedFields, text, fields_schema_sha256())
    definitions: dict[str, Any] = {s.name: _definition(s) for s in spec.fields}
    base: type[BaseModel] = ExtractedFields if spec.builtins else _StrictReply
    model = create_model(REPLY_MODEL_NAME, __base__=base, **definitions)
    schema = model.model_json_schema()
    text = _canonical(schema)
    return ReplySchema(
        model=model, schema_text=text, sha256=hashlib.sha256(text.encode()).hexdigest(), spec=spec
    )
