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


def test_an_acronym_that_is_the_subject_of_a_result_names_a_method_not_a_task() -> None:
    # The long form's head ("Retrieval") alone would make it a task.
    f = extract_fields(
        Paper(
            id="t",
            title="",
            abstract="Retrieval pipelines fetch passages at every step. Confidence-Gated "
            "Retrieval (CGR) retrieves only when the generator is unsure. On HotpotQA, CGR "
            "improves exact match by 2.1 points over IRCoT.",
        )
    )
    assert {"Confidence-Gated Retrieval", "CGR"} <= {m.name for m in f.methods}
    assert not {"Confidence-Gated Retrieval", "CGR"} & {t.name for t in f.tasks}


def test_a_relative_clause_after_a_baseline_does_not_make_it_the_papers() -> None:
    assert "Self-Refine" not in proposed_of(
        "We study revision policies. Against Self-Refine, which needs a critic, our policy "
        "is on par on GSM8K (81.0 vs. 80.2)."
    )


def test_the_resulting_model_dubbed_x_is_the_papers() -> None:
    assert proposed_of(
        "Image generators are slow. The resulting model, dubbed PaintFlow, draws an image "
        "in four steps. PaintFlow reaches an FID of 2.1."
    ) == ["PaintFlow"]


def test_one_capitalised_word_in_parentheses_after_the_introduced_phrase_names_it() -> None:
    assert proposed_of(
        "We introduce a lightweight stop-when-sure procedure (Anchor) that halts decoding "
        "early. Anchor halves the output length."
    ) == ["Anchor"]
    # After a data noun the word names data, not a method.
    assert proposed_of("We construct a large Cross-Domain Chart dataset (CDC) of 10K charts.") == []


def test_a_sentence_opening_phrase_does_not_make_the_subject_after_it_data() -> None:
    f = extract_fields(
        Paper(
            id="t",
            title="",
            abstract="We propose LoopRL. On reasoning benchmarks, LoopRL trained from "
            "Qwen2.5-7B reaches 61.0% on MATH-500.",
        )
    )
    assert [m.name for m in f.datasets] == ["MATH-500"]
    assert "LoopRL" in [m.name for m in f.methods if m.proposed]


def test_a_title_that_opens_a_question_with_how_why_or_what_is_a_study() -> None:
    from paperfields.extract.offline.paper_kind import is_study

    assert is_study("Lost in Context: How Chat Agents Use Their Memory")
    assert is_study("What Matters in Instruction Tuning")
    assert not is_study("How to Train Your Retriever: A Recipe")
    assert not is_study("SomeNet: Fast Retrieval")


def test_a_title_benchmarking_and_improving_announces_a_method_too() -> None:
    from paperfields.extract.offline.paper_kind import data_title

    assert data_title("ToolDrift: Benchmarking Tool-Using Agents under Documentation Drift")
    assert not data_title("When APIs Change: Benchmarking and Improving Tool-Using Agents")


def test_each_item_of_an_enumerated_contribution_is_proposed() -> None:
    assert proposed_of(
        "To address this, we propose a simple solution that introduces two objectives: "
        "(1) an orthogonality loss to encourage distinct experts, and (2) a variance loss "
        "to encourage discriminative routing."
    ) == ["orthogonality loss", "variance loss"]


def test_a_numbered_list_after_a_noun_is_no_contribution_and_no_name() -> None:
    assert (
        proposed_of(
            "Our analysis suggests two key design principles: (1) the RL reward should be "
            "bounded, and (2) the RL reward benefits from rapid initial growth."
        )
        == []
    )


def test_a_list_after_our_model_is_no_apposition() -> None:
    assert proposed_of("We train on 1,000 questions. Our model, data, and code are open.") == []


def test_only_modifiers_before_a_generic_head_name_nothing() -> None:
    assert (
        proposed_of("Our small specialized model trained on 10K examples outperforms monoT5.") == []
    )


def test_a_name_introduced_as_a_benchmark_is_data_even_as_the_titles_head() -> None:
    f = extract_fields(
        Paper(
            id="t",
            title="LongBench v2: Towards Deeper Understanding of Long Contexts",
            abstract="This paper introduces LongBench v2, a benchmark designed to assess "
            "long-context reasoning. The best model achieves only 50.1% accuracy.",
        )
    )
    assert not any(m.proposed for m in f.methods)
    assert [d.name for d in f.datasets] == ["LongBench v2"]
    assert (
        proposed_of(
            "We establish Retrieval-Augmented Generation Benchmark (RGB), a new corpus for RAG "
            "evaluation. We evaluate 6 LLMs on RGB."
        )
        == []
    )


