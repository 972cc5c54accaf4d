"""The offline rules extractor: output contract, typed mentions, attributes, odd inputs."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from paperfields.api import read_papers
from paperfields.cli import main
from paperfields.config import RunConfig
from paperfields.errors import ConfigError
from paperfields.evaluate import SCORED_FIELDS, load_gold, score
from paperfields.evaluate_results import load_gold_extras, score_proposed, score_results
from paperfields.extract import Extraction, Extractor, create_extractor
from paperfields.extract.offline.claims import contribution_sentence
from paperfields.extract.offline.extractor import (
    EXTRACTOR_NAME,
    MAX_EVIDENCE_CHARS,
    OfflineExtractor,
    OfflineSpans,
    extract_fields,
)
from paperfields.extract.offline.learned import use_models
from paperfields.extract.offline.lexicons import STOPWORDS
from paperfields.extract.offline.sentences import split_sentences
from paperfields.schemas import ExtractedFields, Paper

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_PAGE = ROOT / "examples" / "hf-papers-page.txt"
SAMPLE = ROOT / "tests" / "fixtures" / "eval" / "scirex-sample.jsonl"
DEV_GOLD = ROOT / "examples" / "eval" / "scirex-abstracts-dev.jsonl"
GUIDED_GOLD = ROOT / "examples" / "eval" / "scirex-guidelines-gold.jsonl"
SYNTHETIC_GOLD = ROOT / "examples" / "eval" / "synthetic-gold.jsonl"
RECENT_GOLD = ROOT / "examples" / "eval" / "recent-gold.jsonl"
PAGE_GOLD = ROOT / "examples" / "eval" / "hf-page-gold.jsonl"
FIELDS = ("tasks", "methods", "datasets", "metrics", "claims")


def page_papers() -> list[Paper]:
    """The example page's papers, read by the ingest stage."""
    return list(read_papers(EXAMPLE_PAGE))


def gold_papers() -> list[Paper]:
    return list(read_papers(DEV_GOLD))


@pytest.fixture(scope="module")
def page() -> list[tuple[Paper, ExtractedFields]]:
    return [(p, extract_fields(p)) for p in page_papers()]


@pytest.fixture(scope="module")
def dev() -> list[tuple[Paper, ExtractedFields]]:
    return [(p, extract_fields(p)) for p in gold_papers()]


def paper(abstract: str, title: str = "") -> Paper:
    return Paper(id="t", title=title, abstract=abstract)


def names(fields: ExtractedFields, field: str) -> list[str]:
    return [item.name for item in getattr(fields, field)]


# --- the output contract ------------------------------------------------------------------


def test_example_page_is_parsed() -> None:
    assert len(page_papers()) == 63


def test_deterministic() -> None:
    for p in page_papers()[:10]:
        assert extract_fields(p).model_dump() == extract_fields(p).model_dump()


@pytest.mark.parametrize("corpus", ["page", "dev"])
def test_every_evidence_is_a_substring_of_the_abstract(
    corpus: str, request: pytest.FixtureRequest
) -> None:
    results: list[tuple[Paper, ExtractedFields]] = request.getfixturevalue(corpus)
    for p, fields in results:
        for field in FIELDS:
            for item in getattr(fields, field):
                assert item.evidence in p.abstract, (p.id, field, item)
                if field != "claims":
                    assert item.name in item.evidence, (p.id, field, item)
        if fields.summary is not None:
            assert fields.summary in p.abstract


@pytest.mark.parametrize("corpus", ["page", "dev"])
def test_names_are_clean_and_unique(corpus: str, request: pytest.FixtureRequest) -> None:
    results: list[tuple[Paper, ExtractedFields]] = request.getfixturevalue(corpus)
    for p, fields in results:
        for field in ("tasks", "methods", "datasets", "metrics"):
            found = names(fields, field)
            keys: list[object] = [n.lower() for n in found]
            if field == "metrics":  # a metric is listed once per figure and dataset it has
                keys = [(m.name.lower(), m.value, m.dataset) for m in fields.metrics]
            assert len(keys) == len(set(keys)), (p.id, field, found)
            for name in found:
                assert name == name.strip() and name
                assert name in p.abstract  # names are quoted from the abstract, not the title
                assert not all(w in STOPWORDS for w in name.split()), name


