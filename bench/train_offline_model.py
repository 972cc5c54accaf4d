"""Train the offline extractor's learned classifiers; write paperfields/data/offline_model.json.

Deterministic and pure Python. The training data is the ``dev`` part of each file of
:data:`GOLDS` only: the example page (``examples/eval/hf-page-gold.jsonl``), the SciREX
abstracts labelled under the same guidelines (``examples/eval/scirex-guidelines-gold.jsonl``)
and the recent arXiv abstracts labelled under them (``examples/eval/recent-gold.jsonl``);
their ``test`` parts are never read. The
candidates are what the rules produce (:func:`paperfields.extract.offline.extractor.analyse`),
described by :mod:`paperfields.extract.offline.features`, labelled by the gold file:

* ``keep_methods`` / ``keep_tasks`` / ``keep_metrics`` - each distinct name the rules
  give a field (the rules' own methods left out: they are always kept), labelled 1
  when the gold lists that name in that field;
* ``proposed`` - each distinct method name, labelled 1 when it is a gold proposed
  string (the rules' verdict is no feature: the classifier is a second opinion); its
  ``beside_rules_threshold``, for adding a name where the rules already name the paper's
  own, is chosen apart to maximise right minus wrong names added there;
* ``value`` - each figure near a metric (``figures.figures_near``), labelled 1 when
  the gold results give that figure to that metric.

Each model is an L2-regularised logistic regression fitted by full-batch gradient
descent (fixed step and iteration count, so the weights are reproducible). Its L2
strength, its feature set (with or without the lexical head and modifier features)
and its threshold are chosen by grouped cross-validation inside ``dev`` (papers split
into :data:`FOLDS` folds by the hash of their id), maximising the field's exact F1
(keep models), found-minus-spurious papers (proposed) or right-minus-wrong figures added
to metrics the rules leave without one (value); scores within :data:`NEAR_BEST` of the
best are a tie, which the highest threshold wins (``select``). A model whose cross-validated
score is no better than the rules alone is written with ``enabled: false`` (so far the
value model: the dev half states too few results to beat the rules).

``--cv-report`` scores the extractor on ``dev`` the honest way: each fold's papers are
extracted with models fitted on the other folds (shipped settings), and the rules
alone are scored beside it.

Usage::

    python bench/train_offline_model.py              # cross-validate, fit, write the JSON
    python bench/train_offline_model.py --check      # refit with the shipped settings, compare
    python bench/train_offline_model.py --cv-report  # dev figures, cross-validated
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from offline_eval import _print_report
from paperfields.evaluate import SCORED_FIELDS, load_gold, score
from paperfields.evaluate_results import (
    load_gold_extras,
    score_proposed,
    score_results,
    value_key,
)
from paperfields.extract.offline.extractor import analyse, extract_fields, first_mentions
from paperfields.extract.offline.features import (
    mention_features,
    proposed_features,
    value_features,
)
from paperfields.extract.offline.figures import figures_near, metric_value
from paperfields.extract.offline.learned import Model, use_models
from paperfields.names.fold import match_key
from paperfields.schemas import Paper

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "examples" / "eval" / "hf-page-gold.jsonl"
# The labelled files whose ``dev`` papers train the models (their ``test`` papers never).
GOLDS = (
    GOLD,
    ROOT / "examples" / "eval" / "scirex-guidelines-gold.jsonl",
    ROOT / "examples" / "eval" / "recent-gold.jsonl",
)
OUT = ROOT / "pipeline" / "paperfields" / "data" / "offline_model.json"
FOLDS = 7
L2_GRID = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))
STEP = 0.2
NEAR_BEST = 0.005  # cross-validated scores this close are a tie (see ``select``)
ITERATIONS = 300
DIGITS = 6


@dataclass(slots=True)
class Example:
    """One candidate: its paper, active features and label."""

    paper: str
    features: list[str]
    label: int
    open: bool = True  # value candidates: the rules gave the metric no figure
    metric: int = 0  # value candidates: which metric mention (its start)
    own: bool = False  # proposed candidates: the rules already name it the paper's own


@dataclass(slots=True)
class Data:
    """The examples of every model, and what their scoring needs of each paper."""

    examples: dict[str, list[Example]] = field(default_factory=dict)
    gold_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    always: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    has_proposed: dict[str, bool] = field(default_factory=dict)
    rules_name_own: dict[str, bool] = field(default_factory=dict)


def fold_of(paper_id: str) -> int:
    """The cross-validation fold of a paper: its id's hash modulo :data:`FOLDS`."""
    return int(hashlib.sha256(paper_id.encode()).hexdigest(), 16) % FOLDS


