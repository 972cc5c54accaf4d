"""The ``export`` command: write a run as CSV files, an XLSX workbook, a SQLite database or HTML.

``paperfields export RUN_DIR --format csv|xlsx|sqlite|html|parquet [-o PATH]``
writes to ``RUN_DIR/export/`` unless ``-o`` is given (a folder for CSV and
Parquet, a file otherwise) and prints where the files went, and anything the
export left out (an HTML report past its size limit says which papers).
Errors in the run folder or the alias file, and a Parquet export without
pyarrow, exit with status 2 and a one-line message.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click

from ..export import EXPORT_FORMATS, ExportFormat, export_run
from ..names.canonical import load_aliases
from .common import handle_errors

__all__ = ["commands", "export_command"]


@click.command("export")
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="csv (a folder of CSV files), xlsx, sqlite, html (an interactive self-contained "
    "report) or parquet (a folder; needs pip install 'paperfields[parquet]').",
)
@click.option(
    "-o",
    "--out",
    "output",
    type=click.Path(path_type=Path),
    help="Output file (folder for csv and parquet). Default: RUN_DIR/export/.",
)
@click.option(
    "--aliases",
    type=click.Path(path_type=Path, dir_okay=False),
    help="TOML or JSON file: canonical name -> list of variants.",
)
@handle_errors
def export_command(run_dir: Path, fmt: str, output: Path | None, aliases: Path | None) -> None:
    """Export the records of a run for spreadsheets, databases or a browser.

    RUN_DIR is a folder written by `paperfields run` (or its records.jsonl).
    """
    table = load_aliases(aliases) if aliases else None
    result = export_run(run_dir, cast(ExportFormat, fmt), out=output, aliases=table)
    counts = ", ".join(f"{n} {name}" for name, n in result.rows.items() if name != "papers")
    click.echo(f"Exported {result.papers} papers as {fmt} ({counts}):")
    for path in result.paths:
        click.echo(f"  {path}")
    for note in result.notes:
        click.echo(f"note: {note}")


commands: list[click.Command] = [export_command]
