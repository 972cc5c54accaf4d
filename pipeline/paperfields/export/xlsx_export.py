"""XLSX export (openpyxl, write-only mode): one sheet per table, a Run sheet and a datasets matrix.

Sheets: Papers; Tasks, Methods, Datasets, Metrics with one row per paper per
canonical entity (the spellings as written in ``variants``; metric values with
their ``number`` as a number cell); one sheet per user list field, named after
it ("Limitations"), in the same shape; Claims; Run (the provenance); and
"Datasets matrix" (papers x the most shared datasets). User scalars are
columns of Papers: a number a number cell, a boolean a boolean cell
(:mod:`paperfields.export.layout`). The long facts table and
the mention-level tables are in the CSV, SQLite and Parquet exports, where
their size is no problem. Every sheet has a bold header row that stays frozen
while scrolling, an autofilter over the whole table, column widths chosen per
column, and wrapped, top-aligned long text. Paper ids that are arXiv ids link
to the arXiv abstract page. Text cells are spreadsheet-safe
(:func:`paperfields.io.cells.neutralize_cell`), stripped of the control
characters XLSX cannot store, and cut to Excel's 32,767-character cell limit.

A sheet never passes Excel's 1,048,576 rows: the rows that follow go to
"Methods (2)", "Methods (3)" ... with the same header. Only the wrapped text
columns and links carry a cell style (a styled cell costs three plain ones),
and rows stream into openpyxl's write-only workbook, so memory stays flat
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
from .layout import export_layout
from .provenance import ProvenanceCollector
from .result import ExportResult
from .rows import PAPERS_TABLE, Cell, Column

if TYPE_CHECKING:
    from ..compare.index import RunIndex
    from ..compare.views import Group

__all__ = ["MATRIX_COLUMNS", "MATRIX_SHEET", "MAX_ROWS", "write_xlsx", "xlsx_cell"]

MATRIX_SHEET = "Datasets matrix"
MATRIX_COLUMNS = 200  # the most shared datasets that get a matrix column
MAX_CELL_CHARS = 32_767
MAX_ROWS = 1_048_576 - 1  # Excel's rows per sheet, less the header

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_WRAP = Alignment(wrap_text=True, vertical="top")
_LINK_FONT = Font(color="0563C1", underline="single")


def xlsx_cell(value: Cell) -> Cell:
    """Make one value storable and safe: text neutralised, cleaned and cut to the limit."""
    if not isinstance(value, str):
        return value
    text = neutralize_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


class _Sheet:
    """One table as write-only sheets: header and layout up front, a new part past the limit."""

    def __init__(self, workbook: Any, title: str, columns: list[Column], freeze: str = "A2"):
        self.workbook = workbook
        self.title = title
        self.columns = columns
        self.freeze = freeze
        self.rows = 0  # over every part
        self.parts: list[tuple[Any, int]] = []  # (sheet, rows in it)
        self._wrap = [c.wrap for c in columns]
        self._new_part()

    def _new_part(self) -> None:
        if self.parts:
            self._filter(*self.parts[-1])
        title = self.title if not self.parts else f"{self.title} ({len(self.parts) + 1})"
        sheet = self.workbook.create_sheet(title)
        for number, column in enumerate(self.columns, 1):
            sheet.column_dimensions[get_column_letter(number)].width = column.width
        sheet.freeze_panes = self.freeze
        header = []
        for column in self.columns:
            cell = WriteOnlyCell(sheet, value=xlsx_cell(column.name))
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            header.append(cell)
        sheet.append(header)
        self.parts.append((sheet, 0))

    def append(
        self, values: list[Cell] | tuple[Cell, ...], links: dict[int, str] | None = None
    ) -> None:
        """Append one row; ``links`` maps 0-based column positions to URLs."""
        sheet, count = self.parts[-1]
        if count >= MAX_ROWS:
            self._new_part()
            sheet, count = self.parts[-1]
        cells: list[Any] = []
        for position, value in enumerate(values):
            url = links.get(position) if links else None
            if self._wrap[position] or url:
                cell = WriteOnlyCell(sheet, value=xlsx_cell(value))
                if self._wrap[position]:
                    cell.alignment = _WRAP
                if url and url.startswith(("https://", "http://")):
                    cell.hyperlink = url
                    cell.font = _LINK_FONT
                cells.append(cell)
            else:
                cells.append(xlsx_cell(value))
        sheet.append(cells)
        self.parts[-1] = (sheet, count + 1)
        self.rows += 1

    def _filter(self, sheet: Any, rows: int) -> None:
        last = get_column_letter(max(len(self.columns), 1))
        sheet.auto_filter.ref = f"A1:{last}{rows + 1}"

    def finish(self) -> None:
        """Put the autofilter over the header and every row of the last part."""
        self._filter(*self.parts[-1])


class _MatrixCells:
    """The datasets matrix, collected while streaming: per paper, its dataset keys and cells."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, dict[str, str]]] = []

    def add(self, paper_id: str, title: str, datasets: list[Any]) -> None:
        cells: dict[str, str] = {}
        for mention in datasets:
            roles = cells.get(mention.key, "✓").split()[1:]
            if mention.role and mention.role != "unknown" and mention.role not in roles:
                roles.append(mention.role)
            cells[mention.key] = " ".join(["✓", *sorted(roles)])
        if cells:
            self.rows.append((paper_id, title, cells))

    def write(self, workbook: Any, columns: list[Group]) -> int:
        header = [Column("paper_id", width=26), Column("title", width=40, wrap=True)]
        header += [Column(g.value, width=max(8, min(len(g.value) + 2, 24))) for g in columns]
        sheet = _Sheet(workbook, MATRIX_SHEET, header, freeze="C2")
        keys = [g.key for g in columns]
        for paper_id, title, cells in self.rows:
            if any(k in cells for k in keys):
                sheet.append([paper_id, title, *(cells.get(k) for k in keys)])
        sheet.finish()
        return sheet.rows


