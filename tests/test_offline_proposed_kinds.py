"""Offline extractor: the paper's own method in today's phrasings, and the kinds of
paper that have none (surveys, studies, benchmarks named by their title or a naming
word)."""

from __future__ import annotations

from paperfields.extract.offline.extractor import extract_fields
from paperfields.schemas import Paper


def proposed_of(abstract: str, title: str = "") -> list[str]:
    f = extract_fields(Paper(id="t", title=title, abstract=abstract))
    return [m.name for m in f.methods if m.proposed]


def test_what_we_propose_is_a_method_whatever_its_head_noun() -> None:
    assert proposed_of(
        "We propose modality-aware hard negative mining (MAHN), which mines negatives "
        "within each modality. MAHN reaches 67.4 Precision@1 on MMEB."
    ) == ["modality-aware hard negative mining", "MAHN"]
    assert proposed_of(
        "We propose counterfactual caption mining, in which an LLM rewrites each caption."
    ) == ["counterfactual caption mining"]
    assert proposed_of(
        "We add an auxiliary objective coined Self-Contrastive Verification (SCV), "
        "optimized jointly with GRPO. SCV needs no labels."
    ) == ["Self-Contrastive Verification", "SCV"]


def test_a_coined_name_after_we_call_or_which_we_name_is_the_name_alone() -> None:
    assert proposed_of("We call this sketch-then-act policy SketchVLA. SketchVLA is fast.") == [
        "SketchVLA"
    ]
    assert proposed_of(
        "The resulting system, which we name Parallax, requires no fine-tuning. Parallax "
        "improves exact match by 4.3 points."
    ) == ["Parallax"]


def test_a_survey_proposes_no_method() -> None:
    text = (
        "This survey organizes more than 300 papers. We review vision-language-action "
        "(VLA) models such as RT-2 and OpenVLA, and we propose a taxonomy."
    )
    assert proposed_of(text, "Foundation Models for Robots: A Survey") == []
    assert proposed_of(text) == []


def test_a_benchmark_named_by_the_title_or_a_naming_word_is_data_not_a_method() -> None:
    assert (
        proposed_of(
            "DocSpot pairs 4,212 questions with evidence boxes. GPT-4o reaches 0.71 ANLS.",
            "DocSpot: A Benchmark for Evidence Grounding in Documents",
        )
        == []
    )
    assert proposed_of("We construct a benchmark, termed PolyCart, of 9,400 conversations.") == []
    assert proposed_of("We name the resulting benchmark DriftBench. DriftBench is hard.") == []


def test_a_study_titled_as_a_question_gets_no_guessed_method() -> None:
    text = (
        "We probe four open models (Octo, OpenVLA and RT-1-X) with three interventions. "
        "Removing the instruction lowers the success of OpenVLA from 84.7% to 79.0%, and "
        "OpenVLA ignores paraphrases."
    )
    assert proposed_of(text, "Do Robot Policies Listen? Measuring Instruction Sensitivity") == []


def test_a_one_word_compound_adjective_names_no_method() -> None:
    assert (
        proposed_of("We describe a simple decoding-time approach that needs no retraining.") == []
    )


def test_the_long_form_of_a_widely_known_acronym_in_the_title_is_not_the_papers() -> None:
    assert (
        proposed_of(
            "Retrieval-augmented generation (RAG) retrieves passages for every query. We "
            "train a probe to predict knowledge gaps.",
            "Knowledge-Gap Probing for Adaptive Retrieval-Augmented Generation",
        )
        == []
    )


def test_quoted_phrases_a_contribution_verb_introduces_are_the_papers() -> None:
    assert proposed_of(
        'To counter this, we introduce "instruction swapping", a data augmentation that pairs '
        'each query with several instructions, and "instruction dropout", which removes them.'
    ) == ["instruction swapping", "instruction dropout"]
    # a quoted adjective is no name
    assert proposed_of('We propose the first "in-the-wild" 3DMM by combining models.') != [
        "in-the-wild"
    ]


def test_the_words_after_a_titles_name_are_the_method_when_the_name_is_not_used() -> None:
    assert proposed_of(
        "We resample domains by learnability. Across three sizes, learnability-ordered domain "
        "scheduling reduces validation perplexity by 4.8%.",
        "Tempo: Learnability-Ordered Domain Scheduling for Language Model Pretraining",
    ) == ["learnability-ordered domain scheduling"]


def test_benchmarks_described_by_counts_parentheses_or_their_own_name_are_data() -> None:
    assert (
        proposed_of(
            "We introduce VoiceJail, a bilingual (English and Mandarin) benchmark of 4,860 "
            "spoken queries. We evaluate GPT-4o on VoiceJail."
        )
        == []
    )
    assert (
        proposed_of(
            "We present RepoPatch-Bench, 1,146 multi-file editing tasks mined from 212 "
            "repositories. Models struggle on RepoPatch-Bench."
        )
        == []
    )
