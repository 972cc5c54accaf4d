"""Export a run to files other tools open: CSV, XLSX, SQLite, Parquet and an interactive report.

:func:`export_run` indexes the run folder once (canonical names), then streams
the records, one at a time, into the chosen format, so memory stays flat in
the number of papers. Every format shares the row model of
:mod:`paperfields.export.rows` and :mod:`paperfields.export.entities`, with
the run's user-defined fields added by :mod:`paperfields.export.layout`; CSV and
XLSX cells are made spreadsheet-safe by :mod:`paperfields.io.cells`. Without an
explicit output path the files go to ``RUN_DIR/export/`` (:func:`default_output`).
The format writers are imported only when used, so reading a run does not load
openpyxl, and Parquet needs the optional pyarrow only when chosen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from ..io.atomic import prepare_target
from ..names.canonical import AliasTable
from .result import ExportResult

__all__ = ["EXPORT_FORMATS", "ExportFormat", "ExportResult", "default_output", "export_run"]

ExportFormat = Literal["csv", "xlsx", "sqlite", "html", "parquet"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx", "sqlite", "html", "parquet")

_DEFAULT_NAMES: dict[str, str] = {
    "csv": "csv",
    "xlsx": "records.xlsx",
    "sqlite": "records.sqlite",
    "html": "report.html",
    "parquet": "parquet",
}


def default_output(run_dir: Path, fmt: str) -> Path:
    """Where ``fmt`` goes without ``-o``: ``RUN_DIR/export/`` (a folder for CSV and Parquet)."""
    return run_dir / "export" / _DEFAULT_NAMES[fmt]


def export_run(
    path: str | Path,
    fmt: ExportFormat,
    *,
    out: str | Path | None = None,
    aliases: AliasTable | None = None,
) -> ExportResult:
    """Export a run folder (or its ``records.jsonl``) to one format.

    Args:
        path: The run folder, or a records file.
        fmt: ``csv`` (a folder of CSV files), ``xlsx``, ``sqlite``, ``html`` or
            ``parquet`` (a folder; needs the optional pyarrow).
        out: The output file (folder for CSV and Parquet); default :func:`default_output`.
        aliases: User aliases for canonical names.

    Returns:
        The paths written and the counts.

    Raises:
        InputError: The run folder or records file is missing.
        ConfigError: Parquet was chosen and pyarrow is not installed.
        ValueError: ``fmt`` is not one of :data:`EXPORT_FORMATS`.
    """
    from ..compare.index import open_run

    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    index = open_run(path, aliases=aliases)
    target = Path(out) if out is not None else default_output(index.run_dir, fmt)
    prepare_target(target, folder=fmt == "csv")  # before any work: one clear error
    if fmt == "csv":
        from .csv_export import write_csv

        return write_csv(index, target)
    if fmt == "xlsx":
        from .xlsx_export import write_xlsx

        return write_xlsx(index, target)
    if fmt == "sqlite":
        from .sqlite_export import write_sqlite

        return write_sqlite(index, target)
    if fmt == "parquet":
        from .parquet_export import write_parquet

        return write_parquet(index, target)
    from .html_report import write_report

    return write_report(index, target)