def dev_rows(gold_paths: Sequence[Path] = GOLDS) -> list[dict[str, Any]]:
    """The ``dev`` papers of the gold files, as their JSON lines."""
    rows: list[dict[str, Any]] = []
    for path in gold_paths:
        with path.open(encoding="utf-8") as fh:
            rows.extend(row for line in fh if line.strip() for row in [json.loads(line)])
    return [row for row in rows if row.get("split") == "dev"]


def build(gold_paths: Sequence[Path] = GOLDS) -> Data:
    """The training examples of every model from the ``dev`` papers of the gold files."""
    data = Data()
    for name in ("keep_methods", "keep_tasks", "keep_metrics", "proposed", "value"):
        data.examples[name] = []
    for row in dev_rows(gold_paths):
        pid = row["id"]
        analysis = analyse(Paper(id=pid, title=row["title"], abstract=row["abstract"]))
        own_keys = {match_key(m.text) for m in analysis.own}
        own_groups = {m.group for m in analysis.own if m.group}
        for fld in ("methods", "tasks", "metrics"):
            gold = {match_key(g) for g in row["gold"][fld]}
            data.gold_counts.setdefault(fld, {})[pid] = len(gold)
            tp = fp = 0
            for m, valued in first_mentions(analysis, fld):
                key = match_key(m.text)
                if fld == "methods" and (key in own_keys or (m.group and m.group in own_groups)):
                    tp, fp = tp + (key in gold), fp + (key not in gold)  # always kept
                    continue
                feats = mention_features(m, analysis.context, False, valued)
                data.examples[f"keep_{fld}"].append(Example(pid, feats, int(key in gold)))
            data.always.setdefault(fld, {})[pid] = (tp, fp)
        results = {
            (value_key(r["value"]), match_key(r["metric"]))
            for r in row["results"]
            if r["metric"] is not None
        }
        for m in analysis.mentions:
            if m.field != "metrics":
                continue
            sent = analysis.sentences[m.sentence]
            open_ = metric_value(m, sent, analysis.mentions) is None  # where it applies
            for figure in figures_near(m, sent, analysis.mentions):
                label = int((value_key(figure[2]), match_key(m.text)) in results)
                feats = value_features(m, figure, sent)
                data.examples["value"].append(Example(pid, feats, label, open_, m.start))
        proposed = {match_key(p) for p in row["proposed"]}
        data.has_proposed[pid] = bool(proposed)
        data.rules_name_own[pid] = bool(analysis.own)
        for m, _ in first_mentions(analysis, "methods"):
            feats = proposed_features(m, analysis.context)
            key = match_key(m.text)
            data.examples["proposed"].append(
                Example(pid, feats, int(key in proposed), own=key in own_keys)
            )
    return data


def _view(examples: Sequence[Example], lexical: bool) -> list[Example]:
    """The examples with or without their lexical (head and modifier) features."""
    if lexical:
        return list(examples)
    return [replace(e, features=_without_lexical(e.features)) for e in examples]


def _without_lexical(features: list[str]) -> list[str]:
    return [f for f in features if not f.startswith(("head=", "mod="))]


def fit(examples: Sequence[Example], l2: float) -> tuple[float, dict[str, float]]:
    """L2-regularised logistic regression by full-batch gradient descent.

    Minimises the mean log loss plus ``l2 / n`` times half the squared weights (the
    bias is not penalised), with a fixed step and iteration count: deterministic.

    Returns:
        The bias and the weight of every feature seen.
    """
    names = sorted({f for e in examples for f in e.features})
    index = {f: i for i, f in enumerate(names)}
    rows = [[index[f] for f in e.features] for e in examples]
    labels = [e.label for e in examples]
    n = len(rows)
    weights = [0.0] * len(names)
    bias = 0.0
    if n == 0:
        return bias, {}
    for _ in range(ITERATIONS):
        grad = [0.0] * len(names)
        grad_bias = 0.0
        for row, y in zip(rows, labels, strict=True):
            z = bias + sum(weights[i] for i in row)
            p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
            err = p - y
            grad_bias += err
            for i in row:
                grad[i] += err
        bias -= STEP * grad_bias / n
        for i in range(len(weights)):
            weights[i] -= STEP * (grad[i] + l2 * weights[i]) / n
    return bias, dict(zip(names, weights, strict=True))


def probability(bias: float, weights: dict[str, float], features: Sequence[str]) -> float:
    """The model's probability for one candidate."""
    z = bias + sum(weights.get(f, 0.0) for f in features)
    return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0


def cross_validated(
    examples: Sequence[Example], l2: float, lexical: bool
) -> list[tuple[Example, float]]:
    """Every example with the probability a model fitted on the other folds gives it."""
    view = _view(examples, lexical)
    out: list[tuple[Example, float]] = []
    for k in range(FOLDS):
        train = [e for e in view if fold_of(e.paper) != k]
        bias, weights = fit(train, l2)
        out.extend(
            (e, probability(bias, weights, e.features)) for e in view if fold_of(e.paper) == k
        )
    return out


