"""XLSX export (openpyxl, write-only mode): one sheet per table plus a papers x datasets matrix.

Sheets: Papers, Tasks, Methods, Datasets, Metrics, Claims and "Datasets
matrix". Every sheet has a bold header row that stays frozen while scrolling,
an autofilter over the whole table, column widths chosen per column, and
wrapped, top-aligned long text (evidence, titles, abstracts). Paper ids that
are arXiv ids link to the arXiv abstract page. Text cells are spreadsheet-safe
(:func:`paperfields.io.cells.neutralize_cell`), stripped of the control
characters XLSX cannot store, and cut to Excel's 32,767-character cell limit.

Rows are streamed into openpyxl's write-only workbook, so memory stays flat
however many papers the run has; the workbook is saved beside the target and
moved into place when complete.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..io.atomic import replacing
from ..io.cells import neutralize_cell
from ..schemas import FIELD_NAMES
from .result import ExportResult
from .rows import FIELD_TABLES, PAPERS_TABLE, Cell, Column, TableSpec, field_rows, paper_row

if TYPE_CHECKING:
    from ..compare.index import RunIndex

__all__ = ["MATRIX_SHEET", "write_xlsx", "xlsx_cell"]

MATRIX_SHEET = "Datasets matrix"
MAX_CELL_CHARS = 32_767

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_LINK_FONT = Font(color="0563C1", underline="single")


def xlsx_cell(value: Cell) -> Cell:
    """Make one value storable and safe: text neutralised, cleaned and cut to the limit."""
    if not isinstance(value, str):
        return value
    text = neutralize_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


class _Sheet:
    """One write-only sheet: header and layout set up front, rows appended, filter at the end."""

    def __init__(self, workbook: Any, title: str, columns: list[Column], freeze: str = "A2"):
        self.sheet = workbook.create_sheet(title)
        self.columns = columns
        self.rows = 0
        for number, column in enumerate(columns, 1):
            self.sheet.column_dimensions[get_column_letter(number)].width = column.width
        self.sheet.freeze_panes = freeze
        header = []
        for column in columns:
            cell = WriteOnlyCell(self.sheet, value=xlsx_cell(column.name))
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            header.append(cell)
        self.sheet.append(header)

    def append(self, values: list[Cell], links: dict[int, str] | None = None) -> None:
        """Append one row; ``links`` maps 0-based column positions to URLs."""
        cells = []
        for position, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            cell = WriteOnlyCell(self.sheet, value=xlsx_cell(value))
            cell.alignment = _WRAP if column.wrap else _TOP
            url = (links or {}).get(position)
            if url and url.startswith(("https://", "http://")):
                cell.hyperlink = url
                cell.font = _LINK_FONT
            cells.append(cell)
        self.sheet.append(cells)
        self.rows += 1

    def finish(self) -> None:
        """Put the autofilter over the header and every row."""
        last = get_column_letter(max(len(self.columns), 1))
        self.sheet.auto_filter.ref = f"A1:{last}{self.rows + 1}"


def _write_matrix(workbook: Any, index: RunIndex) -> int:
    matrix = index.matrix("datasets")
    columns = [Column("paper_id", width=26), Column("title", width=40, wrap=True)]
    columns += [Column(g.value, width=max(8, min(len(g.value) + 2, 24))) for g in matrix.columns]
    sheet = _Sheet(workbook, MATRIX_SHEET, columns, freeze="C2")
    for paper in matrix.papers:
        cells = matrix.cells[paper.id]
        sheet.append([paper.id, paper.title, *(cells.get(g.key) for g in matrix.columns)])
    sheet.finish()
    return sheet.rows


def write_xlsx(index: RunIndex, path: Path) -> ExportResult:
    """Write the workbook to ``path`` (replaced when it exists).

    Args:
        index: The indexed run.
        path: The ``.xlsx`` file to write; its folder is created.

    Returns:
        The file written and the row count per sheet.
    """
    workbook = Workbook(write_only=True)
    specs: list[TableSpec] = [PAPERS_TABLE, *(FIELD_TABLES[name] for name in FIELD_NAMES)]
    sheets = {spec.name: _Sheet(workbook, spec.sheet, list(spec.columns)) for spec in specs}
    url_position = PAPERS_TABLE.column_names.index("url")
    for record in index.iter_records():
        mentions = index.paper_mentions(record.id)
        row = list(paper_row(record, mentions))
        url = row[url_position]
        links = {0: url, url_position: url} if isinstance(url, str) else None
        sheets["papers"].append(row, links)
        for name in FIELD_NAMES:
            for item_row in field_rows(record, name, mentions[name]):
                sheets[name].append(list(item_row))
    for sheet in sheets.values():
        sheet.finish()
    result = ExportResult(format="xlsx", rows={name: s.rows for name, s in sheets.items()})
    result.rows["datasets_matrix"] = _write_matrix(workbook, index)
    with replacing(path) as tmp:
        workbook.save(tmp)
    result.paths.append(path)
    result.papers = result.rows["papers"]
    return result
