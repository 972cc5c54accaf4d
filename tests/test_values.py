"""Metric values as numbers (number, unit, kind), metric directions, and records that carry them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from paperfields.compare.index import open_run
from paperfields.names.direction import metric_direction
from paperfields.names.values import ParsedValue, parse_value
from paperfields.schemas import ExtractedFields, GroundedMetric, MetricItem, Record

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "examples" / "eval" / "hf-page-gold.jsonl"
RUN = Path(__file__).resolve().parent / "fixtures" / "compare"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("71.8%", (71.8, "%", "absolute")),
        ("~2.5%", (2.5, "%", "absolute")),
        ("0.833", (0.833, None, "absolute")),
        ("70.8\\%", (70.8, "%", "absolute")),
        ("1,234.5", (1234.5, None, "absolute")),
        ("12 ms", (12.0, "ms", "absolute")),
        ("3.57% top-1 error", (3.57, "%", "absolute")),
        ("71.8 (±0.3)", (71.8, None, "absolute")),
        ("ten minutes", (10.0, "minutes", "absolute")),
        ("+0.7 points", (0.7, "points", "delta")),
        ("4.6 percentage points", (4.6, "points", "delta")),
        ("-3%", (-3.0, "%", "delta")),
        ("−1.2 BLEU", (-1.2, "BLEU", "delta")),
        ("10x", (10.0, "x", "multiplier")),
        ("x2.6", (2.6, "x", "multiplier")),
        ("~9x smaller", (9.0, "x", "multiplier")),
        ("more than 4 times", (4.0, "x", "multiplier")),
        ("3-fold", (3.0, "x", "multiplier")),
        ("two orders of magnitude", (2.0, "orders of magnitude", "multiplier")),
        ("85.1% faster", (85.1, "%", "relative")),
        ("4% less memory", (4.0, "%", "relative")),
    ],
)
def test_values_parse_into_number_unit_and_kind(
    value: str, expected: tuple[float, str | None, str]
) -> None:
    parsed = parse_value(value)
    assert (parsed.number, parsed.unit, parsed.kind) == pytest.approx(expected)


@pytest.mark.parametrize(
    "value", [None, "", "No. 1", "state of the art", "69.32 and 59.36", "70-75%", "70 to 75%", "a"]
)
def test_values_without_one_figure_do_not_parse(value: str | None) -> None:
    assert parse_value(value) == ParsedValue(None, None, None)


@pytest.mark.parametrize(
    ("value", "context", "kind"),
    [
        ("2.5%", "Our model improves accuracy by 2.5% on ImageNet.", "delta"),
        ("2.5%", "Our model reaches 2.5% top-1 error on ImageNet.", "absolute"),
        ("14%", "The training time decreased by 14% with our schedule.", "relative"),
        ("3%", "It needs only 3% of the negative samples.", "relative"),
        ("65%", "Baselines without explanation data achieve below 65% accuracy.", "absolute"),
    ],
)
def test_the_evidence_sentence_tells_a_change_from_a_score(
    value: str, context: str, kind: str
) -> None:
    assert parse_value(value, context).kind == kind


def test_kinds_agree_with_the_hand_labelled_gold_of_the_example_page() -> None:
    """Every result of examples/eval/hf-page-gold.jsonl, parsed with its abstract sentence."""
    agree = parsed = total = 0
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        paper = json.loads(line)
        sentences = re.split(r"(?<=[.!?])\s+", paper["abstract"])
        for result in paper["results"]:
            value = result["value"]
            context = next((s for s in sentences if value in s), None)
            got = parse_value(value, context)
            total += 1
            parsed += got.number is not None
            agree += got.kind == result["kind"]
    assert total >= 40
    assert parsed >= total - 2  # "No. 1" (a rank) is not a figure
    assert agree / total >= 0.9


@pytest.mark.parametrize(
    ("name", "direction"),
    [
        ("accuracy", "higher"), ("top-1 accuracy", "higher"), ("Recall@1", "higher"),
        ("P@1", "higher"), ("F1 score", "higher"), ("BLEU-4", "higher"), ("CLIP-I", "higher"),
        ("exact match rate", "higher"), ("nDCG@10", "higher"), ("error", "lower"),
        ("top-1 error", "lower"), ("word error rate", "lower"), ("perplexity", "lower"),
        ("FID", "lower"), ("latency", "lower"), ("record-high score", None), ("quality", None),
        ("p-value", None),
    ],
)  # fmt: skip
def test_metric_directions(name: str, direction: str | None) -> None:
    assert metric_direction(name) == direction


def test_the_llm_facing_schema_does_not_change() -> None:
    assert set(MetricItem.model_fields) == {"name", "value", "dataset", "method", "evidence"}
    assert "number" not in json.dumps(ExtractedFields.model_json_schema())
    assert {"number", "unit", "kind"} <= set(GroundedMetric.model_fields)


def test_records_are_built_with_parsed_values() -> None:
    from paperfields.api import extract_paper

    abstract = "Our method improves Recall@1 by 2.5% on COCO. It is 10x faster."
    fields = ExtractedFields.model_validate(
        {
            "summary": None, "tasks": [], "datasets": [], "claims": [],
            "methods": [{"name": "ours", "proposed": True, "description": None,
                         "evidence": "Our method"}],
            "metrics": [{"name": "Recall@1", "value": "2.5%", "dataset": "COCO", "method": None,
                         "evidence": "Our method improves Recall@1 by 2.5% on COCO."}],
        }
    )  # fmt: skip

    class Fixed:
        name, concurrency = "fixed:v1", 1

        async def extract(self, paper: object) -> object:
            from paperfields.extract import Extraction

            return Extraction(fields=fields, extractor=self.name)

        async def aclose(self) -> None:
            return None

    record = extract_paper({"id": "p", "title": "T", "abstract": abstract}, extractor=Fixed())  # type: ignore[arg-type]
    metric = record.fields.metrics[0]
    assert (metric.value, metric.number, metric.unit, metric.kind) == ("2.5%", 2.5, "%", "delta")
    stored = json.loads(record.model_dump_json())["fields"]["metrics"][0]
    assert stored["number"] == 2.5 and stored["kind"] == "delta"


def test_old_records_without_parsed_values_still_read_and_get_them(tmp_path: Path) -> None:
    lines = (RUN / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert all('"number"' not in line for line in lines)  # written before values were parsed
    assert all(Record.model_validate_json(line) for line in lines)
    index = open_run(RUN)
    resnet = next(r for r in index.iter_records() if r.id == "1512.03385")
    error = next(m for m in resnet.fields.metrics if m.name == "error")
    assert (error.number, error.unit, error.kind) == (3.57, "%", "absolute")


def test_load_records_gives_old_records_their_parsed_values() -> None:
    import paperfields

    resnet = next(r for r in paperfields.load_records(RUN) if r.id == "1512.03385")
    error = next(m for m in resnet.fields.metrics if m.name == "error")
    assert (error.number, error.kind) == (3.57, "absolute")
    assert paperfields.parse_value("+0.7 points") == ParsedValue(0.7, "points", "delta")
