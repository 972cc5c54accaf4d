"""Grounding: every quote is located (exact, normalised, fuzzy) or marked ungrounded."""

from __future__ import annotations

import pytest
from paperfields.ground import Locator, ground_fields
from paperfields.schemas import ExtractedFields

ABSTRACT = (
    "Semantic image segmentation is an essential component of modern autonomous driving. "
    "Without additional processing steps, our approach achieves an intersection-over-union "
    "score of 71.8% on the Cityscapes dataset. We call it \u201cFRRN\u201d \u2014 a residual net."
)


def test_exact_quote_gives_its_offsets() -> None:
    span, match = Locator(ABSTRACT).locate("71.8% on the Cityscapes dataset")
    assert match == "exact"
    assert span is not None and ABSTRACT[span[0] : span[1]] == "71.8% on the Cityscapes dataset"


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("SEMANTIC IMAGE   segmentation", "Semantic image segmentation"),
        (
            'We call it "FRRN" - a residual net.',
            "We call it \u201cFRRN\u201d \u2014 a residual net.",
        ),
    ],
)
def test_case_whitespace_quotes_and_dashes_are_folded(quote: str, expected: str) -> None:
    span, match = Locator(ABSTRACT).locate(quote)
    assert match == "normalized"
    assert span is not None and ABSTRACT[span[0] : span[1]] == expected


def test_a_lightly_paraphrased_quote_matches_fuzzily_on_word_boundaries() -> None:
    quote = "our approach achieves an intersection over union score of 71.8 % on the Cityscapes"
    span, match = Locator(ABSTRACT).locate(quote)
    assert match == "fuzzy"
    assert span is not None
    text = ABSTRACT[span[0] : span[1]]
    assert text.startswith("our approach achieves")
    assert text.endswith("Cityscapes")


@pytest.mark.parametrize("quote", ["", "   ", "a sentence that is not in the abstract at all"])
def test_absent_or_empty_quotes_are_not_grounded(quote: str) -> None:
    assert Locator(ABSTRACT).locate(quote) == (None, None)


def test_short_quotes_never_match_fuzzily() -> None:
    assert Locator(ABSTRACT).locate("Cityscapez") == (None, None)


def test_ground_fields_sets_span_match_and_name_span_and_counts() -> None:
    fields = ExtractedFields.model_validate(
        {
            "summary": "A residual net for street scenes.",
            "tasks": [
                {"name": "semantic image segmentation", "evidence": "Semantic image segmentation"}
            ],
            "methods": [
                {
                    "name": "FRRN",
                    "proposed": True,
                    "description": "a residual net",
                    "evidence": "We call it \u201cFRRN\u201d \u2014 a residual net.",
                }
            ],
            "datasets": [
                {"name": "Cityscapes", "role": "eval", "evidence": "on the Cityscapes dataset"}
            ],
            "metrics": [
                {
                    "name": "intersection-over-union score",
                    "value": "71.8%",
                    "dataset": "Cityscapes",
                    "method": None,
                    "evidence": "an intersection-over-union score of 71.8%",
                }
            ],
            "claims": [{"text": "It is good.", "kind": "performance", "evidence": "made up quote"}],
        }
    )
    grounded, summary = ground_fields(ABSTRACT, fields)
    assert summary.items == 5
    assert summary.grounded == 4 and summary.ungrounded == 1
    assert summary.exact == 4
    dataset = grounded.datasets[0]
    assert dataset.grounded and dataset.match == "exact" and dataset.span is not None
    assert dataset.name_span is not None
    assert ABSTRACT[dataset.name_span[0] : dataset.name_span[1]] == "Cityscapes"
    task = grounded.tasks[0]
    assert task.name_span is not None
    assert ABSTRACT[task.name_span[0] : task.name_span[1]] == "Semantic image segmentation"
    claim = grounded.claims[0]
    assert claim.span is None and claim.grounded is False and claim.match is None
    assert grounded.summary == fields.summary
    assert grounded.methods[0].proposed is True