def test_a_coined_name_after_the_acronym_and_head_of_the_introduced_phrase() -> None:
    assert proposed_of(
        "To address this, we develop a multi-turn online reinforcement learning (RL) "
        "approach, SCoRe, that significantly improves self-correction."
    ) == ["SCoRe"]


def test_widely_known_training_acronyms_are_not_the_papers_own() -> None:
    assert (
        proposed_of(
            "We follow the R1-style recipe and show that our RL training improves pass@1 "
            "on HumanEval-plus by over 25%."
        )
        == []
    )


def test_a_name_the_title_rethinks_is_not_the_papers_own() -> None:
    assert (
        proposed_of(
            "A popular method is Classifier-based Quality Filtering (CQF), which trains a "
            "binary classifier. We provide an in-depth analysis of CQF.",
            "The data-quality illusion: Rethinking Classifier-based Quality Filtering",
        )
        == []
    )


def test_a_token_collection_of_text_is_data() -> None:
    assert (
        proposed_of(
            "In addition, we introduce FineWeb-Edu, a 1.3-trillion token collection of "
            "educational text filtered from FineWeb."
        )
        == []
    )


def test_a_link_is_no_name() -> None:
    assert (
        proposed_of(
            "We investigate fine-tuning with synthetic queries. We release our "
            "model111https://huggingface.co/someone/embed-base-v1 and the training code."
        )
        == []
    )


def test_an_evaluation_framework_is_a_studys_device_not_a_method() -> None:
    assert (
        proposed_of(
            "In this study, we evaluate the impact of quantization on reasoning. We introduce "
            "a multidimensional evaluation framework that assesses capability dimensions.",
            "Quantization Meets Reasoning: Exploring Low-Bit Degradation",
        )
        == []
    )


def test_a_title_that_probes_or_analyses_is_a_study_and_ties_no_name() -> None:
    text = (
        "One promise that Vision-Language-Action (VLA) models hold over imitation learning "
        "is to leverage the generalization of VLMs. We probe VLAs on 50 tasks."
    )
    assert (
        proposed_of(text, "Probing the Generalization Boundaries of Vision-Language-Action Models")
        == []
    )
    assert (
        proposed_of(
            "As Software Engineering (SE) tasks grow complex, multi-agent systems emerge. We "
            "study 94 papers.",
            "Designing Multi-Agent Systems for Software Engineering Tasks",
        )
        == []
    )


def test_a_long_described_benchmark_and_a_list_of_new_datasets_are_data() -> None:
    assert (
        proposed_of(
            "We propose MCPToolBench++, a large-scale, multi-domain AI Agent tool use "
            "benchmark. It covers 4,000 servers."
        )
        == []
    )
    assert (
        proposed_of(
            "To address these challenges, we construct two new datasets: JAMA Clinical "
            "Challenge and Medbullets. JAMA Clinical Challenge consists of clinical cases."
        )
        == []
    )


def test_a_generic_head_alone_is_no_name() -> None:
    assert "method" not in proposed_of(
        "To illustrate the functionality of the proposed method, a comparison of our model "
        "to other generative models is provided."
    )


def test_a_name_the_title_reconsiders_is_not_the_papers_own_even_as_ours() -> None:
    assert "GAE" not in proposed_of(
        "We systematically explore Graph Autoencoders (GAEs) by tuning hyperparameters. "
        "Specifically, our GAE achieves a Hits@100 score of 78.41% on ogbl-ppa.",
        "Reconsidering the Performance of GAE in Link Prediction",
    )


def test_a_name_in_apposition_to_a_method_phrase_is_the_papers_after_any_verb() -> None:
    assert proposed_of(
        "These findings motivate Gelato, a similarity-based link-prediction method that "
        "applies graph learning. Experiments show that Gelato outperforms GNN baselines."
    ) == ["Gelato"]


def test_a_contribution_verb_in_ing_introduces_names_too() -> None:
    from paperfields.extract.offline.extractor import analyse

    paper = Paper(
        id="t",
        title="",
        abstract="We analyze how components use tokens by introducing Token Lens to decode "
        "aggregated attention updates.",
    )
    assert "Token Lens" in [m.text for m in analyse(paper).own]  # the rules, not a guess


