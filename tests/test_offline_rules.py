"""Offline extractor rules that generalise beyond the example page: respective figures,
result subjects and baselines kept as methods, blended and powered acronyms as the
paper's own names."""

from __future__ import annotations

from paperfields.extract.offline.extractor import analyse, extract_fields
from paperfields.extract.offline.heads import NAMES
from paperfields.extract.offline.learned import use_models
from paperfields.extract.offline.mentions import Mention
from paperfields.extract.offline.refine import refine_mention
from paperfields.extract.offline.sentences import split_sentences, tokenize
from paperfields.schemas import Paper


def fields_of(abstract: str, title: str = "") -> dict[str, list[tuple[object, ...]]]:
    f = extract_fields(Paper(id="t", title=title, abstract=abstract))
    return {
        "methods": [(m.name, m.proposed) for m in f.methods],
        "datasets": [(d.name,) for d in f.datasets],
        "metrics": [(m.name, m.value, m.dataset, m.method) for m in f.metrics],
    }


def test_respectively_pairs_figures_with_datasets_one_by_one() -> None:
    got = fields_of(
        "FooNet obtains 88.2% and 91.0% accuracy on SNLI and MultiNLI, respectively, "
        "outperforming BERT."
    )
    assert got["metrics"] == [
        ("accuracy", "88.2%", "SNLI", "FooNet"),
        ("accuracy", "91.0%", "MultiNLI", "FooNet"),
    ]


def test_respectively_pairs_figures_with_metrics_one_by_one() -> None:
    got = fields_of("It improves BLEU and METEOR by 2.1 and 3.4 points respectively on WMT14.")
    assert [(m[0], m[1]) for m in got["metrics"]] == [("BLEU", "2.1"), ("METEOR", "3.4 points")]
    # without "respectively" (or with lists of other sizes) the nearest figure stays
    got = fields_of("It improves BLEU and METEOR by 2.1, 3.4 and 5.0 points respectively.")
    assert [m[1] for m in got["metrics"]] == ["2.1", "2.1"]


def test_a_results_subject_and_its_baseline_stay_methods() -> None:
    got = fields_of(
        "On MTEB, FooNet improves the average score by 0.7 points over BarNet. "
        "We also evaluate on GLUE and SQuAD."
    )
    assert [m[0] for m in got["methods"]][:2] == ["FooNet", "BarNet"]
    assert ("FooNet",) not in got["datasets"] and ("BarNet",) not in got["datasets"]
    assert got["datasets"][0] == ("MTEB",)
    # a name after "on" in a results sentence is still a dataset
    assert ("GLUE",) in got["datasets"]


def test_powered_and_blended_acronyms_are_the_own_method() -> None:
    got = fields_of(
        "We propose a mixture of reward functions: Regularized Relevance Reward (R^3). "
        "Notably, R^3 needs no preference data."
    )
    assert ("R^3", True) in got["methods"]
    assert ("Regularized Relevance Reward", True) in got["methods"]
    got = fields_of(
        "To leverage this insight, we introduce data selection based on data's Predictive "
        "strength (Preselect). Preselect beats strong baselines."
    )
    assert ("Preselect", True) in got["methods"]


def own(abstract: str, title: str = "Fast ranking") -> list[str]:
    return [m.name for m in extract_fields(Paper(id="t", title=title, abstract=abstract)).methods
            if m.proposed]  # fmt: skip


def test_names_the_abstract_gives_its_own_work_are_proposed() -> None:
    assert own("We present Wizzo, a novel entity matching system. Wizzo is fast.") == ["Wizzo"]
    assert own("We propose the K-loss, a new loss function for classification.") == ["K-loss"]
    assert own("Our method, Zorblax, learns sparse codes. Zorblax improves recall.") == ["Zorblax"]
    assert own("We call our approach Quindle and show that it helps retrieval.") == ["Quindle"]
    assert own("We propose a method with two towers, namely Quindle.") == ["Quindle"]
    assert own("Quindle is a framework that ranks documents.", title="Quindle: fast ranking") == [
        "Quindle"
    ]
    assert own(
        "We propose a novel protocol, Testset Slot Guessing (TS-Guessing), to detect leaks."
    ) == ["Testset Slot Guessing", "TS-Guessing"]
    # a capitalised word in someone else's sentence is no own name
    assert own("Quindle is a framework that ranks documents. It was proposed in 2019.") == []


def metrics_of(abstract: str) -> list[tuple[object, ...]]:
    return fields_of(abstract, title="Zeta: a model")["metrics"]


def test_a_figure_belongs_to_the_own_method_named_in_its_sentence_not_the_baseline() -> None:
    assert metrics_of("Zeta reaches a pass@1 of 67.3% on HumanEval.") == [
        ("pass@1", "67.3%", "HumanEval", "Zeta")
    ]
    got = metrics_of("Zeta achieves 88.5 BLEU on WMT14, surpassing GPT-4 (85.1 BLEU).")
    assert ("BLEU", "88.5", "WMT14", "Zeta") in got
    assert ("BLEU", "85.1", "WMT14", None) in got  # the baseline's figure is not ours
    # an own name after a comparison cue is the baseline's side, not the owner
    assert metrics_of("BarNet is 3% more accurate than Zeta in accuracy.")[0][3] != "Zeta"


