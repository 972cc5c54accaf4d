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
