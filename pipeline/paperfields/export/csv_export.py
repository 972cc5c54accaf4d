"""CSV export: a folder with ``papers.csv`` and one long CSV file per field.

Files are UTF-8 with a byte-order mark so spreadsheet programs detect the
encoding, use the csv module's default dialect (comma, ``"`` quoting, CRLF line
ends) and start with a header row. Text cells are spreadsheet-safe
(:func:`paperfields.io.cells.neutralize_cell`); booleans are ``true``/``false``
and missing values are empty. Each file is written beside its final name and
moved into place when complete.
"""

from __future__ import annotations

import csv
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..io.atomic import replacing
from ..io.cells import neutralize_cell
from ..schemas import FIELD_NAMES
from .result import ExportResult
from .rows import FIELD_TABLES, PAPERS_TABLE, Cell, field_rows, paper_row

if TYPE_CHECKING:
    from ..compare.index import RunIndex

__all__ = ["csv_cell", "write_csv"]


def csv_cell(value: Cell) -> str:
    """Format one cell for CSV: safe text, ``true``/``false``, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralize_cell(value)
    return str(value)


def write_csv(index: RunIndex, folder: Path) -> ExportResult:
    """Write ``papers.csv`` and ``<field>.csv`` for every field into ``folder``.

    Args:
        index: The indexed run.
        folder: The output folder (created when missing; existing files replaced).

    Returns:
        The files written and the row counts.
    """
    folder.mkdir(parents=True, exist_ok=True)
    specs = [PAPERS_TABLE, *(FIELD_TABLES[name] for name in FIELD_NAMES)]
    result = ExportResult(format="csv", rows={spec.name: 0 for spec in specs})
    targets = {spec.name: folder / f"{spec.name}.csv" for spec in specs}
    with ExitStack() as stack:
        writers: dict[str, Any] = {}
        for spec in specs:
            tmp = stack.enter_context(replacing(targets[spec.name]))
            fp = stack.enter_context(open(tmp, "w", encoding="utf-8-sig", newline=""))
            writers[spec.name] = csv.writer(fp)
            writers[spec.name].writerow(spec.column_names)
        for record in index.iter_records():
            mentions = index.paper_mentions(record.id)
            writers["papers"].writerow([csv_cell(v) for v in paper_row(record, mentions)])
            result.rows["papers"] += 1
            for name in FIELD_NAMES:
                for row in field_rows(record, name, mentions[name]):
                    writers[name].writerow([csv_cell(v) for v in row])
                    result.rows[name] += 1
    result.paths.extend(targets.values())
    result.papers = result.rows["papers"]
    return result