def test_figures_are_no_part_of_a_metric_name_and_a_system_that_scores_is_no_metric() -> None:
    assert metrics_of("Zeta yields a 10x speedup and 85.1% lower latency.")[-1][:2] == (
        "latency",
        "85.1%",
    )
    assert all("10x" not in str(m[0]) for m in metrics_of("Zeta yields a 10x speedup."))
    got = fields_of("Zeta scores 69.32 on the MTEB benchmark.", title="Zeta: a model")
    assert got["metrics"] == [] and ("Zeta", True) in got["methods"]
    assert metrics_of("Zeta achieves Kendall's tau of 0.61.")[0][:2] == ("Kendall's tau", "0.61")


def test_each_figure_goes_to_the_dataset_written_right_after_it() -> None:
    got = fields_of("Our method improves accuracy by 3.2% on GSM8K and 1.5% on MATH.")
    assert [(m[1], m[2]) for m in got["metrics"]] == [("3.2%", "GSM8K"), ("1.5%", "MATH")]
    # one figure for two datasets still gives each dataset that figure
    got = fields_of("Our method improves accuracy by 3.2% on GSM8K and MATH.")
    assert [(m[1], m[2]) for m in got["metrics"]] == [("3.2%", "GSM8K"), ("3.2%", "MATH")]


def test_digits_of_a_metric_name_and_citations_are_no_values() -> None:
    got = fields_of("Experiments show that ZapRank outperforms BM25 by 4.1 nDCG@10 points on BEIR.")
    assert got["metrics"] == [("nDCG@10", "4.1", "BEIR", "ZapRank")]
    got = fields_of("We evaluate ZapNet on ImageNet, with lower complexity [41] than VGG.")
    assert all(m[1] != "41" for m in got["metrics"])


def test_a_coined_subject_of_a_result_verb_is_the_papers_own() -> None:
    got = fields_of("GLAD obtains 88.1% joint goal accuracy on WoZ, outperforming prior work.")
    assert ("GLAD", True) in got["methods"]
    assert got["metrics"][0][1:] == ("88.1%", "WoZ", "GLAD")


def test_generic_architecture_names_are_never_the_papers_own() -> None:
    got = fields_of(
        "We propose a solution in a new framework, called 3D Dense Face Alignment (3DDFA), "
        "fitted via a convolutional neural network (CNN).",
        title="Face Alignment with Convolutional Neural Networks",
    )
    own = [name for name, proposed in got["methods"] if proposed]
    assert "3D" not in own and "convolutional neural network" not in own and "CNN" not in own
    got = fields_of("We present PointFusion, a generic 3D object detection method for cars.")
    assert [name for name, proposed in got["methods"] if proposed] == ["PointFusion"]


def test_a_widely_known_name_written_capitalised_is_kept() -> None:
    got = fields_of(
        "We propose a new simple network architecture, the Transformer, based solely on "
        "attention mechanisms."
    )
    assert "Transformer" in [name for name, _ in got["methods"]]


def test_a_dataset_is_its_name_without_the_common_words_around_it() -> None:
    got = fields_of(
        "ZapSeg reaches 80.3% mean IoU on the Cityscapes dataset and 86.2% on the COCO "
        "detection benchmark."
    )
    assert [d[0] for d in got["datasets"]] == ["Cityscapes", "COCO"]
    assert [(m[1], m[2]) for m in got["metrics"]] == [("80.3%", "Cityscapes"), ("86.2%", "COCO")]
    # a capitalised head is part of the name
    got = fields_of("We train ZapNet on the Stanford Sentiment Treebank and report accuracy.")
    assert ("Stanford Sentiment Treebank",) in got["datasets"]


def test_links_units_and_bare_networks_are_no_methods() -> None:
    got = fields_of(
        "We present ZapTrack, a tracker. ZapTrack runs at 35 FPS with a deep neural network "
        "and beats real-time trackers. Code: https://github.com/someone/ZapTrack."
    )
    assert got["methods"] == [("ZapTrack", True)]


def test_a_dataset_right_after_a_metric_is_that_metrics_not_the_next_ones() -> None:
    got = fields_of(
        "Based on our proposed ZapSeg, we achieve 86.2% mean IOU on PASCAL VOC 2012 and "
        "80.3% mean IOU on Cityscapes dataset."
    )
    assert [(m[1], m[2]) for m in got["metrics"]] == [
        ("86.2%", "PASCAL VOC 2012"),
        ("80.3%", "Cityscapes"),
    ]


def test_they_opening_a_sentence_speaks_of_the_papers_own_method() -> None:
    got = fields_of(
        "We introduce ZapNets, recurrent layers that alternate with convolutions. "
        "They are up to 16 times faster at test time."
    )
    assert [m[1:] for m in got["metrics"]] == [("16 times", None, "ZapNets")]


def test_figures_listed_together_and_margins_per_metric_are_results_of_their_own() -> None:
    got = fields_of(
        "ZapQA obtains accuracies of 73.6% and 76.6% on these two datasets. It obtains "
        "88.1% joint goal accuracy and 97.1% request accuracy on WoZ, outperforming prior "
        "work by 3.7% and 5.5%."
    )
    values = {(m[0], m[1]) for m in got["metrics"]}
    assert {("accuracies", "73.6%"), ("accuracies", "76.6%")} <= values
    assert {("joint goal accuracy", "3.7%"), ("request accuracy", "5.5%")} <= values
    assert ("joint goal accuracy", "5.5%") not in values


def test_a_comparative_ties_a_figure_to_the_metric_after_it() -> None:
    got = fields_of(
        "ZapNet surpasses ResNeXt with 26% smaller model size and 25% less computational "
        "cost on ImageNet-1k."
    )
    assert {(m[0], m[1]) for m in got["metrics"]} == {
        ("model size", "26%"),
        ("computational cost", "25%"),
    }