def test_a_title_announcing_a_method_and_a_benchmark_is_no_data_paper() -> None:
    assert "SAAS" in proposed_of(
        "We propose the Segment Anything Across Shots (SAAS) model, which can detect shot "
        "transitions. The proposed SAAS achieves state-of-the-art performance on Cut-VOS.",
        "Segment Anything Across Shots: A Method and Benchmark",
    )


def test_modified_or_enhanced_qualify_the_papers_method_not_name_it() -> None:
    assert "diffusion policy optimization" in proposed_of(
        "We propose a modified diffusion policy optimization to generate robot data."
    )


def test_a_codebase_and_testbed_or_a_data_collection_is_data() -> None:
    assert (
        proposed_of(
            "As a first step, we developed LLMNodeBed, a comprehensive codebase and testbed "
            "for node classification using LLMs."
        )
        == []
    )
    assert "AgentBank" not in proposed_of(
        "In this work, we introduce AgentBank, by far the largest trajectory tuning data "
        "collection featuring more than 50k interaction trajectories."
    )


def test_a_coined_name_right_after_our_model_is_the_papers() -> None:
    from paperfields.extract.offline.extractor import analyse

    paper = Paper(
        id="t",
        title="",
        abstract="After supervised finetuning on s1K, our model s1-32B exceeds o1-preview on "
        "competition math questions by up to 27%.",
    )
    assert "s1-32B" in [m.text for m in analyse(paper).own]


def test_what_a_title_improves_is_not_the_papers_own_but_what_it_improves_with_is() -> None:
    from paperfields.extract.offline.title_rules import studied

    assert studied("Improving Multi-candidate Speculative Decoding", "Speculative Decoding")
    assert not studied(
        "Enhancing LLM Reasoning with Multi-Path Reflection Agents", "Multi-Path Reflection Agents"
    )


def test_a_roadmap_or_a_title_ending_on_future_directions_is_a_survey() -> None:
    text = (
        "In contrast, Knowledge Graphs (KGs) store rich factual knowledge. KGs can enhance "
        "LLMs. In this article, we present a forward-looking roadmap for unifying LLMs and KGs."
    )
    title = "Unifying Large Language Models and Knowledge Graphs"
    assert "KGs" in proposed_of(text, title)  # tied to the title: a guess without the kind
    assert proposed_of(text, title + ": A Roadmap") == []
    assert proposed_of(text, title + ": Foundations, Methodology, and Future Directions") == []


def test_an_abstract_that_evaluates_gets_no_guessed_method() -> None:
    text = (
        "This study systematically evaluates several open-source LLMs. We examine their "
        "ability to synthesize Electronic Health Records (EHR) data over time."
    )
    assert proposed_of(text.replace("This study systematically evaluates", "We train")) != []
    assert proposed_of(text) == []


def test_a_known_technique_naming_the_kind_of_an_unnamed_method_is_not_the_method() -> None:
    text = (
        "We introduce a novel Reinforcement Learning (RL) approach for LLM calibration that "
        "fine-tunes LLMs to elicit calibrated confidence estimations."
    )
    assert "RL" not in proposed_of(text)
    assert "Reinforcement Learning" not in proposed_of(text)
    named = "We introduce CalibRL, a novel Reinforcement Learning (RL) approach for calibration."
    assert proposed_of(named) == ["CalibRL"]


def test_the_means_a_title_names_is_the_own_method_where_the_abstract_names_none() -> None:
    text = (
        "We formalize the concept of two-phase pretraining and study how to select and mix "
        "data. A two-phase approach outperforms random data ordering by 3.4%."
    )
    title = "Maximize Your Data's Potential: Enhancing LLM Accuracy with Two-Phase Pretraining"
    assert proposed_of(text, title) == ["two-phase pretraining"]
    # the tail of the title's phrase that the abstract writes
    assert proposed_of(
        "We address this by leveraging automated large-scale test-case synthesis.",
        "AceCoder: Acing Coder RL via Automated Test-Case Synthesis",
    ) == ["test-case synthesis"]


def test_a_titles_means_that_is_known_or_a_model_class_is_no_own_method() -> None:
    text = "We merge experts and evaluate model merging and speech encoders on many tasks."
    assert proposed_of(text, "Unifying Capabilities via Model Merging") == []
    assert proposed_of(text, "Better Recognition with Speech Encoders") == []


