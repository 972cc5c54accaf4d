"""The tables of one run's export: the built-in tables plus those of its user-defined fields.

:func:`export_layout` turns a run's user fields
(:attr:`~paperfields.compare.index.RunIndex.user_fields`) into an
:class:`ExportLayout`:

* ``papers`` gets one column per user field, after ``claims``: a list field's
  canonical names joined with "; " (like ``tasks``); a scalar's value, typed - a
  ``number`` is ``real`` (REAL in SQLite, a number cell in XLSX, a double in
  Parquet), a ``boolean`` is ``bool`` (0/1 in SQLite, a boolean cell in XLSX,
  ``true``/``false`` in CSV), a ``string`` or ``enum`` is text - and, for a
  scalar that carries a quote, ``<name>_evidence`` beside it;
* each user list field gets an entity table ``<name>`` (one row per paper per
  canonical name, the shape of ``tasks``) and a mention table
  ``<name>_mentions`` (one row per item as written, the shape of
  ``task_mentions``); in XLSX the entity table is a sheet named after the field;
* ``facts`` gets the user fields too: a list field one row per entity, a scalar
  one row per paper that has a value (the value as text in ``value``, a number
  also in ``number``).

:meth:`ExportLayout.rows` gives every table's rows for one paper, which is all a
streaming writer needs. A run without user fields has exactly the built-in tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..compare.views import Mention
from ..fields import FieldSpec
from ..schemas import Record
from .entities import NAMED_FIELDS, entity_rows, merge_entities, paper_tables
from .rows import (
    CLAIMS_TABLE,
    ENTITY_COLUMNS,
    ENTITY_TABLES,
    FACTS_TABLE,
    MENTION_COLUMNS,
    MENTION_TABLES,
    PAPERS_TABLE,
    Cell,
    Column,
    Row,
    TableSpec,
    mention_rows,
)

__all__ = ["SHEET_TITLE_CHARS", "ExportLayout", "export_layout", "scalar_columns"]

SHEET_TITLE_CHARS = 26  # Excel allows 31; " (2)" and the like must still fit
_BUILTIN_SHEETS = ("Papers", "Tasks", "Methods", "Datasets", "Metrics", "Claims", "Run",
                   "Datasets matrix")  # fmt: skip
_USER_AFTER = PAPERS_TABLE.column_names.index("claims") + 1  # user columns go after claims


def scalar_columns(spec: FieldSpec) -> tuple[Column, ...]:
    """The ``papers`` columns of one user field: its value (typed), and its quote if it has one."""
    if spec.is_list:
        return (Column(spec.name, width=36, wrap=True),)
    if spec.type == "number":
        value = Column(spec.name, "real", 12)
    elif spec.type == "boolean":
        value = Column(spec.name, "bool", 10)
    elif spec.type == "enum":
        value = Column(spec.name, width=max(10, min(24, len(spec.name) + 2)))
    else:
        value = Column(spec.name, width=30, wrap=True)
    if spec.evidence:
        return (value, Column(f"{spec.name}_evidence", width=50, wrap=True))
    return (value,)


def _sheet_title(name: str, taken: set[str]) -> str:
    """A short, unique sheet title for a user list field ("limitations" -> "Limitations")."""
    words = name.replace("_", " ").strip()
    base = (words[:1].upper() + words[1:])[:SHEET_TITLE_CHARS]
    title, number = base, 2
    while title.casefold() in taken:  # Excel compares sheet titles case-insensitively
        suffix = f" ~{number}"
        title = base[: SHEET_TITLE_CHARS - len(suffix)] + suffix
        number += 1
    taken.add(title.casefold())
    return title


def _typed(spec: FieldSpec, mention: Mention | None) -> Cell:
    """A scalar's cell: a float for a number, a bool for a boolean, text otherwise (None: none)."""
    if mention is None:
        return None
    value = mention.scalar
    if spec.type == "number":
        number = isinstance(value, float | int) and not isinstance(value, bool)
        return float(value) if number and value is not None else None
    if spec.type == "boolean":
        return value if isinstance(value, bool) else None
    return mention.name