def test_a_metric_is_named_without_the_words_that_qualify_the_result() -> None:
    got = fields_of("ZapMT establishes a new single-model state-of-the-art BLEU score of 41.8.")
    assert [(m[0], m[1]) for m in got["metrics"]] == [("BLEU score", "41.8")]
    got = fields_of("ZapMT achieves 28.4 BLEU on WMT 2014.")  # BLEU is the metric, not a unit
    assert [(m[0], m[1]) for m in got["metrics"]] == [("BLEU", "28.4")]


def test_a_title_names_its_own_method_even_where_the_abstract_writes_it_in_lower_case() -> None:
    got = fields_of(
        "We propose to pool second-order statistics. Covariance pooling captures the "
        "distortions of faces and improves accuracy on RAF-DB.",
        title="Covariance Pooling for Facial Expression Recognition",
    )
    assert ("Covariance pooling", True) in got["methods"]
    # the phrases further into a title are its setting, not its contribution
    got = fields_of(
        "Query reformulation helps. We propose LoL, a loss for pseudo-relevance feedback "
        "with query reformulation.",
        title="LoL: A Regularization Loss over Query Reformulation for Pseudo-Relevance Feedback",
    )
    assert [name for name, own in got["methods"] if own] == ["LoL"]


def test_the_title_head_is_the_own_method_where_the_abstract_writes_it() -> None:
    got = fields_of(
        "This document describes Pythia v0.1, the winning entry to the VQA Challenge 2018. "
        "Code is at https://github.com/org/Pythia.",
        title="Pythia v0.1: the Winning Entry to the VQA Challenge 2018",
    )
    assert ("Pythia v0.1", True) in got["methods"]


def test_own_method_names_lose_the_words_that_present_them() -> None:
    got = fields_of(
        "We develop a new convolutional network module for dense prediction. We show that "
        "the presented context module increases the accuracy of segmentation systems."
    )
    assert "presented context module" not in [name for name, _ in got["methods"]]


def test_x_like_is_the_name_x_and_no_own_method() -> None:
    with use_models({}):  # the rules' naming, before the learned keep model decides
        got = fields_of("We propose a novel ResNet-like architecture for street scenes.")
    assert ("ResNet", False) in got["methods"]
    assert not [name for name, own in got["methods"] if own]


def test_a_part_the_paper_adds_is_named_with_its_head() -> None:
    got = fields_of(
        "We propose a novel residual unit capable of improving accuracy. We augment any "
        "feed-forward model with a simple new gradient reversal layer."
    )
    own = [name for name, proposed in got["methods"] if proposed]
    assert "residual unit" in own and "gradient reversal layer" in own


def test_both_figures_of_from_to_ranges_and_margins_are_results() -> None:
    got = fields_of(
        "On Market-1501, rank-1 accuracy is improved from 55.3% to 80.5% for ZapNet-S, and "
        "from 73.8% to 82.3% for ZapNet-L."
    )
    assert [m[1] for m in got["metrics"]] == ["55.3%", "80.5%", "73.8%", "82.3%"]
    got = fields_of(
        "ZapQA obtains accuracies of 73.6% and 76.6% on these two datasets, exceeding "
        "current state-of-the-art results by 7–10%."
    )
    values = {(m[0], m[1]) for m in got["metrics"]}
    assert {("accuracies", "73.6%"), ("accuracies", "76.6%"), ("accuracies", "7–10%")} == values


def test_names_the_paper_gives_its_work_in_so_many_words_are_its_own() -> None:
    got = fields_of(
        "We refer to our model as a neural statistician, and by this we mean a network that "
        "learns summary statistics."
    )
    assert ("neural statistician", True) in got["methods"]
    got = fields_of("We learn a field of vectors. This “image context flux” representation helps.")
    assert ("image context flux", True) in got["methods"]


def test_a_class_of_models_is_never_the_papers_own() -> None:
    got = fields_of(
        "In this work, we develop and release Llama 2, a collection of pretrained and "
        "fine-tuned LLMs."
    )
    assert not [name for name, own in got["methods"] if own and name.lower() == "llms"]


def test_a_known_models_version_or_size_is_part_of_its_name() -> None:
    got = fields_of("We fine-tune Llama 2 and Mistral 7B, and compare with Llama-2-7B and GPT 3.5.")
    names = [name for name, _ in got["methods"]]
    assert names == ["Llama 2", "Mistral 7B", "Llama-2-7B", "GPT 3.5"]
    # a figure followed by a unit is a count, no version
    tokens = tokenize("We fine-tune BERT 3 times.")
    assert [(m.first, m.last) for m in NAMES.find(tokens)] == [(2, 3)]


def test_a_capitalised_word_before_a_dataset_is_its_name_and_a_language_is_none() -> None:
    got = fields_of(
        "ZapEmbed ranks first on the Massive Text Embedding Benchmark. We introduce "
        "ZapRank, a large-scale Chinese benchmark for passage ranking."
    )
    assert [d[0] for d in got["datasets"]] == ["Massive Text Embedding Benchmark", "ZapRank"]