def test_a_generic_head_stays_after_a_descriptive_compound() -> None:
    text = (
        "To substantiate our hypothesis, we propose a novel structure-preserving approach "
        "that encodes document elements using the LaTeX paradigm."
    )
    assert proposed_of(text) == ["structure-preserving approach"]
    assert "pre-training method" not in proposed_of("We propose a new pre-training method.")
    assert proposed_of("We propose a curriculum-inspired framework for agents.") == []


def test_a_data_paper_may_introduce_a_method_with_its_acronym() -> None:
    text = (
        "We introduce TRACE, a benchmark for continual learning in LLMs. Motivated by this, "
        "we introduce the Reasoning-augmented Continual Learning (RCL) approach. RCL "
        "integrates task-specific cues with meta-rationales."
    )
    title = "TRACE: A Comprehensive Benchmark for Continual Learning in Large Language Models"
    assert proposed_of(text, title) == ["Reasoning-augmented Continual Learning", "RCL"]
    assert proposed_of(text.split(" Motivated")[0], title) == []


def test_the_parts_our_method_consists_of_are_its_own() -> None:
    assert proposed_of(
        "We propose an adaptive inference method. Our method consists of a) iterative token "
        "merging based on embedding similarity, and b) progressive token pruning within "
        "LLM layers."
    )[-2:] == ["iterative token merging", "progressive token pruning"]
    assert proposed_of(
        "Our method incorporates automatic enhanced prompt generation, adaptive exemplar "
        "selection, and a consensus mechanism that resolves discrepancies between two LLMs."
    ) == [
        "automatic enhanced prompt generation",
        "adaptive exemplar selection",
        "consensus mechanism",
    ]


def test_steps_of_a_procedure_or_a_single_part_are_no_own_parts() -> None:
    steps = (
        "Our approach consists of three key steps: (1) query analysis to identify the "
        "problem, (2) document analysis to extract a summary, and (3) relevance judgment."
    )
    assert "query analysis" not in proposed_of(steps)
    one = "Our framework incorporates a learned router that picks experts."
    assert "learned router" not in proposed_of(one)


def test_a_capitalised_common_noun_is_no_method_name() -> None:
    f = extract_fields(
        Paper(
            id="t",
            title="",
            abstract="Comparison with GPT-4 shows gains. Mixing the data helps BERT and Whisper.",
        )
    )
    names = [m.name for m in f.methods]
    assert "Comparison" not in names and "Mixing" not in names
    assert "BERT" in names and "Whisper" in names


def test_a_class_of_models_before_based_or_a_describing_participle_names_no_method() -> None:
    f = extract_fields(
        Paper(
            id="t",
            title="",
            abstract=(
                "Large Language Models (LLMs) have enabled LLM-based approaches. An "
                "RL-powered planner and KG-enhanced retrieval follow. We compare against a "
                "BERT-based model."
            ),
        )
    )
    names = [m.name for m in f.methods]
    assert "LLM" not in names and "LLM-based" not in names
    assert "RL-powered" not in names and "KG-enhanced" not in names
    assert "BERT" in names


def test_describing_compounds_platforms_and_sizes_are_no_own_method() -> None:
    assert "3-stage" not in proposed_of("Our 3-stage pipeline trains Fox-1 in 3-stage.")
    text = (
        "We release 127M-355M-7B models. Our tokenizer is HuggingFace-compatible and our "
        "code is on GitHub."
    )
    for junk in ("127M-355M-7B", "HuggingFace-compatible", "GitHub"):
        assert junk not in proposed_of(text)


def test_the_method_an_own_name_extends_is_not_the_papers() -> None:
    text = (
        "Speculative Decoding (SD) enforces strict distributional equivalence. We propose "
        "Fuzzy Speculative Decoding (FSD), a decoding algorithm that generalizes SD."
    )
    own = proposed_of(text)
    assert "Fuzzy Speculative Decoding" in own and "FSD" in own
    assert "Speculative Decoding" not in own and "SD" not in own


def test_a_process_is_a_generic_head_whose_words_name_the_method() -> None:
    assert proposed_of(
        "This paper investigates how LLMs can improve speech translation by introducing "
        "a joint refinement process. BLEU rises on CoVoST 2."
    ) == ["joint refinement"]
    # a plural head is a family of methods, but "process" ends in "s" and is singular
    assert proposed_of("We propose two refinement processes for speech translation.") == []


