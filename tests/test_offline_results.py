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


def test_margins_listed_after_by_pair_with_the_datasets_of_the_figures_respectively() -> None:
    got = metrics_of(
        "Fine-tuning Llama-3-8B on UltraFeedback, SMPO reaches a length-controlled win rate of "
        "44.1% on AlpacaEval 2 and 35.8% on Arena-Hard, improving over DPO by 6.2 and 4.9 "
        "points, respectively."
    )
    assert got == [
        ("length-controlled win rate", "44.1%", "AlpacaEval 2", "SMPO"),
        ("length-controlled win rate", "35.8%", "Arena-Hard", "SMPO"),
        ("length-controlled win rate", "6.2", "AlpacaEval 2", "SMPO"),
        ("length-controlled win rate", "4.9 points", "Arena-Hard", "SMPO"),
    ]


def test_respectively_without_a_matching_list_still_gives_every_figure() -> None:
    got = metrics_of(
        "ZapTool raises the pass rate on the retail and airline domains of TauBench to "
        "51.3% and 32.0%, respectively."
    )
    assert [value for _, value, _, _ in got] == ["51.3%", "32.0%"]


def test_a_number_glued_to_letters_is_no_figure() -> None:
    got = metrics_of("It improves accuracy on HR-Bench 4K and HR-Bench 8K by 5.3 and 8.9 points.")
    assert [value for _, value, _, _ in got] == ["5.3", "8.9 points"]


def test_figures_of_the_baselines_a_result_surpasses_are_theirs() -> None:
    got = metrics_of(
        "The best system, Claude 3.5 Sonnet, achieves a task success rate of 48.2%, "
        "surpassing GPT-4o (44.9%) and the best open model, Llama 3.1-405B (31.7%)."
    )
    assert [(value, method) for _, value, _, method in got] == [
        ("48.2%", "Claude 3.5 Sonnet"),
        ("44.9%", "GPT-4o"),
        ("31.7%", "Llama 3.1-405B"),
    ]


def test_acronym_plurals_and_prefixed_metrics_are_known_metrics() -> None:
    got = metrics_of(
        "On LRS3, SeeHear obtains WERs of 0.9% and 1.1%. On CVSS-C, StreamVoice-T reaches "
        "ASR-BLEU of 27.9 and 29.4, respectively."
    )
    assert [(name, value) for name, value, _, _ in got] == [
        ("WERs", "0.9%"),
        ("WERs", "1.1%"),
        ("ASR-BLEU", "27.9"),
        ("ASR-BLEU", "29.4"),
    ]


def test_a_measure_at_a_cutoff_is_a_metric_and_lists_after_over_x_by_are_read() -> None:
    got = metrics_of(
        "Fine-tuned on MovieLens-1M, Goodreads and Steam, LSPO improves HitRatio@1 over the "
        "strongest baseline by 5.8%, 9.4% and 7.1%, respectively."
    )
    assert [(name, value, dataset) for name, value, dataset, _ in got] == [
        ("HitRatio@1", "5.8%", "MovieLens-1M"),
        ("HitRatio@1", "9.4%", "Goodreads"),
        ("HitRatio@1", "7.1%", "Steam"),
    ]


def test_listed_figures_pair_with_the_list_of_datasets_of_their_size() -> None:
    got = metrics_of(
        "On the ALCE benchmark (ASQA, QAMPARI and ELI5), CiteFix improves citation recall by "
        "14.2, 11.8 and 17.5 points over GPT-4o."
    )
    assert [(value, dataset) for _, value, dataset, _ in got] == [
        ("14.2", "ASQA"),
        ("11.8", "QAMPARI"),
        ("17.5 points", "ELI5"),
    ]


def test_from_a_to_b_with_a_long_parenthesis_naming_the_baseline() -> None:
    got = metrics_of(
        "On BRIGHT, ReTrace raises nDCG@10 from 18.3 (its backbone fine-tuned without "
        "traces) to 27.9."
    )
    assert [value for _, value, _, _ in got] == ["18.3", "27.9"]