def test_claims_are_the_papers_and_background_sentences_are_none() -> None:
    f = extract_fields(
        Paper(
            id="t",
            title="",
            abstract=(
                "Large language models achieve state-of-the-art results on many tasks. We "
                "propose ZapAlign, a method for alignment. ZapAlign performs on par with DPO "
                "and KTO. Our scores show stronger correlations with experts than Wordfish. "
                "However, our method is limited to English."
            ),
        )
    )
    assert [(c.kind, c.text[:12]) for c in f.claims] == [
        ("performance", "ZapAlign per"),
        ("performance", "Our scores s"),
        ("limitation", "However, our"),
    ]


def test_a_known_model_the_paper_releases_is_its_own_and_a_guess_never_is() -> None:
    got = fields_of("We present Llama 2, a collection of pretrained and fine-tuned LLMs.")
    assert ("Llama 2", True) in got["methods"]
    got = fields_of("We present BERT as our encoder and evaluate it.")
    assert ("BERT", False) in got["methods"]


def test_a_name_in_apposition_to_the_introduced_phrase_is_the_papers_own() -> None:
    got = fields_of(
        "We propose a new simple network architecture, the Transformer, based solely on "
        "attention mechanisms."
    )
    assert ("Transformer", True) in got["methods"]


def test_verbs_the_chunker_takes_for_nouns_leave_metric_names() -> None:
    text = (
        "We present a framework for evaluating LLM agents. Our framework, named ZapEval, "
        "measures success rate and cost."
    )  # the rules' mentions: whether a metric without a figure is listed is the classifier's
    mentions = analyse(Paper(id="t", title="", abstract=text)).mentions
    assert [m.text for m in mentions if m.field == "metrics"][:1] == ["success rate"]
    got = fields_of("Evaluated on MT-Bench, our 7B model scores 7.34, surpassing Llama-2-70B-chat.")
    assert got["metrics"] == []  # no metric is named
    got = fields_of("Empirically, ZapQ reduces the memory footprint by 75% over QLoRA.")
    assert ("ZapQ", True) in got["methods"]


def test_settings_fields_and_evaluative_words_are_no_part_of_a_method() -> None:
    text = (
        "In machine learning, ZapNet can perform zero-shot learning and beats NLP methods. "
        "We build on widely-adopted static hard negative sampling."
    )
    # the rules' mentions: whether a method named once is listed is the classifier's
    mentions = analyse(Paper(id="t", title="", abstract=text)).mentions
    names = [m.text for m in mentions if m.field == "methods"]
    assert names == ["ZapNet", "static hard negative sampling"]
    listed = [name for name, _ in fields_of(text)["methods"]]
    assert not {"machine learning", "zero-shot learning", "NLP"} & set(listed)


def test_links_broken_by_a_space_long_forms_and_inner_verbs() -> None:
    got = fields_of(
        "We formulate detection as a Multiple Instance Learning (MIL) problem. The site is "
        "http://www. robots.ox.ac.uk/~someone/ZapMask. The model uses local modules."
    )
    names = [name for name, _ in got["methods"]] + [name for name, *_ in got["datasets"]]
    assert "Instance Learning" not in names
    assert not [n for n in names if "/" in n or "uses" in n]


def test_a_name_introduced_as_a_benchmark_is_a_dataset_not_a_method() -> None:
    got = fields_of(
        "We present ZapBench, a benchmark for general AI assistants. GPT-4 scores 15% on "
        "ZapBench, while we propose ZapAgent, an agent that reaches 40%."
    )
    assert ("ZapBench",) in got["datasets"]
    assert "ZapBench" not in [name for name, _ in got["methods"]]
    assert ("ZapAgent", True) in got["methods"]


def test_resources_measured_as_outcomes_are_metrics_with_their_figures() -> None:
    got = fields_of(
        "ZapSel achieves a 10x reduction in compute requirements. ZapABN obtains memory "
        "savings of up to 50%. A deeper ZapDPN trains with about 2 times faster training "
        "speed, and our kernel gives a 2.4× speedup over FlashAttention."
    )
    values = {(m[0], m[1]) for m in got["metrics"]}
    assert values == {
        ("compute requirements", "10x"),
        ("memory savings", "50%"),
        ("training speed", "2 times"),
        ("speedup", "2.4×"),
    }
    # "compute" stays a verb after a subject; a saving with no figure or outcome is none
    got = fields_of("We compute the gradients exactly and discuss possible savings.")
    assert got["metrics"] == []
    got = fields_of("It speeds up decoding.")
    assert got["metrics"] == []


def test_a_figure_written_in_parallel_to_the_metrics_value_is_its_result_too() -> None:
    got = fields_of(
        "ZapASR achieves 18% PER in single utterances and 20% in 10-times longer utterances."
    )
    assert [(m[0], m[1]) for m in got["metrics"]] == [("PER", "18%"), ("PER", "20%")]
    # a figure of another preposition, or after "while", is not
    got = fields_of("ZapASR achieves 18% PER in clean speech and 20% of the time it fails.")
    assert [(m[0], m[1]) for m in got["metrics"]] == [("PER", "18%")]
    got = fields_of("ZapASR reaches 85.1% accuracy on noisy speech, while BERT gets 80.2% on it.")
    assert [(m[0], m[1], m[3]) for m in got["metrics"]] == [
        ("accuracy", "85.1%", "ZapASR"),
        ("accuracy", "80.2%", "BERT"),  # not parallel, but compared: BERT's figure
    ]


