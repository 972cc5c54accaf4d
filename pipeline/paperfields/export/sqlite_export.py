"""SQLite export (stdlib sqlite3): every exported table plus ``run``, ready for Datasette.

``papers.id`` is the primary key; every other table (see
:mod:`paperfields.export.rows`: the entity tables ``tasks``, ``methods``,
``datasets``, ``metrics``, then ``claims``, ``facts`` and the mention-level
``*_mentions``) has an integer ``id``, a ``paper_id`` foreign key to
``papers(id)`` and indexes on ``paper_id`` and its canonical columns.
``metrics.number`` is a REAL column. Views: ``<field>_groups`` counts papers
and mentions per canonical value, largest first; ``leaderboard`` lists the
absolute metric values by dataset and metric, best first where the metric's
direction is known. A user list field has its ``<name>`` and
``<name>_mentions`` tables and a ``<name>_groups`` view like the built-in
ones; a user scalar is a column of ``papers`` (REAL for a number, INTEGER 0/1
for a boolean, TEXT otherwise; :mod:`paperfields.export.layout`) with a
``<name>_groups`` view that counts papers per value. Table and column names
are quoted, so a field may be called ``order``. ``run`` holds the provenance
as (key, value) rows. Booleans are stored as 0/1. Records stream in one at a time; the database is
built in a temporary file beside the target (indexes after the rows, no
journal) and moved into place when complete.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from ..io.atomic import replacing
from .layout import ExportLayout, export_layout
from .provenance import ProvenanceCollector
from .result import ExportResult
from .rows import Column, Row, TableSpec

if TYPE_CHECKING:
    from ..compare.index import RunIndex

__all__ = ["index_sql", "schema_sql", "write_sqlite"]

_SQL_TYPES = {"text": "TEXT", "int": "INTEGER", "bool": "INTEGER", "real": "REAL"}

LEADERBOARD_VIEW = (
    "CREATE VIEW leaderboard AS SELECT dataset_canonical AS dataset, canonical AS metric, "
    "direction, paper_id, method, value, number, unit FROM metrics "
    "WHERE kind = 'absolute' AND number IS NOT NULL ORDER BY dataset_canonical IS NULL, "
    "dataset_canonical, canonical, "
    "CASE direction WHEN 'higher' THEN -number WHEN 'lower' THEN number END, paper_id"
)


def _column_sql(column: Column) -> str:
    return f'"{column.name}" {_SQL_TYPES[column.kind]}'


def schema_sql(layout: ExportLayout | None = None) -> list[str]:
    """The ``CREATE TABLE`` and ``CREATE VIEW`` statements, in execution order.

    Args:
        layout: The export's tables (default: the built-in ones).
    """
    layout = layout or export_layout()
    papers = [_column_sql(c) for c in layout.papers.columns]
    papers[0] = '"id" TEXT PRIMARY KEY'
    papers[1] = '"title" TEXT NOT NULL'
    statements = [f"CREATE TABLE papers ({', '.join(papers)})"]
    for spec in layout.tables[1:]:
        columns = ['"id" INTEGER PRIMARY KEY']
        for column in spec.columns:
            if column.name == "paper_id":
                columns.append('"paper_id" TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE')
            else:
                columns.append(_column_sql(column))
        statements.append(f'CREATE TABLE "{spec.name}" ({", ".join(columns)})')
    for field, table in layout.entity_tables.items():
        statements.append(
            f'CREATE VIEW "{field}_groups" AS SELECT canonical, '
            "COUNT(DISTINCT paper_id) AS papers, SUM(mentions) AS mentions "
            f'FROM "{table.name}" GROUP BY canonical '
            "ORDER BY papers DESC, mentions DESC, canonical"
        )
    for user in layout.user_fields:
        if not user.is_list:
            statements.append(
                f'CREATE VIEW "{user.name}_groups" AS SELECT "{user.name}" AS value, '
                f'COUNT(*) AS papers FROM papers WHERE "{user.name}" IS NOT NULL '
                f'GROUP BY "{user.name}" ORDER BY papers DESC, value'
            )
    statements.append(LEADERBOARD_VIEW)
    statements.append('CREATE TABLE run ("key" TEXT PRIMARY KEY, "value" TEXT)')
    return statements


def index_sql(layout: ExportLayout | None = None) -> list[str]:
    """The ``CREATE INDEX`` statements (run after the rows are in).

    Args:
        layout: The export's tables (default: the built-in ones).
    """
    layout = layout or export_layout()
    return [
        f'CREATE INDEX "idx_{spec.name}_{column.name}" ON "{spec.name}"("{column.name}")'
        for spec in layout.tables[1:]
        for column in spec.columns
        if column.index
    ]


def _insert_sql(spec: TableSpec) -> str:
    names = ", ".join(f'"{n}"' for n in spec.column_names)
    marks = ", ".join("?" for _ in spec.columns)
    return f'INSERT INTO "{spec.name}" ({names}) VALUES ({marks})'


def _sqlite_row(row: Row) -> tuple[str | int | float | None, ...]:
    return tuple(int(v) if isinstance(v, bool) else v for v in row)


def write_sqlite(index: RunIndex, path: Path) -> ExportResult:
    """Write the database to ``path`` (replaced when it exists).

    Args:
        index: The indexed run.
        path: The database file; its folder is created.

    Returns:
        The file written and the row count per table.
    """
    layout = export_layout(index.user_fields)
    result = ExportResult(format="sqlite", rows={spec.name: 0 for spec in layout.tables})
    provenance = ProvenanceCollector()
    inserts = {spec.name: _insert_sql(spec) for spec in layout.tables}
    with replacing(path) as tmp, closing(sqlite3.connect(tmp)) as connection:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA foreign_keys = ON")
        with connection:
            for statement in schema_sql(layout):
                connection.execute(statement)
            for _, record, mentions in index.iter_mentions():
                provenance.add(record)
                for name, rows in layout.rows(record, mentions).items():
                    connection.executemany(inserts[name], [_sqlite_row(r) for r in rows])
                    result.rows[name] += len(rows)
            for statement in index_sql(layout):
                connection.execute(statement)
            run = provenance.rows(index.run_dir, index.records_path, result.rows, index.failed)
            connection.executemany("INSERT INTO run (key, value) VALUES (?, ?)", run)
    result.paths.append(path)
    result.papers = result.rows["papers"]
    return result
