"""Plain tables for terminal and text output: a rich table that fits, Markdown, CSV.

:class:`Table` is the small shape that ``paperfields compare`` prints: a title,
column names and rows of text cells (a cell may hold several lines). The CSV
form is spreadsheet-safe (see :mod:`paperfields.io.cells`). Markdown and CSV are
always complete; :func:`fit_table` makes the terminal form fit a width by
keeping the first columns that fit and cutting long cells, and says what it
left out, so a 30-column matrix or a 40-sentence cell never turns into
letter-wide columns.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from rich.table import Table as RichTable
from rich.text import Text

from ..io.cells import neutralize_cell

__all__ = ["Table", "fit_table", "to_csv", "to_markdown", "to_rich"]

MIN_COLUMN = 8  # narrowest readable column, in characters
_BORDER = 3  # a rich column's padding and rule


@dataclass(slots=True)
class Table:
    """A titled grid of text cells; ``rows`` have one cell per column."""

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _cut(text: str, limit: int) -> str:
    lines = text.split("\n")
    cut = [line if len(line) <= limit else line[: limit - 1] + "…" for line in lines[:6]]
    if len(lines) > 6:
        cut.append(f"(+{len(lines) - 6} more)")
    return "\n".join(cut)


def _natural(table: Table, column: int) -> int:
    widest = max(
        (len(line) for row in table.rows for line in row[column].split("\n")), default=0
    )
    return max(len(table.columns[column]), widest)


def fit_table(table: Table, width: int) -> tuple[Table, list[str]]:
    """A copy of ``table`` that fits ``width`` terminal columns, and notes on what was left out.

    Columns are kept from the left while each can get at least ``MIN_COLUMN``
    characters (the first one at most a third of the width); cells longer than
    their share are cut with "…", and a cell of more than six lines is cut too.

    Args:
        table: The complete table.
        width: The terminal width in characters.

    Returns:
        The fitted table and zero or more one-line notes.
    """
    notes: list[str] = []
    if not table.columns:
        return table, notes
    naturals = [_natural(table, c) for c in range(len(table.columns))]
    first = min(naturals[0], max(MIN_COLUMN, width // 3))
    budget = width - 4 - first - _BORDER
    keep = 1
    for column in range(1, len(table.columns)):
        need = min(naturals[column], max(MIN_COLUMN, len(table.columns[column]))) + _BORDER
        if budget - need < 0:
            break
        budget -= need
        keep += 1
    if keep < len(table.columns):
        notes.append(
            f"showing {keep - 1} of {len(table.columns) - 1} value columns to fit "
            f"{width} characters; --format csv or md lists them all"
        )
    shares = [first]
    if keep > 1:
        room = max(width - 4 - first - _BORDER * keep, MIN_COLUMN * (keep - 1))
        total = sum(naturals[1:keep]) or 1
        shares += [max(MIN_COLUMN, min(n, room * n // total)) for n in naturals[1:keep]]
    rows, cut = [], False
    for row in table.rows:
        cells = []
        for column in range(keep):
            text = _cut(row[column], max(shares[column] * 3, MIN_COLUMN))
            cut = cut or text != row[column]
            cells.append(text)
        rows.append(cells)
    if cut:
        notes.append("long cells are cut (…); --format csv or md has the full text")
    return Table(table.title, table.columns[:keep], rows), notes


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