def test_example_page_fills_every_field(page: list[tuple[Paper, ExtractedFields]]) -> None:
    for field in FIELDS:
        assert sum(bool(getattr(f, field)) for _, f in page) >= 10, field
    assert sum(f.summary is not None for _, f in page) >= 0.9 * len(page)
    values = [m.value for _, f in page for m in f.metrics if m.value]
    assert values
    kinds = {c.kind for _, f in page for c in f.claims}
    assert {"performance", "efficiency"} <= kinds


def test_mteb_found_for_the_mteb_papers(page: list[tuple[Paper, ExtractedFields]]) -> None:
    mteb_papers = [(p, f) for p, f in page if " MTEB" in p.abstract or "(MTEB)" in p.abstract]
    assert len(mteb_papers) >= 3
    for p, f in mteb_papers:
        assert "MTEB" in names(f, "datasets"), p.title


def test_proposed_method_comes_first(
    page: list[tuple[Paper, ExtractedFields]], dev: list[tuple[Paper, ExtractedFields]]
) -> None:
    proposed = 0
    for _, f in page + dev:
        flags = [m.proposed for m in f.methods]
        assert sum(flags) <= 6  # the names a paper introduces, each with its acronym
        assert flags == sorted(flags, reverse=True)  # the paper's own methods lead the list
        proposed += any(flags)
    assert proposed >= len(page) // 2


def test_proposed_method_from_title_with_description() -> None:
    f = extract_fields(
        paper(
            "Deep networks are slow. We propose FastNet, a novel convolutional network that "
            "prunes channels on the fly. FastNet outperforms ResNet-50 on ImageNet.",
            title="FastNet: Pruning Channels on the Fly",
        )
    )
    own = f.methods[0]
    assert (own.name, own.proposed) == ("FastNet", True)
    assert own.description is not None and own.description.startswith("a novel convolutional")
    assert "ResNet-50" in names(f, "methods")


# --- typed mentions -----------------------------------------------------------------------


def test_acronym_definition_types_both_forms() -> None:
    f = extract_fields(
        paper(
            "Convolutional Neural Networks (CNNs) dominate vision. We study Visual Question "
            "Answering (VQA) with CNNs."
        )
    )
    assert {"Convolutional Neural Networks", "CNNs"} <= set(names(f, "methods"))
    assert {"Visual Question Answering", "VQA"} <= set(names(f, "tasks"))


def test_head_nouns_type_phrases() -> None:
    with use_models({}):  # the rules' typing, before any learned candidate is dropped
        f = extract_fields(
            paper(
                "We address semantic image segmentation with a recurrent neural network. "
                "Our model improves the mean intersection-over-union score."
            )
        )
    assert "semantic image segmentation" in names(f, "tasks")
    assert "recurrent neural network" in names(f, "methods")
    assert any("score" in n for n in names(f, "metrics"))


def test_unknown_names_in_a_dataset_list_are_datasets() -> None:
    f = extract_fields(
        paper(
            "Experiments on four benchmarks, including FooBar-3, BazQux and CIFAR-10, show gains."
        )
    )
    assert {"FooBar-3", "BazQux", "CIFAR-10"} <= set(names(f, "datasets"))


def test_dataset_roles() -> None:
    f = extract_fields(
        paper(
            "The model is trained on the Penn Treebank. We evaluate it on WikiText-2 and "
            "report results. We also mention ImageNet."
        )
    )
    roles = {d.name: d.role for d in f.datasets}
    assert roles["Penn Treebank"] == "train"
    assert roles["WikiText-2"] == "eval"
    assert roles["ImageNet"] == "unknown"


