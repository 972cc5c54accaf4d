"""Build a fields spec from a pydantic model class, for ``run(..., fields=MyModel)``.

Each field of the class becomes a user field of the same name: ``str`` ->
``string``, ``int``/``float`` -> ``number``, ``bool`` -> ``boolean``, a
``Literal`` of strings or a string :class:`enum.Enum` -> ``enum``, and any
``list[...]`` -> ``list`` (paperfields' own items, with a name and an evidence
quote). ``X | None`` is the same as ``X``: every scalar may be null anyway. The
description is the field's ``description``; a scalar carries evidence when its
``json_schema_extra`` has ``"evidence": True``. Class-wide options sit in the
model's ``json_schema_extra``: ``"builtins": False`` leaves the built-in fields
out, ``"evidence": True`` makes evidence the default, ``"name"`` names the spec
(default: the class name).
"""

from __future__ import annotations

import enum
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..errors import FieldsSpecError
from .spec import FieldSpec, FieldsSpec, FieldType

__all__ = ["spec_from_model"]


def _extra(source: Any) -> dict[str, Any]:
    extra = source.get("json_schema_extra") if isinstance(source, dict) else None
    if extra is None and isinstance(source, FieldInfo):
        extra = source.json_schema_extra
    return dict(extra) if isinstance(extra, dict) else {}


def _strip_none(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return members[0]
    if get_origin(annotation) is typing.Annotated:
        return _strip_none(get_args(annotation)[0])
    return annotation


def _type_of(annotation: Any) -> tuple[FieldType, tuple[str, ...]] | None:
    """The spec type (and enum values) of an annotation, or None when unsupported."""
    annotation = _strip_none(annotation)
    origin = get_origin(annotation)
    if origin is list:
        return "list", ()
    if origin is Literal:
        values = get_args(annotation)
        if values and all(isinstance(v, str) for v in values):
            return "enum", tuple(values)
        return None
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        values = tuple(member.value for member in annotation)
        return ("enum", values) if all(isinstance(v, str) for v in values) else None
    if annotation is bool:
        return "boolean", ()
    if annotation in (int, float):
        return "number", ()
    if annotation is str:
        return "string", ()
    return None


def spec_from_model(model: type[BaseModel]) -> FieldsSpec:
    """Turn a pydantic model class into a fields spec (see the module docstring).

    Raises:
        FieldsSpecError: a field has an unsupported type or an invalid name; the
            message names the class and the field.
    """
    where = f"{model.__module__}.{model.__qualname__}"
    options = _extra(model.model_config)
    default_evidence = bool(options.get("evidence", False))
    fields: list[FieldSpec] = []
    for name, info in model.model_fields.items():
        found = _type_of(info.annotation)
        if found is None:
            raise FieldsSpecError(
                f"unsupported type {info.annotation!r}: use str, int, float, bool, "
                "a Literal of strings, a string Enum, or a list",
                path=where,
                field=name,
            )
        kind, values = found
        evidence = _extra(info).get("evidence", default_evidence)
        fields.append(
            FieldSpec(
                name=name,
                type=kind,
                description=(info.description or "").strip(),
                values=values,
                evidence=True if kind == "list" else bool(evidence),
            )
        )
    spec = FieldsSpec(
        name=str(options.get("name") or model.__name__),
        builtins=bool(options.get("builtins", True)),
        fields=tuple(fields),
        source=where,
    )
    problem = spec.problem()
    if problem is not None:
        field, _option, message = problem
        raise FieldsSpecError(message, path=where, field=field)
    return spec
