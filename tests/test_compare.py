"""compare: groups largest first, min-papers, matrix cells, papers side by side, every --format."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from paperfields.cli import main
from paperfields.compare.index import RunIndex, open_run
from paperfields.errors import InputError

RUN = Path(__file__).resolve().parent / "fixtures" / "compare"
MTEB_PAPERS = [
    "improving-general-text-embedding-model-tackling-task",
    "nv-embed-improved-techniques-for-training-llms-as-generalist",
    "mmteb-massive-multilingual-text-embedding-benchmark",
]
MMTEB_PAPER = "mmteb-massive-multilingual-text-embedding-benchmark"
PEG_PAPER = "towards-robust-text-retrieval-with-progressive-learning"
FAILED_PAPER = "binary-classifier-optimization-for-large-language-model"
GPT_PAPER = "revisiting-few-shot-prompting-baselines-for-closed-book"
NV_EMBED = "nv-embed-improved-techniques-for-training-llms-as-generalist"


@pytest.fixture(scope="module")
def index() -> RunIndex:
    return open_run(RUN)


def _by_value(index: RunIndex, field: str) -> dict[str, list[str]]:
    return {g.value: g.papers for g in index.groups(field)}


def test_run_index_lists_every_paper_including_failed(index: RunIndex) -> None:
    assert len(index.papers) == 11
    assert index.warnings == []
    failed = index.paper(FAILED_PAPER)
    assert failed.status == "failed" and failed.error
    assert all(m.paper_id != FAILED_PAPER for f in ("tasks", "datasets") for m in index.mentions(f))


def test_groups_are_largest_first(index: RunIndex) -> None:
    groups = index.groups("datasets")
    sizes = [len(g.papers) for g in groups]
    assert sizes == sorted(sizes, reverse=True)
    assert {g.value for g in groups[:2]} == {"ImageNet", "MTEB"}


def test_mteb_papers_share_one_group_and_mmteb_cmteb_stay_apart(index: RunIndex) -> None:
    groups = {g.value: g for g in index.groups("datasets")}
    mteb = groups["MTEB"]
    assert sorted(mteb.papers) == sorted(MTEB_PAPERS)
    assert set(mteb.variants) == {
        "Massive Text Embedding Benchmark (MTEB)",
        "MTEB benchmark",
        "MTEB",
    }
    assert groups["MMTEB"].papers == [MMTEB_PAPER]
    assert groups["C-MTEB"].papers == [PEG_PAPER]


def test_numbers_and_versions_stay_apart(index: RunIndex) -> None:
    datasets = _by_value(index, "datasets")
    assert sorted(datasets["CIFAR-10"]) == ["1412.6806", "1512.03385"]
    assert sorted(datasets["CIFAR-100"]) == ["1412.6806", "1904.01169"]
    methods = _by_value(index, "methods")
    assert methods["GPT-3"] == [GPT_PAPER]
    assert sorted(methods["GPT-4"]) == sorted(
        ["investigating-data-contamination-in-modern-benchmarks-for", GPT_PAPER]
    )
    assert "CFG" in methods and "CFG++" in methods


def test_min_papers_and_limit(index: RunIndex) -> None:
    shared = index.groups("datasets", min_papers=2)
    assert [g.value for g in shared] == ["ImageNet", "MTEB", "CIFAR-10", "CIFAR-100"]
    assert len(index.groups("datasets", limit=3)) == 3


def test_group_json_has_values_for_metrics(index: RunIndex) -> None:
    score = next(g for g in index.groups("metrics") if g.value == "score")
    data = score.to_dict()
    assert data["papers"] == [NV_EMBED]
    assert [v["value"] for v in data["values"]] == ["69.32", "59.36"]
    assert data["values"][0]["dataset"] == "MTEB"
    methods = {g.value: g.to_dict() for g in index.groups("methods")}
    assert methods["NV-Embed"]["proposed_by"] == [NV_EMBED]


def test_claims_group_by_kind(index: RunIndex) -> None:
    kinds = {g.value: g.mention_count for g in index.groups("claims")}
    assert kinds == {"performance": 6, "finding": 5, "efficiency": 2}


def test_matrix_cells(index: RunIndex) -> None:
    metrics = index.matrix("metrics")
    assert metrics.cells[NV_EMBED][_key(index, "metrics", "score")] == "69.32; 59.36"
    assert metrics.cells["1412.6806"][_key(index, "metrics", "accuracy")] == "✓"
    assert {p.id for p in metrics.papers} == {p for p, cells in metrics.cells.items() if cells}
    datasets = index.matrix("datasets", min_papers=2)
    assert [g.value for g in datasets.columns] == ["ImageNet", "MTEB", "CIFAR-10", "CIFAR-100"]
    assert datasets.cells["1512.03385"][_key(index, "datasets", "CIFAR-10")] == "✓ eval"
    assert datasets.cells[MMTEB_PAPER][_key(index, "datasets", "MTEB")] == "✓"
    assert FAILED_PAPER not in {p.id for p in datasets.papers}
    methods = index.matrix("methods")
    assert methods.cells["1904.01169"][_key(index, "methods", "Res2Net")] == "✓ proposed"
    table = datasets.to_table()
    assert table.columns[0] == "paper" and len(table.rows) == len(datasets.papers)


def _key(index: RunIndex, field: str, value: str) -> str:
    return next(g.key for g in index.groups(field) if g.value == value)


def test_papers_side_by_side(index: RunIndex) -> None:
    side = index.side_by_side(["1512.03385", "1904.01169", "1512.03385"])
    table = side.to_table()
    assert table.columns == ["", "1512.03385", "1904.01169"]
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["title"][1].startswith("Res2Net")
    assert "CIFAR-10 (eval)" in rows["datasets"][0].split("\n")
    assert "Res2Net (proposed)" in rows["methods"][1].split("\n")
    assert "error = 3.57% on ImageNet" in rows["metrics"][0]
    data = side.to_dict()
    assert [p["id"] for p in data] == ["1512.03385", "1904.01169"]
    assert {"name": "ImageNet dataset", "canonical": "ImageNet", "role": "eval"} in data[0][
        "datasets"
    ]


def test_unknown_paper_id_suggests_close_ids(index: RunIndex) -> None:
    with pytest.raises(
        InputError, match=r"unknown paper id '1512\.0338'.*did you mean 1512\.03385"
    ):
        index.side_by_side(["1512.0338"])


def test_last_line_per_id_wins_and_bad_lines_warn(tmp_path: Path) -> None:
    lines = (RUN / "records.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    newer = dict(first, title="Retried title")
    text = "\n".join([lines[0], '{"id": "broken"}', "not json", json.dumps(newer), lines[1]])
    (tmp_path / "records.jsonl").write_text(text + "\n", encoding="utf-8")
    index = open_run(tmp_path)
    second = json.loads(lines[1])
    assert [p.id for p in index.papers] == [first["id"], second["id"]]
    assert index.paper(first["id"]).title == "Retried title"
    records = tmp_path / "records.jsonl"
    assert len(index.warnings) == 2
    assert index.warnings[0].startswith(f"{records}:2: not a valid record")
    assert index.warnings[1].startswith(f"{records}:3: invalid JSON")
    assert [r.title for r in index.iter_records()] == ["Retried title", second["title"]]


def _errors_run(tmp_path: Path) -> Path:
    """The fixture run plus an errors.jsonl: 3 more failed papers, 1 bad line."""
    shutil.copy(RUN / "records.jsonl", tmp_path / "records.jsonl")
    entries = [
        {"id": None, "stage": "ingest", "error_type": "MissingAbstract", "reason": "no abstract"},
        {"id": "a", "title": "A", "stage": "extract", "error_type": "Refusal", "reason": "x"},
        {"id": "b", "title": "B", "stage": "extract", "error_type": "Timeout", "reason": "y"},
        {"id": "a", "title": "A", "stage": "extract", "error_type": "Refusal", "reason": "again"},
        {"id": FAILED_PAPER, "stage": "extract", "error_type": "Refusal", "reason": "z"},
    ]
    lines = [json.dumps(e) for e in entries] + ['{"id": "c", "stage": "extract"']
    (tmp_path / "errors.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_failed_counts_errors_jsonl_once_per_paper(tmp_path: Path) -> None:
    run = _errors_run(tmp_path)
    for path in (run, run / "records.jsonl"):  # a records file finds errors.jsonl beside it
        index = open_run(path)
        # the failed record + the id-less ingest entry + "a" + "b"; FAILED_PAPER counted once
        assert index.failed == 4
        assert [e.id for e in index.failures] == [None, "a", "b", "a", FAILED_PAPER]
        assert index.failures[0].stage == "ingest" and index.failures[3].reason == "again"
        bad_line = f"{run / 'errors.jsonl'}:6: invalid JSON (Expecting ',' delimiter)"
        assert index.warnings == [bad_line]
    assert open_run(RUN).failed == 1  # no errors.jsonl: the failed record only


def test_cli_overview_counts_failed_papers_of_errors_jsonl(tmp_path: Path) -> None:
    run = _errors_run(tmp_path)
    code, out, err = _invoke(str(run), "--format", "json")
    assert code == 0 and "errors.jsonl:6: invalid JSON" in " ".join(err.split())
    overview = json.loads(out)
    assert overview["papers"] == 11 and overview["failed"] == 4
    code, out, _ = _invoke(str(run), "--format", "md")
    assert code == 0 and "11 papers (4 failed): most shared values" in out


def test_missing_run_folder_and_records(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such run folder"):
        open_run(tmp_path / "nope")
    with pytest.raises(InputError, match="no records.jsonl"):
        open_run(tmp_path)


# --- CLI ---------------------------------------------------------------------------------


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["compare", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_by_json() -> None:
    code, out, _ = _invoke(str(RUN), "--by", "datasets", "--format", "json")
    assert code == 0
    groups = json.loads(out)
    assert groups[0].keys() >= {"value", "variants", "papers", "count"}
    mteb = next(g for g in groups if g["value"] == "MTEB")
    assert len(mteb["papers"]) == 3


def test_cli_by_md_csv_and_table() -> None:
    code, out, _ = _invoke(str(RUN), "--by", "datasets", "--min-papers", "2", "--format", "md")
    assert code == 0
    lines = out.splitlines()
    assert lines[2] == "| value | papers | variants | paper ids |"
    assert sum(line.startswith("| ") for line in lines) == 6  # header, rule, 4 groups
    code, out, _ = _invoke(str(RUN / "records.jsonl"), "--by", "metrics", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    score = next(r for r in rows if r["value"] == "score")
    assert score["values"] == f"69.32 ({NV_EMBED}, MTEB); 59.36 ({NV_EMBED}, BEIR)"
    code, out, _ = _invoke(str(RUN), "--by", "datasets")
    assert code == 0 and "MTEB" in out and "C-MTEB" in out


def test_cli_matrix_and_overview() -> None:
    code, out, _ = _invoke(str(RUN), "--by", "datasets", "--matrix", "--format", "json")
    assert code == 0
    grid = json.loads(out)
    assert grid["columns"][:2] == ["ImageNet", "MTEB"]
    cells = {p["id"]: p["cells"] for p in grid["papers"]}
    assert cells["1412.6806"] == {"ImageNet": "✓ eval", "CIFAR-10": "✓ eval", "CIFAR-100": "✓ eval"}
    code, out, _ = _invoke(str(RUN), "--format", "json")
    assert code == 0
    overview = json.loads(out)
    assert overview["papers"] == 11 and overview["failed"] == 1
    assert overview["fields"]["datasets"][0]["value"] in {"ImageNet", "MTEB"}


def test_cli_papers_side_by_side() -> None:
    code, out, _ = _invoke(str(RUN), "--papers", "1512.03385", "1904.01169", "--format", "json")
    assert code == 0
    assert [p["id"] for p in json.loads(out)] == ["1512.03385", "1904.01169"]
    code, out, _ = _invoke(str(RUN), "--papers", "1512.03385,1412.6806", "--format", "md")
    assert code == 0 and "| | 1512.03385 | 1412.6806 |" in out.replace("|  |", "| |")


def test_cli_aliases(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.json"
    aliases.write_text('{"ImageNet-1k": ["ImageNet"]}', encoding="utf-8")
    code, out, _ = _invoke(
        str(RUN), "--by", "datasets", "--format", "json", "--aliases", str(aliases)
    )
    assert code == 0
    assert "ImageNet-1k" in [g["value"] for g in json.loads(out)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{missing}"], "no such run folder"),
        (["{empty}"], "no records.jsonl"),
        (["{run}", "--papers", "nope"], "unknown paper id 'nope'"),
        (["{run}", "--aliases", "{missing}.json"], "cannot read alias file"),
        (["{run}", "--matrix"], "--matrix needs --by"),
        (["{run}", "--by", "tasks", "--papers", "x"], "either --papers or --by"),
        (["{run}", "1512.03385"], "paper ids need --papers"),
    ],
)
def test_cli_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    places = {"missing": str(tmp_path / "missing"), "empty": str(tmp_path), "run": str(RUN)}
    code, out, err = _invoke(*(a.format(**places) for a in args))
    assert code == 2
    assert message in err


def test_side_by_side_lists_a_canonical_duplicate_once(tmp_path: Path) -> None:
    from paperfields.api import extract_paper
    from paperfields.extract import Extraction
    from paperfields.schemas import ExtractedFields

    abstract = "Large language models (LLMs) are strong. We study LLMs and how an LLM reasons."
    fields = ExtractedFields.model_validate(
        {
            "summary": None,
            "tasks": [],
            "methods": [
                {"name": n, "proposed": False, "description": None, "evidence": abstract}
                for n in ("Large language models (LLMs)", "LLMs", "LLM")
            ],
            "datasets": [],
            "metrics": [],
            "claims": [],
        }
    )

    class Fixed:
        name, concurrency = "fixed:v1", 1

        async def extract(self, paper: object) -> Extraction:
            return Extraction(fields=fields, extractor=self.name)

        async def aclose(self) -> None:
            return None

    record = extract_paper({"id": "p1", "title": "T", "abstract": abstract}, extractor=Fixed())
    (tmp_path / "records.jsonl").write_text(record.model_dump_json() + "\n", encoding="utf-8")
    table = open_run(tmp_path).side_by_side(["p1"]).to_table()
    methods = {row[0]: row[1:] for row in table.rows}["methods"][0].split("\n")
    assert len(methods) == 1, methods


# --- the leaderboard ------------------------------------------------------------------------


def _board_run(tmp_path: Path) -> Path:
    """Three papers reporting accuracy on ImageNet (one as a change), one perplexity, one bare."""

    def record(pid: str, metrics: list[dict[str, object]], proposed: str | None) -> str:
        abstract = " ".join(str(m["evidence"]) for m in metrics)
        methods = [{"name": proposed, "proposed": True, "description": None, "evidence": abstract}]
        fields = {
            "summary": None, "tasks": [], "datasets": [], "claims": [],
            "methods": methods if proposed else [],
            "metrics": [dict({"dataset": None}, **m) for m in metrics],
        }  # fmt: skip
        provenance = {"extractor": "fixed:v1", "schema_sha256": "0" * 64, "input_sha256": "0"}
        return json.dumps({"id": pid, "title": pid.upper(), "abstract": abstract,
                           "fields": fields, "provenance": provenance})  # fmt: skip

    lines = [
        record("a", [{"name": "top-1 accuracy", "value": "76.1%", "dataset": "ImageNet",
                      "evidence": "ResNet reaches 76.1% top-1 accuracy on ImageNet."}], "ResNet"),
        record("b", [{"name": "Top-1 Accuracy", "value": "80.2%", "dataset": "ImageNet-1k",
                      "evidence": "We obtain 80.2% top-1 accuracy."},
                     {"name": "perplexity", "value": "20.5", "dataset": "WikiText-103",
                      "evidence": "A perplexity of 20.5 on WikiText-103."}], "B-Net"),
        record("c", [{"name": "top-1 accuracy", "value": "+1.5%", "dataset": "ImageNet",
                      "evidence": "It improves top-1 accuracy by +1.5% over ResNet."},
                     {"name": "quality", "value": "0.9", "dataset": None,
                      "evidence": "Quality is 0.9."}], None),
        record("d", [{"name": "perplexity", "value": "18.0", "dataset": "WikiText-103",
                      "evidence": "C-LM reaches a perplexity of 18.0 on WikiText-103."}], "C-LM"),
    ]  # fmt: skip
    (tmp_path / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    aliases = tmp_path / "aliases.json"
    aliases.write_text('{"ImageNet": ["ImageNet-1k"]}', encoding="utf-8")
    return tmp_path


def test_leaderboard_ranks_best_first_by_direction(tmp_path: Path) -> None:
    from paperfields.names.canonical import load_aliases

    run = _board_run(tmp_path)
    index = open_run(run, aliases=load_aliases(run / "aliases.json"))
    boards = {(b.dataset, b.metric): b for b in index.leaderboard()}
    accuracy = boards[("ImageNet", "top-1 accuracy")]
    assert accuracy.direction == "higher"
    assert [(e.paper, e.rank, e.kind) for e in accuracy.entries] == [
        ("b", 1, "absolute"), ("a", 2, "absolute"), ("c", None, "delta")
    ]  # the change follows, unranked
    assert [e.method for e in accuracy.entries] == ["B-Net", "ResNet", None]
    assert accuracy.entries[0].method_source == "proposed"
    assert accuracy.entries[1].method_source == "evidence"
    perplexity = boards[("WikiText-103", "perplexity")]
    assert [(e.paper, e.number, e.rank) for e in perplexity.entries] == [("d", 18.0, 1),
                                                                         ("b", 20.5, 2)]
    unspecified = boards[(None, "quality")]
    assert unspecified.direction is None and "paper order" in unspecified.note
    assert list(boards)[-1] == (None, "quality")  # values without a dataset come last
    only = index.leaderboard(dataset="imagenet-1k", metric="Top-1 Accuracy")
    assert [(b.dataset, b.metric) for b in only] == [("ImageNet", "top-1 accuracy")]
    assert [b.metric for b in index.leaderboard(dataset="unspecified")] == ["quality"]


def test_cli_results_json_md_csv_and_table(tmp_path: Path) -> None:
    run = _board_run(tmp_path)
    code, out, _ = _invoke(str(run), "--by", "results", "--format", "json")
    assert code == 0
    boards = json.loads(out)
    first = boards[0]
    assert {"dataset", "metric", "entries"} <= first.keys()
    keys = {"paper", "method", "value", "number", "unit", "kind", "rank"}
    assert keys <= first["entries"][0].keys()
    assert any(b["dataset"] is None for b in boards)  # "unspecified", not dropped
    code, out, _ = _invoke(str(run), "--by", "results", "--metric", "perplexity", "--format", "md")
    assert code == 0 and "### WikiText-103 · perplexity (lower is better" in out
    assert out.index("| 1 | d |") < out.index("| 2 | b |")
    code, out, _ = _invoke(str(run), "--by", "results", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["dataset"] for r in rows} >= {"unspecified", "WikiText-103"}
    code, out, _ = _invoke(str(run), "--by", "results")
    assert code == 0 and "perplexity ↓" in out and "quality ?" in out
    code, _, err = _invoke(str(run), "--by", "datasets", "--metric", "x")
    assert code == 2 and "--by results" in err


# --- views that fit the terminal --------------------------------------------------------------


def test_matrix_fits_160_columns_and_says_what_it_left_out() -> None:
    from paperfields.compare.tables import fit_table

    table = open_run(RUN).matrix("methods").to_table()
    assert len(table.columns) > 20
    fitted, notes = fit_table(table, 160)
    assert 2 < len(fitted.columns) < len(table.columns)
    assert notes and f"of {len(table.columns) - 1} value columns" in notes[0]
    assert all(len(c) >= 3 for c in fitted.columns)  # no letter-wide headers
    result = CliRunner(env={"COLUMNS": "160"}).invoke(
        main, ["compare", str(RUN), "--by", "methods", "--matrix"]
    )
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 160
    assert "--format csv or md lists them all" in " ".join(result.stdout.split())
    code, out, _ = _invoke(str(RUN), "--by", "methods", "--matrix", "--format", "csv")
    assert len(next(csv.reader(io.StringIO(out)))) == len(table.columns)  # csv stays complete


def test_claims_are_one_row_each_complete_in_md() -> None:
    code, out, _ = _invoke(str(RUN), "--by", "claims", "--format", "md")
    assert code == 0
    rows = [line for line in out.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows[0] == "| kind | paper | claim |" and len(rows) == 1 + 13
    assert all(line.count("<br>") == 0 for line in rows)
    index = open_run(RUN)
    longest = max((m.name for m in index.mentions("claims")), key=len)
    assert longest.replace("|", "\\|") in out  # whole sentences, not cut
    code, out, _ = _invoke(str(RUN), "--by", "claims", "--format", "json")
    kinds = json.loads(out)
    assert sum(len(k["claims"]) for k in kinds) == 13


def test_overview_lists_the_failed_papers(tmp_path: Path) -> None:
    run = _errors_run(tmp_path)
    code, out, _ = _invoke(str(run), "--format", "json")
    assert [f["id"] for f in json.loads(out)["failures"]] == [None, "a", "b", "a", FAILED_PAPER]
    result = CliRunner(env={"COLUMNS": "160"}).invoke(main, ["compare", str(run)])
    assert "failed: A (extract, Refusal)" in result.stdout


def test_a_figure_written_twice_for_one_dataset_is_one_leaderboard_entry(tmp_path: Path) -> None:
    abstract = (
        "NV-X scores 69.3 on the Massive Text Embedding Benchmark (MTEB). "
        "On MTEB, NV-X scores 69.3 and E5 scores 60.1."
    )
    metrics = [
        {"name": "score", "value": "69.3", "dataset": "Massive Text Embedding Benchmark (MTEB)",
         "method": "NV-X", "evidence": abstract.split(". ")[0]},
        {"name": "score", "value": "69.3", "dataset": "MTEB", "method": "NV-X",
         "evidence": "On MTEB, NV-X scores 69.3"},
        {"name": "score", "value": "60.1", "dataset": "MTEB", "method": "E5",
         "evidence": "E5 scores 60.1"},
    ]  # fmt: skip
    fields = {"summary": None, "tasks": [], "datasets": [], "claims": [], "methods": [],
              "metrics": metrics}  # fmt: skip
    provenance = {"extractor": "fixed:v1", "schema_sha256": "0" * 64, "input_sha256": "0"}
    line = json.dumps({"id": "p", "title": "P", "abstract": abstract, "fields": fields,
                       "provenance": provenance})  # fmt: skip
    (tmp_path / "records.jsonl").write_text(line + "\n", encoding="utf-8")
    (board,) = open_run(tmp_path).leaderboard()
    assert [(e.method, e.value) for e in board.entries] == [("NV-X", "69.3"), ("E5", "60.1")]
    assert all(e.method_source == "extractor" for e in board.entries)