def test_from_a_list_to_a_list_pairs_figures_with_the_datasets_respectively() -> None:
    got = metrics_of(
        "SwitchFuse reduces the mixed error rate (MER) on the ASCEND and SEAME test sets "
        "from 21.4% and 18.9% to 16.8% and 15.2%, respectively."
    )
    assert [(v, d) for name, v, d, _ in got if name == "MER"] == [
        ("21.4%", "ASCEND"),
        ("16.8%", "ASCEND"),
        ("18.9%", "SEAME"),
        ("15.2%", "SEAME"),
    ]
    got = metrics_of(
        "KeyVLA raises the average success rate from 41.2% (OpenVLA) and 53.8% to 67.5%."
    )
    assert [v for _, v, _, _ in got] == ["41.2%", "53.8%", "67.5%"]


def test_an_acronym_in_a_metrics_place_is_a_metric() -> None:
    got = metrics_of(
        "On VGGSound, FlashFoley attains an FAD of 1.48 and an IS of 14.2 with a DeSync of "
        "0.52 s. Lumen-VL-7B attains 88.6 ANLS on DocVQA."
    )
    assert [(name, v) for name, v, _, _ in got] == [
        ("FAD", "1.48"),
        ("IS", "14.2"),
        ("DeSync", "0.52 s"),
        ("ANLS", "88.6"),
    ]


def test_respectively_pairs_figures_with_the_systems_listed_before_the_metric() -> None:
    got = metrics_of(
        "GPT-4o, Gemini 1.5 Pro and Qwen2-VL-72B reach ANLS of 0.71, 0.74 and 0.66 but "
        "Grounded Accuracy of only 0.29, 0.35 and 0.31, respectively."
    )
    assert [(v, method) for name, v, _, method in got if name == "Grounded Accuracy"] == [
        ("0.29", "GPT-4o"),
        ("0.35", "Gemini 1.5 Pro"),
        ("0.31", "Qwen2-VL-72B"),
    ]


def test_margins_listed_per_system_after_by() -> None:
    got = metrics_of(
        "SchemaLens improves execution accuracy by 2.8 points for CodeS-15B, 1.9 for "
        "DAIL-SQL and 1.1 for CHESS."
    )
    assert sorted(v for _, v, _, _ in got) == ["1.1", "1.9", "2.8 points"]


def test_the_only_metric_of_a_sentence_takes_every_later_figure_of_its_kind() -> None:
    got = metrics_of(
        "Among 14 models, Gemini 1.5 Pro performs best with 46.8% accuracy, followed by "
        "GPT-4o at 39.5%; the best open model, LLaVA-Video-72B, reaches 31.2%, trained on "
        "4,800 prompts."
    )
    assert [(v, method) for _, v, _, method in got] == [
        ("46.8%", "Gemini 1.5 Pro"),
        ("39.5%", "GPT-4o"),
        ("31.2%", "LLaVA-Video-72B"),
    ]


def test_success_is_a_measure_only_with_a_figure() -> None:
    got = metrics_of(
        "The success of LLMs motivates agents. ToolSmith improves task success from 52.4% to 63.9%."
    )
    assert [(name, v) for name, v, _, _ in got] == [
        ("task success", "52.4%"),
        ("task success", "63.9%"),
    ]


def test_a_figure_counting_a_noun_of_its_own_is_not_the_metrics() -> None:
    got = metrics_of(
        "Across 96 runs, the attack success rate on HarmBench rises from a median of 4% "
        "before fine-tuning to 27% after."
    )
    assert [v for _, v, _, _ in got] == ["4%", "27%"]


def test_an_acronym_a_verb_of_change_moves_and_figures_ahead_of_baselines() -> None:
    got = metrics_of(
        "On VBench it obtains a Total Score of 84.9, ahead of CogVideoX-5B (81.6) and "
        "Open-Sora 1.2 (79.8), and on UCF-101 it lowers FVD from 242 to 171."
    )
    assert [(name, v) for name, v, _, _ in got] == [
        ("Total Score", "84.9"),
        ("Total Score", "81.6"),
        ("Total Score", "79.8"),
        ("FVD", "242"),
        ("FVD", "171"),
    ]


def test_a_time_to_event_compound_is_a_metric() -> None:
    got = metrics_of("Lumen serves requests with a median time-to-first-token of 84 ms.")
    assert [(name, v) for name, v, _, _ in got] == [("median time-to-first-token", "84 ms")]


