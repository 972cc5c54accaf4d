"""Plain tables for terminal and text output: a rich table, Markdown, CSV or JSON rows.

:class:`Table` is the small shape that ``paperfields compare`` prints: a title,
column names and rows of text cells (a cell may hold several lines). The CSV
form is spreadsheet-safe (see :mod:`paperfields.io.cells`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from rich.table import Table as RichTable
from rich.text import Text

from ..io.cells import neutralize_cell

__all__ = ["Table", "to_csv", "to_markdown", "to_rich"]


@dataclass(slots=True)
class Table:
    """A titled grid of text cells; ``rows`` have one cell per column."""

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


def to_rich(table: Table) -> RichTable:
    """Build a rich table (the ``--format table`` output)."""
    rich_table = RichTable(title=table.title, show_lines=True, title_justify="left")
    for column in table.columns:
        rich_table.add_column(column, overflow="fold")
    for row in table.rows:
        rich_table.add_row(*(Text(cell) for cell in row))
    return rich_table


def _markdown_cell(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(text.replace("\r", "").split("\n"))


def to_markdown(table: Table) -> str:
    """Render a GitHub-flavoured Markdown table, with the title as a heading."""
    lines = [f"### {_markdown_cell(table.title)}", ""] if table.title else []
    lines.append("| " + " | ".join(_markdown_cell(c) for c in table.columns) + " |")
    lines.append("|" + "|".join(" --- " for _ in table.columns) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(_markdown_cell(c) for c in row) + " |")
    return "\n".join(lines) + "\n"


def to_csv(table: Table) -> str:
    """Render CSV text (header row first); multi-line cells are joined with "; "."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralize_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([neutralize_cell("; ".join(c.split("\n"))) for c in row])
    return buffer.getvalue()