def test_metric_values_and_datasets() -> None:
    f = extract_fields(
        paper(
            "Our approach achieves an intersection-over-union score of 71.8% on the Cityscapes "
            "dataset. On WMT 2014 it reaches 28.4 BLEU, and it is 10x faster."
        )
    )
    metrics = {m.name: m for m in f.metrics}
    iou = metrics["intersection-over-union score"]
    assert iou.value == "71.8%"
    assert iou.dataset is not None and "Cityscapes" in iou.dataset
    assert metrics["BLEU"].value == "28.4"  # BLEU is the metric, not the figure's unit
    assert metrics["BLEU"].dataset == "WMT 2014"


def test_claim_kinds() -> None:
    f = extract_fields(
        paper(
            "We propose a parser. Our parser outperforms all previous systems. "
            "It runs 3x faster than the baseline. We show that depth matters. "
            "The method enables parsing of noisy text. However, it fails on long sentences."
        )
    )
    kinds = {c.text.split()[1]: c.kind for c in f.claims}
    assert kinds["parser"] == "performance"
    assert kinds["runs"] == "efficiency"
    assert kinds["show"] == "finding"
    assert kinds["method"] == "capability"
    assert kinds["it"] == "limitation"
    for c in f.claims:
        assert c.text == c.evidence


def test_summary_is_the_contribution_sentence() -> None:
    f = extract_fields(
        paper("Parsing is hard. In this paper, we present a new parser. It works well.")
    )
    assert f.summary == "In this paper, we present a new parser."


# --- odd inputs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "abstract",
    [
        "",
        "   ",
        "Word",
        "no sentence end and no capitals at all just words running on",
        "Überraschung — 数据集 🚀 (ÄÖÜ) naïve café résumé (X) () ( . ? !",
        "e.g. i.e. et al. Fig. 3. (CNN) ( ) [reference] 5, 000 – — …",
        ("We propose DeepNet, a network. It reaches 90% accuracy on MNIST. " * 350)[:20_000],
    ],
)
def test_odd_abstracts_do_not_crash(abstract: str) -> None:
    fields = extract_fields(paper(abstract, title="Odd: A Title"))
    for field in FIELDS:
        for item in getattr(fields, field):
            assert item.evidence in abstract


def test_overlong_sentence_gives_a_window_around_the_item() -> None:
    abstract = ("we propose DeepNet a network that reaches 90% accuracy on MNIST and " * 300)[
        :20_000
    ]
    fields = extract_fields(paper(abstract))
    items = [*fields.methods, *fields.datasets, *fields.metrics]
    assert items
    for item in items:
        assert item.evidence in abstract and item.name in item.evidence
        assert len(item.evidence) <= MAX_EVIDENCE_CHARS
    assert fields.summary is not None and len(fields.summary) <= MAX_EVIDENCE_CHARS