def test_a_name_the_paper_calls_its_method_is_its_own_even_in_lower_case() -> None:
    got = fields_of(
        "We present a method that steers a language model at inference time by adding a "
        "steering vector to its activations, which we call activation addition."
    )
    assert ("activation addition", True) in got["methods"]
    got = fields_of("We term this strategy “self-play fine-tuning” and show gains.")
    assert ("self-play fine-tuning", True) in got["methods"]
    got = fields_of("We call for more work on routing. We call them experts.")
    assert not any(own for _, own in got["methods"])  # a plain word is no name


def test_a_bare_phrase_then_described_as_a_technique_is_the_own_method() -> None:
    got = fields_of(
        "We propose token merging for efficient decoding, a training-free technique that "
        "merges similar tokens in the KV cache."
    )
    assert ("token merging", True) in got["methods"]
    # without the apposition that calls it a method, the bare phrase names nothing
    got = fields_of("We propose token merging for efficient decoding.")
    assert not any(own for _, own in got["methods"])


def test_a_released_model_is_the_own_method_and_plural_acronyms_never_are() -> None:
    got = fields_of("We release ZorbLM, a truly open language model, with its training code.")
    assert ("ZorbLM", True) in got["methods"]
    got = fields_of("To support research, we release ToolBench, a dataset of 16k APIs.")
    assert got["datasets"] == [("ToolBench",)]
    assert not any(own for _, own in got["methods"])
    got = fields_of("We introduce an approach that trains language models to call simple APIs.")
    assert not any(own for _, own in got["methods"])


def test_a_figure_takes_the_dataset_its_own_sentence_names_and_each_metric_its_own() -> None:
    got = fields_of(
        "We evaluate on WoZ and DSTC2. ZapDST obtains 88.1% joint goal accuracy on WoZ. "
        "Our retriever improves nDCG@10 by 3.1 points on BEIR and Recall@100 by 2.4 points "
        "on MS MARCO."
    )
    values = {(m[0], m[1], m[2]) for m in got["metrics"]}
    assert ("joint goal accuracy", "88.1%", "WoZ") in values  # WoZ's second mention
    assert ("nDCG@10", "3.1 points", "BEIR") in values
    assert ("Recall@100", "2.4 points", "MS MARCO") in values


def test_a_figure_after_with_is_the_subjects_and_the_new_method_is_the_papers() -> None:
    got = fields_of("A shallow ZapNet surpasses the best ResNeXt-101 with 26% smaller model size.")
    assert [(m[0], m[1], m[3]) for m in got["metrics"]] == [("model size", "26%", "ZapNet")]
    got = fields_of(
        "We propose ZapASR. The new method yields a model that reaches 18% PER on TIMIT."
    )
    assert [(m[0], m[3]) for m in got["metrics"]] == [("PER", "ZapASR")]


def test_names_set_off_after_the_papers_method_or_followed_by_a_relative_clause() -> None:
    got = fields_of("We propose contrastive decoding, which searches for text an expert prefers.")
    assert ("contrastive decoding", True) in got["methods"]
    got = fields_of(
        "We propose a new method for context extension, positional interpolation, that "
        "down-scales the position indices."
    )
    assert ("positional interpolation", True) in got["methods"]
    got = fields_of("Our method, multi-turn self-correction, improves accuracy by 15.6%.")
    assert ("multi-turn self-correction", True) in got["methods"]
    got = fields_of("Our method, which is simple, improves accuracy by 15.6%.")
    assert not any(own for _, own in got["methods"])


def test_a_counted_stage_word_alone_is_no_method_of_the_papers_own() -> None:
    got = fields_of("We present a novel two-stage approach: first we train, then we prune.")
    assert not any(own for _, own in got["methods"])


def test_a_title_phrase_written_alike_and_a_method_called_x_are_the_papers_own() -> None:
    got = fields_of(
        "In this work, we study Self-Rewarding Language Models, where the model rewards "
        "itself during training.",
        title="Self-Rewarding Language Models",
    )
    assert ("Self-Rewarding Language Models", True) in got["methods"]
    got = fields_of(
        "We show how reasoning emerges via a simple method called chain of thought "
        "prompting, where a few exemplars are given."
    )
    assert ("chain of thought prompting", True) in got["methods"]
    got = fields_of("Prior work used an existing method called beam search, which is slow.")
    assert not any(own for _, own in got["methods"])
    got = fields_of(  # a title naming a kind of model is no name of the paper's own
        "Graph Neural Networks are widely used. We study their depth.",
        title="Graph Neural Networks",
    )
    assert not any(own for _, own in got["methods"])


def test_an_improvement_by_a_margin_is_a_performance_claim_however_long_the_metric() -> None:
    f = extract_fields(
        Paper(
            id="t",
            title="",
            abstract="We introduce ZapPO. Across three sizes, ZapPO improves the AlpacaEval 2.0 "
            "length-controlled win rate by 4.2 points over DPO.",
        )
    )
    assert [c.kind for c in f.claims] == ["performance"]


def test_verbs_with_up_and_a_task_defined_as_a_method() -> None:
    got = fields_of("ZapQ reduces the memory footprint by 2.3x and speeds up finetuning.")
    assert [name for name, _ in got["methods"]] == ["ZapQ"]
    f = extract_fields(
        Paper(
            id="t",
            title="",
            abstract="Low-rank adaptation (LoRA) is a popular fine-tuning method. Object "
            "detection is a fundamental task.",
        )
    )
    assert [m.name for m in f.methods][:2] == ["Low-rank adaptation", "LoRA"]
    assert [t.name for t in f.tasks] == ["Object detection"]


