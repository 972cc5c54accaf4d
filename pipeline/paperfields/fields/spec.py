"""The user-defined fields spec: what a user asks paperfields to extract besides the built-ins.

A :class:`FieldsSpec` is a name, whether the built-in fields are kept, and an
ordered tuple of :class:`FieldSpec` - each a name, a type (``string``,
``number``, ``boolean``, ``enum`` with its ``values``, or ``list`` of items with a
name and a verbatim evidence quote), a description for the model, and for
scalars whether the value carries an evidence quote too. Specs come from a TOML
file (:mod:`paperfields.fields.toml_spec`) or a pydantic model class
(:mod:`paperfields.fields.from_model`); both end here, where names and options
are checked. A name may not take a built-in field's name, nor a name the
exports and ``compare`` use for something else (:data:`EXPORT_NAMES`: the
papers table's columns, the tables ``facts``, ``run``..., ``--by results``),
nor end in a suffix they add (:data:`EXPORT_SUFFIXES`: ``<name>_evidence``
columns, ``<name>_mentions`` tables, ``<name>_groups`` views). The spec's
``sha256`` covers everything that changes answers (not its name, nor where it
came from), so one spec written as TOML or as a model class has one hash;
:meth:`FieldsSpec.from_dict` reads back the form ``run.json`` keeps.
"""

from __future__ import annotations

import hashlib
import json
import keyword
import re
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from pydantic import BaseModel

from ..schemas import FIELD_NAMES, FieldsSpecInfo

__all__ = [
    "BUILTIN_NAMES",
    "EXPORT_NAMES",
    "EXPORT_SUFFIXES",
    "FIELD_TYPES",
    "MAX_ENUM_VALUES",
    "MAX_FIELDS",
    "FieldSpec",
    "FieldType",
    "FieldsSpec",
    "name_problem",
]

FieldType = Literal["string", "number", "boolean", "enum", "list"]
FIELD_TYPES: tuple[str, ...] = get_args(FieldType)
BUILTIN_NAMES: frozenset[str] = frozenset({"summary", *FIELD_NAMES})
"""Names a user field may not take: the built-in fields of every record."""
EXPORT_NAMES: frozenset[str] = frozenset(
    {
        # columns of the exported papers table, beside which user scalars get theirs
        "id", "title", "status", "url", "proposed_methods", "items", "grounded_items",
        "extractor", "error", "abstract",
        # exported tables and views, and compare's leaderboard (--by results)
        "papers", "facts", "run", "leaderboard", "results",
    }
)  # fmt: skip
"""Names the exports and ``compare`` already use; a user field may not take them."""
EXPORT_SUFFIXES: tuple[str, ...] = ("_evidence", "_mentions", "_groups")
"""Suffixes the exports add to a field's name (a scalar's evidence column, tables, views)."""

