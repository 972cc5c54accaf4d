"""Canonical names: folding, trailing words, acronyms across papers, number guard, aliases."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from paperfields.errors import ConfigError
from paperfields.names.acronyms import find_acronym_definitions, long_form_start, split_acronym_name
from paperfields.names.canonical import AliasTable, Normalizer, NormalizerBuilder, load_aliases
from paperfields.names.fold import fold_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("BERT-base", "bert base"),
        ("Fréchet Inception Distance", "frechet  inception-distance"),
        ("Self-Positioning", "Self Positioning"),
        ("NV–Embed", "NV-Embed"),  # en dash
        ("the ImageNet", "ImageNet"),
        ("CNNs", "CNN"),
        ("convolutional neural networks", "Convolutional Neural Network"),
        ("\u201cdeconvolution approach\u201d", "deconvolution approach"),
    ],
)
def test_folding_ignores_case_spacing_punctuation_and_plural(a: str, b: str) -> None:
    assert fold_name(a) == fold_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("MTEB benchmark", "MTEB"),
        ("MTEB dataset", "MTEB"),
        ("ImageNet test set", "ImageNet"),
        ("the ImageNet dataset", "ImageNet"),
        ("Penn Treebank dataset", "Penn Treebank"),
        ("COCO object detection dataset", "COCO object detection"),
        ("NV-Embed model", "NV-Embed"),
        ("F1 score", "F1"),
        ("text retrieval task", "text retrieval"),
    ],
)
def test_trailing_generic_words_are_dropped_after_a_name(a: str, b: str) -> None:
    assert fold_name(a) == fold_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("pilot dataset", "pilot"),  # a generic phrase keeps its head noun
        ("Large Language Model", "Large Language"),
        ("Inception Score", "Inception"),
        ("benchmark", ""),
    ],
)
def test_trailing_words_stay_when_the_rest_is_not_a_name(a: str, b: str) -> None:
    assert fold_name(a) != fold_name(b)
    assert fold_name(a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("CIFAR-10", "CIFAR-100"),
        ("CIFAR10", "CIFAR-100"),
        ("GPT-3", "GPT-4"),
        ("GPT-3", "GPT-3.5"),
        ("MTEB", "MMTEB"),
        ("MTEB", "C-MTEB"),
        ("MMTEB", "C-MTEB"),
        ("CFG", "CFG++"),
        ("Llama 2 7B", "Llama 27B"),
        ("BERT-base", "BERT-large"),
        ("ResNet-50", "ResNet-101"),
        ("T5", "T-5 11B"),
    ],
)
def test_names_that_differ_by_a_number_or_version_never_fold_together(a: str, b: str) -> None:
    assert fold_name(a) != fold_name(b)


def test_acronym_definitions_are_found_in_free_text() -> None:
    text = (
        "Recently, the advent of pretrained language models, along with unified benchmarks like "
        "the Massive Text Embedding Benchmark (MTEB), has facilitated progress. Recent advances "
        "in backbone convolutional neural networks (CNNs) help. We combine a state-of-the-art "
        "segmentation method (SAM) to detect book spines (e.g., covers)."
    )
    found = find_acronym_definitions(text)
    assert [(d.short, d.long) for d in found] == [
        ("MTEB", "Massive Text Embedding Benchmark"),
        ("CNNs", "convolutional neural networks"),
    ]  # "segmentation method (SAM)" has too few words for three capitals
    for d in found:  # the spans point at the text as given
        assert text[d.short_span[0] : d.short_span[1]] == d.short
        assert text[d.long_span[0] : d.long_span[1]] == d.long


def test_acronym_definitions_with_a_version_and_leading_function_words() -> None:
    text = "Results on the Static Facial Expressions in the Wild (SFEW 2.0) data are strong."
    (d,) = find_acronym_definitions(text)
    assert (d.short, d.long) == ("SFEW", "Static Facial Expressions in the Wild")
    assert text[d.short_span[0] : d.short_span[1]] == "SFEW 2.0"
    text = "Evaluation on the Massive Text Embedding Benchmark (MTEB) shows it."
    (d,) = find_acronym_definitions(text)
    assert d.long == "Massive Text Embedding Benchmark"


def test_capitals_inside_a_long_forms_word_spell_the_acronym_too() -> None:
    text = "We propose Optimization by PROmpting (OPRO), a simple approach."
    (d,) = find_acronym_definitions(text)
    assert (d.short, d.long) == ("OPRO", "Optimization by PROmpting")
    assert find_acronym_definitions("a segmentation method (SAM) is used") == []


def test_acronym_definitions_spell_out_powers_and_pair_blended_names() -> None:
    text = (
        "We combine reward functions: Regularized Relevance Reward (R^3). We also train "
        "with Distributional Dispreference Optimization (D^2O). Finally, we introduce data "
        "selection based on data's Predictive strength (Preselect), shown in (Appendix)."
    )
    found = find_acronym_definitions(text)
    assert [(d.short, d.long, d.blend) for d in found] == [
        ("R^3", "Regularized Relevance Reward", False),
        ("D^2O", "Distributional Dispreference Optimization", False),
        ("Preselect", "data selection based on data's Predictive strength", True),
    ]
    # a power's letters each start a word: "Relevance Reward" alone is too short for R^3
    assert find_acronym_definitions("the Relevance Reward (R^3) here") == []
    # a capitalised word that no words of the clause blend into is no name
    assert find_acronym_definitions("see the results of our big study (Appendix).") == []


def test_acronym_definitions_keep_numbers_consistent() -> None:
    assert find_acronym_definitions("two benchmarks: miniImageNet and Fewshot-CIFAR100 (FC100)")
    assert find_acronym_definitions("on the CIFAR benchmark (C10) only") == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Massive Text Embedding Benchmark (MTEB)", ("MTEB", "Massive Text Embedding Benchmark")),
        ("MTEB (Massive Text Embedding Benchmark)", ("MTEB", "Massive Text Embedding Benchmark")),
        ("ImageNet (ILSVRC 2012)", ("ImageNet (ILSVRC 2012)", None)),
        ("GPT-4", ("GPT-4", None)),
    ],
)
def test_split_acronym_name(name: str, expected: tuple[str, str | None]) -> None:
    assert split_acronym_name(name) == expected


def _build(
    papers: dict[str, tuple[str, list[str]]], aliases: AliasTable | None = None
) -> Normalizer:
    """A normalizer learnt from ``{paper_id: (abstract, item names)}``."""
    builder = NormalizerBuilder(aliases)
    for paper_id, (abstract, names) in papers.items():
        builder.add_text(abstract, paper_id)
        for name in names:
            builder.add_name(name, paper_id)
    return builder.build()


def test_acronym_and_long_form_become_one_entity_across_papers() -> None:
    norm = _build(
        {
            "a": ("Benchmarks like the Massive Text Embedding Benchmark (MTEB) matter.", ["MTEB"]),
            "b": ("We rank first on MTEB.", ["MTEB benchmark"]),
            "c": ("No acronym here.", ["Massive Text Embedding Benchmark"]),
            "d": (
                "We introduce the Massive Multilingual Text Embedding Benchmark (MMTEB).",
                ["MMTEB", "MTEB"],
            ),
            "e": ("Experiments on C-MTEB and DuReader.", ["C-MTEB"]),
        }
    )
    keys = {
        (pid, name): norm.canonical(name, pid)
        for pid, name in [
            ("a", "MTEB"),
            ("b", "MTEB benchmark"),
            ("c", "Massive Text Embedding Benchmark"),
            ("d", "MTEB"),
            ("d", "MMTEB"),
            ("d", "Massive Multilingual Text Embedding Benchmark"),
            ("e", "C-MTEB"),
        ]
    }
    mteb = keys[("a", "MTEB")]
    assert mteb.display == "MTEB"
    for pid, name in [("b", "MTEB benchmark"), ("c", "Massive Text Embedding Benchmark")]:
        assert keys[(pid, name)] == mteb
    assert keys[("d", "MTEB")] == mteb
    assert (
        keys[("d", "MMTEB")].key == keys[("d", "Massive Multilingual Text Embedding Benchmark")].key
    )
    assert keys[("d", "MMTEB")].key != mteb.key
    assert keys[("e", "C-MTEB")].key not in {mteb.key, keys[("d", "MMTEB")].key}


def test_ambiguous_acronyms_resolve_per_paper_only() -> None:
    norm = _build(
        {
            "a": ("We propose meta-transfer learning (MTL) for few-shot tasks.", ["MTL"]),
            "b": ("Multi-task learning (MTL) shares encoders.", ["MTL"]),
            "c": ("We compare with MTL.", ["MTL"]),
        }
    )
    canonical = norm.canonical
    assert canonical("MTL", "a").key == canonical("meta-transfer learning", "a").key
    assert canonical("MTL", "b").key == canonical("multi-task learning", "b").key
    assert canonical("MTL", "a").key != canonical("MTL", "b").key
    assert canonical("MTL", "c").key not in {canonical("MTL", "a").key, canonical("MTL", "b").key}


def test_a_clear_majority_long_form_is_linked_for_every_paper() -> None:
    papers = {f"p{i}": ("Large language models (LLMs) are strong.", ["LLMs"]) for i in range(3)}
    papers["odd"] = ("Large-scale language models (LLMs) scale.", ["LLMs"])
    papers["plain"] = ("We study large language models.", ["large language models"])
    norm = _build(papers)
    canonical = norm.canonical
    assert canonical("large language models", "plain").key == canonical("LLM", "p0").key
    assert canonical("LLMs", "odd").key == canonical("large-scale language models", "odd").key
    assert canonical("LLMs", "odd").key != canonical("LLMs", "p0").key


def test_display_is_the_most_frequent_spelling() -> None:
    norm = _build(
        {
            "a": ("", ["ImageNet dataset"]),
            "b": ("", ["ImageNet"]),
            "c": ("", ["ImageNet"]),
            "d": ("", ["accuracy"]),
            "e": ("", ["Accuracy", "accuracy"]),
        }
    )
    canonical = norm.canonical
    assert canonical("the ImageNet dataset", "zzz").display == "ImageNet"
    assert canonical("ACCURACY").display == "accuracy"
    assert canonical("never seen before").display == "never seen before"


def test_learnt_links_refuse_different_numbers() -> None:
    builder = NormalizerBuilder()
    builder.add_definitions([("GPT-4", "Generative Pre-trained Transformer 3")], "a")
    norm = builder.build()
    assert norm.canonical("GPT-4").key != norm.canonical("Generative Pre-trained Transformer 3").key


def test_alias_file_extends_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "aliases.json"
    path.write_text(
        json.dumps(
            {
                "Massive Text Embedding Benchmark": ["MTEB", "mteb-en"],
                "CIFAR-10": ["CIFAR10 dataset", "cifar ten"],
            }
        ),
        encoding="utf-8",
    )
    aliases = load_aliases(path)
    norm = _build(
        {"a": ("the Massive Text Embedding Benchmark (MTEB)", ["MTEB"]), "b": ("", ["cifar ten"])},
        aliases,
    )
    canonical = norm.canonical
    assert canonical("MTEB", "a").display == "Massive Text Embedding Benchmark"
    assert canonical("mteb-en").key == canonical("MTEB").key
    assert canonical("cifar ten").display == "CIFAR-10"
    assert canonical("CIFAR10 dataset").key == canonical("CIFAR-10").key
    assert canonical("CIFAR-100").key != canonical("CIFAR-10").key


def test_aliases_pinned_apart_are_never_merged_by_a_learnt_acronym(tmp_path: Path) -> None:
    path = tmp_path / "aliases.json"
    path.write_text(
        json.dumps({"MTEB": [], "Massive Text Embedding Benchmark": []}), encoding="utf-8"
    )
    norm = _build(
        {"a": ("the Massive Text Embedding Benchmark (MTEB)", ["MTEB"])}, load_aliases(path)
    )
    canonical = norm.canonical
    assert canonical("MTEB").key != canonical("Massive Text Embedding Benchmark").key


@pytest.mark.skipif(sys.version_info < (3, 11), reason="TOML alias files need tomllib (3.11+)")
def test_alias_file_in_toml(tmp_path: Path) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text(
        '[aliases]\n"MTEB" = ["Massive Text Embedding Benchmark", "MTEB benchmark"]\n',
        encoding="utf-8",
    )
    table = load_aliases(path)
    assert table.entries == {"MTEB": ("Massive Text Embedding Benchmark", "MTEB benchmark")}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.json", '{"MTEB": [1, 2]}', "must be a list of strings"),
        ("list.json", '["MTEB"]', "expected a mapping"),
        ("broken.json", '{\n"MTEB": [\n', "invalid JSON"),
        ("twice.json", '{"MTEB": ["x"], "MMTEB": ["X"]}', "listed under both"),
    ],
)
def test_bad_alias_files_name_the_file(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_aliases(path)
    assert str(path) in str(info.value)


def test_missing_alias_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read alias file"):
        load_aliases(tmp_path / "nope.json")


@pytest.mark.parametrize(
    ("short", "window", "start"),
    [
        ("CNNs", "deep convolutional neural networks", 5),  # plural "s" left out
        ("MTEB", "the Massive Text Embedding Benchmark", 4),
        ("3DGS", "with 3D Gaussian Splatting", 5),
        ("SAM", "a segmentation model", 2),
        ("BERT", "a language model", None),
    ],
)
def test_long_form_start_aligns_letters_from_the_end(
    short: str, window: str, start: int | None
) -> None:
    assert long_form_start(short, window) == start