def test_namely_or_ie_after_a_generic_phrase_gives_its_name() -> None:
    assert proposed_of(
        "To generate these samples, we propose a two-step framework, i.e., "
        "sampling-then-filtering. It is cheap."
    ) == ["sampling-then-filtering"]
    assert proposed_of(
        "We propose a novel approach (namely, Orthogonal Embedding CNNs, or OE-CNNs) to "
        "learn age-invariant features."
    ) == ["Orthogonal Embedding CNNs", "OE-CNNs"]
    assert proposed_of("To speed up decoding, we propose a technique called token merging.") == [
        "token merging"
    ]
    # "i.e." after a phrase that is no generic method phrase names nothing
    assert proposed_of(
        "Our implementation never introduces out-of-range IDs (i.e. ID 256), unlike "
        "byte-level tokenizers."
    ) == []


def test_denoted_as_and_referred_to_as_give_the_name() -> None:
    assert proposed_of(
        "This paper introduces a simple yet effective query expansion approach, denoted as "
        "qdoc, to improve retrieval. The proposed method generates pseudo-documents."
    ) == ["qdoc"]
    assert proposed_of(
        "Retrieval is hard. Our method, hereafter referred to as QueryDoc, improves recall."
    ) == ["QueryDoc"]
    # "to" is a clause break except after "referred"
    assert proposed_of("We propose a new encoder referred to as LumiNet for speech.") == ["LumiNet"]


def test_a_name_in_apposition_with_its_acronym_is_the_papers() -> None:
    # in a data paper only what a contribution verb introduces is the paper's own
    assert proposed_of(
        "We build T2IBench, a benchmark of 800 prompts. We introduce a new approach, Generative "
        "mOdel fine-tuning with Reward-driven Sample selection (GORS), to boost text-to-image "
        "models. It helps.",
        "T2IBench: A Benchmark for Compositional Text-to-image Generation",
    ) == ["Generative mOdel fine-tuning with Reward-driven Sample selection", "GORS"]


def test_a_data_paper_keeps_a_method_it_introduces_as_a_method() -> None:
    title = "TQBench: A Benchmark for Table Question Answering"
    assert proposed_of(
        "We build TQBench, a benchmark of 800 questions. For the joint task, we introduce a "
        "modeling framework TabMind that uses an LLM as a backbone. It is strong.",
        title,
    ) == ["TabMind"]
    # a name introduced as data, or with a word of data between, stays no method
    assert proposed_of(
        "We build TQBench, a benchmark of 800 questions. We also introduce a harder "
        "subset of the benchmark, TQHard, with longer tables. It is strong.",
        title,
    ) == []


def test_a_data_paper_keeps_the_model_it_trains_there() -> None:
    title = "TQBench: A Benchmark for Table Question Answering"
    assert proposed_of(
        "We build TQBench, 800 questions over tables. Furthermore, we introduce TabLLM, "
        "trained on our training set TabInstruct, achieving performance comparable with GPT-4.",
        title,
    ) == ["TabLLM"]
    assert proposed_of(
        "We build TQBench, 800 questions over tables. For model fine-tuning, we trained "
        "TabMind-8B over 2400 H100 GPU hours, surpassing GPT-4.",
        title,
    ) == ["TabMind-8B"]
    # a known model fine-tuned there, or a model the paper evaluates, is not its own
    assert proposed_of(
        "We build TQBench, 800 questions over tables. We show that Llama-3, fine-tuned on "
        "TQBench, improves. We also evaluate TabGPT, trained on web tables by others.",
        title,
    ) == []


def test_a_name_before_our_method_and_a_name_termed_in_the_passive() -> None:
    assert proposed_of("Decoding is slow. ThinkLess, our pruning method, cuts tokens by 40%.") == [
        "ThinkLess"
    ]
    # an adverb or a phrase before "our method" is no name
    assert proposed_of("Decoding is slow. Moreover, our pruning method cuts tokens by 40%.") == []
    assert proposed_of("On DSTC2, our model beats GPT-4 by 3 points.") == []
    # the name after "termed" stops before the verb of the passive
    assert proposed_of(
        "Decoding is slow. A pruning method termed ThinkLess is proposed. It is fast."
    ) == ["ThinkLess"]