def test_names_given_later_and_subjects_after_an_opening_phrase() -> None:
    got = fields_of(
        "We attach a light decoder to CLIP. We call the resulting model ZapSeg. "
        "We name the resulting agent ZARA."
    )
    assert {("ZapSeg", True), ("ZARA", True)} <= set(got["methods"])
    got = fields_of(
        "We propose LedgerKV. On LongBench, LedgerKV with a 10% cache budget stays within "
        "1 point of the full cache.",
        title="LedgerKV: Budget-Aware Eviction",
    )
    assert ("LedgerKV", True) in got["methods"] and ("LedgerKV",) not in got["datasets"]
    got = fields_of(
        "We show that leakage is visible in attention maps, and propose contrastive "
        "attention binding, a test-time objective that pulls each map toward its object."
    )
    assert ("contrastive attention binding", True) in got["methods"]


def test_a_paper_releasing_data_proposes_no_method_the_rules_do_not_name() -> None:
    got = fields_of(
        "We release ZapWeb-4T, a 4.1-trillion-token corpus covering 96 languages. "
        "We evaluate GPT-4o, Claude 3.5 Sonnet and Gemini 1.5 Pro on it."
    )
    assert ("ZapWeb-4T",) in got["datasets"]
    assert not any(own for _, own in got["methods"])
    got = fields_of("We revisit depth pruning and re-run eight recommenders alongside SASRec.")
    assert not any(own for _, own in got["methods"])


def test_compared_figures_units_and_compounds() -> None:
    got = fields_of(
        "ZapDiff achieves an FID of 17.8 on COCO-30K, compared with 20.6 for SDXL-Lightning "
        "and 18.9 for the 50-step teacher."
    )
    assert [(m[0], m[1], m[2]) for m in got["metrics"]] == [
        ("FID", "17.8", "COCO-30K"),
        ("FID", "20.6", "COCO-30K"),
        ("FID", "18.9", "COCO-30K"),
    ]  # "50-step" is no figure
    got = fields_of("ZapRL achieves a human-normalized score of 1.46 (mean) and 0.62 (median).")
    assert [m[1] for m in got["metrics"]] == ["1.46", "0.62"]
    got = fields_of("ZapVLA adds only 9 ms of latency per action chunk.")
    assert [(m[0], m[1]) for m in got["metrics"]] == [("latency", "9 ms")]
    got = fields_of("ZapSel improves average accuracy on a 22-task suite by 2.7 points.")
    assert [m[1] for m in got["metrics"]] == ["2.7 points"]
    # a figure of another kind, or before any comparison word, is not compared
    got = fields_of("ZapDiff achieves an FID of 17.8 in 4 steps, compared with 25% of the time.")
    assert [m[1] for m in got["metrics"]] == ["17.8"]


def test_margins_over_named_baselines_and_figures_of_a_previous_metric() -> None:
    got = fields_of(
        "ZapEmbed obtains 64.2 nDCG@10 on MIRACL, exceeding E5 by 4.5 points and BGE-M3 "
        "by 2.3 points."
    )
    assert [(m[0], m[1], m[3]) for m in got["metrics"]] == [
        ("nDCG@10", "64.2", "ZapEmbed"),
        ("nDCG@10", "4.5 points", "ZapEmbed"),
        ("nDCG@10", "2.3 points", "ZapEmbed"),
    ]
    got = fields_of(
        "ZapMix improves accuracy on the QA subset by 4.4 points and ROUGE-L on its "
        "summarization subset by 2.9 points."
    )
    assert {(m[0], m[1]) for m in got["metrics"]} == {
        ("accuracy", "4.4 points"),
        ("ROUGE-L", "2.9 points"),
    }


def test_from_to_figures_take_the_dataset_after_them_and_verbs_of_change_end_a_phrase() -> None:
    got = fields_of(
        "ZapPRM raises accuracy over greedy decoding from 83.6% to 88.9% on GSM8K and from "
        "49.2% to 57.5% on MATH. It lowers perplexity to 5.21 on WikiText-103."
    )
    assert [(m[0], m[1], m[2]) for m in got["metrics"]] == [
        ("accuracy", "83.6%", "GSM8K"),
        ("accuracy", "88.9%", "GSM8K"),
        ("accuracy", "49.2%", "MATH"),
        ("accuracy", "57.5%", "MATH"),
        ("perplexity", "5.21", "WikiText-103"),
    ]
    got = fields_of(
        "On NQ, TriviaQA and HotpotQA, ZapRet raises exact match (EM) by 3.4, 2.1 and 4.0 "
        "points over the original retriever."
    )
    assert [(m[1], m[2]) for m in got["metrics"] if m[0] == "exact match"] == [
        ("3.4", "NQ"),
        ("2.1", "TriviaQA"),
        ("4.0 points", "HotpotQA"),
    ]


def test_the_resulting_x_named_and_systems_a_benchmark_paper_evaluates() -> None:
    got = fields_of(
        "We distil traces into a small reranker. The resulting reranker, Zap-R3, improves "
        "nDCG@10 on BRIGHT from 14.9 to 27.3."
    )
    assert ("Zap-R3", True) in got["methods"]
    got = fields_of(
        "We build ZapCheck, a benchmark of 3,400 answers. ZapAIS, which relies on an NLI "
        "model, reaches 0.61 macro-F1 against our labels."
    )
    assert ("ZapCheck",) in got["datasets"]
    assert not any(own for _, own in got["methods"])


def test_win_rate_keeps_what_qualifies_it_and_its_dataset() -> None:
    got = fields_of("ZapPO reaches a length-controlled win rate of 44.1% on AlpacaEval 2.")
    assert got["metrics"] == [("length-controlled win rate", "44.1%", "AlpacaEval 2", "ZapPO")]


