"""Scoring summaries and claims against sentence-level gold (paperfields.evaluate_claims)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from paperfields.errors import InputError
from paperfields.evaluate_claims import load_gold_claims, place, score_claims

SENTENCES = [
    "Large models are costly to serve.",
    "We propose FastKV, a cache compression method.",
    "FastKV cuts memory by 40%.",
    "It also outperforms H2O by 2 points on LongBench.",
    "We find that early layers need more cache.",
]


def write_gold(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def gold_row(**extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": "p1",
        "source": "x.jsonl",
        "split": "dev",
        "sentences": SENTENCES,
        "summary": 1,
        "claims": [
            {"sentence": 2, "kind": "efficiency"},
            {"sentence": 3, "kind": "performance"},
            {"sentence": 4, "kind": "finding"},
        ],
    }
    row.update(extra)
    return row


def test_a_prediction_is_placed_on_the_sentence_that_holds_it() -> None:
    assert place("FastKV cuts memory", SENTENCES) == 2
    assert place("We propose  FastKV,\na cache compression method.", SENTENCES) == 1
    # spanning a boundary the labeller saw: the first sentence it holds whole
    assert place("FastKV cuts memory by 40%. It also outperforms H2O", SENTENCES) == 2
    assert place(SENTENCES[2] + " " + SENTENCES[3], SENTENCES) == 2
    assert place("A sentence of another abstract.", SENTENCES) is None
    assert place("", SENTENCES) is None


def test_summary_detection_and_kinds_are_scored_per_sentence(tmp_path: Path) -> None:
    gold = load_gold_claims(write_gold(tmp_path / "g.jsonl", [gold_row()]))
    fields = {
        "p1": {
            "summary": SENTENCES[1],
            "claims": [
                {"text": "x", "kind": "performance", "evidence": SENTENCES[0]},  # background
                {"text": "x", "kind": "efficiency", "evidence": SENTENCES[2]},
                {"text": "x", "kind": "finding", "evidence": SENTENCES[3]},  # wrong kind
            ],
        }
    }
    report = score_claims(gold, fields)
    assert (report.summary.hits, report.summary.total) == (1, 1)
    assert (report.precision.hits, report.precision.total) == (2, 3)
    assert (report.recall.hits, report.recall.total) == (2, 3)
    assert (report.typed_precision.hits, report.typed_recall.hits) == (1, 1)
    assert (report.background.hits, report.background.total) == (1, 3)
    assert report.kinds[("none", "performance")] == 1
    assert report.kinds[("finding", "none")] == 1
    assert report.f1 == pytest.approx(2 / 3)


def test_a_wrong_summary_a_failed_record_and_a_split_filter(tmp_path: Path) -> None:
    rows = [gold_row(), gold_row(id="p2", split="test")]
    gold = load_gold_claims(write_gold(tmp_path / "g.jsonl", rows))
    fields = {"p1": {"summary": SENTENCES[0], "claims": []}, "p2": None}
    report = score_claims(gold, fields)
    assert (report.summary.hits, report.summary.total) == (0, 2)
    assert (report.recall.hits, report.recall.total) == (0, 6)
    assert report.precision.total == 0 and report.f1 == 0.0
    assert score_claims(gold, fields, "test").summary.total == 1
    assert score_claims(gold, {}, None).summary.total == 0  # papers without a record


@pytest.mark.parametrize(
    "bad",
    [
        {"summary": 9},
        {"sentences": "one string"},
        {"claims": [{"sentence": 1, "kind": "impressive"}]},
        {"claims": [{"sentence": 12, "kind": "finding"}]},
    ],
)
def test_a_bad_gold_line_is_refused_with_its_line(tmp_path: Path, bad: dict[str, object]) -> None:
    path = write_gold(tmp_path / "g.jsonl", [gold_row(id="ok"), gold_row(**bad)])
    with pytest.raises(InputError) as info:
        load_gold_claims(path)
    assert "line 2" in str(info.value) or getattr(info.value, "line", None) == 2
