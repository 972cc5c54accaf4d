"""Offline extractor: the stated results of today's abstracts - quantities reported as
changed by a figure, lists of margins and of "from ... to ..." figures, correlations
written with their symbol."""

from __future__ import annotations

from paperfields.extract.offline.extractor import extract_fields
from paperfields.schemas import Paper


def metrics_of(abstract: str) -> list[tuple[str, str | None, str | None, str | None]]:
    f = extract_fields(Paper(id="t", title="", abstract=abstract))
    return [(m.name, m.value, m.dataset, m.method) for m in f.metrics]


def test_a_quantity_changed_by_a_figure_is_a_metric_whatever_its_head() -> None:
    got = metrics_of(
        "At 128K context, StripeKV reduces KV cache memory by 40%, shortens the average "
        "solution length by 18% and reduces time-to-first-token by 58%."
    )
    assert [(name, value) for name, value, _, _ in got] == [
        ("KV cache memory", "40%"),
        ("average solution length", "18%"),
        ("time-to-first-token", "58%"),
    ]
    got = metrics_of("PrefKit trains DPO 1.8x faster and with 35% less GPU memory.")
    assert ("GPU memory", "35%") in [(name, value) for name, value, _, _ in got]


def test_what_is_changed_must_be_a_quantity_not_a_system_or_a_vague_noun() -> None:
    got = metrics_of(
        "The optimizations boost the performance of Ditto by up to 9.8%, improve the "
        "model by 3 points and use 40% fewer visual tokens per image."
    )
    assert got == []


def test_relative_to_ends_a_noun_phrase() -> None:
    got = metrics_of("SMPO adds less than 3% training overhead relative to DPO.")
    assert [(name, value) for name, value, _, _ in got] == [("training overhead", "3%")]


def test_correlations_written_with_their_symbol_take_the_figure_beside_them() -> None:
    got = metrics_of(
        "Perplexity is a poor predictor of degradation (Spearman's ρ = 0.41). Answers are "
        "graded by a judge (Cohen's κ = 0.78), with an agreement of 0.72 Krippendorff's α."
    )
    assert [(name, value) for name, value, _, _ in got] == [
        ("Perplexity", None),  # the figure after it is the nearer metric's
        ("Spearman's ρ", "0.41"),
        ("Cohen's κ", "0.78"),
        ("Krippendorff's α", "0.72"),
    ]


def test_a_name_before_a_metric_is_what_is_measured_not_part_of_the_measure() -> None:
    got = metrics_of(
        "Three iterations of CSR raise the AlpacaEval 2.0 length-controlled win rate from "
        "22.9% to 34.6% and the Arena-Hard win rate from 20.6% to 31.2%. It lifts AIME 2024 "
        "accuracy to 43.3% and ToolBench NDCG@5 to 61.2. The CLIP score is 0.31 and ROUGE-L "
        "F1 is 41.2."
    )
    assert [(name, value) for name, value, _, _ in got] == [
        ("length-controlled win rate", "22.9%"),
        ("length-controlled win rate", "34.6%"),
        ("win rate", "20.6%"),
        ("win rate", "31.2%"),
        ("accuracy", "43.3%"),
        ("NDCG@5", "61.2"),
        ("CLIP score", "0.31"),  # a bare score keeps the name that makes it a measure
        ("ROUGE-L F1", "41.2"),  # a known metric is the measure
    ]
