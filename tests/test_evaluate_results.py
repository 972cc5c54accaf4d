"""Proposed method found and results attached: value keys, matching, shares, loading."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from paperfields.errors import InputError
from paperfields.evaluate_results import (
    GoldExtras,
    GoldResult,
    load_gold_extras,
    score_proposed,
    score_results,
    value_key,
)

PAGE_GOLD = Path(__file__).resolve().parents[1] / "examples" / "eval" / "hf-page-gold.jsonl"


def result(value: str, metric: str | None = None, dataset: str | None = None,
           method: str | None = None) -> GoldResult:  # fmt: skip
    return GoldResult(value=value, metric=metric, dataset=dataset, method=method, kind="delta")


def metric(name: str, value: str | None, dataset: str | None = None,
           method: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {"name": name, "value": value, "dataset": dataset, "method": method}


@pytest.mark.parametrize(
    ("a", "b"),
    [("~2.5%", "2.5%"), ("70.8\\%", "70.8%"), ("up to 29%", "29%"), ("0.7 points", "0.7points"),
     ("−3%", "-3%"), ("$52.5$", "52.5"), ("$4.1 \\times$", "4.1 \\times")],
)  # fmt: skip
def test_value_key_ignores_hedges_and_spacing(a: str, b: str) -> None:
    assert value_key(a) == value_key(b)


def test_value_key_keeps_different_figures_apart() -> None:
    assert value_key("2.5%") != value_key("2.5x")
    assert value_key("10%") != value_key("1.0%")


def test_proposed_found_exact_lenient_and_spurious() -> None:
    gold = {
        "a": GoldExtras(proposed=("CFG++",), results=(), split="dev"),
        "b": GoldExtras(
            proposed=("Reward Preference Optimization", "RPO"), results=(), split="dev"
        ),
        "c": GoldExtras(proposed=("NV-Embed",), results=(), split="test"),
        "d": GoldExtras(proposed=(), results=(), split="test"),
    }
    predictions = {
        "a": {"methods": [{"name": "cfg++", "proposed": True}]},
        "b": {"methods": [{"name": "RPO method", "proposed": True}, {"name": "RPO"}]},
        "c": {"methods": [{"name": "NV-Embed", "proposed": False}]},
        "d": {"methods": [{"name": "BERT", "proposed": True}]},
    }
    report = score_proposed(predictions, gold)
    assert (report.proposed_exact.hits, report.proposed_exact.total) == (1, 3)
    assert (report.proposed_lenient.hits, report.proposed_lenient.total) == (2, 3)
    assert (report.proposed_spurious.hits, report.proposed_spurious.total) == (1, 1)
    # names marked proposed: "cfg++" is right, "RPO method" and "BERT" are not
    assert (report.proposed_names.hits, report.proposed_names.total) == (1, 3)


def test_results_attached_to_metric_dataset_and_method() -> None:
    gold = {
        "p": GoldExtras(
            proposed=(),
            results=(
                result("~2.5%", "Recall@1", "Flickr30K", "BLIP-B/16"),
                result("~2.5%", "Recall@1", "COCO", "BLIP-B/16"),
                result("96.5%", "F1 score", None, None),
                result("65%", None, None, None),
            ),
            split="dev",
        )
    }
    predictions = {
        "p": {
            "metrics": [
                metric("Recall@1", "~2.5%", "Flickr30K", "BLIP-B/16"),
                metric("Recall@1", "~2.5%", "Nocaps", None),
                metric("accuracy", "96.5%"),
            ]
        }
    }
    report = score_results(predictions, gold)
    assert (report.value_found.hits, report.value_found.total) == (3, 4)
    assert (report.attached["metric"].hits, report.attached["metric"].total) == (2, 3)
    assert (report.attached["dataset"].hits, report.attached["dataset"].total) == (1, 2)
    assert (report.attached["method"].hits, report.attached["method"].total) == (2, 2)
    assert report.to_dict()["results"]["exact"]["metric"]["share"] == pytest.approx(2 / 3)


def test_missing_prediction_counts_as_nothing_found() -> None:
    gold = {"p": GoldExtras(proposed=("X",), results=(result("1%", "accuracy"),), split=None)}
    report = score_results({}, gold, score_proposed({}, gold))
    assert report.proposed_exact.share == 0.0 and report.proposed_exact.total == 1
    assert report.attached["metric"].to_dict() == {"hits": 0, "total": 1, "share": 0.0}


def test_load_gold_extras_of_the_example_page() -> None:
    extras = load_gold_extras(PAGE_GOLD)
    assert len(extras) == 63
    assert sum(e.split == "dev" for e in extras.values()) == 35
    assert sum(bool(e.proposed) for e in extras.values()) == 49
    assert sum(len(e.results) for e in extras.values()) == 43


def test_load_gold_extras_rejects_malformed_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "p", "results": [{"metric": "F1"}]}) + "\n")
    with pytest.raises(InputError, match="results"):
        load_gold_extras(bad)
    with pytest.raises(InputError, match="not found"):
        load_gold_extras(tmp_path / "missing.jsonl")
