"""Read a fields spec from a TOML file, with errors that name the file, the line and the field.

The file has optional top-level options - ``name`` (default: the file's stem),
``builtins`` (keep the built-in fields, default true) and ``evidence`` (the
default for scalars: carry a verbatim quote, default false) - and one
``[fields.NAME]`` table per field with ``type``, ``description`` and, as needed,
``values`` (enum) and ``evidence`` (scalars). The file is parsed by the standard
library's ``tomllib`` (``tomli`` before Python 3.11) and validated by a strict
pydantic model; any problem becomes one :class:`~paperfields.errors.FieldsSpecError`
line such as ``fields.toml:12: field 'modality': an enum needs a non-empty
'values' list of strings``. TOML parsers keep no positions, so
:class:`_KeyLines` finds the line of a key by reading the file's table headers
and key lines.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from ..errors import FieldsSpecError
from .spec import FIELD_TYPES, FieldSpec, FieldsSpec, FieldType

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["load_toml_spec"]

_HEADER = re.compile(r"^\s*\[(?!\[)\s*(.+?)\s*\]\s*(?:#.*)?$")
_BARE_OR_QUOTED = r"""[A-Za-z0-9_-]+|"([^"]*)"|'([^']*)'"""
_KEY = re.compile(rf"^\s*((?:{_BARE_OR_QUOTED})(?:\s*\.\s*(?:{_BARE_OR_QUOTED}))*)\s*=")
_PART = re.compile(_BARE_OR_QUOTED)
_AT_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")


class _TomlField(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    type: FieldType
    description: str = ""
    values: list[str] = Field(default_factory=list)
    evidence: bool | None = None


class _TomlSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str | None = None
    builtins: bool = True
    evidence: bool = False
    fields: dict[str, _TomlField] = Field(default_factory=dict)


def _key_path(text: str) -> tuple[str, ...]:
    return tuple(m.group(1) or m.group(2) or m.group(0) for m in _PART.finditer(text))


class _KeyLines:
    """The 1-based line where each table and key path of a TOML text first appears."""

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[str, ...], int] = {}
        self.tables: list[tuple[int, tuple[str, ...]]] = []
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                table = _key_path(header.group(1))
                self.tables.append((number, table))
                self.lines.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if key:
                path = table + _key_path(key.group(1))
                for end in range(len(table) + 1, len(path) + 1):
                    self.lines.setdefault(path[:end], number)

    def line_of(self, path: tuple[str, ...]) -> int | None:
        """The line of ``path``, or of its longest prefix that was found."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None

    def field_at(self, line: int) -> str | None:
        """The field whose ``[fields.NAME]`` table holds ``line``, if any."""
        current: str | None = None
        for number, table in self.tables:
            if number > line:
                break
            current = table[1] if len(table) >= 2 and table[0] == "fields" else None
        return current


def _message(error: ErrorDetails) -> str:
    loc = error["loc"]
    option = str(loc[-1]) if loc else "spec"
    if error["type"] == "missing":
        if option == "type":
            return f"missing 'type' (one of {', '.join(FIELD_TYPES)})"
        return f"missing '{option}'"
    if error["type"] == "extra_forbidden":
        return f"unknown option '{option}'"
    if option == "type" and error["type"] == "literal_error":
        return f"type must be one of {', '.join(FIELD_TYPES)}, got {error.get('input')!r}"
    return f"'{'.'.join(str(p) for p in loc)}': {error['msg']}"


def load_toml_spec(path: str | Path) -> FieldsSpec:
    """Read and check a TOML fields spec.

    Args:
        path: the spec file.

    Returns:
        The spec, named by its ``name`` option or the file's stem.

    Raises:
        FieldsSpecError: the file is unreadable, not TOML, or not a valid spec;
            the message names the file, the line and the field when known.
    """
    file = Path(path)
    where = str(file)
    try:
        text = file.read_bytes().decode("utf-8")
    except OSError as e:
        raise FieldsSpecError(f"cannot read the fields spec ({e.strerror})", path=where) from e
    except UnicodeDecodeError as e:
        raise FieldsSpecError(f"the fields spec is not UTF-8 ({e.reason})", path=where) from e
    lines = _KeyLines(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        message = str(e).splitlines()[0] if str(e) else "invalid TOML"
        found = _AT_LINE.search(message)
        line = int(found.group(1)) if found else getattr(e, "lineno", None)
        message = _AT_LINE.sub("", message)
        field = lines.field_at(line) if line else None
        raise FieldsSpecError(f"invalid TOML: {message}", path=where, line=line, field=field) from e
    try:
        parsed = _TomlSpec.model_validate(data)
    except ValidationError as e:
        error = e.errors()[0]
        loc = tuple(str(part) for part in error["loc"])
        field = loc[1] if len(loc) >= 2 and loc[0] == "fields" else None
        raise FieldsSpecError(
            _message(error), path=where, line=lines.line_of(loc) or 1, field=field
        ) from e
    for name, item in parsed.fields.items():
        if item.type == "list" and item.evidence is False:
            raise FieldsSpecError(
                "list items always carry evidence; 'evidence = false' is for scalars only",
                path=where,
                line=lines.line_of(("fields", name, "evidence")) or 1,
                field=name,
            )
    spec = FieldsSpec(
        name=parsed.name or file.stem,
        builtins=parsed.builtins,
        fields=tuple(
            FieldSpec(
                name=name,
                type=item.type,
                description=item.description.strip(),
                values=tuple(item.values),
                evidence=True
                if item.type == "list"
                else (item.evidence if item.evidence is not None else parsed.evidence),
            )
            for name, item in parsed.fields.items()
        ),
        source=where,
    )
    problem = spec.problem()
    if problem is not None:
        bad, option, message = problem
        path_of: tuple[str, ...] = ("fields",)
        if bad is not None:
            path_of = ("fields", bad) if option == "name" else ("fields", bad, option)
        raise FieldsSpecError(message, path=where, line=lines.line_of(path_of) or 1, field=bad)
    return spec