def test_each_change_by_a_figure_after_a_verb_of_change_is_a_result() -> None:
    got = metrics_of(
        "Our scheduler reduces average validation perplexity by 4.8% relative to the natural "
        "mixture and by 2.1% relative to DoReMi weights."
    )
    assert [v for _, v, _, _ in got] == ["4.8%", "2.1%"]
    got = metrics_of(
        "Applied to DeepSeek-R1-Distill-Qwen-7B, think-then-trim cuts the average response "
        "length by 46% on MATH-500 and by 31% on AIME 2024."
    )
    assert [(name, v) for name, v, _, _ in got] == [
        ("average response length", "46%"),  # "trim" of "think-then-trim" is no verb
        ("average response length", "31%"),
    ]
    got = metrics_of("On MP-DocVQA, Heron-Doc improves over the same model by 6.8 ANLS.")
    assert [(name, v) for name, v, _, _ in got] == [("ANLS", "6.8")]


def test_a_quantity_changed_in_the_passive_or_from_a_to_b_and_a_setting_is_no_metric() -> None:
    got = metrics_of(
        "With fused kernels, decoding throughput rises by 2.4x at batch size 64, while peak "
        "memory is reduced by 3.5x. Anchoring lowers L1 distance to the ground-truth edit "
        "from 0.094 to 0.061."
    )
    assert [(name, v) for name, v, _, _ in got] == [
        ("decoding throughput", "2.4x"),
        ("peak memory", "3.5x"),  # "batch size 64" is a setting
        ("L1 distance", "0.094"),
        ("L1 distance", "0.061"),
    ]


def test_listed_reductions_and_a_named_similarity_with_a_figure() -> None:
    got = metrics_of(
        "On the L2-ARCTIC, CommonAccent and EdAcc test sets, it yields relative WER reductions "
        "of 18.4%, 12.9% and 21.7% over Whisper large-v3."
    )
    assert [(v, d) for _, v, d, _ in got] == [
        ("18.4%", "L2-ARCTIC"),
        ("12.9%", "CommonAccent"),
        ("21.7%", "EdAcc"),
    ]
    got = metrics_of("TAI reaches a speaker similarity of 0.67 on LibriSpeech, not data quality.")
    assert [(name, v) for name, v, _, _ in got] == [("speaker similarity", "0.67")]


def test_a_quantity_that_falls_or_rises_by_a_figure_is_a_metric() -> None:
    got = metrics_of(
        "Token usage drops by 31% and the fertility of rare scripts falls by 40%. The "
        "approach shrinks index size by 3.1x."
    )
    assert [(name, v) for name, v, _, _ in got] == [
        ("Token usage", "31%"),
        ("fertility of rare scripts", "40%"),
        ("index size", "3.1x"),  # "shrinks" is a verb, not part of the name
    ]


def test_a_verb_of_change_moves_every_quantity_listed_with_its_own_by() -> None:
    got = metrics_of(
        "On LLaVA, PruneVT reduces prefill latency by 2.4x and KV-cache memory by 63%."
    )
    assert [(name, value) for name, value, _, _ in got] == [
        ("prefill latency", "2.4x"),
        ("KV-cache memory", "63%"),
    ]


def test_from_a_to_b_written_before_the_metric_gives_both_figures() -> None:
    got = metrics_of(
        "The tuned model improves from 61.5% to 70.2% relaxed accuracy on ChartQA. "
        "A distilled 3B model falls from 80.1% to 64.0% pass@1 on the rewritten problems."
    )
    assert [(name, value) for name, value, _, _ in got] == [
        ("relaxed accuracy", "61.5%"),
        ("relaxed accuracy", "70.2%"),
        ("pass@1", "80.1%"),
        ("pass@1", "64.0%"),
    ]
    assert got[0][2] == "ChartQA"


def test_an_acronym_after_a_possessive_in_a_metrics_place_is_a_metric() -> None:
    got = metrics_of("Its UTMOS of 4.05 is close to the offline model's.")
    assert [(name, value) for name, value, _, _ in got] == [("UTMOS", "4.05")]


def test_words_joined_by_an_underscore_are_one_token() -> None:
    from paperfields.extract.offline.sentences import tokenize

    assert [t.text for t in tokenize("CHAIR_S drops")] == ["CHAIR_S", "drops"]
    assert [t.text for t in tokenize("_emphasis_")] == ["_", "emphasis", "_"]


def test_respectively_figures_go_to_a_metric_only_when_its_own_value_is_among_them() -> None:
    got = metrics_of(
        "Across MMLU, GSM8K and MATH, ThinkLess cuts the outputs of Qwen2.5-7B by 41%, 33% "
        "and 9%, respectively, while accuracy changes by at most 0.4 points."
    )
    assert {(name, value) for name, value, _, _ in got} == {("accuracy", "0.4 points")}