def test_a_lower_case_coined_name_and_our_x_benchmark_are_released_data() -> None:
    title = "Evaluating LLM tables"
    for abstract in (
        "Tables are hard. To support evaluation, we introduce arXiv2Tab, a more realistic "
        "and challenging benchmark for this task, along with a novel approach. Models score 40%.",
        "Tables are hard. Our TabEval2 benchmark contains 5,000 tables. Models score 40%.",
    ):
        f = extract_fields(Paper(id="t", title=title, abstract=abstract))
        assert not [m.name for m in f.methods if m.proposed]
        assert len(f.datasets) == 1


def test_the_concept_a_paper_introduces_is_its_own() -> None:
    assert proposed_of(
        "Second, we introduce the concept of a dataset schema, which defines token spans "
        "with similar semantics across examples."
    ) == ["dataset schema"]
    assert proposed_of("We introduce the concept of machine translation to circuits.") == []


def test_a_suite_of_models_is_no_data_and_innovative_is_evaluative() -> None:
    assert proposed_of(
        "Med42-v2 introduces a suite of clinical large language models (LLMs) designed for "
        "healthcare. Med42-v2 outperforms Llama3 on medical benchmarks.",
        title="Med42-v2: A Suite of Clinical LLMs",
    ) == ["Med42-v2"]
    assert proposed_of(
        "We introduce a straightforward and innovative reference model-free monolithic "
        "odds ratio preference optimization algorithm, ORPO, eliminating the need for an "
        "additional alignment phase."
    ) == ["ORPO"]


def test_a_dataset_of_many_items_called_x_is_data() -> None:
    f = extract_fields(
        Paper(
            id="t",
            title="",
            abstract="Specifically, we construct a dataset of 1 million instructions, called "
            "SynthQuestions, and show that models trained on it lead on common benchmarks.",
        )
    )
    assert [d.name for d in f.datasets] == ["SynthQuestions"]
    assert [m.name for m in f.methods if m.proposed] == []


def test_a_phrase_ending_in_a_based_compound_names_no_own_method() -> None:
    assert "reinforcement learning-based" not in proposed_of(
        "We propose a reinforcement learning-based approach to code refactoring with PPO."
    )


def test_a_title_ending_on_synthesis_and_opportunities_is_a_survey() -> None:
    assert proposed_of(
        "Knowledge graphs (KGs) help large language models answer questions over facts.",
        title="Large Language Models Meet Knowledge Graphs for Question Answering: "
        "Synthesis and Opportunities",
    ) == []


def test_a_list_of_actions_our_method_performs_names_no_parts() -> None:
    own = proposed_of(
        "We propose a hard-negative mining framework for enterprise retrieval. Our method "
        "integrates diverse embedding models, performs dimensionality reduction, and "
        "uniquely selects hard negatives, ensuring computational efficiency."
    )
    assert own == ["hard-negative mining"]


def test_an_evaluation_framework_is_data_only_when_it_holds_data() -> None:
    own = proposed_of(
        "In this paper, we introduce VeriFact, a factuality evaluation framework designed "
        "to enhance fact extraction. VeriFact improves recall.",
        title="VeriFact: Enhancing Long-Form Factuality Evaluation with Refined Fact Extraction",
    )
    assert own == ["VeriFact"]
    f = extract_fields(
        Paper(
            id="t",
            title="",
            abstract="We introduce MathEval, an evaluation framework of 2,000 problems for "
            "testing mathematical reasoning.",
        )
    )
    assert [d.name for d in f.datasets] == ["MathEval"]


def test_a_name_a_title_compares_is_not_the_papers() -> None:
    assert proposed_of(
        "We compare CLIP and DINO trained on the same data, and find that CLIP captures "
        "text-like visual detail that DINO misses.",
        title="Data or Language Supervision: What Makes CLIP Better than DINO?",
    ) == []


def test_the_last_word_of_a_long_form_in_parentheses_is_no_name() -> None:
    assert proposed_of(
        "We introduce LATS (Language Agent Tree Search), a general framework that "
        "synergizes the capabilities of LLMs in planning, acting, and reasoning."
    ) == ["LATS"]


