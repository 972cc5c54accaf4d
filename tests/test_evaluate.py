"""The scorer: normalization, exact and lenient matching, micro counts, macro-F1, loading, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from paperfields.cli import main
from paperfields.errors import InputError
from paperfields.evaluate import (
    GoldPaper,
    lenient_matches,
    load_gold,
    load_predictions,
    normalize_name,
    score,
    score_records,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "eval"
SAMPLE = FIXTURES / "scirex-sample.jsonl"
DEV_GOLD = Path(__file__).resolve().parents[1] / "examples" / "eval" / "scirex-abstracts-dev.jsonl"


def gold_of(pid: str = "p1", **fields: list[str]) -> dict[str, GoldPaper]:
    names = {f: fields.get(f, []) for f in ("methods", "tasks", "datasets", "metrics")}
    return {pid: GoldPaper(id=pid, title="", abstract="", names=names)}


# --- normalization ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("The Penn Tree-bank.", "penntreebank"),
        ("A CNN", "cnn"),
        ("an LSTM", "lstm"),
        ("Anchor boxes", "anchorboxes"),  # "an" only as a whole leading word
        ("state-of-the-art", "stateoftheart"),
        ("ﬁne–tuning", "finetuning"),  # NFKC ligature, en dash
        ("F1 (macro)", "f1macro"),
        ("the", "the"),  # an article alone is kept
        ("C++", "c++"),  # symbols are not punctuation
    ],
)
def test_normalize_name(name: str, key: str) -> None:
    assert normalize_name(name) == key


# --- exact matching -----------------------------------------------------------------------


def test_exact_match_after_normalization() -> None:
    gold = gold_of(methods=["Convolutional Neural Networks", "CNN"])
    report = score({"p1": {"methods": ["convolutional neural-networks", "the CNN", "RNN"]}}, gold)
    exact = report.fields["methods"].exact
    assert (exact.tp, exact.fp, exact.fn) == (2, 1, 0)
    assert exact.precision == pytest.approx(2 / 3)
    assert exact.recall == 1.0
    assert exact.f1 == pytest.approx(0.8)


def test_duplicates_merged_on_both_sides() -> None:
    gold = gold_of(datasets=["CIFAR-10", "cifar 10", "MNIST"])
    report = score({"p1": {"datasets": ["CIFAR10", "Cifar-10", "cifar10."]}}, gold)
    for prf in (report.fields["datasets"].exact, report.fields["datasets"].lenient):
        assert (prf.tp, prf.fp, prf.fn) == (1, 0, 1)


def test_names_that_normalize_to_nothing_are_ignored() -> None:
    gold = gold_of(tasks=["parsing", "--"])
    report = score({"p1": {"tasks": ["parsing", "()", " "]}}, gold)
    exact = report.fields["tasks"].exact
    assert (exact.tp, exact.fp, exact.fn) == (1, 0, 0)


# --- lenient matching ---------------------------------------------------------------------


def test_lenient_containment() -> None:
    gold = gold_of(methods=["ResNet"])
    report = score({"p1": {"methods": ["ResNet-like architecture"]}}, gold)
    assert report.fields["methods"].exact.tp == 0
    assert report.fields["methods"].lenient.tp == 1


def test_containment_needs_three_characters() -> None:
    assert lenient_matches(["AP"], ["mAP"]) == []  # "ap" is 2 characters
    assert lenient_matches(["IoU"], ["mean IoU"]) == [("IoU", "mean IoU")]


def test_lenient_jaccard_threshold() -> None:
    # {recognition, accuracy, score} vs {accuracy, of, recognition}: 2/4 = 0.5
    assert lenient_matches(["recognition accuracy score"], ["accuracy of recognition"]) == [
        ("recognition accuracy score", "accuracy of recognition")
    ]
    # {a, b, c} vs {a, d, e}: 1/5
    assert lenient_matches(["alpha beta gamma"], ["alpha delta epsilon"]) == []


def test_lenient_is_one_to_one_with_exact_pairs_first() -> None:
    # The exact pair is taken first, so "image segmentation" cannot also take "segmentation".
    pairs = lenient_matches(["image segmentation"], ["segmentation", "image segmentation"])
    assert pairs == [("image segmentation", "image segmentation")]
    # Exact first, then containment, then Jaccard.
    pairs = lenient_matches(
        ["semantic image segmentation", "image segmentation", "BLEU score"],
        ["image segmentation", "semantic segmentation", "BLEU"],
    )
    assert pairs == [
        ("image segmentation", "image segmentation"),
        ("BLEU score", "BLEU"),
        ("semantic image segmentation", "semantic segmentation"),
    ]


# --- counts and averages ------------------------------------------------------------------


def test_empty_predictions_score_zero() -> None:
    gold = gold_of(methods=["LSTM"])
    report = score({"p1": {"methods": []}}, gold)
    prf = report.fields["methods"].exact
    assert (prf.precision, prf.recall, prf.f1) == (0.0, 0.0, 0.0)
    assert prf.fn == 1


def test_missing_paper_counts_as_empty_and_unknown_ids_are_ignored() -> None:
    gold = {**gold_of("p1", methods=["LSTM"]), **gold_of("p2", methods=["GRU"])}
    predictions = {"p1": {"methods": ["LSTM"]}, "not-in-gold": {"methods": ["X", "Y", "Z"]}}
    report = score(predictions, gold)
    prf = report.fields["methods"].exact
    assert (prf.tp, prf.fp, prf.fn) == (1, 0, 1)
    assert report.papers == 2
    assert report.predicted_papers == 1


def test_field_with_neither_gold_nor_predictions_scores_one() -> None:
    report = score({"p1": {"methods": ["LSTM"]}}, gold_of(methods=["LSTM"]))
    assert report.fields["metrics"].exact.f1 == 1.0
    assert report.fields["metrics"].lenient.f1 == 1.0


def test_predictions_without_gold_score_zero() -> None:
    report = score({"p1": {"metrics": ["BLEU"]}}, gold_of())
    prf = report.fields["metrics"].exact
    assert (prf.precision, prf.recall, prf.f1) == (0.0, 0.0, 0.0)


def test_macro_f1_is_the_mean_over_the_four_fields() -> None:
    gold = gold_of(methods=["LSTM", "GRU"], tasks=["parsing"], datasets=["MNIST"])
    predictions = {"p1": {"methods": ["LSTM"], "tasks": ["parsing"], "datasets": ["SVHN"]}}
    report = score(predictions, gold)
    # methods P=1 R=1/2 F1=2/3; tasks 1; datasets 0; metrics (none at all) 1.
    assert report.fields["methods"].exact.f1 == pytest.approx(2 / 3)
    assert report.macro_f1["exact"] == pytest.approx((2 / 3 + 1 + 0 + 1) / 4)
    data = report.to_dict()
    assert set(data) >= {"fields", "macro_f1", "papers"}
    assert set(data["fields"]["methods"]["lenient"]) == {"p", "r", "f1", "tp", "fp", "fn"}


# --- files --------------------------------------------------------------------------------


def _records(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _gold_as_records(gold_path: Path, out: Path) -> Path:
    rows = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        fields = {f: [{"name": n} for n in names] for f, names in obj["gold"].items()}
        rows.append({"id": obj["id"], "status": "ok", "fields": fields})
    return _records(out, rows)


def test_load_gold_sample_and_salient_key() -> None:
    gold = load_gold(SAMPLE)
    assert len(gold) == 4
    assert gold["scirex-000f90380d76"].names["datasets"] == ["Cityscapes"]
    salient = load_gold(SAMPLE, "salient")
    assert salient["scirex-000f90380d76"].names["metrics"] == ["Mean IoU"]


def test_load_gold_errors_name_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_gold(tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "gold": {"methods": []}}\n{"id": "b", "gold": {"methods": 3}}\n')
    with pytest.raises(InputError, match=r"bad\.jsonl:2"):
        load_gold(bad)


def test_failed_records_count_as_empty(tmp_path: Path) -> None:
    path = _records(
        tmp_path / "records.jsonl",
        [
            {"id": "a", "status": "failed", "fields": {"methods": [{"name": "LSTM"}]}},
            {"id": "b", "status": "ok", "fields": {"methods": [{"name": "GRU"}, {"bad": 1}]}},
        ],
    )
    predictions = load_predictions(path)
    assert predictions["a"]["methods"] == []
    assert predictions["b"]["methods"] == ["GRU"]


def test_score_records_gold_against_itself(tmp_path: Path) -> None:
    records = _gold_as_records(SAMPLE, tmp_path / "records.jsonl")
    report = score_records(records, SAMPLE)
    assert report.macro_f1 == {"exact": 1.0, "lenient": 1.0}


# --- reference points on the dev file -----------------------------------------------------


def _all_caps_tokens(text: str) -> list[str]:
    """Whitespace tokens of at least 2 characters that are all upper case."""
    return [t for t in text.split() if len(t) >= 2 and t.isupper()]


def test_dev_file_reference_points() -> None:
    gold = load_gold(DEV_GOLD)
    itself = score({pid: g.names for pid, g in gold.items()}, gold)
    assert itself.macro_f1 == {"exact": 1.0, "lenient": 1.0}
    empty = score({}, gold)
    assert empty.macro_f1 == {"exact": 0.0, "lenient": 0.0}
    # The README's naive baseline: every all-caps token of title and abstract,
    # predicted as both a method and a dataset.
    baseline = {}
    for pid, g in gold.items():
        tokens = _all_caps_tokens(f"{g.title} {g.abstract}")
        baseline[pid] = {"methods": tokens, "datasets": tokens}
    macro = score(baseline, gold).macro_f1
    assert round(macro["exact"], 3) == 0.083
    assert round(macro["lenient"], 3) == 0.135


# --- command line -------------------------------------------------------------------------


def test_cli_table_and_json(tmp_path: Path) -> None:
    records = _gold_as_records(SAMPLE, tmp_path / "records.jsonl")
    runner = CliRunner()
    result = runner.invoke(main, ["eval", str(records), "--gold", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output and "1.000" in result.output
    result = runner.invoke(main, ["eval", str(records), "--gold", str(SAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["macro_f1"] == {"exact": 1.0, "lenient": 1.0}
    assert set(data["fields"]) == {"methods", "tasks", "datasets", "metrics"}


def test_cli_salient_key(tmp_path: Path) -> None:
    records = _gold_as_records(SAMPLE, tmp_path / "records.jsonl")
    result = CliRunner().invoke(
        main, ["eval", str(records), "--gold", str(SAMPLE), "--gold-key", "salient", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["gold_key"] == "salient"


def test_cli_missing_or_invalid_file_exits_2(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["eval", str(tmp_path / "none.jsonl"), "--gold", str(SAMPLE)])
    assert result.exit_code == 2
    assert "none.jsonl" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    result = runner.invoke(main, ["eval", str(bad), "--gold", str(SAMPLE)])
    assert result.exit_code == 2
    assert "bad.jsonl:1" in result.output


def test_cli_run_extracts_then_scores_in_one_go(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = CliRunner().invoke(
        main, ["eval", "--run", str(SAMPLE), "--offline", "-o", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["papers"] == data["predicted_papers"] == len(SAMPLE.read_text().splitlines())
    assert 0 < data["macro_f1"]["exact"] <= data["macro_f1"]["lenient"] < 1
    # The records it scored are kept in the given folder and score the same way again.
    again = CliRunner().invoke(
        main, ["eval", str(out / "records.jsonl"), "--gold", str(SAMPLE), "--json"]
    )
    assert json.loads(again.output)["macro_f1"] == data["macro_f1"]


def test_cli_needs_records_and_gold_or_run() -> None:
    result = CliRunner().invoke(main, ["eval"])
    assert result.exit_code == 2
    assert "--run" in result.output


def test_records_of_other_papers_are_an_error_not_an_all_zero_table(
    example_page: Path, tmp_path: Path
) -> None:
    run = tmp_path / "run"
    assert CliRunner().invoke(main, ["run", str(example_page), "-o", str(run)]).exit_code == 0
    with pytest.raises(InputError, match="no paper ids in common"):
        score_records(run, DEV_GOLD)  # the example page's records against SciREX gold
    result = CliRunner().invoke(main, ["eval", str(run), "--gold", str(DEV_GOLD)])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "no paper ids in common" in message and "slug of the title" in message
    assert "paperfields eval --run" in message


def test_eval_accepts_a_run_folder_like_compare(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    _gold_as_records(SAMPLE, run / "records.jsonl")
    result = CliRunner().invoke(main, ["eval", str(run), "--gold", str(SAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["macro_f1"] == {"exact": 1.0, "lenient": 1.0}


def test_eval_run_says_when_entity_spans_meet_a_gold_file_that_labels_mentions(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    page_gold = DEV_GOLD.parent / "hf-page-gold.jsonl"
    entity = runner.invoke(
        main, ["eval", "--run", str(SAMPLE), "--offline", "-o", str(tmp_path / "a")]
    )
    assert entity.exit_code == 0, entity.output
    assert "--offline-spans mentions" in entity.stderr
    mention = runner.invoke(
        main,
        ["eval", "--run", str(SAMPLE), "--offline", "--offline-spans", "mentions",
         "-o", str(tmp_path / "b")],
    )  # fmt: skip
    assert mention.exit_code == 0 and "--offline-spans" not in mention.stderr
    guided = runner.invoke(
        main, ["eval", "--run", str(page_gold), "--offline", "-o", str(tmp_path / "c")]
    )  # the guidelines' own file: entity spans are its convention
    assert guided.exit_code == 0 and "--offline-spans" not in guided.stderr