def test_figures_compared_with_vs_before_a_metric_are_both_its_results() -> None:
    got = metrics_of("On NQ, our retriever is on par with DPR (51.0 vs. 50.6 EM).")
    assert [(name, value) for name, value, _, _ in got] == [("EM", "51.0"), ("EM", "50.6")]


def test_margins_after_a_listed_set_of_datasets_pair_with_them_in_order() -> None:
    got = metrics_of(
        "HopGate improves exact match on HotpotQA, 2WikiMultiHopQA and MuSiQue by 3.1, 4.0 "
        "and 2.2 points over IRCoT."
    )
    assert [(value, dataset) for _, value, dataset, _ in got] == [
        ("3.1", "HotpotQA"),
        ("4.0", "2WikiMultiHopQA"),
        ("2.2 points", "MuSiQue"),
    ]


def test_gpu_hours_and_days_are_units_of_a_figure() -> None:
    got = metrics_of("It cuts end-to-end training time from 61 to 42 GPU-days.")
    assert [(name, value) for name, value, _, _ in got] == [
        ("end-to-end training time", "61"),
        ("end-to-end training time", "42 GPU-days"),
    ]


def test_a_quantity_that_rises_or_falls_from_a_to_b_is_a_metric() -> None:
    got = metrics_of("With batching, GPU utilization rises from 38% to 81%.")
    assert [(name, value) for name, value, _, _ in got] == [
        ("GPU utilization", "38%"),
        ("GPU utilization", "81%"),
    ]


def test_a_figure_in_a_sentence_naming_no_method_is_the_papers_own_but_not_its_start() -> None:
    got = metrics_of(
        "We propose VocaShift, a vocabulary adaptation method. On Belebele, accuracy rises "
        "from 41.2% to 55.0% averaged over five languages. GPT-4o reaches 71.0% accuracy."
    )
    owners = {value: method for _, value, _, method in got}
    assert owners["55.0%"] == "VocaShift"
    assert owners["41.2%"] is None  # the figure started from
    assert owners["71.0%"] == "GPT-4o"  # a sentence naming a method keeps it


def test_a_benchmark_named_before_a_metric_is_the_dataset_of_its_figures() -> None:
    f = extract_fields(
        Paper(
            id="t",
            title="",
            abstract="We propose NumeraMix. Continued pre-training on it raises GSM8K accuracy "
            "from 8.3% to 19.7% and MATH accuracy from 3.1% to 9.4%. The 7B accuracy of "
            "GPT-4 is unchanged.",
        )
    )
    assert [(m.name, m.value, m.dataset) for m in f.metrics][:4] == [
        ("accuracy", "8.3%", "GSM8K"),
        ("accuracy", "19.7%", "GSM8K"),
        ("accuracy", "3.1%", "MATH"),
        ("accuracy", "9.4%", "MATH"),
    ]
    assert [d.name for d in f.datasets] == ["GSM8K", "MATH"]  # no size, no known model


def test_margins_after_a_long_list_of_benchmarks_are_still_the_metrics() -> None:
    got = metrics_of(
        "We propose HopGate. With Llama-3.1-8B as the reader, HopGate improves exact match "
        "on the multi-hop question answering benchmarks HotpotQA, 2WikiMultiHopQA and "
        "MuSiQue by 4.7, 6.2 and 3.9 points over IRCoT."
    )
    assert [(value, dataset) for _, value, dataset, _ in got] == [
        ("4.7", "HotpotQA"),
        ("6.2", "2WikiMultiHopQA"),
        ("3.9 points", "MuSiQue"),
    ]


def test_acronym_measures_changed_from_a_figure_to_a_figure_are_metrics() -> None:
    got = metrics_of(
        "We propose LookAgain. It reduces CHAIR_S on MSCOCO from 48.2 to 31.6 and CHAIR_I "
        "from 13.9 to 9.1 for LLaVA-1.5. Training on WebArena from 4.9% to 21.7% is no metric."
    )
    assert [(name, value) for name, value, _, _ in got] == [
        ("CHAIR_S", "48.2"),
        ("CHAIR_S", "31.6"),
        ("CHAIR_I", "13.9"),
        ("CHAIR_I", "9.1"),
    ]