MAX_FIELDS = 40
MAX_ENUM_VALUES = 100
MAX_NAME_CHARS = 64
_NAME = re.compile(r"[a-z][a-z0-9_]*")
# Names that would shadow pydantic's own model attributes in the generated model.
_RESERVED = frozenset(name for name in dir(BaseModel) if not name.startswith("_"))


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a user field, or None when it can.

    A name is a lowercase identifier (``[a-z][a-z0-9_]*``, at most 64 characters)
    that is not a Python keyword, not a built-in field and not an attribute of
    pydantic's ``BaseModel`` (``model_*``, ``json``, ``copy``...), nor a name or
    suffix the exports use (:data:`EXPORT_NAMES`, :data:`EXPORT_SUFFIXES`).
    """
    if not _NAME.fullmatch(name):
        return "a field name must be a lowercase identifier: a-z, then a-z, 0-9 or _"
    if len(name) > MAX_NAME_CHARS:
        return f"a field name has at most {MAX_NAME_CHARS} characters"
    if name in BUILTIN_NAMES:
        return f"'{name}' is a built-in field; choose another name"
    if keyword.iskeyword(name) or name in _RESERVED or name.startswith("model_"):
        return f"'{name}' is reserved; choose another name"
    if name in EXPORT_NAMES:
        return f"'{name}' names a column or table of the exports; choose another name"
    if name.endswith(EXPORT_SUFFIXES):
        return (
            f"a field name may not end in {', '.join(EXPORT_SUFFIXES)} "
            "(the exports add them to field names)"
        )
    return None


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One user-defined field.

    ``values`` is the allowed strings of an ``enum`` (empty otherwise);
    ``evidence`` is whether a scalar carries a verbatim quote (always true for a
    ``list``, whose items each carry one).
    """

    name: str
    type: FieldType
    description: str = ""
    values: tuple[str, ...] = ()
    evidence: bool = False

    @property
    def is_list(self) -> bool:
        """True for a ``list`` field."""
        return self.type == "list"

    def problem(self) -> tuple[str, str] | None:
        """The first thing wrong with this field as ``(option, message)``, or None.

        ``option`` is the spec key at fault (``name``, ``type``, ``values``...),
        so a loader can point at its line.
        """
        problem = name_problem(self.name)
        if problem:
            return "name", problem
        if self.type not in FIELD_TYPES:
            return "type", f"type must be one of {', '.join(FIELD_TYPES)}, got {self.type!r}"
        if self.type == "enum":
            if not self.values:
                return "values", "an enum needs a non-empty 'values' list of strings"
            if len(self.values) > MAX_ENUM_VALUES:
                return "values", f"an enum has at most {MAX_ENUM_VALUES} values"
            if any(not value.strip() for value in self.values):
                return "values", "enum values must be non-empty strings"
            if len(set(self.values)) != len(self.values):
                return "values", "enum values must be distinct"
        elif self.values:
            return "values", f"'values' is only for enum fields, not {self.type}"
        return None

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form written to ``run.json`` and hashed."""
        data: dict[str, Any] = {"name": self.name, "type": self.type}
        data["description"] = self.description
        if self.type == "enum":
            data["values"] = list(self.values)
        data["evidence"] = True if self.is_list else self.evidence
        return data


@dataclass(frozen=True, slots=True)
class FieldsSpec:
    """A whole spec: its name, whether built-ins are kept, and its fields in order.

    ``source`` is where it came from (a file path or ``module.Class``), for messages.
    """

    name: str
    fields: tuple[FieldSpec, ...]
    builtins: bool = True
    source: str | None = field(default=None, compare=False)

    def problem(self) -> tuple[str | None, str, str] | None:
        """The first problem as ``(field name or None, option, message)``, or None."""
        if not self.fields:
            return None, "fields", "the spec defines no fields (add a [fields.NAME] table)"
        if len(self.fields) > MAX_FIELDS:
            return None, "fields", f"a spec has at most {MAX_FIELDS} fields"
        seen: set[str] = set()
        for spec in self.fields:
            if spec.name in seen:
                return spec.name, "name", "the field is defined twice"
            seen.add(spec.name)
            problem = spec.problem()
            if problem is not None:
                return spec.name, problem[0], problem[1]
        return None

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form (``run.json`` carries it, so a run folder names its spec)."""
        return {
            "name": self.name,
            "sha256": self.sha256,
            "builtins": self.builtins,
            "fields": [spec.to_dict() for spec in self.fields],
        }

    @classmethod
    def from_dict(cls, data: Any, source: str | None = None) -> FieldsSpec | None:
        """Read back :meth:`to_dict`'s form (``run.json``'s ``fields_spec``).

        Args:
            data: The parsed JSON value.
            source: Where it came from, for messages.

        Returns:
            The spec, or None when ``data`` is not a spec this version can read or
            the spec it describes is invalid.
        """
        if not isinstance(data, dict) or not isinstance(data.get("fields"), list):
            return None
        fields: list[FieldSpec] = []
        for entry in data["fields"]:
            if not isinstance(entry, dict):
                return None
            name, kind = entry.get("name"), entry.get("type")
            values = entry.get("values") or []
            if not (isinstance(name, str) and kind in FIELD_TYPES and isinstance(values, list)):
                return None
            description = entry.get("description")
            fields.append(
                FieldSpec(
                    name=name,
                    type=kind,
                    description=description if isinstance(description, str) else "",
                    values=tuple(str(v) for v in values),
                    evidence=kind == "list" or entry.get("evidence") is True,
                )
            )
        name = data.get("name")
        spec = cls(
            name=name if isinstance(name, str) else "fields",
            fields=tuple(fields),
            builtins=data.get("builtins") is not False,
            source=source,
        )
        return spec if spec.problem() is None else None

    @property
    def sha256(self) -> str:
        """The sha256 of what changes answers: built-ins kept, and every field in order."""
        content = {"builtins": self.builtins, "fields": [s.to_dict() for s in self.fields]}
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def info(self) -> FieldsSpecInfo:
        """The provenance entry of records made with this spec."""
        return FieldsSpecInfo(name=self.name, sha256=self.sha256, builtins=self.builtins)

    def names(self) -> tuple[str, ...]:
        """The field names, in order."""
        return tuple(spec.name for spec in self.fields)