def test_name_span_is_searched_inside_the_evidence_only() -> None:
    abstract = "Cityscapes is hard for small models. We reach 71.8% mIoU on Cityscapes and KITTI."
    evidence = "We reach 71.8% mIoU on Cityscapes and KITTI."
    fields = ExtractedFields.model_validate(
        {
            "summary": None,
            "tasks": [],
            "methods": [],
            "datasets": [
                {"name": "Cityscapes", "role": "eval", "evidence": evidence},
                {"name": "small models", "role": "eval", "evidence": evidence},
            ],
            "metrics": [],
            "claims": [],
        }
    )
    grounded, _ = ground_fields(abstract, fields)
    inside, outside = grounded.datasets
    assert inside.span == (abstract.index(evidence), len(abstract))
    second = abstract.index("Cityscapes", 1)
    assert inside.name_span == (second, second + len("Cityscapes"))  # not the first mention
    assert outside.grounded and outside.name_span is None  # only outside the evidence


PARAGRAPH = (
    "Large language models are increasingly used to annotate scientific text. "
    "We propose a retrieval augmented tagger that reads each abstract once and labels "
    "every mention of a dataset, a metric and a method. On three benchmarks it improves "
    "the F1 score by 4.2 points over the strongest baseline while halving inference cost."
)


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        # dropped words
        (
            "We propose a retrieval tagger that reads each abstract and labels every mention",
            "We propose a retrieval augmented tagger that reads each abstract once and labels "
            "every mention",
        ),
        # a synonym
        (
            "On three benchmarks it raises the F1 score by 4.2 points over the strongest baseline",
            "On three benchmarks it improves the F1 score by 4.2 points over the strongest "
            "baseline",
        ),
        # two words swapped
        (
            "it improves the F1 score by 4.2 points over the baseline strongest while halving",
            "it improves the F1 score by 4.2 points over the strongest baseline while halving",
        ),
    ],
)
def test_paraphrased_quotes_match_fuzzily_on_whole_words(quote: str, expected: str) -> None:
    span, match = Locator(PARAGRAPH).locate(quote)
    assert match == "fuzzy"
    assert span is not None and PARAGRAPH[span[0] : span[1]] == expected


@pytest.mark.parametrize(
    "quote",
    [
        # same vocabulary, different claim: similarity about 0.6-0.8, under the threshold
        "We propose three benchmarks that label every dataset and halve the F1 score of models",
        "The strongest baseline reads each mention once and improves inference cost by 4.2",
        "every scientific text is annotated by large models that improve the baseline",
    ],
)
def test_near_misses_stay_ungrounded(quote: str) -> None:
    """A threshold lowered to 0.5 would ground these: the threshold is pinned here."""
    assert Locator(PARAGRAPH).locate(quote) == (None, None)


def test_fuzzy_threshold_is_the_documented_one() -> None:
    from paperfields.ground import FUZZY_THRESHOLD

    assert FUZZY_THRESHOLD == 0.85


def _near_miss_fields(count: int) -> ExtractedFields:
    quotes = [
        f"We propose {n} retrieval taggers that read abstracts twice and label nothing at all"
        for n in range(count)
    ]
    return ExtractedFields.model_validate(
        {
            "summary": None,
            "tasks": [],
            "methods": [],
            "datasets": [],
            "metrics": [],
            "claims": [{"text": q, "kind": "other", "evidence": q} for q in quotes],
        }
    )


def test_a_reply_of_10000_near_miss_quotes_is_capped_per_field() -> None:
    fields = _near_miss_fields(10_000)
    grounded, summary = ground_fields(PARAGRAPH, fields, max_items=50)
    assert len(grounded.claims) == 50
    assert summary.items == 50 and summary.dropped == 9_950
    assert summary.ungrounded == 50


def test_grounding_time_per_paper_is_bounded() -> None:
    import time

    fields = _near_miss_fields(10_000)
    started = time.perf_counter()
    grounded, summary = ground_fields(PARAGRAPH, fields, max_items=100_000, budget_s=0.05)
    elapsed = time.perf_counter() - started
    assert summary.items == 10_000 and summary.dropped == 0
    assert summary.fuzzy_skipped > 0
    assert summary.ungrounded == 10_000 and len(grounded.claims) == 10_000
    assert elapsed < 2.0  # the exact and normalised checks are cheap; the fuzzy step stopped


def test_exact_matches_are_kept_when_the_budget_is_spent() -> None:
    fields = ExtractedFields.model_validate(
        {
            "summary": None,
            "tasks": [{"name": "annotation", "evidence": "annotate scientific text"}],
            "methods": [],
            "datasets": [],
            "metrics": [],
            "claims": [],
        }
    )
    grounded, summary = ground_fields(PARAGRAPH, fields, budget_s=0.0)
    assert grounded.tasks[0].match == "exact" and summary.fuzzy_skipped == 0