@dataclass(slots=True)
class ExportLayout:
    """The tables of one export: the built-in ones, with the run's user fields added."""

    user_fields: tuple[FieldSpec, ...] = ()
    papers: TableSpec = PAPERS_TABLE
    user_entities: dict[str, TableSpec] = field(default_factory=dict)
    user_mentions: dict[str, TableSpec] = field(default_factory=dict)

    @property
    def entity_tables(self) -> dict[str, TableSpec]:
        """The entity tables by field: the named built-in fields, then the user list fields."""
        return {**{name: ENTITY_TABLES[name] for name in NAMED_FIELDS}, **self.user_entities}

    @property
    def tables(self) -> tuple[TableSpec, ...]:
        """Every table, in writing order (``papers`` first)."""
        return (
            self.papers,
            *self.entity_tables.values(),
            CLAIMS_TABLE,
            FACTS_TABLE,
            *MENTION_TABLES.values(),
            *self.user_mentions.values(),
        )

    @property
    def sheets(self) -> tuple[TableSpec, ...]:
        """The tables XLSX writes as sheets: papers, entity tables, claims."""
        return (self.papers, *self.entity_tables.values(), CLAIMS_TABLE)

    def rows(
        self, record: Record, mentions: Mapping[str, Sequence[Mention]]
    ) -> dict[str, list[Row]]:
        """Every table's rows for one paper, by table name.

        Args:
            record: The paper's record.
            mentions: Its mentions by field, user fields included
                (:meth:`paperfields.compare.index.RunIndex.mentions_of`).
        """
        tables = paper_tables(record, mentions)
        if not self.user_fields:
            return tables
        pid = record.id
        row = tables[PAPERS_TABLE.name][0]
        cells: list[Cell] = []
        for spec in self.user_fields:
            found = mentions.get(spec.name, ())
            if spec.is_list:
                cells.append("; ".join(dict.fromkeys(m.canonical for m in found)))
                tables[self.user_entities[spec.name].name] = entity_rows(pid, spec.name, found)
                tables[self.user_mentions[spec.name].name] = mention_rows(pid, spec.name, found)
                tables[FACTS_TABLE.name].extend(_list_facts(pid, spec.name, found))
                continue
            first = found[0] if found else None
            cells.append(_typed(spec, first))
            if spec.evidence:
                cells.append((first.evidence or None) if first is not None else None)
            if first is not None:
                tables[FACTS_TABLE.name].append(_scalar_fact(pid, spec, first))
        tables[PAPERS_TABLE.name] = [(*row[:_USER_AFTER], *cells, *row[_USER_AFTER:])]
        return tables


def _span(mention: Mention) -> tuple[int | None, int | None]:
    return mention.span if mention.span is not None else (None, None)


def _list_facts(pid: str, name: str, mentions: Sequence[Mention]) -> list[Row]:
    rows: list[Row] = []
    for group in merge_entities(mentions):
        first = group[0]
        variants = "; ".join(dict.fromkeys(m.name for m in group))
        rows.append((pid, name, first.canonical, variants, None, None, None, None, None,
                     first.evidence, *_span(first)))  # fmt: skip
    return rows


def _scalar_fact(pid: str, spec: FieldSpec, mention: Mention) -> Row:
    number = _typed(spec, mention) if spec.type == "number" else None
    return (pid, spec.name, mention.canonical, mention.name, None, mention.name, number, None,
            None, mention.evidence or None, *_span(mention))  # fmt: skip


def export_layout(user_fields: Sequence[FieldSpec] = ()) -> ExportLayout:
    """The tables of an export of a run with these user fields (none: the built-in tables)."""
    if not user_fields:
        return ExportLayout()
    columns = [c for spec in user_fields for c in scalar_columns(spec)]
    base = PAPERS_TABLE.columns
    papers = TableSpec(
        PAPERS_TABLE.name,
        PAPERS_TABLE.sheet,
        (*base[:_USER_AFTER], *columns, *base[_USER_AFTER:]),
    )
    taken = {title.casefold() for title in _BUILTIN_SHEETS}
    entities: dict[str, TableSpec] = {}
    mentions: dict[str, TableSpec] = {}
    for spec in user_fields:
        if spec.is_list:
            title = _sheet_title(spec.name, taken)
            entities[spec.name] = TableSpec(spec.name, title, ENTITY_COLUMNS)
            mentions[spec.name] = TableSpec(
                f"{spec.name}_mentions", f"{title} mentions", MENTION_COLUMNS
            )
    return ExportLayout(tuple(user_fields), papers, entities, mentions)
