"""export and the HTML report on a run with user-defined fields of every type (stand-in made).

Each user list field becomes an entity table and a mention table, each user
field a column of ``papers`` (typed), ``facts`` holds them, the ``run`` table
names the spec, and the report shows them as items, labelled values, columns,
filters and comparison groups.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from paperfields.compare.index import open_run
from paperfields.export import export_run
from paperfields.export.html_report import write_report
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


def _data(text: str, block: str) -> Any:
    found = re.search(rf'<script type="application/json" id="{block}">(.*?)</script>', text, re.S)
    assert found, block
    return json.loads(found.group(1))


def test_report_embeds_user_fields_as_items_filters_and_groups(
    fields_run: Path, tmp_path: Path
) -> None:
    result = write_report(open_run(fields_run), tmp_path / "report.html")
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    summary = _data(text, "pf-summary")
    names = summary["names"]
    assert [u[0] for u in summary["user_fields"]][:3] == ["limitations", "code_released",
                                                          "modality"]  # fmt: skip
    assert {u[0]: u[2] for u in summary["user_fields"]} == {
        "limitations": 1, "code_released": 1, "modality": 1, "modality_plain": 1, "compute": 0,
        "compute_quoted": 0, "parameters": 0, "count": 0, "released": 1,
    }  # fmt: skip
    assert "compute" not in summary["filters"] and "parameters" not in summary["filters"]
    assert [names[v] for v, _ in summary["filters"]["modality"]][:2] == ["image", "text"]
    assert [(names[v], n) for v, n in summary["filters"]["code_released"]] == [("true", 3)]
    shared = summary["groups"]["limitations"]["shared"]
    assert len(shared) == 1 and sorted(shared[0][1]) == [0, 1]
    papers = _data(text, "pf-papers")
    lite = papers[0]
    assert lite[0] == "lite-adapter"
    by_field: dict[int, list[Any]] = {}
    for item in lite[7]:
        by_field.setdefault(item[0], []).append(item)
    modality, parameters, count = by_field[7], by_field[11], by_field[12]  # fields 5.. are user
    assert names[modality[0][1]] == "image" and modality[0][3] is not None  # quoted: highlighted
    assert parameters[0][5] == 2_000_000.0 and count[0][3] is None and count[0][6] is None
    assert len(by_field[5]) == 3  # the three limitations
    assert lite[7][-1][0] in (8, 9, 12, 13)  # scalars without a quote come last
    assert result.rows["highlights"] > 0
    assert "Limitations</span>" in text and "Code released</span>" in text  # the legend


def test_a_user_item_leads_over_a_claim_and_follows_a_task() -> None:
    from paperfields.compare.views import Mention
    from paperfields.export.report_data import Note, highlight_segments

    def note(number: int, field: str, span: tuple[int, int]) -> Note:
        mention = Mention("p", field, "zz", "zz", "zz", "", span, True)
        return Note(number, mention)

    abstract = "a claim with a task and a caveat"
    caveat = (abstract.index("a task"), len(abstract))
    task = (abstract.index("task"), abstract.index("task") + 4)
    claim = (0, len(abstract))
    notes = [note(1, "claims", claim), note(2, "caveats", caveat), note(3, "tasks", task)]
    leads = {abstract[s.start : s.end]: s.lead for s in highlight_segments(abstract, notes)}
    assert leads == {"a claim with ": "claims", "a ": "caveats", "task": "tasks",
                     " and a caveat": "caveats"}  # fmt: skip