def test_a_title_name_that_extends_a_method_or_names_its_purpose_is_not_it() -> None:
    assert proposed_of(
        "Knowledge Distillation (KD) trains a small draft model. We propose AdaSPEC, "
        "which filters tokens before distillation.",
        title="AdaSPEC: Selective Knowledge Distillation for Efficient Speculative Decoders",
    ) == ["AdaSPEC"]
    assert proposed_of(
        "Instruction Fine-Tuning (IFT) needs good data. We propose TACOS, a data "
        "selection method.",
        title="TACOS: Open Tagging and Comparative Scoring for Instruction Fine-Tuning Data "
        "Selection",
    ) == ["TACOS"]


def test_a_class_of_models_in_the_title_and_an_evaluation_scheme_are_not_own() -> None:
    assert proposed_of(
        "Large Vision-Language Models (LVLMs) hallucinate objects. We introduce Visual "
        "Contrastive Decoding (VCD), a training-free method.",
        title="Mitigating Object Hallucinations in Large Vision-Language Models through Visual "
        "Contrastive Decoding",
    ) == ["Visual Contrastive Decoding", "VCD"]
    assert proposed_of(
        "We present Retrieval-Augmented Defense (RAD). We propose a novel evaluation scheme "
        "and show that RAD achieves a robust safety-utility trade-off."
    ) == ["Retrieval-Augmented Defense", "RAD"]


def test_data_introduced_by_namely_a_comma_or_a_collection_is_no_own_method() -> None:
    for text in (
        "We propose a new data set, HalluEntity, which annotates hallucination at the "
        "entity level.",
        "To this end, we consolidate a large-scale real STR dataset, namely Union14M, "
        "which comprises 4 million labeled images.",
        "We introduce Extended Grade-School Math (E-GSM), a collection of MWPs featuring "
        "lengthy narratives.",
    ):
        assert proposed_of(text) == [], text


def test_a_class_of_models_defined_in_a_first_person_sentence_is_no_guess() -> None:
    assert proposed_of(
        "We study how Vision-Language Models (VLMs) perceive images compared with CLIP, "
        "and we find that generative models see more."
    ) == []


def test_a_class_based_technique_before_a_generic_head_is_named_with_its_modifier() -> None:
    assert proposed_of(
        "We propose a novel LLM-based relevance estimation framework for noisy tabular data."
    ) == ["LLM-based relevance estimation"]
    # a named model before "-based" is still the name alone
    assert proposed_of("We propose a BERT-based retrieval method for legal search.") == []


def test_a_hyphenated_technique_called_a_method_is_kept_without_the_head() -> None:
    assert proposed_of(
        "We improve accented speech recognition via a novel self-distillation method. "
        "Word error rate falls by 2 points."
    ) == ["self-distillation"]
    assert proposed_of("We train an encoder-decoder model on 10k hours of speech.") == []


def test_a_passive_contribution_names_the_indefinite_phrase_before_it() -> None:
    assert proposed_of(
        "In this paper, an efficient layer-wise token pruning approach is presented for "
        "long-context inference."
    ) == ["layer-wise token pruning"]
    assert proposed_of("The baseline model is presented in detail.") == []


def test_the_proposed_x_is_the_papers_own_x_without_we() -> None:
    assert proposed_of(
        "Code generation models still fail on long files. Experiments show that the "
        "proposed hierarchical context retrieval method outperforms all baselines."
    ) == ["hierarchical context retrieval"]


def test_names_after_with_in_the_introduced_phrase_are_its_parts_not_its_name() -> None:
    assert proposed_of(
        "This work proposes a cache-aware batching architecture with high-bandwidth "
        "memory (HBM) stacks to accelerate LLM serving."
    ) == ["cache-aware batching"]


def test_a_name_called_a_method_is_no_benchmark_even_when_it_ends_in_eval() -> None:
    assert proposed_of(
        "This paper introduces a novel judging method - Pair-Eval - for scoring generated "
        "answers against references."
    ) == ["Pair-Eval"]
    assert proposed_of(
        "We introduce QuakeBench, a benchmark of 2,000 seismic questions. We also propose "
        "a novel Judge-Eval mechanism that agrees with human raters."
    ) == ["Judge-Eval"]


def test_a_name_after_a_colon_closing_a_contribution_sentence_is_its_name() -> None:
    assert proposed_of(
        "Besides the benchmark, we propose a surprisingly simple strategy to improve "
        "retrieval over long inputs: Chunk Echoing."
    ) == ["Chunk Echoing"]
    assert proposed_of(
        "We propose a new benchmark to test long inputs: LongHaul. Models fail on it."
    ) == []