def keep_score(
    data: Data, fld: str, beta: float = 1.0
) -> Callable[[list[tuple[Example, float]], float], float]:
    """Exact F-beta of a field when the candidates below a threshold are dropped (F1 by
    default; a ``beta`` below 1 weighs precision more)."""

    def score(scored: list[tuple[Example, float]], threshold: float) -> float:
        tp = sum(t for t, _ in data.always[fld].values())
        fp = sum(f for _, f in data.always[fld].values())
        for e, p in scored:
            if p >= threshold:
                tp += e.label
                fp += 1 - e.label
        gold = sum(data.gold_counts[fld].values())
        predicted = tp + fp
        if predicted == 0 or gold == 0 or tp == 0:
            return 0.0
        precision, recall = tp / predicted, tp / gold
        return (1 + beta**2) * precision * recall / (beta**2 * precision + recall)

    return score


def proposed_score(data: Data) -> Callable[[list[tuple[Example, float]], float], float]:
    """Papers whose top-rated method is a gold proposed one, minus papers without one
    that get a proposed method, when the top must reach a threshold (classifier alone)."""

    def score(scored: list[tuple[Example, float]], threshold: float) -> float:
        best: dict[str, tuple[float, int]] = {}
        for e, p in scored:
            if e.paper not in best or p > best[e.paper][0]:
                best[e.paper] = (p, e.label)
        found = sum(1 for pid, (p, y) in best.items() if p >= threshold and y)
        spurious = sum(
            1 for pid, (p, _) in best.items() if p >= threshold and not data.has_proposed[pid]
        )
        return float(found - spurious)

    return score


def beside_rules_threshold(data: Data, scored: list[tuple[Example, float]]) -> float:
    """The threshold for adding the top-rated method to the names the rules already call
    the paper's own: the one with the most right minus wrong names added over the papers
    where the rules name some (cross-validated probabilities); ties go to the higher
    threshold, and 1.0 (never add) competes."""
    best: dict[str, tuple[float, int]] = {}
    for e, p in scored:
        if data.rules_name_own.get(e.paper) and not e.own:
            if e.paper not in best or p > best[e.paper][0]:
                best[e.paper] = (p, e.label)
    choices = sorted((*THRESHOLDS, 1.0), reverse=True)
    return max(choices, key=lambda t: sum((1 if y else -1) for p, y in best.values() if p >= t))


def value_score(scored: list[tuple[Example, float]], threshold: float) -> float:
    """Figures the classifier adds to metrics the rules leave without one: right ones minus
    wrong ones (the top-rated figure per metric, when it reaches the threshold)."""
    best: dict[tuple[str, int], tuple[float, int]] = {}
    for e, p in scored:
        key = (e.paper, e.metric)
        if e.open and (key not in best or p > best[key][0]):
            best[key] = (p, e.label)
    return float(sum((1 if y else -1) for p, y in best.values() if p >= threshold))


def select(
    examples: Sequence[Example],
    score: Callable[[list[tuple[Example, float]], float], float],
    lexical_options: Sequence[bool],
    floor: float = 0.0,
) -> dict[str, Any]:
    """The L2 strength, feature set and threshold with the best cross-validated score.

    Scores within :data:`NEAR_BEST` of the best are a tie (the folds cannot tell them
    apart): of those the highest threshold wins, the one that keeps fewer and surer
    candidates, then the stronger penalty, so that a small change of the candidates
    does not swing the choice between distant settings. When the best beats ``floor``
    (the rules alone), a tie must beat it too."""
    tried: list[dict[str, Any]] = []
    for lexical in lexical_options:
        for l2 in L2_GRID:
            scored = cross_validated(examples, l2, lexical)
            for threshold in THRESHOLDS:
                value = score(scored, threshold)
                tried.append(
                    {"l2": l2, "lexical": lexical, "threshold": threshold, "cv_score": value}
                )
    top = max(t["cv_score"] for t in tried)
    near = [
        t
        for t in tried
        if t["cv_score"] >= top - NEAR_BEST and (t["cv_score"] > floor or top <= floor)
    ]
    return max(near, key=lambda t: (t["threshold"], t["l2"], not t["lexical"], t["cv_score"]))


def final_model(examples: Sequence[Example], settings: dict[str, Any]) -> dict[str, Any]:
    """Fit on every dev example with the chosen settings; the model's JSON object."""
    view = _view(examples, settings["lexical"])
    bias, weights = fit(view, settings["l2"])
    return {
        **settings,
        "bias": round(bias, DIGITS),
        "weights": {k: round(v, DIGITS) for k, v in sorted(weights.items()) if round(v, DIGITS)},
        "examples": len(view),
        "positives": sum(e.label for e in view),
    }


