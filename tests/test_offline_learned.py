"""The offline extractor's learned classifiers: shipped weights, reproducible training,
and what they change (candidates dropped, the rules left alone without them)."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from bench_scripts import load_bench_script
from paperfields.extract.offline.extractor import extract_fields
from paperfields.extract.offline.learned import MODEL_FILE, Model, load_models, use_models
from paperfields.schemas import Paper

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "pipeline" / "paperfields" / MODEL_FILE


def _training_script() -> ModuleType:
    return load_bench_script("train_offline_model")


def test_retraining_reproduces_the_shipped_weights() -> None:
    script = _training_script()
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    again = script.train(script.GOLDS, shipped["models"])
    assert again == shipped
    # the fit is the same however often it runs, and depends on its data
    examples = script.build(script.GOLDS).examples["keep_tasks"]
    assert script.fit(examples, 1.0) == script.fit(examples, 1.0)
    assert script.fit(examples[1:], 1.0) != script.fit(examples, 1.0)


def test_settings_whose_scores_the_folds_cannot_tell_apart_go_to_the_surer_one() -> None:
    script = _training_script()
    examples = [script.Example(paper=f"p{i}", features=["f"], label=i % 2) for i in range(14)]

    def score(scored: object, threshold: float) -> float:
        return {0.3: 0.700, 0.5: 0.698, 0.7: 0.690}.get(threshold, 0.0)

    chosen = script.select(examples, score, (False,))
    assert chosen["threshold"] == 0.5  # within NEAR_BEST of the best, and keeps fewer
    assert chosen["l2"] == max(script.L2_GRID)  # then the stronger penalty
    # a tie must still beat the rules alone when the best does
    assert script.select(examples, score, (False,), floor=0.699)["threshold"] == 0.3


def test_the_training_data_is_the_dev_half_only() -> None:
    script = _training_script()
    data = script.build(script.GOLDS)
    splits = {}
    for path in script.GOLDS:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            splits[row["id"]] = row["split"]
    papers = {e.paper for examples in data.examples.values() for e in examples}
    assert papers and all(splits[p] == "dev" for p in papers)
    dev = {p for p, split in splits.items() if split == "dev"}
    assert {path.name for path in script.GOLDS} >= {"hf-page-gold.jsonl", "recent-gold.jsonl"}
    # every file's dev, but for a paper the rules find no candidate in ("LLMCBench" names
    # only its benchmark)
    assert len(dev - papers) <= len(dev) // 100


def test_shipped_models_load_and_score() -> None:
    models = load_models()
    assert {"keep_methods", "keep_tasks", "keep_metrics", "proposed", "value"} <= set(models)
    m = Model(bias=-1.0, weights={"a": 2.0, "b": -3.0}, threshold=0.5)
    assert m.probability([]) == pytest.approx(0.2689, abs=1e-4)
    assert m.accepts(["a"]) and not m.accepts(["a", "b"]) and not m.accepts([])
    assert m.probability(["b"] * 20) == 0.0  # far below: no overflow


def test_a_keep_model_drops_candidates_and_without_models_the_rules_decide() -> None:
    paper = Paper(
        id="t",
        title="",
        abstract="We study text classification and machine translation with BERT and GPT-4.",
    )
    with use_models({}):
        rules = extract_fields(paper)
    assert [t.name for t in rules.tasks] == ["text classification", "machine translation"]
    drop_translation = Model(bias=3.0, weights={"mod=machine": -9.0}, threshold=0.5)
    with use_models({"keep_tasks": drop_translation}):
        learned = extract_fields(paper)
    assert [t.name for t in learned.tasks] == ["text classification"]
    assert [m.name for m in learned.methods] == [m.name for m in rules.methods]
    # a disabled model is not applied
    off = Model(bias=-9.0, weights={}, threshold=0.5, enabled=False)
    with use_models({"keep_tasks": off, "keep_methods": off}):
        assert extract_fields(paper) == rules


def test_the_proposed_model_names_an_own_method_the_rules_miss() -> None:
    paper = Paper(id="t", title="", abstract="We study ZorbNet and GPT-4. ZorbNet is fast.")
    with use_models({}):
        assert not any(m.proposed for m in extract_fields(paper).methods)
    choose = Model(bias=-5.0, weights={"count=2": 6.0}, threshold=0.5)
    with use_models({"proposed": choose}):
        methods = extract_fields(paper).methods
    assert [(m.name, m.proposed) for m in methods] == [("ZorbNet", True), ("GPT-4", False)]
    # a widely known name is never made the paper's own, however the model rates it
    known = Paper(id="t", title="", abstract="We study BERT and GPT-4. BERT is fast.")
    with use_models({"proposed": Model(bias=5.0, weights={}, threshold=0.5)}):
        assert not any(m.proposed for m in extract_fields(known).methods)
    # below the threshold nothing is added
    with use_models({"proposed": Model(bias=-5.0, weights={}, threshold=0.5)}):
        assert not any(m.proposed for m in extract_fields(paper).methods)


def test_beside_the_rules_own_names_the_proposed_model_needs_its_stricter_threshold() -> None:
    paper = Paper(
        id="t", title="", abstract="We propose ZorbNet, a network. ZorbNet uses QuuxAttention."
    )
    with use_models({}):
        rules = [m.name for m in extract_fields(paper).methods if m.proposed]
    assert rules == ["ZorbNet"]
    likely = {"bias": 0.0, "weights": {}, "threshold": 0.3}  # every candidate at 0.5
    with use_models({"proposed": Model.from_json(likely)}):
        own = [m.name for m in extract_fields(paper).methods if m.proposed]
    assert own == ["ZorbNet", "QuuxAttention"]  # no stricter threshold: the top one joins
    strict = Model.from_json({**likely, "beside_rules_threshold": 0.8})
    assert strict.beside_rules == 0.8
    with use_models({"proposed": strict}):
        own = [m.name for m in extract_fields(paper).methods if m.proposed]
    assert own == ["ZorbNet"]
    # where the rules name none, the ordinary threshold still applies
    bare = Paper(id="t", title="", abstract="We study ZorbNet and GPT-4. ZorbNet is fast.")
    with use_models({"proposed": strict}):
        assert [m.name for m in extract_fields(bare).methods if m.proposed] == ["ZorbNet"]


def test_the_value_model_gives_a_figure_to_a_metric_the_rules_leave_without_one() -> None:
    paper = Paper(
        id="t",
        title="Zeta: a model",
        abstract="Zeta raises the accuracy of every classifier we tried on these noisy and "
        "rather long benchmark collections up to 91.2%.",
    )
    with use_models({}):
        assert [(m.name, m.value) for m in extract_fields(paper).metrics] == [("accuracy", None)]
    take = Model(bias=2.0, weights={}, threshold=0.5)
    with use_models({"value": take}):
        assert [(m.name, m.value) for m in extract_fields(paper).metrics] == [("accuracy", "91.2%")]


def test_the_task_keep_model_weighs_precision_twice() -> None:
    script = _training_script()
    data = script.Data(always={"tasks": {"p": (0, 0)}}, gold_counts={"tasks": {"p": 4}})
    sure = [(script.Example(paper="p", features=[], label=1), 0.9)]  # P 1.0, R 0.25
    f1, f_half = script.keep_score(data, "tasks"), script.keep_score(data, "tasks", beta=0.5)
    assert f1(sure, 0.5) == pytest.approx(0.4)
    assert f_half(sure, 0.5) == pytest.approx(0.625)  # precision counts twice
