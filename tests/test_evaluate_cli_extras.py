"""`paperfields eval` beside P/R/F1: the proposed method and results table, and `--split`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import paperfields
import pytest
from click.testing import CliRunner, Result
from paperfields.cli import main
from paperfields.errors import ConfigError
from paperfields.evaluate import load_record_fields
from paperfields.evaluate_results import load_gold_extras, score_proposed, score_results

ROOT = Path(__file__).resolve().parents[1]
SCIREX_SAMPLE = ROOT / "tests" / "fixtures" / "eval" / "scirex-sample.jsonl"
PAGE_GOLD = ROOT / "examples" / "eval" / "hf-page-gold.jsonl"
NAME_KEYS = {"fields", "macro_f1", "papers", "predicted_papers", "gold_key"}


def _names(**fields: list[str]) -> dict[str, list[str]]:
    return {f: fields.get(f, []) for f in ("methods", "tasks", "datasets", "metrics")}


def _result(value: str, metric: str | None, dataset: str | None, method: str | None) -> Any:
    return {"value": value, "metric": metric, "dataset": dataset, "method": method, "kind": "x"}


GOLD = [
    {"id": "a", "split": "dev", "title": "A", "abstract": "A.",
     "gold": _names(methods=["CFG++", "DDIM"], metrics=["FID"]),
     "proposed": ["CFG++"], "results": [_result("2.5%", "FID", "COCO", "CFG++")]},
    {"id": "b", "split": "test", "title": "B", "abstract": "B.",
     "gold": _names(methods=["RPO", "DPO"], metrics=["accuracy"]),
     "proposed": ["Reward Preference Optimization", "RPO"],
     "results": [_result("70.8%", "accuracy", None, "RPO"), _result("3x", "speedup", None, "RPO")]},
    {"id": "c", "split": "test", "title": "C", "abstract": "C.",
     "gold": _names(methods=["BERT"]), "proposed": [], "results": []},
]  # fmt: skip
RECORDS = [
    {"id": "a", "status": "ok", "fields": {
        "methods": [{"name": "CFG++", "proposed": True}, {"name": "DDIM", "proposed": False}],
        "metrics": [{"name": "FID", "value": "~2.5 %", "dataset": "COCO", "method": "CFG++"}]}},
    {"id": "b", "status": "ok", "fields": {
        "methods": [{"name": "RPO method", "proposed": True}],
        "metrics": [{"name": "accuracy", "value": "70.8%", "dataset": None, "method": "DPO"}]}},
    {"id": "c", "status": "ok", "fields": {"methods": [{"name": "BERT", "proposed": True}]}},
]  # fmt: skip


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def labelled(tmp_path: Path) -> tuple[Path, Path]:
    """A gold file labelling proposed methods and results, and a run's records of it."""
    return _jsonl(tmp_path / "gold.jsonl", GOLD), _jsonl(tmp_path / "records.jsonl", RECORDS)


def _eval(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["eval", *map(str, args)])


def _hits(share: dict[str, Any]) -> tuple[int, int]:
    return share["hits"], share["total"]


def test_json_carries_proposed_and_results_as_scored_for_the_same_records(
    labelled: tuple[Path, Path],
) -> None:
    gold, records = labelled
    result = _eval(records, "--gold", gold, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == NAME_KEYS | {"proposed", "results"}  # the name keys stay as they were
    fields, extras = load_record_fields(records), load_gold_extras(gold)
    expected = score_results(fields, extras, score_proposed(fields, extras)).to_dict()
    assert data["proposed"] == expected["proposed"] and data["results"] == expected["results"]
    # and those are the figures the records were built to give
    proposed, results = data["proposed"], data["results"]
    assert _hits(proposed["exact"]) == (1, 2) and _hits(proposed["lenient"]) == (2, 2)
    assert _hits(proposed["spurious"]) == (1, 1) and _hits(proposed["names"]) == (1, 3)
    assert _hits(results["value_found"]) == (2, 3)
    assert _hits(results["exact"]["metric"]) == (2, 3)
    assert _hits(results["exact"]["dataset"]) == (1, 1)
    assert _hits(results["exact"]["method"]) == (1, 3)


def test_table_follows_the_names_table(labelled: tuple[Path, Path]) -> None:
    gold, records = labelled
    result = _eval(records, "--gold", gold)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("macro-F1") < out.index("Proposed method and results, 3 papers")
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in out.splitlines()]
    rows = {row[0]: row[1:] for row in cells if row}
    assert rows["proposed method found"] == ["exact", "1", "2", "0.500"]
    assert rows["proposed where gold names none"] == ["", "1", "1", "1.000"]
    assert rows["names marked proposed that are gold"] == ["exact", "1", "3", "0.333"]
    assert rows["result values found"] == ["", "2", "3", "0.667"]
    assert rows["results attached to method"] == ["exact", "1", "3", "0.333"]


