"""Readers for CSV and TSV inputs (formats ``csv`` and ``tsv``), built on the ``csv`` module.

The first row is the header, matched case-insensitively: ``abstract`` (or
``summary``) is required, ``title``, ``id``, ``url``, ``authors`` and
``published`` are optional, other columns are ignored. Quoted fields may span
lines; each record is located at the line where its row starts. An
``authors`` cell is split on ``;`` (or on ``,`` and ``and``). The ``csv``
module's field size limit is raised once to :data:`FIELD_SIZE_LIMIT` so a
long abstract reaches the length check instead of failing as a bad row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from ..errors import InputError
from .records import RawRecord, RecordProblem, record_from_mapping
from .source import InputFile

__all__ = ["ABSTRACT_COLUMNS", "FIELD_SIZE_LIMIT", "read_csv", "read_tsv"]

FIELD_SIZE_LIMIT = 16 * 1024 * 1024
ABSTRACT_COLUMNS = frozenset({"abstract", "summary"})
"""Header names (lowercase) of which a table needs one; format detection sniffs for them."""


def read_csv(source: InputFile) -> Iterator[RawRecord | RecordProblem]:
    """Yield one record per data row of a comma-separated file."""
    return _read_table(source, delimiter=",")


def read_tsv(source: InputFile) -> Iterator[RawRecord | RecordProblem]:
    """Yield one record per data row of a tab-separated file."""
    return _read_table(source, delimiter="\t")


def _read_table(source: InputFile, *, delimiter: str) -> Iterator[RawRecord | RecordProblem]:
    if csv.field_size_limit() < FIELD_SIZE_LIMIT:
        csv.field_size_limit(FIELD_SIZE_LIMIT)
    rows = csv.reader((text for _, text in source.lines(keepends=True)), delimiter=delimiter)
    try:
        header = next(rows)
    except StopIteration:
        raise InputError("no header row", path=source.name, line=1) from None
    except csv.Error as e:
        raise InputError(f"unreadable header row ({e})", path=source.name, line=1) from e
    columns = [cell.strip().lower() for cell in header]
    if not ABSTRACT_COLUMNS & set(columns):
        shown = ", ".join(repr(cell) for cell in header) or "nothing"
        raise InputError(
            f"no 'abstract' (or 'summary') column in the header row; found {shown}",
            path=source.name,
            line=1,
        )
    last_line = rows.line_num
    while True:
        start = last_line + 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as e:
            last_line = rows.line_num
            yield RecordProblem(start, "MalformedRow", f"malformed row ({e})")
            continue
        last_line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            source.warn(start, f"row has {len(row)} fields, the header has {len(columns)}")
        cells: dict[str, str] = {}
        for column, cell in zip(columns, row, strict=False):
            cells.setdefault(column, cell)  # the first of repeated columns wins
        yield record_from_mapping(cells, start)
