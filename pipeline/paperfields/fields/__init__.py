"""User-defined fields: a spec of what to extract besides (or instead of) the built-in fields.

A spec comes from a TOML file or a pydantic model class (:func:`resolve_spec`
takes either) and is checked on load: valid names that clash with no built-in
field, known types, enum values. From it :func:`reply_schema` builds the
LLM-facing model and JSON Schema (valid for OpenAI strict structured outputs,
which :func:`strict_problems` checks) and :func:`prompt_section` the text that
tells the model what each field means. Records carry the values under
``fields.<name>``; the spec's name and sha256 go into each record's provenance
and the whole spec into ``run.json``. This package sits just above
:mod:`paperfields.errors` and :mod:`paperfields.schemas` in the layers: it
depends on nothing else of paperfields.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from ..errors import FieldsSpecError
from .from_model import spec_from_model
from .prompt_section import prompt_section
from .reply import ReplySchema, reply_schema
from .spec import BUILTIN_NAMES, FIELD_TYPES, FieldSpec, FieldsSpec, FieldType, name_problem
from .strict import strict_problems
from .toml_spec import load_toml_spec

__all__ = [
    "BUILTIN_NAMES",
    "FIELD_TYPES",
    "FieldSpec",
    "FieldType",
    "FieldsSpec",
    "FieldsSpecError",
    "FieldsSource",
    "ReplySchema",
    "load_toml_spec",
    "name_problem",
    "prompt_section",
    "reply_schema",
    "resolve_spec",
    "spec_from_model",
    "strict_problems",
]

FieldsSource = FieldsSpec | str | Path | type[BaseModel]
"""What ``fields=`` accepts: a spec, the path of a TOML spec, or a pydantic model class."""


def resolve_spec(fields: FieldsSource | None) -> FieldsSpec | None:
    """Load a spec from any accepted source and check that its schema suits strict mode.

    Args:
        fields: a :class:`FieldsSpec`, a TOML file path, a pydantic model class, or None.

    Returns:
        The checked spec, or None when ``fields`` is None.

    Raises:
        FieldsSpecError: the spec is invalid, or its schema breaks a rule of strict
            structured outputs (too many fields, say).
    """
    if fields is None:
        return None
    if isinstance(fields, FieldsSpec):
        spec = fields
    elif isinstance(fields, (str, Path)):
        spec = load_toml_spec(fields)
    elif isinstance(fields, type) and issubclass(fields, BaseModel):
        spec = spec_from_model(fields)
    else:
        raise FieldsSpecError(
            f"fields must be a TOML spec path or a pydantic model class, not {fields!r}"
        )
    problem = spec.problem()
    if problem is not None:
        name, _option, message = problem
        raise FieldsSpecError(message, path=spec.source, field=name)
    problems = strict_problems(reply_schema(spec).json_schema)
    if problems:
        raise FieldsSpecError(
            f"the generated schema is not valid for strict structured outputs: {problems[0]}",
            path=spec.source,
        )
    return spec