def test_proposed_rules_do_linear_work_on_one_long_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Counting work, not time: the own-method rules look at each name a bounded number
    of times, so doubling a one-sentence abstract at most doubles the looks."""
    from paperfields.extract.offline import proposed

    looks = 0
    own_name = proposed.own_name

    def counted(m: object) -> bool:
        nonlocal looks
        looks += 1
        return own_name(m)  # type: ignore[arg-type]

    monkeypatch.setattr(proposed, "own_name", counted)
    unit = "we propose Deep{0}Net and Foo{0}Net called Bar{0}Net , a network of Baz{0}Net and "
    counts = []
    for repeat in (100, 200):
        looks = 0
        fields = extract_fields(paper("".join(unit.format(i) for i in range(repeat)) + "."))
        assert fields.methods[0].proposed
        counts.append(looks)
    assert 0 < counts[1] <= 2.2 * counts[0]


def test_sentence_splitter_keeps_abbreviations_and_offsets() -> None:
    text = "We use CNNs (e.g. ResNet) as in Smith et al. 2020. Results improve by 3.5 points! Done."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "We use CNNs (e.g. ResNet) as in Smith et al. 2020.",
        "Results improve by 3.5 points!",
        "Done.",
    ]
    for s in sentences:
        assert text[s.start : s.end] == s.text
        for tok in s.tokens:
            assert text[tok.start : tok.end] == tok.text


# --- the extractor protocol and a loose quality floor -------------------------------------


def test_offline_extractor_protocol() -> None:
    extractor = OfflineExtractor()
    assert isinstance(extractor, Extractor)
    assert extractor.name == EXTRACTOR_NAME and extractor.name.startswith("offline:")
    p = page_papers()[0]

    async def run() -> Extraction:
        try:
            return await extractor.extract(p)
        finally:
            await extractor.aclose()

    result = asyncio.run(run())
    assert result.extractor == EXTRACTOR_NAME
    assert result.fields == extract_fields(p)


def test_loose_quality_floor_on_the_sample() -> None:
    gold = load_gold(SAMPLE)
    predictions = {}
    for pid, g in gold.items():
        fields = extract_fields(Paper(id=pid, title=g.title, abstract=g.abstract))
        predictions[pid] = {
            f: names(fields, f) for f in ("methods", "tasks", "datasets", "metrics")
        }
    macro = score(predictions, gold).macro_f1
    assert macro["lenient"] >= 0.45
    assert macro["exact"] >= 0.3


def test_a_value_tied_to_the_metric_before_it_is_that_metrics_value() -> None:
    abstract = (
        "Our models improve image-text retrieval (Flickr30K, COCO) by ~2.5% in Recall@1, "
        "and image captioning (Nocaps, COCO) by ~10.0% in CIDEr and ~2.7% in SPICE. "
        "Our method yields up to a 4% improvement in MRR and a 9% improvement in P@1."
    )
    fields = extract_fields(Paper(id="v", title="", abstract=abstract))
    values = {m.name: m.value for m in fields.metrics}
    assert values["Recall@1"] == "~2.5%"
    assert values["CIDEr"] == "~10.0%"
    assert values["SPICE"] == "~2.7%"
    assert values["MRR"] == "4%"
    assert values["P@1"] == "9%"


# --- guidelines spans, results, summaries, pinned figures ------------------------------------


def test_guideline_spans_narrow_and_drop_mentions() -> None:
    with use_models({}):  # the rules' spans, before any learned candidate is dropped
        f = extract_fields(
            paper(
                "Large language models (LLMs) are strong. We fine-tune CLIP models with a "
                "late-fusion strategy and report data quality on ranking tasks."
            )
        )
    methods = names(f, "methods")
    assert "CLIP" in methods and "late-fusion" in methods
    assert not {"LLMs", "Large language models", "CLIP models"} & set(methods)
    assert "ranking" in names(f, "tasks")
    assert "data quality" not in names(f, "metrics")


def test_mention_spans_are_an_extractor_setting_with_their_own_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = paper("We fine-tune CLIP models with a sliding window strategy on ranking tasks.")
    assert "CLIP models" in names(extract_fields(text, "mentions"), "methods")
    assert "CLIP" in names(extract_fields(text), "methods")
    mentions, entities = OfflineExtractor(spans="mentions"), OfflineExtractor()
    assert (entities.spans, entities.name) == ("entities", EXTRACTOR_NAME)
    assert mentions.name == f"{EXTRACTOR_NAME}+mentions"
    assert mentions.identity != entities.identity  # a run folder never mixes the two
    monkeypatch.setenv("PAPERFIELDS_OFFLINE_SPANS", "scirex")  # no hidden switch any more
    assert OfflineExtractor().name == EXTRACTOR_NAME
    with pytest.raises(ConfigError, match="entities, mentions"):
        OfflineExtractor(spans="loose")
    with pytest.raises(ConfigError, match="--offline-spans"):
        RunConfig(out_dir=Path("x"), offline_spans="loose")  # type: ignore[arg-type]
    config = RunConfig(out_dir=Path("x"), extractor="offline", offline_spans="mentions")
    assert create_extractor(config).name == mentions.name


def test_eval_run_passes_the_span_setting_and_a_run_folder_keeps_one(tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = ["eval", "--run", str(SAMPLE), "--offline", "-o", str(out), "--json"]
    mentions = CliRunner().invoke(main, [*args, "--offline-spans", "mentions"])
    assert mentions.exit_code == 0, mentions.output
    records = [json.loads(line) for line in (out / "records.jsonl").read_text().splitlines()]
    assert {r["provenance"]["extractor"] for r in records} == {f"{EXTRACTOR_NAME}+mentions"}
    refused = CliRunner().invoke(main, args)  # entity spans into the mentions folder
    assert refused.exit_code == 2
    assert f"{EXTRACTOR_NAME}+mentions" in refused.output and "--reextract" in refused.output
    entities = CliRunner().invoke(main, [*args[:-3], "-o", str(tmp_path / "e"), "--json"])
    assert json.loads(entities.output)["macro_f1"] != json.loads(mentions.output)["macro_f1"]
    bad = CliRunner().invoke(main, [*args, "--offline-spans", "scirex"])
    assert bad.exit_code == 2 and "--offline-spans" in bad.output


def test_a_figure_on_two_datasets_gives_two_results_of_the_own_method() -> None:
    f = extract_fields(
        paper(
            "We propose FooNet, a retrieval network. Our FooNet improves image-text retrieval "
            "(Flickr30K, COCO) by 2.5% in Recall@1.",
            title="FooNet: Better Retrieval",
        )
    )
    results = {(m.name, m.value, m.dataset, m.method) for m in f.metrics if m.value}
    assert results == {
        ("Recall@1", "2.5%", "Flickr30K", "FooNet"),
        ("Recall@1", "2.5%", "COCO", "FooNet"),
    }


def test_every_page_summary_is_a_whole_contribution_sentence(
    page: list[tuple[Paper, ExtractedFields]],
) -> None:
    contributions = 0
    for p, fields in page:
        sentences = split_sentences(p.abstract)
        summary = fields.summary or ""
        whole = [s.text for s in sentences if s.text.startswith(summary)]
        assert whole, (p.id, summary)  # a sentence, or its leading clauses: never cut
        rest = whole[0][len(summary) :]
        assert not rest or re.match(r"[;:]|,?\s+(?:and|but|while|whereas|which)\b", rest), p.id
        own = contribution_sentence(sentences)
        if own is not None:
            contributions += 1
            assert own.text.startswith(summary), p.id
    assert contributions >= 55


def test_an_overlong_summary_ends_at_a_clause_boundary() -> None:
    clause = "we propose DeepNet a network that reaches 90% accuracy on MNIST"
    f = extract_fields(paper(" and ".join([clause] * 12) + "."))
    assert f.summary is not None and len(f.summary) <= MAX_EVIDENCE_CHARS
    assert f.summary.startswith(clause) and f.summary.endswith("MNIST")


def _figures(path: Path, spans: OfflineSpans, split: str | None = None) -> dict[str, float]:
    gold = load_gold(path)
    extras = load_gold_extras(path)
    if split is not None:
        gold = {k: v for k, v in gold.items() if extras[k].split == split}
    fields = {
        k: extract_fields(Paper(id=k, title=g.title, abstract=g.abstract), spans).model_dump()
        for k, g in gold.items()
    }
    report = score(
        {k: {f: [i["name"] for i in v[f]] for f in SCORED_FIELDS} for k, v in fields.items()},
        gold,
    )
    out = {f"{name} {kind}": getattr(s, kind).f1 for name, s in report.fields.items()
           for kind in ("exact", "lenient")}  # fmt: skip
    out |= {f"macro {kind}": value for kind, value in report.macro_f1.items()}
    out |= {f"{name} precision": s.exact.precision for name, s in report.fields.items()}
    sub = {k: extras[k] for k in gold}
    extra = score_results(fields, sub, score_proposed(fields, sub))
    if extra.proposed_exact.total:
        out["proposed exact"] = extra.proposed_exact.share
        out["attached metric"] = extra.attached["metric"].share
    return {k: round(v, 3) for k, v in out.items()}


PINNED: dict[tuple[str, OfflineSpans, str | None], dict[str, float]] = {
    # README "Extraction quality": SciREX dev under SciREX spans (the floors) ...
    ("scirex", "mentions", None): {
        "methods exact": 0.688, "methods lenient": 0.807, "tasks exact": 0.585,
        "tasks lenient": 0.71, "datasets exact": 0.644, "datasets lenient": 0.83,
        "metrics exact": 0.679, "metrics lenient": 0.748, "macro exact": 0.649,
        "macro lenient": 0.773,
    },
    # ... the example page under the guidelines: whole page and held-back half ...
    ("page", "entities", None): {
        "macro exact": 0.706, "macro lenient": 0.725, "proposed exact": 0.878,
        "attached metric": 0.895, "methods precision": 0.842, "tasks precision": 0.787,
        "metrics precision": 0.812,
    },
    ("page", "entities", "test"): {
        "macro exact": 0.664, "macro lenient": 0.684, "proposed exact": 0.727,
        "attached metric": 0.75, "methods precision": 0.821, "tasks precision": 0.653,
        "metrics precision": 0.684,
    },
    # ... and the SciREX abstracts labelled under the same guidelines.
    ("guided", "entities", None): {
        "macro exact": 0.736, "macro lenient": 0.789, "proposed exact": 0.822,
        "attached metric": 0.924, "methods precision": 0.794, "tasks precision": 0.844,
        "metrics precision": 0.932,
    },
    ("guided", "entities", "test"): {
        "macro exact": 0.702, "macro lenient": 0.768, "proposed exact": 0.772,
        "attached metric": 0.881, "methods precision": 0.756, "tasks precision": 0.828,
        "metrics precision": 0.894,
    },
    # ... and invented abstracts of today's kind (its batches: examples/eval/README.md).
    ("synthetic", "entities", None): {
        "macro exact": 0.722, "macro lenient": 0.766, "proposed exact": 0.925,
        "attached metric": 0.755, "methods precision": 0.843, "tasks precision": 0.752,
        "metrics precision": 0.797,
    },
    ("synthetic", "entities", "test"): {
        "macro exact": 0.708, "macro lenient": 0.756, "proposed exact": 0.869,
        "attached metric": 0.731, "methods precision": 0.813, "tasks precision": 0.733,
        "metrics precision": 0.802,
    },
    ("recent", "entities", None): {
        "macro exact": 0.674, "macro lenient": 0.715, "proposed exact": 0.869,
        "attached metric": 0.73, "methods precision": 0.759, "tasks precision": 0.72,
        "metrics precision": 0.764,
    },
    ("recent", "entities", "test"): {
        "macro exact": 0.651, "macro lenient": 0.698, "proposed exact": 0.783,
        "attached metric": 0.679, "methods precision": 0.732, "tasks precision": 0.662,
        "metrics precision": 0.743,
    },
}  # fmt: skip


@pytest.mark.parametrize(("corpus", "spans", "split"), list(PINNED))
def test_readme_figures_are_pinned(corpus: str, spans: OfflineSpans, split: str | None) -> None:
    path = {
        "scirex": DEV_GOLD,
        "page": PAGE_GOLD,
        "guided": GUIDED_GOLD,
        "synthetic": SYNTHETIC_GOLD,
        "recent": RECENT_GOLD,
    }[corpus]
    figures = _figures(path, spans, split)
    expected = PINNED[(corpus, spans, split)]
    assert {k: figures[k] for k in expected} == expected
