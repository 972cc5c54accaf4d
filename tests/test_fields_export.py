"""export on a run with user-defined fields of every type (stand-in made).

Each user list field becomes an entity table and a mention table, each user
field a column of ``papers`` (typed), ``facts`` holds them, and the ``run`` table
names the spec.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook
from paperfields.export import export_run
from paperfields.export.layout import export_layout
from paperfields.fields import FieldSpec

IMAGE_PAPERS = ["lite-adapter", "patch-tuner"]
SHARED_LIMITATION = "however, the benchmark covers"
USER_COLUMNS = ["limitations", "code_released", "code_released_evidence", "modality",
                "modality_evidence", "modality_plain", "compute", "compute_quoted",
                "compute_quoted_evidence", "parameters", "parameters_evidence", "count",
                "released"]  # fmt: skip


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fp:
        return list(csv.DictReader(fp))


def test_csv_has_user_columns_tables_facts_and_the_spec(fields_run: Path, tmp_path: Path) -> None:
    result = export_run(fields_run, "csv", out=tmp_path / "csv")
    assert result.rows["limitations"] == 18 and result.rows["limitations_mentions"] == 18
    papers = {row["id"]: row for row in _csv(tmp_path / "csv" / "papers.csv")}
    header = list(next(iter(papers.values())))
    at = header.index("claims") + 1
    assert header[at : at + len(USER_COLUMNS)] == USER_COLUMNS
    lite = papers["lite-adapter"]
    assert lite["modality"] == "image" and lite["code_released"] == "true"
    assert lite["parameters"] == "2000000.0" and lite["released"] == "true"
    assert "publicly available" in lite["code_released_evidence"]
    assert lite["limitations"].casefold().startswith("however, the benchmark covers; ")
    assert papers["speech-lm"]["code_released"] == "" and papers["cfgpp"]["parameters"] == ""
    assert int(lite["items"]) >= int(lite["grounded_items"]) > 0
    limitations = _csv(tmp_path / "csv" / "limitations.csv")
    shared = [r for r in limitations if r["canonical"].casefold() == SHARED_LIMITATION]
    assert [r["paper_id"] for r in shared] == IMAGE_PAPERS  # one row per paper per entity
    mentions = _csv(tmp_path / "csv" / "limitations_mentions.csv")
    assert list(mentions[0]) == ["paper_id", "position", "name", "canonical", "evidence",
                                 "span_start", "span_end", "grounded", "match"]  # fmt: skip
    facts = _csv(tmp_path / "csv" / "facts.csv")
    by_field = {f: [r for r in facts if r["field"] == f] for f in ("limitations", "parameters")}
    assert len(by_field["limitations"]) == 18
    number = [r for r in by_field["parameters"] if r["paper_id"] == "lite-adapter"][0]
    assert number["value"] == "2000000" and number["number"] == "2000000.0"
    assert number["span_start"] != ""  # its quote is grounded
    assert not [r for r in facts if r["field"] == "code_released" and r["paper_id"] == "speech-lm"]
    run = {row["key"]: row["value"] for row in _csv(tmp_path / "csv" / "run.csv")}
    manifest = json.loads((fields_run / "run.json").read_text())
    assert run["fields_spec.name"] == "every"
    assert run["fields_spec.sha256"] == manifest["fields_spec"]["sha256"]
    assert json.loads(run["run.fields_spec"]) == manifest["fields_spec"]


def test_sqlite_types_tables_views_and_run(fields_run: Path, tmp_path: Path) -> None:
    export_run(fields_run, "sqlite", out=tmp_path / "run.sqlite")
    db = sqlite3.connect(tmp_path / "run.sqlite")
    types = {row[1]: row[2] for row in db.execute("PRAGMA table_info(papers)")}
    assert types["parameters"] == "REAL" and types["count"] == "REAL"
    assert types["code_released"] == "INTEGER" and types["released"] == "INTEGER"
    assert types["modality"] == "TEXT" and types["modality_evidence"] == "TEXT"
    typed = db.execute(
        "SELECT typeof(parameters), parameters, typeof(code_released), code_released "
        "FROM papers WHERE id = 'lite-adapter'"
    ).fetchone()
    assert typed == ("real", 2_000_000.0, "integer", 1)
    assert db.execute("SELECT * FROM modality_groups").fetchall()[:2] == [
        ("image", 2), ("text", 2)
    ]  # fmt: skip
    assert db.execute("SELECT * FROM code_released_groups").fetchall() == [(1, 3)]
    top = db.execute("SELECT canonical, papers, mentions FROM limitations_groups").fetchone()
    assert top[0].casefold() == "however, the benchmark covers" and top[1:] == (2, 2)
    foreign = db.execute("PRAGMA foreign_key_list(limitations_mentions)").fetchall()
    assert foreign and foreign[0][2] == "papers"
    indexes = {row[1] for row in db.execute("PRAGMA index_list(limitations)")}
    assert "idx_limitations_canonical" in indexes
    run = dict(db.execute("SELECT key, value FROM run"))
    assert run["fields_spec.name"] == "every" and len(run["fields_spec.sha256"]) == 64


def test_sqlite_quotes_a_field_called_like_an_sql_keyword(tmp_path: Path) -> None:
    layout = export_layout([FieldSpec("order", "list"), FieldSpec("select", "boolean")])
    db = sqlite3.connect(":memory:")
    from paperfields.export.sqlite_export import index_sql, schema_sql

    for statement in [*schema_sql(layout), *index_sql(layout)]:
        db.execute(statement)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"order", "order_mentions", "order_groups", "select_groups"} <= tables


def test_xlsx_has_a_sheet_per_list_field_and_typed_cells(fields_run: Path, tmp_path: Path) -> None:
    result = export_run(fields_run, "xlsx", out=tmp_path / "run.xlsx")
    assert result.rows["limitations"] == 18
    workbook = load_workbook(tmp_path / "run.xlsx")
    assert workbook.sheetnames[:7] == ["Papers", "Tasks", "Methods", "Datasets", "Metrics",
                                       "Limitations", "Claims"]  # fmt: skip
    sheet = workbook["Papers"]
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert row["id"].value == "lite-adapter"
    assert row["parameters"].value == 2_000_000 and row["parameters"].data_type == "n"
    assert row["code_released"].value is True and row["code_released"].data_type == "b"
    assert row["modality"].value == "image"
    assert workbook["Limitations"].auto_filter.ref == "A1:H19"
    run = {r[0].value: r[1].value for r in workbook["Run"].iter_rows(min_row=2)}
    assert run["fields_spec.name"] == "every"


def test_sheet_titles_stay_short_and_unique() -> None:
    long = "a_very_long_list_field_name_that_goes_on_and_on"
    layout = export_layout([FieldSpec(long, "list"), FieldSpec(long + "_too", "list"),
                            FieldSpec("datasets_matrix", "list")])  # fmt: skip
    titles = [spec.sheet for spec in layout.sheets]
    assert len({t.casefold() for t in titles}) == len(titles)
    assert all(len(t) <= 26 for t in titles)
    assert "Datasets matrix" not in titles


def test_parquet_types_user_columns(fields_run: Path, tmp_path: Path) -> None:
    parquet = pytest.importorskip("pyarrow.parquet")
    export_run(fields_run, "parquet", out=tmp_path / "pq")
    schema = parquet.read_table(tmp_path / "pq" / "papers.parquet").schema
    assert str(schema.field("parameters").type) == "double"
    assert str(schema.field("code_released").type) == "bool"
    assert parquet.read_table(tmp_path / "pq" / "limitations.parquet").num_rows == 18
