"""Offline extractor: which sentences are claims and of which kind (examples/eval/CLAIMS.md),
and the figures of the claims gold pinned so that a change to the cues is seen."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from bench_scripts import load_bench_script
from paperfields.evaluate_claims import load_gold_claims, score_claims
from paperfields.extract.offline.extractor import extract_fields
from paperfields.schemas import Paper

ROOT = Path(__file__).resolve().parents[1]


def claims_of(abstract: str) -> list[tuple[str, str]]:
    f = extract_fields(Paper(id="t", title="", abstract=abstract))
    return [(c.kind, c.text.split()[0]) for c in f.claims]


def test_demonstrating_the_effectiveness_of_the_method_is_a_performance_claim() -> None:
    assert claims_of(
        "We propose FlowKV. Extensive experiments demonstrate the effectiveness of FlowKV. "
        "Results show that our approach leads to superior performance of two rankers."
    ) == [("performance", "Extensive"), ("performance", "Results")]


def test_state_of_the_art_as_an_adjective_and_efficient_as_a_description_are_no_claims() -> None:
    assert claims_of(
        "We propose TinyRank, a lightweight and efficient ranking method. We fine-tune "
        "state-of-the-art models with it. TinyRank sets a new state of the art on MS MARCO."
    ) == [("performance", "TinyRank")]


def test_the_contribution_sentence_claims_only_a_result() -> None:
    assert (
        claims_of(
            "Reward models fail on long answers. To overcome these limitations, we propose "
            "LenRM, a length-aware reward model."
        )
        == []
    )
    assert claims_of(
        "We propose LenRM, a reward model that improves accuracy by 4 points on RewardBench."
    ) == [("performance", "We")]


def test_what_the_method_can_be_used_for_is_a_capability() -> None:
    assert claims_of(
        "We propose PromptMix. PromptMix can be readily extended to jointly optimise the "
        "instruction. It is orthogonal to existing tuning methods."
    ) == [("capability", "PromptMix"), ("capability", "It")]


def test_a_shortcoming_the_paper_finds_is_a_limitation_and_failure_modes_are_no_cue() -> None:
    assert claims_of(
        "We study judges. We find that the relevance score is vulnerable to reward hacking. "
        "In this work, we aim to understand the failure modes of judges."
    ) == [("limitation", "We")]


def test_speed_up_written_as_two_words_and_real_time_are_efficiency() -> None:
    assert claims_of(
        "We propose DropEnc. Dropping the encoder, we speed up training tenfold. Our system "
        "runs in real-time on one GPU."
    ) == [("efficiency", "Dropping"), ("efficiency", "Our")]


def test_cues_reach_over_hyphenated_words_and_name_abilities() -> None:
    assert claims_of(
        "We propose SegNet2. SegNet2 achieves an intersection-over-union score of 71.8%. "
        "The system can be trained end-to-end and is able to cope with occlusion. "
        "It has superior generalization ability."
    ) == [("performance", "SegNet2"), ("capability", "The"), ("performance", "It")]


def test_a_sentence_opening_with_its_purpose_is_a_step_not_a_claim() -> None:
    assert claims_of(
        "We propose TuneX. To improve the generalization of TuneX, we utilize ChatGPT to "
        "generate more data. To compare, TuneX outperforms SFT by 4.1 points."
    ) == [("performance", "To")]


def _claims_script() -> ModuleType:
    return load_bench_script("claims_eval")


# (source, split): summary accuracy, claims F1, typed F1 - from `python bench/claims_eval.py`.
PINNED = {
    ("hf-page-gold.jsonl", "dev"): (0.714, 0.827, 0.693),
    ("hf-page-gold.jsonl", "test"): (0.643, 0.786, 0.583),
    ("scirex-guidelines-gold.jsonl", "dev"): (0.797, 0.862, 0.688),
    ("scirex-guidelines-gold.jsonl", "test"): (0.833, 0.743, 0.603),
}


def test_the_claims_gold_figures_are_pinned() -> None:
    script = _claims_script()
    gold_path = ROOT / "examples" / "eval" / "claims-gold.jsonl"
    gold = load_gold_claims(gold_path)
    source_of = script.sources(gold_path)
    fields = script.offline_fields(source_of)
    assert len(gold) == 200 and set(fields) == set(gold)
    for (source, split), (summary, f1, typed) in PINNED.items():
        part = {k: v for k, v in gold.items() if source_of[k] == source}
        report = score_claims(part, fields, split)
        got = (report.summary.share, report.f1, report.typed_f1)
        assert got == pytest.approx((summary, f1, typed), abs=5e-4), (source, split, got)
