"""CSV export: a folder with one CSV file per exported table, written in one streamed pass.

Files (see :mod:`paperfields.export.rows`): ``papers.csv``; ``tasks.csv``,
``methods.csv``, ``datasets.csv``, ``metrics.csv`` with one row per paper per
canonical entity (metrics with ``number``, ``unit``, ``kind``, ``direction``
and ``method``); ``claims.csv``; ``facts.csv``, the long table across fields;
``task_mentions.csv`` ... ``metric_mentions.csv`` with one row per extracted
item; for each user list field ``<name>.csv`` and ``<name>_mentions.csv``
(user scalars are columns of ``papers.csv``: :mod:`paperfields.export.layout`);
and ``run.csv``, the provenance (key, value). Files are UTF-8 with a
byte-order mark so spreadsheet programs detect the encoding, use the csv
module's default dialect (comma, ``"`` quoting, CRLF line ends) and start with
a header row. Text cells are spreadsheet-safe
(:func:`paperfields.io.cells.neutralize_cell`); booleans are ``true``/``false``,
missing values are empty, numbers are written as Python prints them. Records
stream from the run folder one at a time, so memory stays flat; each file is
written beside its final name and moved into place when complete.
"""

from __future__ import annotations

import csv
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..io.atomic import replacing
from ..io.cells import neutralize_cell
from .layout import export_layout
from .provenance import ProvenanceCollector
from .result import ExportResult
from .rows import Cell

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
    """Write one ``<table>.csv`` per exported table, and ``run.csv``, into ``folder``.

    Args:
        index: The indexed run.
        folder: The output folder (created when missing; existing files replaced).

    Returns:
        The files written and the row counts.
    """
    folder.mkdir(parents=True, exist_ok=True)
    layout = export_layout(index.user_fields)
    result = ExportResult(format="csv", rows={spec.name: 0 for spec in layout.tables})
    targets = {spec.name: folder / f"{spec.name}.csv" for spec in layout.tables}
    provenance = ProvenanceCollector()
    with ExitStack() as stack:
        writers: dict[str, Any] = {}
        for spec in layout.tables:
            tmp = stack.enter_context(replacing(targets[spec.name]))
            fp = stack.enter_context(open(tmp, "w", encoding="utf-8-sig", newline=""))
            writers[spec.name] = csv.writer(fp)
            writers[spec.name].writerow(spec.column_names)
        for _, record, mentions in index.iter_mentions():
            provenance.add(record)
            for name, rows in layout.rows(record, mentions).items():
                writers[name].writerows([csv_cell(v) for v in row] for row in rows)
                result.rows[name] += len(rows)
        run_target = folder / "run.csv"
        with replacing(run_target) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fp:
            writer = csv.writer(fp)
            writer.writerow(["key", "value"])
            run = provenance.rows(index.run_dir, index.records_path, result.rows, index.failed)
            writer.writerows([csv_cell(key), csv_cell(value)] for key, value in run)
    result.paths.extend(targets.values())
    result.paths.append(run_target)
    result.papers = result.rows["papers"]
    return result