def test_nothing_extra_for_a_gold_file_without_proposed_or_results(tmp_path: Path) -> None:
    records = _jsonl(
        tmp_path / "records.jsonl",
        [{"id": json.loads(line)["id"], "status": "ok", "fields": {}}
         for line in SCIREX_SAMPLE.read_text().splitlines()],
    )  # fmt: skip
    as_json = _eval(records, "--gold", SCIREX_SAMPLE, "--json")
    assert as_json.exit_code == 0, as_json.output
    assert set(json.loads(as_json.output)) == NAME_KEYS
    table = _eval(records, "--gold", SCIREX_SAMPLE)
    assert table.exit_code == 0 and "macro-F1" in table.output
    assert "Proposed" not in table.output and "result values" not in table.output
    assert paperfields.score_records_extras(records, SCIREX_SAMPLE) is None


def test_split_scores_only_that_splits_papers(labelled: tuple[Path, Path]) -> None:
    gold, records = labelled
    result = _eval(records, "--gold", gold, "--split", "test", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["papers"] == data["predicted_papers"] == 2 and data["split"] == "test"
    assert data["fields"]["methods"]["exact"]["tp"] == 1  # BERT; paper a's CFG++/DDIM are dev
    assert _hits(data["proposed"]["exact"]) == (0, 1)
    assert _hits(data["proposed"]["lenient"]) == (1, 1)
    assert _hits(data["results"]["value_found"]) == (1, 2)
    table = _eval(records, "--gold", gold, "--split", "test")
    assert "2 test papers, gold key 'gold'" in table.output
    assert "Proposed method and results, 2 test papers" in table.output


def test_library_scores_one_split_too(labelled: tuple[Path, Path]) -> None:
    gold, records = labelled
    report = paperfields.score_records(records, gold, split="dev")
    assert report.papers == 1 and report.split == "dev"
    assert report.fields["methods"].exact.tp == 2
    extras = paperfields.score_records_extras(records, gold, split="dev")
    assert isinstance(extras, paperfields.ResultsReport)
    assert (extras.proposed_exact.hits, extras.proposed_exact.total) == (1, 1)
    assert extras.value_found.total == 1
    with pytest.raises(ConfigError, match="its splits are dev, test"):
        paperfields.score_records(records, gold, split="val")


def test_unknown_split_is_a_usage_error_naming_the_files_splits(
    labelled: tuple[Path, Path], tmp_path: Path
) -> None:
    gold, records = labelled
    result = _eval(records, "--gold", gold, "--split", "val")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("paperfields: error:")
    assert "no gold paper has split 'val'; its splits are dev, test" in lines[0]
    unsplit = _eval(tmp_path / "none", "--gold", SCIREX_SAMPLE, "--split", "test")
    assert unsplit.exit_code == 2 and "gives no paper a 'split'" in unsplit.stderr
    out = tmp_path / "run"
    ran = _eval("--run", gold, "--offline", "-o", out, "--split", "val")
    assert ran.exit_code == 2 and "its splits are dev, test" in ran.stderr
    assert not (out / "records.jsonl").exists()  # refused before extracting anything


def test_run_with_split_extracts_and_scores_only_that_split(tmp_path: Path) -> None:
    lines = PAGE_GOLD.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    picked = [r for r in rows if r["split"] == "dev"][:2]
    picked += [r for r in rows if r["split"] == "test"][:3]
    gold = _jsonl(tmp_path / "page.jsonl", picked)
    test_ids = [r["id"] for r in picked if r["split"] == "test"]
    out = tmp_path / "run"
    result = _eval("--run", gold, "--offline", "-o", out, "--split", "test", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["papers"] == data["predicted_papers"] == 3
    fields = load_record_fields(out / "records.jsonl")
    assert list(fields) == test_ids  # the dev papers were never extracted
    extras = {pid: e for pid, e in load_gold_extras(gold).items() if pid in test_ids}
    expected = score_results(fields, extras, score_proposed(fields, extras)).to_dict()
    assert data["proposed"] == expected["proposed"] and data["results"] == expected["results"]
    assert data["proposed"]["exact"]["total"] == sum(bool(extras[p].proposed) for p in test_ids)