def baseline(
    examples: Sequence[Example], score: Callable[[list[tuple[Example, float]], float], float]
) -> float:
    """The score of keeping every candidate (the rules alone)."""
    return score([(e, 1.0) for e in examples], 0.5)


def train(
    gold_paths: Sequence[Path] = GOLDS, settings: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Build the examples and fit every model.

    Args:
        gold_paths: the gold files (only their ``dev`` papers are read).
        settings: per model the ``l2``, ``lexical``, ``threshold``, ``cv_score``,
            ``rules_score`` and ``enabled`` to use; None to choose them by
            cross-validation.

    Returns:
        The JSON document of :data:`OUT`.
    """
    data = build(gold_paths)
    scores = {
        "keep_methods": (keep_score(data, "methods"), (False, True)),
        # Tasks are the least precise field: their keep model weighs precision twice.
        "keep_tasks": (keep_score(data, "tasks", beta=0.5), (False, True)),
        "keep_metrics": (keep_score(data, "metrics"), (False, True)),
        "proposed": (proposed_score(data), (False,)),
        "value": (value_score, (False,)),
    }
    models: dict[str, Any] = {}
    for name, (objective, lexical_options) in scores.items():
        examples = data.examples[name]
        if settings is None:
            rules = baseline(examples, objective) if name.startswith("keep_") else 0.0
            chosen = select(examples, objective, lexical_options, rules)
            chosen["cv_score"] = round(chosen["cv_score"], DIGITS)
            chosen["rules_score"] = round(rules, DIGITS)
            chosen["enabled"] = chosen["cv_score"] > rules
            if name == "proposed":
                scored = cross_validated(examples, chosen["l2"], chosen["lexical"])
                chosen["beside_rules_threshold"] = beside_rules_threshold(data, scored)
        else:
            keys = ("l2", "lexical", "threshold", "cv_score", "rules_score", "enabled")
            chosen = {k: settings[name][k] for k in keys}
            if "beside_rules_threshold" in settings[name]:
                chosen["beside_rules_threshold"] = settings[name]["beside_rules_threshold"]
        models[name] = final_model(examples, chosen)
    return {
        "trained_on": ", ".join(f"examples/eval/{p.name}" for p in gold_paths) + ": split dev",
        "gold_sha256": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in gold_paths},
        "folds": FOLDS,
        "models": models,
    }


def cv_report(gold_paths: Sequence[Path] = GOLDS) -> None:
    """Print the dev figures with each fold extracted by models fitted on the other folds,
    and the rules alone beside them."""
    shipped = json.loads(OUT.read_text(encoding="utf-8"))["models"]
    data = build(gold_paths)
    gold: dict[str, Any] = {}
    extras: dict[str, Any] = {}
    for path in gold_paths:
        gold |= load_gold(path)
        extras |= load_gold_extras(path)
    dev = {pid: g for pid, g in gold.items() if extras[pid].split == "dev"}
    runs: dict[str, dict[str, Any]] = {"rules alone": {}, "cross-validated": {}}
    for k in range(FOLDS):
        models = {}
        for name, spec in shipped.items():
            train_part = [e for e in data.examples[name] if fold_of(e.paper) != k]
            fitted = final_model(train_part, spec)
            models[name] = Model.from_json(fitted)
        held = [pid for pid in dev if fold_of(pid) == k]
        for label, use in (("rules alone", {}), ("cross-validated", models)):
            with use_models(use):
                for pid in held:
                    paper = Paper(id=pid, title=dev[pid].title, abstract=dev[pid].abstract)
                    runs[label][pid] = extract_fields(paper).model_dump()
    sub = {pid: extras[pid] for pid in dev}
    for label, fields in runs.items():
        names = {
            p: {f: [i["name"] for i in v[f]] for f in SCORED_FIELDS} for p, v in fields.items()
        }
        report = score(names, dev)
        extra = score_results(fields, sub, score_proposed(fields, sub))
        print(f"dev, {label} ({FOLDS} folds by id hash)")
        _print_report("dev", report, extra)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="refit with the shipped settings")
    parser.add_argument("--cv-report", action="store_true", help="dev figures, cross-validated")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.cv_report:
        cv_report()
        return
    if args.check:
        shipped = json.loads(OUT.read_text(encoding="utf-8"))
        again = train(GOLDS, shipped["models"])
        same = again == shipped
        print("the shipped weights are reproduced" if same else "the shipped weights differ")
        raise SystemExit(0 if same else 1)
    doc = train(GOLDS)
    args.out.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    for name, spec in doc["models"].items():
        print(
            f"{name}: l2 {spec['l2']} lexical {spec['lexical']} threshold {spec['threshold']} "
            f"cv {spec['cv_score']} rules {spec['rules_score']} enabled {spec['enabled']} "
            f"({spec['examples']} examples, {spec['positives']} positive)"
        )


if __name__ == "__main__":
    main()