def test_an_apposition_may_call_the_phrase_a_method_after_a_comma_of_its_own() -> None:
    assert proposed_of(
        "We propose answer pooling, a simple, but effective training-free approach that "
        "samples several answers."
    ) == ["answer pooling"]


def test_a_bracketed_name_after_the_purpose_of_a_long_form_is_the_name() -> None:
    assert proposed_of(
        "Inspired by ALiBi, we propose position-aware slopes for length extrapolation "
        "(Slope), which learns a slope per head."
    ) == ["Slope"]
    assert proposed_of(
        "We propose Guided Frame Selection for Videos (GuideFS), featuring sampling "
        "aligned with the question."
    ) == ["Guided Frame Selection", "GuideFS"]
    # a class of models in brackets names nothing
    assert proposed_of(
        "We propose a collaborative labelling method based on Large Language Models (LLMs)."
    ) == ["collaborative labelling"]


def test_a_method_that_creates_data_is_a_method_not_data() -> None:
    assert proposed_of(
        "We introduce ScoreSmith, an automated dataset creation approach which then trains "
        "a scoring model."
    ) == ["ScoreSmith"]


def test_a_scale_adjective_keeps_its_head_and_a_passive_may_go_on_with_that() -> None:
    assert proposed_of(
        "An easy-to-hard strategy is proposed that orders the training problems."
    ) == ["easy-to-hard strategy"]
    assert proposed_of("It is proposed that models learn shortcuts.") == []


def test_the_proposed_x_names_no_model_it_helps() -> None:
    assert proposed_of(
        "We release EditJudge. Notably, the proposed scorer can lift the InstructPix2Pix "
        "model's score from 5.90 to 6.43."
    ) == ["EditJudge"]


def test_a_known_name_released_with_its_long_form_after_a_colon_is_the_papers() -> None:
    assert proposed_of(
        "We introduce LLaVA: Large Language and Vision Assistant, an end-to-end trained "
        "large multimodal model."
    )[:1] == ["LLaVA"]


def test_a_short_name_of_letters_and_a_figure_in_brackets_names_the_phrase() -> None:
    assert proposed_of(
        "Building on this finding, we introduce the Spatial reasoning Transfer (S2)."
    ) == ["S2"]
    assert proposed_of(
        "Building on this finding, we introduce the Spatial Reasoning Transfer (S2)."
    ) == ["Spatial Reasoning Transfer", "S2"]
    assert proposed_of(
        "We propose Weakly Aligned pre-training with Diagrams (W3) - a new pre-training "
        "paradigm."
    ) == ["W3"]
    # lower-case words after "with" are a part the phrase has, not its long form
    assert "M3D" not in proposed_of(
        "This work proposes a cache-aware scheduling architecture with monolithic 3D (M3D) "
        "memories to accelerate inference."
    )


def test_a_design_or_solution_is_a_generic_head_of_the_technique_before_it() -> None:
    assert proposed_of(
        "We propose a novel critic-in-the-loop design, which gives feedback at each step."
    ) == ["critic-in-the-loop"]


def test_a_coined_name_introduced_in_this_work_is_its_own() -> None:
    assert proposed_of(
        "We ran 40 configurations through the GeoRAG toolkit introduced in this work."
    ) == ["GeoRAG"]
    assert proposed_of("We evaluate GPT-4 with the prompts proposed in this paper.") == []


def test_a_known_names_new_variant_introduced_with_an_apposition_is_own() -> None:
    assert proposed_of(
        "We propose SGD-mini, an optimizer that matches AdamW with half the memory."
    ) == ["SGD-mini"]
    assert proposed_of(
        "We propose a simple yet effective solution PPO-δ, a stabilized variant of PPO."
    ) == ["PPO-δ"]
    # a family member is no new variant
    assert "SGD-large" not in proposed_of("We propose SGD-large, an optimizer for big batches.")


def test_the_parts_which_the_introduced_method_includes_are_its_own() -> None:
    assert proposed_of(
        "We split a detector into three phases and propose a tight fusion solution, which "
        "includes a feature enhancer, a guided query selection, and a cross-modality decoder."
    ) == ["tight fusion", "feature enhancer", "guided query selection", "cross-modality decoder"]
    # the items of introduced data are no parts of a method
    assert proposed_of(
        "We present a new benchmark, which includes math problems, code tasks and medical "
        "questions."
    ) == []
