"""The user-defined fields of a run: which there are and of what type, for compare and the exports.

A run made with ``--fields`` keeps its whole spec in ``run.json``
(``fields_spec``); :func:`run_spec` reads it back. Records read without it (a
``records.jsonl`` alone, or a folder whose ``run.json`` is gone) still carry
their fields under ``fields.<name>``: :class:`FieldsSeen` watches the records
stream by and infers each field's type from its values (a list is a ``list``, a
``{value, evidence}`` object a scalar with evidence, ``true``/``false`` a
``boolean``, a number a ``number``, text a ``string``), keeping one small entry
per field name. :meth:`FieldsSeen.fields` joins the two: the spec's fields in
its order, then any field only the records have. A name the exports cannot use
(:func:`~paperfields.fields.name_problem`) is left out with a warning.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ..fields import FieldSpec, FieldsSpec, FieldType, name_problem
from ..io.runfolder import MANIFEST_FILE
from ..schemas import GroundedUserValue, Record

__all__ = ["FieldsSeen", "run_spec"]


def run_spec(run_dir: Path) -> FieldsSpec | None:
    """The fields spec ``run.json`` in ``run_dir`` names, or None (no spec, no or bad file)."""
    path = run_dir / MANIFEST_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    return FieldsSpec.from_dict(data.get("fields_spec"), source=str(path))


def _type_of(value: object) -> FieldType | None:
    """The field type a stored value shows, or None when it shows none (a null)."""
    if isinstance(value, GroundedUserValue):
        value = value.value
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, float | int):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


class FieldsSeen:
    """The user fields of a run's records, learnt as they stream by (one entry per name)."""

    def __init__(self, spec: FieldsSpec | None = None) -> None:
        self.spec = spec
        self._known = {f.name for f in spec.fields} if spec is not None else set()
        self._types: dict[str, FieldType | None] = {}  # None while only nulls were seen
        self._evidence: set[str] = set()

    def add(self, record: Record) -> None:
        """Note the user fields of one record."""
        for name, value in (record.fields.model_extra or {}).items():
            if name in self._known:
                continue
            if self._types.get(name) is None:
                self._types[name] = _type_of(value)
            if isinstance(value, GroundedUserValue):
                self._evidence.add(name)

    def fields(self, warn: Callable[[str], None] | None = None) -> tuple[FieldSpec, ...]:
        """The run's user fields: the spec's, then those only the records have.

        A field only the records have, whose every value was null, reads as a ``string``.

        Args:
            warn: Called with a one-line message for each field left out.
        """
        found = list(self.spec.fields) if self.spec is not None else []
        for name, kind in self._types.items():
            problem = name_problem(name)
            if problem is not None:
                if warn is not None:
                    warn(f"records field {name!r} is left out of comparisons: {problem}")
                continue
            chosen: FieldType = kind or "string"
            evidence = chosen == "list" or name in self._evidence
            found.append(FieldSpec(name, chosen, evidence=evidence))
        return tuple(found)
