"""The row model shared by the CSV, XLSX and SQLite exports.

Every export writes the same tables: ``papers`` (one row per paper, list fields
joined with "; ") and one long table per field (``tasks``, ``methods``,
``datasets``, ``metrics``, ``claims``) with one row per extracted item: the paper
id, the item's position, the name as written beside its canonical form, the
field's own columns (proposed, role, value, kind, ...), the evidence quote and
its ``span_start``/``span_end`` character offsets into the abstract.

Canonical names are not computed again here: they come from the
:class:`~paperfields.compare.index.Mention` objects the run index already holds.
A :class:`TableSpec` describes a table once (column names, SQL types, widths,
which columns wrap and which get an index); the writers only decide how to
store the cells.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..ingest.ids import is_arxiv_id
from ..schemas import (
    FIELD_NAMES,
    GroundedClaim,
    GroundedDataset,
    GroundedMethod,
    GroundedMetric,
    GroundedTask,
    Record,
)

if TYPE_CHECKING:
    from ..compare.index import Mention

__all__ = [
    "FIELD_TABLES",
    "PAPERS_TABLE",
    "Cell",
    "Column",
    "Row",
    "TableSpec",
    "field_rows",
    "paper_row",
    "paper_url",
]

Cell = str | int | float | bool | None
Row = tuple[Cell, ...]
ColumnKind = Literal["text", "int", "bool", "real"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column: name, storage kind, spreadsheet width, wrapping and SQL index."""

    name: str
    kind: ColumnKind = "text"
    width: int = 14
    wrap: bool = False
    index: bool = False


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One exported table: its SQL/CSV name, its sheet title and its columns."""

    name: str
    sheet: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        """The header row."""
        return [c.name for c in self.columns]


_SPAN = (
    Column("evidence", width=60, wrap=True),
    Column("span_start", "int", 10),
    Column("span_end", "int", 10),
    Column("grounded", "bool", 10),
    Column("match", width=11),
)
_ITEM_HEAD = (Column("paper_id", width=26, index=True), Column("position", "int", 9))
_NAMED = (Column("name", width=32, wrap=True), Column("canonical", width=26, index=True))

PAPERS_TABLE = TableSpec(
    "papers",
    "Papers",
    (
        Column("id", width=26),
        Column("title", width=48, wrap=True),
        Column("status", width=9),
        Column("url", width=30),
        Column("summary", width=60, wrap=True),
        Column("tasks", width=36, wrap=True),
        Column("methods", width=36, wrap=True),
        Column("proposed_methods", width=26, wrap=True),
        Column("datasets", width=32, wrap=True),
        Column("metrics", width=36, wrap=True),
        Column("claims", width=60, wrap=True),
        Column("items", "int", 8),
        Column("grounded_items", "int", 10),
        Column("extractor", width=22),
        Column("error", width=40, wrap=True),
        Column("abstract", width=80, wrap=True),
    ),
)

FIELD_TABLES: dict[str, TableSpec] = {
    "tasks": TableSpec("tasks", "Tasks", (*_ITEM_HEAD, *_NAMED, *_SPAN)),
    "methods": TableSpec(
        "methods",
        "Methods",
        (
            *_ITEM_HEAD,
            *_NAMED,
            Column("proposed", "bool", 10),
            Column("description", width=40, wrap=True),
            *_SPAN,
        ),
    ),
    "datasets": TableSpec(
        "datasets", "Datasets", (*_ITEM_HEAD, *_NAMED, Column("role", width=9), *_SPAN)
    ),
    "metrics": TableSpec(
        "metrics",
        "Metrics",
        (
            *_ITEM_HEAD,
            *_NAMED,
            Column("value", width=14),
            Column("dataset", width=24, wrap=True),
            Column("dataset_canonical", width=22, index=True),
            *_SPAN,
        ),
    ),
    "claims": TableSpec(
        "claims",
        "Claims",
        (
            *_ITEM_HEAD,
            Column("text", width=60, wrap=True),
            Column("kind", width=12, index=True),
            *_SPAN,
        ),
    ),  # fmt: skip
}


def paper_url(paper_id: str) -> str | None:
    """Return the arXiv abstract page when ``paper_id`` is an arXiv id, else None."""
    if is_arxiv_id(paper_id):
        return f"https://arxiv.org/abs/{paper_id}"
    return None


def _unique(values: list[str]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def paper_row(record: Record, mentions: Mapping[str, Sequence[Mention]]) -> Row:
    """The ``papers`` row of one record (canonical names, de-duplicated, joined with "; ").

    Args:
        record: The paper's record.
        mentions: Its items with their canonical names, by field
            (:meth:`paperfields.compare.index.RunIndex.paper_mentions`).
    """
    fields = record.fields
    metrics = []
    for metric, mention in zip(fields.metrics, mentions["metrics"], strict=True):
        text = mention.canonical + (f" = {metric.value}" if metric.value else "")
        metrics.append(text + (f" on {mention.dataset}" if metric.dataset else ""))
    items = sum(len(getattr(fields, name)) for name in FIELD_NAMES)
    return (
        record.id,
        record.title,
        record.status,
        paper_url(record.id),
        fields.summary,
        _unique([m.canonical for m in mentions["tasks"]]),
        _unique([m.canonical for m in mentions["methods"]]),
        _unique([m.canonical for m in mentions["methods"] if m.proposed]),
        _unique([m.canonical for m in mentions["datasets"]]),
        _unique(metrics),
        _unique([c.text for c in fields.claims]),
        items,
        record.grounding.grounded,
        record.provenance.extractor,
        record.error,
        record.abstract,
    )


def _span(
    item: GroundedTask | GroundedMethod | GroundedDataset | GroundedMetric | GroundedClaim,
) -> Row:
    start, end = item.span if item.span is not None else (None, None)
    return (item.evidence, start, end, item.grounded, item.match)


def field_rows(record: Record, field_name: str, mentions: Sequence[Mention]) -> list[Row]:
    """The rows of one field table for one record, in item order (position from 1).

    Args:
        record: The paper's record.
        field_name: One of ``tasks``, ``methods``, ``datasets``, ``metrics``, ``claims``.
        mentions: The record's mentions of that field, one per item, in item order.

    Raises:
        ValueError: ``field_name`` is not a field.
    """
    pid, fields = record.id, record.fields
    rows: list[Row] = []
    if field_name == "tasks":
        for pos, (task, m) in enumerate(zip(fields.tasks, mentions, strict=True), 1):
            rows.append((pid, pos, task.name, m.canonical, *_span(task)))
    elif field_name == "methods":
        for pos, (method, m) in enumerate(zip(fields.methods, mentions, strict=True), 1):
            own = (method.proposed, method.description)
            rows.append((pid, pos, method.name, m.canonical, *own, *_span(method)))
    elif field_name == "datasets":
        for pos, (dataset, m) in enumerate(zip(fields.datasets, mentions, strict=True), 1):
            rows.append((pid, pos, dataset.name, m.canonical, dataset.role, *_span(dataset)))
    elif field_name == "metrics":
        for pos, (metric, m) in enumerate(zip(fields.metrics, mentions, strict=True), 1):
            extra = (metric.value, metric.dataset, m.dataset or None)
            rows.append((pid, pos, metric.name, m.canonical, *extra, *_span(metric)))
    elif field_name == "claims":
        for pos, claim in enumerate(fields.claims, 1):
            rows.append((pid, pos, claim.text, claim.kind, *_span(claim)))
    else:
        raise ValueError(f"unknown field {field_name!r}")
    return rows