def write_xlsx(index: RunIndex, path: Path) -> ExportResult:
    """Write the workbook to ``path`` (replaced when it exists).

    Args:
        index: The indexed run.
        path: The ``.xlsx`` file to write; its folder is created.

    Returns:
        The file written and the row count per sheet (every part of a split sheet).
    """
    workbook = Workbook(write_only=True)
    layout = export_layout(index.user_fields)
    sheets = {spec.name: _Sheet(workbook, spec.sheet, list(spec.columns)) for spec in layout.sheets}
    url_position = PAPERS_TABLE.column_names.index("url")
    provenance = ProvenanceCollector()
    datasets = index.group_collectors(["datasets"])["datasets"]
    matrix = _MatrixCells()
    for position, record, mentions in index.iter_mentions():
        provenance.add(record)
        datasets.add(position, mentions["datasets"])
        matrix.add(record.id, record.title, mentions["datasets"])
        tables = layout.rows(record, mentions)
        for name, sheet in sheets.items():
            for row in tables[name]:
                url = row[url_position] if name == "papers" else None
                links = {0: url, url_position: url} if isinstance(url, str) else None
                sheet.append(row, links)
    for sheet in sheets.values():
        sheet.finish()
    result = ExportResult(format="xlsx", rows={name: s.rows for name, s in sheets.items()})
    run = _Sheet(workbook, "Run", [Column("key", width=24), Column("value", width=80, wrap=True)])
    for key, value in provenance.rows(index.run_dir, index.records_path, result.rows, index.failed):
        run.append([key, value])
    run.finish()
    columns = datasets.groups(min_papers=1, limit=MATRIX_COLUMNS)
    result.rows["datasets_matrix"] = matrix.write(workbook, columns)
    with replacing(path) as tmp:
        workbook.save(tmp)
    result.paths.append(path)
    result.papers = result.rows["papers"]
    return result
