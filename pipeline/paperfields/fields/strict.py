"""A checker for the JSON Schema subset that OpenAI strict structured outputs accept.

:func:`strict_problems` walks a schema and lists every rule it breaks, each as
``path: rule``: the root must be an object (not ``anyOf``); every object must
list all its properties in ``required`` and set ``additionalProperties: false``;
optional values are written as a union with ``null``, never by leaving a key
out of ``required`` or by a ``default``; only the supported keywords may appear
(``type``, ``properties``, ``required``, ``additionalProperties``, ``items``,
``enum``, ``const``, ``anyOf``, ``$ref``, ``$defs``, ``description``, ``title``,
and a few constraints); a ``$ref`` stands alone; and the size limits hold (at
most 100 object properties in all, 5 levels of object nesting, 500 enum values,
15,000 characters of property names, enum values and definition names). The
limits are the conservative ones first published; servers that accept more
accept these too. paperfields checks every generated schema with it before
sending one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MAX_ENUM_VALUES",
    "MAX_NESTING",
    "MAX_PROPERTIES",
    "MAX_STRING_CHARS",
    "strict_problems",
]

MAX_PROPERTIES = 100
MAX_NESTING = 5
MAX_ENUM_VALUES = 500
MAX_STRING_CHARS = 15_000

_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "const",
        "anyOf",
        "$ref",
        "$defs",
        "description",
        "title",
        # constraints the strict mode supports
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
    }
)
_TYPES = frozenset({"string", "number", "integer", "boolean", "object", "array", "null"})


@dataclass
class _Walk:
    root: Mapping[str, Any]
    problems: list[str] = field(default_factory=list)
    properties: int = 0
    enum_values: int = 0
    chars: int = 0

    def add(self, path: str, rule: str) -> None:
        self.problems.append(f"{path or '#'}: {rule}")

    def resolve(self, ref: str) -> Mapping[str, Any] | None:
        if not ref.startswith("#/"):
            return None
        node: Any = self.root
        for part in ref[2:].split("/"):
            if not isinstance(node, Mapping) or part not in node:
                return None
            node = node[part]
        return node if isinstance(node, Mapping) else None

    def node(self, schema: Any, path: str, depth: int, seen: frozenset[str]) -> None:
        if not isinstance(schema, Mapping):
            self.add(path, "a schema must be an object")
            return
        for key in schema:
            if key not in _KEYWORDS:
                self.add(path, f"keyword '{key}' is not supported")
        if "$ref" in schema:
            self.ref(schema, path, depth, seen)
            return
        if "anyOf" in schema:
            for i, member in enumerate(schema["anyOf"]):
                self.node(member, f"{path}/anyOf/{i}", depth, seen)
        types = schema.get("type")
        names = types if isinstance(types, list) else [types] if types else []
        for name in names:
            if name not in _TYPES:
                self.add(path, f"type '{name}' is not supported")
        if "enum" in schema:
            values = schema["enum"]
            self.enum_values += len(values)
            self.chars += sum(len(str(v)) for v in values)
        if "object" in names or "properties" in schema:
            self.object(schema, path, depth, seen)
        if "array" in names:
            if "items" not in schema:
                self.add(path, "an array needs 'items'")
            else:
                self.node(schema["items"], f"{path}/items", depth, seen)

    def ref(self, schema: Mapping[str, Any], path: str, depth: int, seen: frozenset[str]) -> None:
        ref = schema["$ref"]
        if len(schema) > 1:
            others = ", ".join(sorted(k for k in schema if k != "$ref"))
            self.add(path, f"a $ref must stand alone (found {others} beside it)")
        if ref in seen:
            return  # recursion is allowed; walk each definition once per branch
        target = self.resolve(str(ref))
        if target is None:
            self.add(path, f"$ref {ref!r} does not resolve")
            return
        self.node(target, f"{path}->{ref}", depth, seen | {str(ref)})

    def object(
        self, schema: Mapping[str, Any], path: str, depth: int, seen: frozenset[str]
    ) -> None:
        depth += 1
        if depth > MAX_NESTING:
            self.add(path, f"objects nest deeper than {MAX_NESTING} levels")
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is not False:
            self.add(path, "an object needs additionalProperties: false")
        required = schema.get("required", [])
        missing = [name for name in properties if name not in required]
        if missing:
            self.add(path, f"every property must be required (not: {', '.join(missing)})")
        unknown = [name for name in required if name not in properties]
        if unknown:
            self.add(path, f"required names unknown properties: {', '.join(unknown)}")
        for name, sub in properties.items():
            self.properties += 1
            self.chars += len(name)
            if isinstance(sub, Mapping) and "default" in sub:
                self.add(f"{path}/properties/{name}", "keyword 'default' is not supported")
            self.node(sub, f"{path}/properties/{name}", depth, seen)


def strict_problems(schema: Mapping[str, Any]) -> list[str]:
    """Every rule of OpenAI strict structured outputs that ``schema`` breaks.

    Args:
        schema: a JSON Schema, as sent in ``response_format.json_schema.schema``.

    Returns:
        One ``path: rule`` line per problem; empty when the schema is valid.
    """
    walk = _Walk(schema)
    if schema.get("type") != "object" or "anyOf" in schema:
        walk.add("#", "the root must be an object, not a union")
    for name, definition in (schema.get("$defs") or {}).items():
        walk.chars += len(name)
        if not isinstance(definition, Mapping):
            walk.add(f"#/$defs/{name}", "a definition must be an object")
    walk.node(schema, "", 0, frozenset())
    if walk.properties > MAX_PROPERTIES:
        walk.add("#", f"{walk.properties} object properties in all; at most {MAX_PROPERTIES}")
    if walk.enum_values > MAX_ENUM_VALUES:
        walk.add("#", f"{walk.enum_values} enum values in all; at most {MAX_ENUM_VALUES}")
    if walk.chars > MAX_STRING_CHARS:
        walk.add(
            "#", f"{walk.chars} characters of names and enum values; at most {MAX_STRING_CHARS}"
        )
    return walk.problems
