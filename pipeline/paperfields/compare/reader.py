"""Streaming a run's ``records.jsonl``: one validated record at a time, bad lines reported.

:func:`read_records` validates each line straight from its JSON text
(pydantic's parser, several times faster than ``json.loads`` then
validation) and yields ``(line_number, record)``; a line that is not JSON, not
an object or not a valid record is reported through ``on_invalid`` as
``"file:line: reason"`` and skipped. ``lines`` restricts the pass to chosen
line numbers (the last line of each paper id). Records written before metric
values were parsed get their ``number``, ``unit`` and ``kind`` here
(:func:`~paperfields.names.values.parse_metric_values`), so every command sees
them. Nothing is held between records.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Container, Iterator
from pathlib import Path

from pydantic import ValidationError

from ..names.values import parse_metric_values
from ..schemas import Record

__all__ = ["invalid_message", "read_records"]


def invalid_message(path: Path, line: int, what: str, error: ValidationError) -> str:
    """``"file:line: not a valid <what> (<where>: <message>)"`` for a validation error."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{path}:{line}: not a valid {what} ({where}: {first['msg']})"


def _problem(path: Path, number: int, text: bytes, error: ValidationError) -> str:
    try:
        obj = json.loads(text.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as e:
        return f"{path}:{number}: invalid JSON ({e.msg})"
    if not isinstance(obj, dict):
        return f"{path}:{number}: expected a JSON object"
    return invalid_message(path, number, "record", error)


def read_records(
    path: Path,
    *,
    on_invalid: Callable[[str], None] | None = None,
    lines: Container[int] | None = None,
) -> Iterator[tuple[int, Record]]:
    """Yield ``(line_number, record)`` for each valid record line of a ``records.jsonl``.

    Args:
        path: The records file.
        on_invalid: Called with ``"file:line: reason"`` for each line skipped.
        lines: Only these line numbers (others are not even parsed).

    Raises:
        OSError: The file cannot be read.
    """
    with open(path, "rb") as fp:
        for number, text in enumerate(fp, start=1):
            if lines is not None and number not in lines:
                continue
            if not text.strip():
                continue
            try:
                record = Record.model_validate_json(text)
            except ValidationError as e:
                try:  # bytes that are not UTF-8 are replaced, as everywhere in run folders
                    record = Record.model_validate_json(text.decode("utf-8", errors="replace"))
                except ValidationError:
                    if on_invalid is not None:
                        on_invalid(_problem(path, number, text, e))
                    continue
            parse_metric_values(record.fields, only_missing=True)
            yield number, record