def test_a_bare_activity_word_is_no_task() -> None:
    f = extract_fields(
        Paper(id="t", title="", abstract="Models fail at answering when facts must be combined.")
    )
    assert f.tasks == []


def test_listed_margins_after_a_phrase_and_margins_over_several_baselines() -> None:
    got = fields_of(
        "ZapSel improves average accuracy on a 22-task core suite by 2.7 and 1.9 points over "
        "the baseline filter."
    )
    assert [m[1] for m in got["metrics"]] == ["2.7", "1.9 points"]
    got = fields_of(
        "ZapWeb improves average accuracy over FineWeb-2 by 1.8 points and over CulturaX by "
        "4.6 points."
    )
    assert {m[1] for m in got["metrics"]} == {"1.8 points", "4.6 points"}


def test_compound_adjectives_hardware_and_data_named_by_their_context() -> None:
    got = fields_of(
        "Fine-tuning Llama-3-8B-Instruct on UltraZap, ZapPO keeps performance on par with "
        "the strongest baseline. A 560M-parameter encoder runs on one H100."
    )
    names = [name for name, _ in got["methods"]]
    assert "Llama-3-8B-Instruct" in names
    assert not {"strongest", "560M-parameter", "H100", "Fine-tuning Llama-3-8B-Instruct"} & set(
        names
    )
    assert ("UltraZap",) in got["datasets"]
    got = fields_of("We use questions from ZapQA and ZapQB, and a model trained on ZapWeb-2B.")
    assert {("ZapQA",), ("ZapQB",), ("ZapWeb-2B",)} <= set(got["datasets"])


def test_widely_known_techniques_of_today_are_methods() -> None:
    f = extract_fields(
        Paper(
            id="t",
            title="",
            abstract="Retrieval-augmented generation (RAG) and in-context learning help LLMs "
            "answer questions about recent events.",
        )
    )
    names = [m.name for m in f.methods]
    assert {"Retrieval-augmented generation", "RAG", "in-context learning"} <= set(names)
    assert not {"Retrieval-augmented generation", "RAG"} & {t.name for t in f.tasks}


def test_from_a_to_b_with_the_baseline_named_between() -> None:
    got = fields_of("ZapR3 improves nDCG@10 on BRIGHT from 14.9 (BM25) to 27.3.")
    assert [(m[0], m[1]) for m in got["metrics"]] == [("nDCG@10", "14.9"), ("nDCG@10", "27.3")]


def test_a_known_metric_keeps_the_qualifier_that_makes_it_another_measure() -> None:
    got = fields_of("ZapScore reaches a summary-level Kendall's tau of 0.47 with human ratings.")
    assert [(m[0], m[1]) for m in got["metrics"]] == [("summary-level Kendall's tau", "0.47")]


def test_an_ing_form_of_a_noun_verb_between_nouns_is_part_of_the_name() -> None:
    got = fields_of(
        "We cast mean-shift clustering as a recurrent network. This recurrent grouping module "
        "is differentiable."
    )
    assert ("recurrent grouping module", True) in got["methods"]


def test_capitalised_words_listed_after_a_name_are_names_of_its_kind() -> None:
    got = fields_of(
        "LSPO is fine-tuned on MovieLens-1M, Goodreads and Steam. We compare GPT-4o, Gemini "
        "and Claude. Data pair CNN and Daily Mail articles."
    )
    assert ("Goodreads",) in got["datasets"] and ("Steam",) in got["datasets"]
    assert ("Gemini", False) in got["methods"] and ("Claude", False) in got["methods"]
    assert not any(name == "Daily" for name, *_ in got["methods"] + got["datasets"])


def test_a_kind_of_system_named_by_adjectives_is_no_task() -> None:
    got = extract_fields(
        Paper(
            id="t",
            title="",
            abstract="We compare cascaded systems with end-to-end systems on three benchmarks.",
        )
    )
    assert [t.name for t in got.tasks] == []


def test_a_noun_verb_before_an_ing_form_is_a_verb() -> None:
    for text in (
        "The model starts answering before the user finishes.",
        "SchemaLens targets first-error identification.",
    ):
        got = extract_fields(Paper(id="t", title="", abstract=text))
        assert all(
            not t.name.lower().startswith(("model starts", "schemalens targets")) for t in got.tasks
        )
    got = extract_fields(
        Paper(id="t", title="", abstract="It speeds up training and the start token is learned.")
    )
    assert [t.name for t in got.tasks] == []


def test_a_noun_verb_in_s_after_a_coined_name_or_an_adverb_is_a_verb() -> None:
    from paperfields.extract.offline.chunker import content_runs
    from paperfields.extract.offline.sentences import split_sentences

    def runs(text: str) -> list[str]:
        return [" ".join(t.text for t in run) for run in content_runs(split_sentences(text)[0])]

    assert runs("In short, StepCheck targets first-error identification.") == [
        "short",
        "StepCheck",
        "first-error identification",
    ]
    assert runs("Sluice speculatively starts generation on partial results.") == [
        "Sluice",
        "generation",
        "partial results",
    ]
    # the noun: before a preposition, a verb or nothing
    assert "GPT-4 scores" in runs("We compare GPT-4 scores on MMLU.")
    assert "CLIP scores" in runs("We find that CLIP scores remain flat.")
    # plain verbs of abstracts are verbs: "hurts", "colocate", "reflect"
    assert runs("Beyond 60%, synthetic data hurts retrieval.")[-1] == "retrieval"
    assert "rollout generation" in runs("Most frameworks colocate rollout generation and updates.")