def test_tex_percent_signs_and_ranges_are_figures() -> None:
    got = metrics_of(
        "AdaSPEC achieves higher acceptance rates across all tasks (up to 15\\%). On "
        "ViDoRe, HPC-ColPali achieves 30--50\\% lower query latency."
    )
    values = [(name, value) for name, value, _, _ in got]
    assert ("acceptance rates", "15\\%") in values
    assert ("query latency", "30--50\\%") in values


def test_absolute_or_relative_qualifies_the_figure_not_the_metric() -> None:
    got = metrics_of(
        "With GPT-4, RAPTOR improves the best performance on the QuALITY benchmark by 20% "
        "in absolute accuracy."
    )
    assert [(name, value) for name, value, _, _ in got] == [("accuracy", "20%")]


def test_full_precision_is_a_number_format_not_a_metric() -> None:
    got = metrics_of(
        "On Llama 3.2 3B, MSB achieves 8.43 perplexity on WikiText-2, compared to 7.81 in "
        "full precision and 12.23 with GPTQ."
    )
    assert {name for name, _, _, _ in got} == {"perplexity"}
    assert "12.23" in [value for _, value, _, _ in got]


def test_a_gini_coefficient_changed_from_a_figure_to_a_figure() -> None:
    got = metrics_of("LPR reduces the Gini coefficient of expert load from 0.70 to 0.035.")
    assert [(name, value) for name, value, _, _ in got] == [
        ("Gini coefficient", "0.70"),
        ("Gini coefficient", "0.035"),
    ]


def test_a_known_benchmark_changed_by_a_figure_is_no_metric() -> None:
    got = metrics_of(
        "Our RL training improves pass@1 on HumanEval-plus by over 25% and MBPP-plus by 6%."
    )
    assert "MBPP-plus" not in [name for name, _, _, _ in got]


def test_minimal_or_notably_limited_qualify_a_metric_not_name_it() -> None:
    got = metrics_of(
        "Models show notably limited accuracy of 41.2% at minimal computational overhead."
    )
    assert "accuracy" in [name for name, _, _, _ in got]
    assert not [name for name, _, _, _ in got if name.startswith(("notably", "minimal"))]


def test_a_tex_percent_figure_changes_a_quantity() -> None:
    got = metrics_of("Our method reduces KV cache memory by 40\\% at 128K context.")
    assert [(name, value) for name, value, _, _ in got] == [("KV cache memory", "40\\%")]


def test_a_change_written_as_a_noun_measures_its_quantity() -> None:
    got = metrics_of(
        "In code development, SEMAP achieves up to a 69.6% reduction in total failures. "
        "Overall, CCoT leads to an average per-token cost reduction of 22.67%."
    )
    values = [(name, value) for name, value, _, _ in got]
    assert ("total failures", "69.6%") in values
    assert ("average per-token cost", "22.67%") in values


def test_how_a_change_is_counted_is_no_quantity() -> None:
    got = metrics_of("AutoPass yields an absolute improvement of 3.3% in pass rate.")
    assert "absolute" not in [name for name, _, _, _ in got]


def test_by_an_average_of_gives_the_figure_and_baseline_qualifies_a_metric() -> None:
    got = metrics_of(
        "On KITTI, we reduce false positives by an average of 63.9%. On MBPP, "
        "Self-Debugging improves the baseline accuracy by up to 12%."
    )
    values = [(name, value) for name, value, _, _ in got]
    assert ("false positives", "63.9%") in values
    assert ("accuracy", "12%") in values


def test_complexity_without_a_figure_and_factual_recall_are_no_metrics() -> None:
    got = metrics_of(
        "Rigid rules cannot accommodate the inherent complexity of real attacks. We analyze "
        "LLMs' internal factual recall at each step, and the method has insufficient "
        "accuracy of 41%."
    )
    names = [name for name, _, _, _ in got]
    assert "complexity" not in names
    assert not [n for n in names if "recall" in n]
    assert "accuracy" in names


def test_a_learning_rate_is_a_setting_not_a_metric() -> None:
    got = metrics_of("We train with a learning rate of 0.001 and reach 91.2% accuracy.")
    assert [name for name, _, _, _ in got] == ["accuracy"]


