"""export: each format opens in its natural tool, and formula payloads are neutralised."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from paperfields.cli import main
from paperfields.compare.index import open_run
from paperfields.export import default_output, export_run
from paperfields.export.csv_export import write_csv
from paperfields.export.rows import (
    ENTITY_TABLES,
    EXPORT_TABLES,
    MENTION_TABLES,
    PAPERS_TABLE,
    paper_url,
)
from paperfields.export.sqlite_export import write_sqlite
from paperfields.export.xlsx_export import write_xlsx
from paperfields.ingest.ids import arxiv_id
from paperfields.io.cells import FORMULA_PREFIXES, is_plain_number, neutralize_cell

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "compare"
RUN = FIXTURES
PAYLOAD_RUN = FIXTURES / "payload"
SHEETS = ["Papers", "Tasks", "Methods", "Datasets", "Metrics", "Claims", "Run", "Datasets matrix"]
PAYLOADS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)"]
PAYLOADS += ["\t=1", "\r=1"]
USER_PAYLOAD = '=HYPERLINK("http://evil.example","caveat")'
USER_VERDICT = "=1+1 <script>document.body.setAttribute('data-pwned','3')</script>"


@pytest.mark.parametrize("text", [*PAYLOADS, "-", "+", "-%", "-0.5 points", "-A1", "＝1+1"])
def test_formula_cells_are_neutralised(text: str) -> None:
    assert neutralize_cell(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["-0.5", "-3%", "+0.7", "-1,234.5", "-1e-3", ".5", "71.8%", "plain", "", "a=b"]
)
def test_numbers_and_plain_text_pass(text: str) -> None:
    assert neutralize_cell(text) == text


def test_plain_number_forms() -> None:
    assert all(is_plain_number(t) for t in ["-0.5", "-3%", "1,234", "2e10", "+.5"])
    assert not any(is_plain_number(t) for t in ["-2+3", "1,23", "--1", "-1-", "1.2.3", "e5"])


def test_paper_url_for_arxiv_ids_only() -> None:
    assert paper_url("1512.03385") == "https://arxiv.org/abs/1512.03385"
    assert paper_url("2403.12345v2") == "https://arxiv.org/abs/2403.12345v2"
    assert paper_url("hep-th/9901001") == "https://arxiv.org/abs/hep-th/9901001"
    assert paper_url("nv-embed-improved-techniques") is None
    assert paper_url("arXiv:2403.12345") is None  # an id as stored, not as written


@pytest.mark.parametrize(
    "raw", ["arXiv:math.gt/0309136", "https://arxiv.org/abs/math.GT/0309136v1", "2403.12345"]
)
def test_every_id_ingest_takes_from_arxiv_gets_a_link(raw: str) -> None:
    paper_id = arxiv_id(raw)
    assert paper_id is not None and paper_url(paper_id) == f"https://arxiv.org/abs/{paper_id}"


def test_every_format_writes_the_same_rows(tmp_path: Path) -> None:
    index = open_run(RUN)
    results = [
        write_csv(index, tmp_path / "csv"),
        write_sqlite(index, tmp_path / "run.sqlite"),
        write_xlsx(index, tmp_path / "run.xlsx"),
    ]
    assert [r.rows["datasets"] for r in results] == [19, 19, 19]
    assert [r.papers for r in results] == [11, 11, 11]
    assert results[0].rows == results[1].rows


def test_xlsx_opens_with_sheets_frozen_header_filter_and_links(tmp_path: Path) -> None:
    result = export_run(RUN, "xlsx", out=tmp_path / "run.xlsx")
    assert result.paths == [tmp_path / "run.xlsx"] and result.papers == 11
    workbook = load_workbook(tmp_path / "run.xlsx")
    assert workbook.sheetnames == SHEETS
    for name in SHEETS:
        sheet = workbook[name]
        assert sheet.freeze_panes == ("C2" if name == "Datasets matrix" else "A2")
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        assert sheet["A1"].font.b
    papers = workbook["Papers"]
    assert [c.value for c in papers[1]] == PAPERS_TABLE.column_names
    assert papers.max_row == 1 + 11
    ids = [papers.cell(row=r, column=1) for r in range(2, papers.max_row + 1)]
    resnet = next(c for c in ids if c.value == "1512.03385")
    assert resnet.hyperlink.target == "https://arxiv.org/abs/1512.03385"
    assert next(c for c in ids if c.value.startswith("nv-embed")).hyperlink is None
    assert papers.column_dimensions["B"].width == 48
    datasets = workbook["Datasets"]
    assert [c.value for c in datasets[1]] == ENTITY_TABLES["datasets"].column_names
    evidence = ENTITY_TABLES["datasets"].column_names.index("evidence") + 1
    assert datasets.cell(row=2, column=evidence).alignment.wrap_text
    assert datasets.max_row - 1 == result.rows["datasets"] == 19
    matrix = workbook["Datasets matrix"]
    header = [c.value for c in matrix[1]]
    assert header[:4] == ["paper_id", "title", "ImageNet", "MTEB"]
    assert matrix.max_row - 1 == 9  # papers with at least one dataset


def test_sqlite_has_tables_foreign_keys_indexes(tmp_path: Path) -> None:
    path = tmp_path / "run.sqlite"
    export_run(RUN, "sqlite", out=path)
    export_run(RUN, "sqlite", out=path)  # a second export replaces the file
    db = sqlite3.connect(path)
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables == {spec.name for spec in EXPORT_TABLES} | {"run"}
        assert db.execute("SELECT COUNT(*) FROM papers").fetchone() == (11,)
        assert db.execute("SELECT COUNT(DISTINCT id) FROM papers").fetchone() == (11,)
        for table in [spec.name for spec in EXPORT_TABLES[1:]]:
            keys = db.execute(f"PRAGMA foreign_key_list({table})").fetchall()
            assert [(k[2], k[3], k[4]) for k in keys] == [("papers", "paper_id", "id")]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"idx_datasets_canonical", "idx_metrics_dataset_canonical", "idx_claims_kind"} <= (
            indexes
        )
        top = db.execute("SELECT canonical, papers FROM datasets_groups LIMIT 2").fetchall()
        assert sorted(top) == [("ImageNet", 3), ("MTEB", 3)]
        row = db.execute(
            "SELECT value, dataset_canonical, span_start < span_end FROM metrics "
            "WHERE paper_id = '1512.03385' AND canonical = 'error'"
        ).fetchone()
        assert row == ("3.57%", "ImageNet", 1)
        proposed = "SELECT proposed FROM methods WHERE canonical = 'Res2Net'"
        assert db.execute(proposed).fetchone() == (1,)
    finally:
        db.close()


def test_csv_folder_has_bom_headers_and_rows(tmp_path: Path) -> None:
    result = export_run(RUN, "csv", out=tmp_path / "csv")
    names = sorted(p.name for p in result.paths)
    assert names == sorted([f"{spec.name}.csv" for spec in EXPORT_TABLES] + ["run.csv"])
    for path in result.paths:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(tmp_path / "csv" / "papers.csv", encoding="utf-8-sig", newline="") as fp:
        papers = list(csv.DictReader(fp))
    assert list(papers[0]) == PAPERS_TABLE.column_names
    assert len(papers) == 11
    nv = next(p for p in papers if p["id"].startswith("nv-embed"))
    assert nv["datasets"] == "MTEB; BEIR"
    assert nv["proposed_methods"].split("; ")[0] == "NV-Embed"
    with open(tmp_path / "csv" / "dataset_mentions.csv", encoding="utf-8-sig", newline="") as fp:
        datasets = list(csv.DictReader(fp))
    assert list(datasets[0]) == MENTION_TABLES["datasets"].column_names
    mteb = {r["paper_id"] for r in datasets if r["canonical"] == "MTEB"}
    assert len(mteb) == 3
    assert {r["name"] for r in datasets if r["canonical"] == "MTEB"} == {
        "Massive Text Embedding Benchmark (MTEB)",
        "MTEB benchmark",
        "MTEB",
    }
    grounded = next(r for r in datasets if r["name"] == "C-MTEB")
    assert grounded["grounded"] == "true" and int(grounded["span_end"]) > int(
        grounded["span_start"]
    )


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fp:
        return list(csv.DictReader(fp))


def _formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES) and not is_plain_number(text)


def test_csv_neutralises_every_payload(tmp_path: Path) -> None:
    result = export_run(PAYLOAD_RUN, "csv", out=tmp_path / "csv")
    cells: list[str] = []
    for path in result.paths:
        with open(path, encoding="utf-8-sig", newline="") as fp:
            cells += [cell for row in csv.reader(fp) for cell in row]
    assert not [c for c in cells if _formula_like(c)]
    for payload in PAYLOADS:
        assert "'" + payload in cells, payload
    assert "-0.5" in cells and "-3%" in cells
    title = next(c for c in cells if "HYPERLINK" in c and "click" in c)
    assert title.startswith("'=HYPERLINK")
    # user fields too: a list item's name, a quoted string (papers and facts), a number
    assert "'" + USER_PAYLOAD in cells and cells.count("'" + USER_VERDICT) >= 2
    assert "-0.5" in [row["effect"] for row in _csv_rows(result.paths[0])]


def test_xlsx_neutralises_every_payload(tmp_path: Path) -> None:
    export_run(PAYLOAD_RUN, "xlsx", out=tmp_path / "payload.xlsx")
    workbook = load_workbook(tmp_path / "payload.xlsx")
    values: list[str] = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    values.append(cell.value)
    assert not [v for v in values if _formula_like(v)]
    values = [v.replace("\r", "\n") for v in values]  # XML reads a bare CR back as LF
    for payload in PAYLOADS:  # alone, or among an entity's variants ("\t=1; \r=1")
        text = payload.replace("\r", "\n")
        assert any(v.startswith("'") and text in v for v in values), payload
    assert "-0.5" in values and "-3%" in values
    assert "'=1" in [c.value for c in workbook["Datasets matrix"][1]]  # display form of "\t=1"
    assert "'" + USER_PAYLOAD in values and "'" + USER_VERDICT in values  # user fields
    assert workbook["Caveats"].max_row == 3  # a sheet for the user list field


def test_html_embeds_payloads_as_inert_data(tmp_path: Path) -> None:
    export_run(PAYLOAD_RUN, "html", out=tmp_path / "payload.html")
    text = (tmp_path / "payload.html").read_text(encoding="utf-8")
    assert text.count("<script") == 3  # two JSON data blocks and the page's own script
    assert "<img" not in text and "<b>bold" not in text and "</script>document" not in text
    assert "\\u003cscript\\u003edocument.title=\\\"pwned\\\"\\u003c/script\\u003e" in text
    assert "=HYPERLINK(\\\"http://evil.example/x\\\"" in text


def test_default_output_paths_and_cli(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    shutil.copy(RUN / "records.jsonl", run / "records.jsonl")
    for fmt, expected in [
        ("xlsx", run / "export" / "records.xlsx"),
        ("sqlite", run / "export" / "records.sqlite"),
        ("html", run / "export" / "report.html"),
        ("csv", run / "export" / "csv"),
    ]:
        assert default_output(run, fmt) == expected
        result = CliRunner().invoke(main, ["export", str(run), "--format", fmt])
        assert result.exit_code == 0, result.output
        assert str(expected) in result.stdout and "Exported 11 papers" in result.stdout
        assert expected.exists()
    assert (run / "export" / "csv" / "papers.csv").is_file()
    assert not list((run / "export").glob("*.tmp*"))


def test_cli_export_errors_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(tmp_path / "nope"), "--format", "csv"])
    assert result.exit_code == 2 and "no such run folder" in result.stderr
    result = CliRunner().invoke(main, ["export", str(RUN), "--format", "pdf"])
    assert result.exit_code == 2


# --- one entity, one row; facts; run; numbers; parquet; sheet limits -------------------------


def _mteb_twice_run(tmp_path: Path) -> Path:
    """One paper that writes the benchmark's long form and its acronym, and a second paper."""
    from paperfields.api import extract_paper
    from paperfields.extract import Extraction
    from paperfields.schemas import ExtractedFields

    abstract = (
        "We evaluate on the Massive Text Embedding Benchmark (MTEB). On MTEB our NV-X model "
        "scores 69.3, and it improves the score by 1.2 points over E5."
    )
    fields = ExtractedFields.model_validate(
        {
            "summary": None, "tasks": [], "claims": [],
            "methods": [{"name": "NV-X", "proposed": True, "description": None,
                         "evidence": "our NV-X model"},
                        {"name": "E5", "proposed": False, "description": None,
                         "evidence": "over E5"}],
            "datasets": [{"name": "Massive Text Embedding Benchmark (MTEB)", "role": "eval",
                          "evidence": "Massive Text Embedding Benchmark (MTEB)"},
                         {"name": "MTEB", "role": "train", "evidence": "On MTEB"}],
            "metrics": [{"name": "score", "value": "69.3", "dataset": "MTEB", "method": "NV-X",
                         "evidence": "On MTEB our NV-X model scores 69.3"},
                        {"name": "score", "value": "1.2 points", "dataset": "MTEB",
                         "method": None,
                         "evidence": "it improves the score by 1.2 points over E5"}],
        }
    )  # fmt: skip

    class Fixed:
        name, concurrency = "fixed:v1", 1

        async def extract(self, paper: object) -> Extraction:
            return Extraction(fields=fields, extractor=self.name)

        async def aclose(self) -> None:
            return None

    lines = [
        extract_paper({"id": pid, "title": f"Paper {pid}", "abstract": abstract},
                      extractor=Fixed()).model_dump_json()  # type: ignore[arg-type]
        for pid in ("p1", "p2")
    ]  # fmt: skip
    (tmp_path / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_sqlite_has_one_row_per_paper_per_entity_and_the_mentions_apart(tmp_path: Path) -> None:
    run = _mteb_twice_run(tmp_path)
    export_run(run, "sqlite", out=tmp_path / "run.sqlite")
    db = sqlite3.connect(tmp_path / "run.sqlite")
    try:
        rows = db.execute(
            "SELECT paper_id, canonical, variants, role, mentions FROM datasets ORDER BY paper_id"
        ).fetchall()
        assert rows == [
            ("p1", "MTEB", "Massive Text Embedding Benchmark (MTEB); MTEB", "both", 2),
            ("p2", "MTEB", "Massive Text Embedding Benchmark (MTEB); MTEB", "both", 2),
        ]
        assert db.execute("SELECT COUNT(*) FROM dataset_mentions").fetchone() == (4,)
        joined = db.execute(
            "SELECT COUNT(*) FROM datasets a JOIN datasets b ON a.canonical = b.canonical "
            "AND a.paper_id < b.paper_id"
        ).fetchone()
        assert joined == (1,)
        metrics = db.execute(
            "SELECT value, number, unit, kind, direction, method, method_source, "
            "typeof(number) FROM metrics WHERE paper_id = 'p1' ORDER BY number DESC"
        ).fetchall()
        assert metrics == [
            ("69.3", 69.3, None, "absolute", None, "NV-X", "extractor", "real"),
            ("1.2 points", 1.2, "points", "delta", None, "NV-X", "proposed", "real"),
        ]
        facts = db.execute("SELECT field, COUNT(*) FROM facts GROUP BY field").fetchall()
        assert dict(facts) == {"datasets": 2, "methods": 4, "metrics": 4}
        run_rows = dict(db.execute("SELECT key, value FROM run").fetchall())
        assert run_rows["papers"] == "2" and run_rows["extractors"] == "fixed:v1 (2)"
        assert run_rows["rows.datasets"] == "2" and run_rows["exported_at"]
        assert run_rows["schemas"].startswith("fields-v2 (")
    finally:
        db.close()


def test_sqlite_leaderboard_view_ranks_by_direction(tmp_path: Path) -> None:
    export_run(RUN, "sqlite", out=tmp_path / "run.sqlite")
    db = sqlite3.connect(tmp_path / "run.sqlite")
    try:
        rows = db.execute(
            "SELECT dataset, metric, direction, value FROM leaderboard WHERE metric = 'error'"
        ).fetchall()
        assert ("ImageNet", "error", "lower", "3.57%") in rows
    finally:
        db.close()


def test_csv_and_xlsx_carry_numbers(tmp_path: Path) -> None:
    run = _mteb_twice_run(tmp_path)
    export_run(run, "csv", out=tmp_path / "csv")
    with open(tmp_path / "csv" / "metrics.csv", encoding="utf-8-sig", newline="") as fp:
        metrics = list(csv.DictReader(fp))
    assert [(m["value"], m["number"], m["kind"]) for m in metrics[:2]] == [
        ("69.3", "69.3", "absolute"), ("1.2 points", "1.2", "delta")
    ]
    with open(tmp_path / "csv" / "facts.csv", encoding="utf-8-sig", newline="") as fp:
        assert len(list(csv.DictReader(fp))) == 10
    assert (tmp_path / "csv" / "run.csv").read_text(encoding="utf-8-sig").startswith("key,value")
    export_run(run, "xlsx", out=tmp_path / "run.xlsx")
    sheet = load_workbook(tmp_path / "run.xlsx")["Metrics"]
    header = [c.value for c in sheet[1]]
    number = sheet.cell(row=2, column=header.index("number") + 1)
    assert number.value == 69.3 and number.data_type == "n"


def test_xlsx_splits_a_sheet_past_the_row_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import paperfields.export.xlsx_export as xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 12)
    result = export_run(RUN, "xlsx", out=tmp_path / "run.xlsx")
    workbook = load_workbook(tmp_path / "run.xlsx")
    methods = [name for name in workbook.sheetnames if name.startswith("Methods")]
    assert methods == ["Methods", "Methods (2)", "Methods (3)"]
    rows = [workbook[name].max_row - 1 for name in methods]
    assert rows[:2] == [12, 12] and sum(rows) == result.rows["methods"]
    assert [c.value for c in workbook["Methods (2)"][1]] == ENTITY_TABLES["methods"].column_names
    assert str(workbook["Methods (3)"].auto_filter.ref).endswith(str(rows[2] + 1))


def test_parquet_export(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    result = export_run(RUN, "parquet", out=tmp_path / "pq")
    assert (tmp_path / "pq" / "facts.parquet") in result.paths
    metrics = pq.read_table(tmp_path / "pq" / "metrics.parquet")
    assert str(metrics.schema.field("number").type) == "double"
    assert metrics.num_rows == result.rows["metrics"]
    papers = pq.read_table(tmp_path / "pq" / "papers.parquet").to_pydict()
    assert len(papers["id"]) == 11 and "1512.03385" in papers["id"]


def test_parquet_without_pyarrow_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("pyarrow"):
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    result = CliRunner().invoke(main, ["export", str(RUN), "--format", "parquet",
                                       "-o", str(tmp_path / "pq")])  # fmt: skip
    assert result.exit_code == 2
    assert "pip install 'paperfields[parquet]'" in result.stderr
    assert "Traceback" not in result.output