def test_widely_known_decoding_and_search_techniques_are_methods() -> None:
    got = extract_fields(
        Paper(
            id="t",
            title="",
            abstract="We train the generator with flow matching and decode with Monte Carlo "
            "tree search and rejection sampling, then add back-translation data.",
        )
    )
    assert {"flow matching", "Monte Carlo tree search", "rejection sampling"} <= {
        m.name for m in got.methods
    }
    assert not {"flow matching", "tree search"} & {t.name for t in got.tasks}


def refined_method(text: str, phrase: str, source: str = "phrase") -> str | None:
    """The method mention ``phrase`` of ``text`` as refine narrows it, or None if dropped."""
    sentences = split_sentences(text)
    start = text.index(phrase)
    sentence = next(i for i, s in enumerate(sentences) if s.start <= start < s.end)
    m = Mention("methods", start, start + len(phrase), sentence, phrase, source)
    r = refine_mention(m, sentences, text)
    return None if r is None else r.text


def test_a_method_narrowed_to_a_model_class_or_a_common_word_is_dropped() -> None:
    text = "Experiments cover mainstream LLMs. We add our perturbation to LLaMA."
    assert refined_method(text, "mainstream LLMs") is None
    assert refined_method(text, "LLaMA") == "LLaMA"


def test_a_model_size_is_no_method_and_opens_none() -> None:
    text = "A 7B GenPRM beats a 70B baseline and 7B/13B models on a CPU."
    assert refined_method(text, "7B GenPRM") == "GenPRM"
    assert refined_method(text, "70B") is None
    assert refined_method(text, "7B/13B") is None
    assert refined_method(text, "CPU") is None


def test_todays_widely_known_benchmarks_are_datasets_not_methods() -> None:
    fields = fields_of(
        "Our model s1-32B exceeds o1-preview on MATH-500 and AIME24, and solves problems "
        "from LeetCode and AtCoder."
    )
    datasets = {name for (name,) in fields["datasets"]}
    assert {"MATH-500", "AIME24", "LeetCode", "AtCoder"} <= datasets
    assert not datasets & {name for name, _ in fields["methods"]}


def test_any_verb_in_s_or_ing_after_an_adverb_breaks_the_phrase() -> None:
    from paperfields.extract.offline.chunker import content_runs
    from paperfields.extract.offline.sentences import split_sentences

    def runs(text: str) -> list[str]:
        return [" ".join(t.text for t in run) for run in content_runs(split_sentences(text)[0])]

    assert runs("Tuning merely induces surface-level pattern matching.")[-1] == (
        "surface-level pattern matching"
    )
    assert runs("Defenses keep continuously reinforcing safety alignment.")[-1] == (
        "safety alignment"
    )
    assert "highly specialized domains" in runs("We study highly specialized domains.")


def tasks_of(abstract: str) -> list[str]:
    return [t.name for t in extract_fields(Paper(id="t", title="", abstract=abstract)).tasks]


def test_evaluative_words_open_no_task() -> None:
    tasks = tasks_of(
        "We categorize studies to provide a thorough understanding of DPO. "
        "Reasoning models excel at complex reasoning."
    )
    assert "thorough understanding" not in tasks
    assert "complex reasoning" not in tasks


def test_vision_language_model_classes_and_footnote_debris_are_no_methods() -> None:
    text = (
        "Vision-language models (VLMs) and VLA models are popular. Our code is in the "
        "repository.111Code is released. We report COMET on WMT."
    )
    assert refined_method(text, "VLMs", "name") is None
    assert refined_method(text, "VLA models", "name") is None
    assert refined_method(text, "repository.111Code", "name") is None
    assert NAMES.field_of("COMET") == "metrics"


def test_outputs_in_the_plural_and_evaluative_openers_are_no_tasks() -> None:
    tasks = tasks_of(
        "A verifier filters per-problem predictions and model generations. "
        "We target high-quality segmentation and the widely used link prediction task. "
        "Baselines show an incomplete understanding of weakly supervised detection."
    )
    assert not [t for t in tasks if t.endswith(("predictions", "generations"))]
    assert "high-quality segmentation" not in tasks
    assert "widely used link prediction" not in tasks
    assert "incomplete understanding" not in tasks
    assert "weakly supervised detection" in tasks


def test_verbs_of_change_break_a_task_phrase() -> None:
    f = extract_fields(
        Paper(
            id="t",
            title="",
            abstract="The merged model finalizes expert reconstruction and strengthens reasoning.",
        )
    )
    tasks = [t.name for t in f.tasks]
    assert "finalizes expert reconstruction" not in tasks
    assert "strengthens reasoning" not in tasks


def test_compound_modifiers_particles_and_named_entities_keep_task_phrases_whole() -> None:
    def tasks(text: str) -> list[str]:
        mentions = analyse(Paper(id="t", title="", abstract=text)).mentions
        return [m.text for m in mentions if m.field == "tasks"]

    assert tasks("We study named entity recognition (NER) in clinical notes.") == [
        "named entity recognition",
        "NER",
    ]
    assert tasks("LLMs carry out complex reasoning on GSM8K.") == ["reasoning"]
    assert tasks("We study high level planning for household robots.") == [
        "high level planning"
    ]
    assert tasks("It enables fine grained control over motion.") == ["fine grained control"]
