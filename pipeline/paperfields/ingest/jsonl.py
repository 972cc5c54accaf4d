"""Reader for JSON Lines inputs (format ``jsonl``): one JSON object per line.

Lines are decoded by :class:`~paperfields.ingest.source.InputFile` and parsed
with the ``jsonlines`` package. An empty line is a warning; a line that is
not valid JSON (truncated, nested too deeply, a number too long to read), or
not an object, is a :class:`RecordProblem` naming the line, and reading goes
on with the next line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import jsonlines

from . import jsontext
from .records import RawRecord, RecordProblem, record_from_mapping
from .source import InputFile

__all__ = ["read_jsonl"]


def read_jsonl(source: InputFile) -> Iterator[RawRecord | RecordProblem]:
    """Yield one record per non-empty line of a JSON Lines file."""
    reader = jsonlines.Reader((text for _, text in source.lines()), loads=jsontext.loads)
    line = 0
    while True:
        line += 1
        try:
            value = reader.read(allow_none=True)
        except EOFError:
            return
        except jsonlines.InvalidLineError as e:
            if not e.line.strip():
                source.warn(e.lineno, "empty line skipped")
                continue
            yield RecordProblem(e.lineno, "InvalidJSON", f"invalid JSON ({_short_cause(e)})")
            continue
        if not isinstance(value, Mapping):
            found = "null" if value is None else type(value).__name__
            yield RecordProblem(line, "NotAnObject", f"expected a JSON object, found {found}")
            continue
        yield record_from_mapping(value, line)


def _short_cause(error: jsonlines.InvalidLineError) -> str:
    cause = error.__cause__
    return jsontext.describe(cause) if cause is not None else str(error)