def test_a_figure_and_its_acronym_measure_in_parentheses() -> None:
    got = metrics_of(
        "Our aligned models achieve state of the art on the SpokenWOZ test set (34.66% JGA). "
        "Open-Det achieves even higher performance (+1.0% in APr)."
    )
    values = [(name, value) for name, value, _, _ in got]
    assert ("JGA", "34.66%") in values
    assert ("APr", "+1.0%") in values


def test_token_counts_rates_and_point_ranges_are_figures_with_their_unit() -> None:
    got = metrics_of(
        "MACC reduces CoT length by an average of 47 tokens. FSD raises the decoding speed "
        "by 5 tokens per second. TestTriage improves pass@1 by 2-4 points."
    )
    values = [(name, value) for name, value, _, _ in got]
    assert ("CoT length", "47 tokens") in values
    assert ("decoding speed", "5 tokens per second") in values
    assert ("pass@1", "2-4 points") in values


def test_figures_listed_before_a_metric_with_a_preposition_between_are_each_a_result() -> None:
    got = metrics_of(
        "A two-phase approach outperforms random data ordering and natural distribution of "
        "tokens by 3.4% and 17% on average accuracies."
    )
    values = [(name, value) for name, value, _, _ in got]
    assert ("average accuracies", "3.4%") in values
    assert ("average accuracies", "17%") in values


def test_a_fold_change_and_a_change_noun_from_a_figure_to_a_figure() -> None:
    got = metrics_of(
        "Our method reduces computation load (e.g., a 7-fold reduction in FLOPs). Human "
        "evaluation shows a reduction in irrelevancy from 4.56% to 1.9%."
    )
    values = [(name, value) for name, value, _, _ in got]
    assert ("FLOPs", "7-fold") in values
    assert ("irrelevancy", "4.56%") in values and ("irrelevancy", "1.9%") in values


def test_an_evaluative_adjective_before_a_measure_is_no_part_of_it() -> None:
    got = metrics_of(
        "The results show improvements in classification F1 score with manageable economic "
        "costs (-78% compared with human labeling)."
    )
    assert ("economic costs", "-78%") in [(name, value) for name, value, _, _ in got]


def test_a_figure_in_percent_written_out_keeps_its_unit() -> None:
    got = metrics_of(
        "Fine-tuned models identify depressed content with a high accuracy of nearly "
        "96.0 percent."
    )
    assert ("accuracy", "96.0 percent", None, None) in got


def test_returns_and_ratios_of_finance_are_metrics() -> None:
    got = metrics_of(
        "We propose Zorb. Zorb achieves cumulative returns of 125.9% on S&P 100 stocks. "
        "On S&P 500 stocks it delivers a 33.8% higher Sortino ratio than the market."
    )
    names = {(name, value) for name, value, _, _ in got}
    assert ("cumulative returns", "125.9%") in names
    assert ("Sortino ratio", "33.8%") in names


def test_from_a_baseline_of_a_figure_to_a_figure() -> None:
    got = metrics_of(
        "On the ConstructiveBench dataset, the prover improves the accuracy of answer "
        "construction from a Chain-of-Thought (CoT) baseline of 14.54% to 45.06%."
    )
    values = {(name, value) for name, value, _, _ in got}
    assert {("accuracy", "14.54%"), ("accuracy", "45.06%")} <= values


def test_a_range_of_multipliers_and_a_known_metric_of_several_words() -> None:
    got = metrics_of(
        "Using 4 popular RAG-QA datasets, we show that RAGServe reduces the generation "
        "latency by 1.64-2.54times without sacrificing generation quality."
    )
    assert [(name, value) for name, value, _, _ in got] == [
        ("generation latency", "1.64-2.54times")
    ]
    got = metrics_of(
        "LLM-Rubric predicts human judges' assessment with RMS error < 0.5, a 2× "
        "improvement over the uncalibrated baseline."
    )
    assert ("RMS error", "0.5", None, "LLM-Rubric") in got


