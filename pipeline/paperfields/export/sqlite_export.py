"""SQLite export (stdlib sqlite3): a ``papers`` table and one table per field, ready for Datasette.

``papers.id`` is the primary key; every field table (``tasks``, ``methods``,
``datasets``, ``metrics``, ``claims``) has an integer ``id``, a ``paper_id``
foreign key to ``papers(id)`` and indexes on ``paper_id`` and on its canonical
columns (``canonical``, ``dataset_canonical``, ``kind``). For each named field
a view ``<field>_groups`` counts papers and mentions per canonical value,
largest first. Booleans are stored as 0/1. The database is built in a
temporary file beside the target and moved into place when complete.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from ..io.atomic import replacing
from ..schemas import FIELD_NAMES
from .result import ExportResult
from .rows import FIELD_TABLES, PAPERS_TABLE, Column, Row, TableSpec, field_rows, paper_row

if TYPE_CHECKING:
    from ..compare.index import RunIndex

__all__ = ["schema_sql", "write_sqlite"]

_SQL_TYPES = {"text": "TEXT", "int": "INTEGER", "bool": "INTEGER", "real": "REAL"}


def _column_sql(column: Column) -> str:
    return f'"{column.name}" {_SQL_TYPES[column.kind]}'


def schema_sql() -> list[str]:
    """The ``CREATE`` statements of the export database, in execution order."""
    papers = [_column_sql(c) for c in PAPERS_TABLE.columns]
    papers[0] = '"id" TEXT PRIMARY KEY'
    papers[1] = '"title" TEXT NOT NULL'
    statements = [f"CREATE TABLE papers ({', '.join(papers)})"]
    for name in FIELD_NAMES:
        spec = FIELD_TABLES[name]
        columns = ['"id" INTEGER PRIMARY KEY']
        for column in spec.columns:
            if column.name == "paper_id":
                columns.append('"paper_id" TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE')
            else:
                columns.append(_column_sql(column))
        statements.append(f"CREATE TABLE {name} ({', '.join(columns)})")
        for column in spec.columns:
            if column.index:
                statements.append(f"CREATE INDEX idx_{name}_{column.name} ON {name}({column.name})")
        if "canonical" in spec.column_names:
            statements.append(
                f"CREATE VIEW {name}_groups AS SELECT canonical, "
                "COUNT(DISTINCT paper_id) AS papers, COUNT(*) AS mentions "
                f"FROM {name} GROUP BY canonical ORDER BY papers DESC, mentions DESC, canonical"
            )
    return statements


def _insert_sql(spec: TableSpec) -> str:
    names = ", ".join(f'"{n}"' for n in spec.column_names)
    marks = ", ".join("?" for _ in spec.columns)
    return f"INSERT INTO {spec.name} ({names}) VALUES ({marks})"


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
    result = ExportResult(format="sqlite", rows={"papers": 0, **dict.fromkeys(FIELD_NAMES, 0)})
    with replacing(path) as tmp, closing(sqlite3.connect(tmp)) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        with connection:
            for statement in schema_sql():
                connection.execute(statement)
            paper_sql = _insert_sql(PAPERS_TABLE)
            field_sql = {name: _insert_sql(FIELD_TABLES[name]) for name in FIELD_NAMES}
            for record in index.iter_records():
                mentions = index.paper_mentions(record.id)
                connection.execute(paper_sql, _sqlite_row(paper_row(record, mentions)))
                result.rows["papers"] += 1
                for name in FIELD_NAMES:
                    rows = [_sqlite_row(r) for r in field_rows(record, name, mentions[name])]
                    connection.executemany(field_sql[name], rows)
                    result.rows[name] += len(rows)
    result.paths.append(path)
    result.papers = result.rows["papers"]
    return result
