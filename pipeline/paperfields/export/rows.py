"""The table specs every export shares, and the rows of the papers and mention-level tables.

Every export writes the same tables (:data:`EXPORT_TABLES`):

* ``papers`` - one row per paper, list fields as canonical names joined with "; ";
* ``tasks``, ``methods``, ``datasets``, ``metrics`` - one row per paper per
  canonical entity (:mod:`paperfields.export.entities`): a paper that writes both
  "Massive Text Embedding Benchmark" and "MTEB" has one MTEB row, with both
  spellings in ``variants``; metrics are one row per paper, metric, dataset and
  value, with the value parsed (``number``, ``unit``, ``kind``), the metric's
  better ``direction`` and the ``method`` the value belongs to;
* ``claims`` - one row per claim;
* ``facts`` - one long table across fields (paper, field, canonical name,
  value, number, evidence, span) for pandas and pivot tables;
* ``task_mentions`` ... ``metric_mentions`` - one row per extracted item, as
  the model wrote it, for those who want every mention.

A run with user-defined fields adds to these (:mod:`paperfields.export.layout`):
a user list field gets an entity table and a mention table in the shape of
``tasks`` (:data:`ENTITY_COLUMNS`, :data:`MENTION_COLUMNS`), every user field a
column on ``papers``.

Canonical names are not computed again here: they come from the
:class:`~paperfields.compare.views.Mention` objects of the run index. A
:class:`TableSpec` describes a table once (column names, SQL types, widths,
which columns wrap and which get an index); the writers only decide how to
store the cells.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..ingest.ids import is_arxiv_id
from ..schemas import FIELD_NAMES, GroundedUserValue, Record

if TYPE_CHECKING:
    from ..compare.views import Mention

__all__ = [
    "CLAIMS_TABLE",
    "ENTITY_COLUMNS",
    "ENTITY_TABLES",
    "EXPORT_TABLES",
    "FACTS_TABLE",
    "MENTION_COLUMNS",
    "MENTION_TABLES",
    "PAPERS_TABLE",
    "Cell",
    "Column",
    "Row",
    "TableSpec",
    "mention_rows",
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
_ENTITY_SPAN = (Column("mentions", "int", 9), *_SPAN[:4])
_PAPER = Column("paper_id", width=26, index=True)
_ITEM_HEAD = (_PAPER, Column("position", "int", 9))
_NAMED = (Column("name", width=32, wrap=True), Column("canonical", width=26, index=True))
_ENTITY_HEAD = (_PAPER, Column("canonical", width=26, index=True),
                Column("variants", width=32, wrap=True))  # fmt: skip
_PARSED = (Column("number", "real", 10), Column("unit", width=8), Column("kind", width=10))
ENTITY_COLUMNS: tuple[Column, ...] = (*_ENTITY_HEAD, *_ENTITY_SPAN)
"""The columns of a plain entity table (``tasks``, and each user list field's)."""
MENTION_COLUMNS: tuple[Column, ...] = (*_ITEM_HEAD, *_NAMED, *_SPAN)
"""The columns of a plain mention table (``task_mentions``, ``<user field>_mentions``)."""

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

ENTITY_TABLES: dict[str, TableSpec] = {
    "tasks": TableSpec("tasks", "Tasks", ENTITY_COLUMNS),
    "methods": TableSpec(
        "methods",
        "Methods",
        (*_ENTITY_HEAD, Column("proposed", "bool", 10),
         Column("description", width=40, wrap=True), *_ENTITY_SPAN),
    ),  # fmt: skip
    "datasets": TableSpec(
        "datasets", "Datasets", (*_ENTITY_HEAD, Column("role", width=9), *_ENTITY_SPAN)
    ),
    "metrics": TableSpec(
        "metrics",
        "Metrics",
        (*_ENTITY_HEAD, Column("value", width=14), *_PARSED, Column("direction", width=10),
         Column("dataset_canonical", width=22, index=True),
         Column("dataset", width=24, wrap=True), Column("method", width=24, wrap=True),
         Column("method_source", width=12), *_ENTITY_SPAN),
    ),  # fmt: skip
}

CLAIMS_TABLE = TableSpec(
    "claims",
    "Claims",
    (*_ITEM_HEAD, Column("text", width=60, wrap=True), Column("kind", width=12, index=True),
     *_SPAN),
)  # fmt: skip

FACTS_TABLE = TableSpec(
    "facts",
    "Facts",
    (_PAPER, Column("field", width=9, index=True), Column("canonical", width=26, index=True),
     Column("name", width=32, wrap=True), Column("detail", width=16),
     Column("value", width=14), *_PARSED, Column("evidence", width=60, wrap=True),
     Column("span_start", "int", 10), Column("span_end", "int", 10)),
)  # fmt: skip

MENTION_TABLES: dict[str, TableSpec] = {
    "tasks": TableSpec("task_mentions", "Task mentions", MENTION_COLUMNS),
    "methods": TableSpec(
        "method_mentions",
        "Method mentions",
        (*_ITEM_HEAD, *_NAMED, Column("proposed", "bool", 10),
         Column("description", width=40, wrap=True), *_SPAN),
    ),  # fmt: skip
    "datasets": TableSpec(
        "dataset_mentions",
        "Dataset mentions",
        (*_ITEM_HEAD, *_NAMED, Column("role", width=9), *_SPAN),
    ),
    "metrics": TableSpec(
        "metric_mentions",
        "Metric mentions",
        (*_ITEM_HEAD, *_NAMED, Column("value", width=14), *_PARSED,
         Column("dataset", width=24, wrap=True),
         Column("dataset_canonical", width=22, index=True), *_SPAN),
    ),  # fmt: skip
}

EXPORT_TABLES: tuple[TableSpec, ...] = (
    PAPERS_TABLE,
    *ENTITY_TABLES.values(),
    CLAIMS_TABLE,
    FACTS_TABLE,
    *MENTION_TABLES.values(),
)


def paper_url(paper_id: str) -> str | None:
    """Return the arXiv abstract page when ``paper_id`` is an arXiv id, else None."""
    if is_arxiv_id(paper_id):
        return f"https://arxiv.org/abs/{paper_id}"
    return None


def _unique(values: list[str]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def paper_row(record: Record, mentions: Mapping[str, Sequence[Mention]]) -> Row:
    """The ``papers`` row of one record (canonical names, de-duplicated, joined with "; ").

    ``items`` counts every item that carries evidence, user fields' too (as
    ``grounding`` counts them); the user fields' own columns come from
    :mod:`paperfields.export.layout`.

    Args:
        record: The paper's record.
        mentions: Its items with their canonical names, by field
            (:meth:`paperfields.compare.index.RunIndex.mentions_of`).
    """
    fields = record.fields
    metrics = []
    for m in mentions["metrics"]:
        text = m.canonical + (f" = {m.value}" if m.value else "")
        metrics.append(text + (f" on {m.dataset}" if m.dataset else ""))
    items = sum(len(getattr(fields, name)) for name in FIELD_NAMES)
    for value in (fields.model_extra or {}).values():  # user fields: as grounding counts them
        if isinstance(value, list):
            items += len(value)
        elif isinstance(value, GroundedUserValue) and value.evidence:
            items += 1
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


def _span(m: Mention) -> Row:
    start, end = m.span if m.span is not None else (None, None)
    return (m.evidence, start, end, m.grounded, m.match)


def mention_rows(paper_id: str, field_name: str, mentions: Sequence[Mention]) -> list[Row]:
    """The rows of one mention-level table (claims: the ``claims`` table) for one paper.

    A user list field's rows have the shape of ``task_mentions``.

    Args:
        paper_id: The paper's id.
        field_name: One of ``tasks``, ``methods``, ``datasets``, ``metrics``,
            ``claims``, or a user list field.
        mentions: The paper's mentions of that field, in item order (position from 1).
    """
    rows: list[Row] = []
    for pos, m in enumerate(mentions, 1):
        head: Row = (paper_id, pos, m.name, m.canonical)
        if field_name == "methods":
            rows.append((*head, m.proposed, m.description, *_span(m)))
        elif field_name == "datasets":
            rows.append((*head, m.role, *_span(m)))
        elif field_name == "metrics":
            parsed = (m.value, m.number, m.unit, m.value_kind, m.dataset_written, m.dataset)
            rows.append((*head, *parsed, *_span(m)))
        elif field_name == "claims":
            rows.append((paper_id, pos, m.name, m.kind, *_span(m)))
        else:
            rows.append((*head, *_span(m)))
    return rows