def test_a_range_with_the_unit_on_both_figures_and_an_attached_comparison_stay_whole() -> None:
    got = metrics_of(
        "InspectCoder achieves 5.10%–60.37% relative improvements in repair accuracy over "
        "the strongest baseline."
    )
    assert [(name, value) for name, value, _, _ in got] == [("repair accuracy", "5.10%–60.37%")]
    got = metrics_of("Our planner improves throughput by 1.67x-2.24x over vLLM.")
    assert [(name, value) for name, value, _, _ in got] == [("throughput", "1.67x-2.24x")]
    got = metrics_of("Dense rewards give a $5-6\\times$ gain in accuracy over outcome rewards.")
    assert [value for _, value, _, _ in got] == ["5-6\\times"]
    got = metrics_of("Our method gives a >6\\% gain in accuracy over outcome rewards.")
    assert [value for _, value, _, _ in got] == [">6\\%"]
    # "from A to B" stays two figures, and a comparison with a space is a word hedge
    got = metrics_of("Accuracy rises from 8% to 28% on GSM8K, with RMS error < 0.5.")
    assert [value for _, value, _, _ in got] == ["8%", "28%", "0.5"]


def test_a_measure_between_a_figure_and_its_change_noun_is_a_metric() -> None:
    got = metrics_of(
        "Our optimizations demonstrate a 1.83× overall latency reduction on Llama3.1-8B "
        "and 1.7× throughput improvement."
    )
    assert [(name, value) for name, value, _, _ in got] == [
        ("overall latency", "1.83×"),
        ("throughput", "1.7×"),
    ]
    # a count of things reduced is no measure
    assert metrics_of("Sub-MoE keeps 86% of the performance with a 50% expert reduction.") == []


def test_a_figure_before_the_long_form_of_an_acronym_metric_is_its_value() -> None:
    got = metrics_of(
        "These approaches raise translation quality by an average of +1.47 bilingual "
        "evaluation understudy (BLEU) score over fine-tuning."
    )
    assert [(name, value) for name, value, _, _ in got] == [("BLEU", "+1.47")]
    got = metrics_of(
        "Sonora is preferred by human raters in 57% of conversations (win rate) while "
        "being 2.6x faster to first audio."
    )
    assert ("win rate", "57%") in [(name, value) for name, value, _, _ in got]


def test_correlation_spellings_and_figures_on_datasets_before_another_metric() -> None:
    got = metrics_of("On Flickr8k, our score achieves a Kendall-τ of 56.43, beating BLEU.")
    assert ("Kendall-τ", "56.43", "Flickr8k", None) in got
    got = metrics_of(
        "Rewrites lower pass@1 for all models, by 2.1 points on HumanEval and by 1.4 on "
        "MBPP, and the drop correlates with size (Pearson r = 0.64)."
    )
    values = {(name, value) for name, value, _, _ in got}
    assert ("Pearson r", "0.64") in values
    # the figures on the datasets before it are the earlier metric's
    assert ("Pearson r", "2.1 points") not in values
    assert ("pass@1", "2.1 points") in values


def test_a_multiple_before_the_metric_of_a_baseline_is_its_value() -> None:
    got = metrics_of(
        "Subsets found by ClipCov achieve over 2.7x and 1.4x the accuracy of the next best "
        "baseline on ImageNet."
    )
    assert {(name, value) for name, value, _, _ in got} == {
        ("accuracy", "2.7x"),
        ("accuracy", "1.4x"),
    }
    got = metrics_of("Our subsets obtain 1.5x the average accuracy of the next best baseline.")
    assert [(name, value) for name, value, _, _ in got] == [("average accuracy", "1.5x")]


def test_a_hyphenated_score_name_and_a_one_word_winrate_are_metrics() -> None:
    got = metrics_of("FoldRank improves the average GDT-Score from 0.61 to 0.68 on CASP15.")
    assert ("average GDT-Score", "0.68", "CASP15") in [(n, v, d) for n, v, d, _ in got]
    got = metrics_of("PrefTune reaches a 64% winrate against human-written replies.")
    assert [(n, v) for n, v, _, _ in got] == [("winrate", "64%")]


def test_words_that_rank_the_figure_are_no_part_of_the_metric() -> None:
    got = metrics_of(
        "Even the strongest model reaches a maximum accuracy of only 41.2% on the benchmark."
    )
    assert [(n, v) for n, v, _, _ in got] == [("accuracy", "41.2%")]
    got = metrics_of("SplatCam renders at real-time speeds of 180 FPS on one GPU.")
    assert [(n, v) for n, v, _, _ in got] == [("speeds", "180 FPS")]


def test_average_before_a_known_metric_stays_with_it_in_a_longer_phrase() -> None:
    got = metrics_of("TabMix improves average MAE performance by 3.2% over PatchTST.")
    assert [(n, v) for n, v, _, _ in got] == [("average MAE", "3.2%")]
