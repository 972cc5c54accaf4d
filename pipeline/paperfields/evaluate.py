"""Score extracted names against a gold file: micro P/R/F1 per field, macro-F1 over fields.

The gold file is JSONL, one paper per line, with ``id`` and per-field name lists
under ``gold`` (mention level) or ``salient`` (entity level); see
``examples/eval/README.md`` for the format. Predictions are, per paper id, a list
of names for each of the four scored fields (:data:`SCORED_FIELDS`).

Two matchings are reported:

* **exact** - names are compared after :func:`~paperfields.names.fold.match_key` (NFKC, lowercase,
  hyphens and punctuation removed, a leading article dropped, spaces ignored);
  duplicates within one paper are merged under that normalization.
* **lenient** - a greedy one-to-one matching between the (deduplicated)
  predicted and gold names of one paper. A pair matches when the normalized
  strings are equal, when one contains the other and the shorter is at least
  3 characters, or when their token sets have a Jaccard index of at least 0.5.
  The greedy order is fixed: first every exact pair, then every containment
  pair, then every Jaccard pair; within each pass predictions are taken in
  list order and each takes the first still-unmatched gold name in list order.

Names that normalize to the empty string are ignored on both sides. Counts are
summed over papers (micro). Precision with no predictions is 0, recall with no
gold is 0, and a field with neither gold nor predictions over the whole file
scores 1. A gold paper without a prediction counts as empty predictions;
predictions for ids not in the gold file are ignored.

A gold paper may carry a ``split`` (``dev`` / ``test``): :func:`score_records` with
``split=`` scores only that part (see :mod:`paperfields.gold_splits`). The proposed
method and result values are scored by :mod:`paperfields.evaluate_results`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .errors import InputError
from .gold_splits import select_split
from .io.jsonl import iter_jsonl
from .io.runfolder import records_path_for
from .names.fold import match_key, match_words

__all__ = [
    "SCORED_FIELDS",
    "EvalReport",
    "FieldScore",
    "GoldKey",
    "GoldPaper",
    "PRF",
    "iter_gold_lines",
    "load_gold",
    "load_predictions",
    "load_record_fields",
    "lenient_matches",
    "normalize_name",
    "require_common_ids",
    "score",
    "score_records",
]

SCORED_FIELDS: tuple[str, ...] = ("methods", "tasks", "datasets", "metrics")
GoldKey = Literal["gold", "salient"]

MIN_CONTAINMENT_CHARS = 3
MIN_JACCARD = 0.5


def normalize_name(name: str) -> str:
    """Return the comparison key of a name under the exact matching (see :func:`match_key`)."""
    return match_key(name)


@dataclass(frozen=True, slots=True)
class _Name:
    key: str
    tokens: frozenset[str]


def _prepare(names: Iterable[str]) -> list[_Name]:
    """Normalize, drop empties and merge duplicates, keeping first-appearance order."""
    seen: set[str] = set()
    out: list[_Name] = []
    for name in names:
        words = match_words(name)
        key = "".join(words)
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(_Name(key, frozenset(words)))
    return out


def _exact(a: _Name, b: _Name) -> bool:
    return a.key == b.key


def _contains(a: _Name, b: _Name) -> bool:
    short, long = (a.key, b.key) if len(a.key) <= len(b.key) else (b.key, a.key)
    return len(short) >= MIN_CONTAINMENT_CHARS and short in long


def _jaccard(a: _Name, b: _Name) -> bool:
    union = len(a.tokens | b.tokens)
    return union > 0 and len(a.tokens & b.tokens) / union >= MIN_JACCARD


_PASSES = (_exact, _contains, _jaccard)


def _greedy_match(pred: list[_Name], gold: list[_Name]) -> list[tuple[int, int]]:
    pred_used = [False] * len(pred)
    gold_used = [False] * len(gold)
    pairs: list[tuple[int, int]] = []
    for matches in _PASSES:
        for i, p in enumerate(pred):
            if pred_used[i]:
                continue
            for j, g in enumerate(gold):
                if not gold_used[j] and matches(p, g):
                    pred_used[i] = gold_used[j] = True
                    pairs.append((i, j))
                    break
    return pairs


def lenient_matches(predicted: Sequence[str], gold: Sequence[str]) -> list[tuple[str, str]]:
    """Return the lenient one-to-one matching as ``(predicted, gold)`` name pairs.

    Both lists are normalized and deduplicated first (the first spelling of a
    duplicate is kept); the pairs come out in the greedy order described in the
    module docstring.
    """
    pred_names = _prepare(predicted)
    gold_names = _prepare(gold)
    pred_text = _first_spelling(predicted)
    gold_text = _first_spelling(gold)
    return [
        (pred_text[pred_names[i].key], gold_text[gold_names[j].key])
        for i, j in _greedy_match(pred_names, gold_names)
    ]


def _first_spelling(names: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in names:
        out.setdefault(normalize_name(name), name)
    return out


# --- results ------------------------------------------------------------------------------


@dataclass(slots=True)
class PRF:
    """Micro counts and the precision, recall and F1 derived from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """``tp / (tp + fp)``; 0 when nothing was predicted."""
        predicted = self.tp + self.fp
        return self.tp / predicted if predicted else 0.0

    @property
    def recall(self) -> float:
        """``tp / (tp + fn)``; 0 when there is no gold."""
        gold = self.tp + self.fn
        return self.tp / gold if gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall; 1 when there is neither gold nor prediction."""
        if self.tp + self.fp + self.fn == 0:
            return 1.0
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        """Return ``{"p", "r", "f1", "tp", "fp", "fn"}``."""
        return {
            "p": self.precision,
            "r": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(slots=True)
class FieldScore:
    """Exact and lenient micro scores of one field."""

    exact: PRF = field(default_factory=PRF)
    lenient: PRF = field(default_factory=PRF)

    def to_dict(self) -> dict[str, dict[str, float | int]]:
        """Return ``{"exact": {...}, "lenient": {...}}``."""
        return {"exact": self.exact.to_dict(), "lenient": self.lenient.to_dict()}


@dataclass(slots=True)
class EvalReport:
    """Scores of a set of predictions against a gold file."""

    fields: dict[str, FieldScore]
    papers: int
    predicted_papers: int
    gold_key: str = "gold"
    split: str | None = None

    @property
    def macro_f1(self) -> dict[str, float]:
        """Mean F1 over the scored fields, ``{"exact": x, "lenient": y}``."""
        n = len(self.fields) or 1
        return {
            "exact": sum(s.exact.f1 for s in self.fields.values()) / n,
            "lenient": sum(s.lenient.f1 for s in self.fields.values()) / n,
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the report, ready for ``json.dumps``.

        The keys are ``fields``, ``macro_f1``, ``papers``, ``predicted_papers`` and
        ``gold_key``; ``split`` is added only when one split was scored.
        """
        out: dict[str, Any] = {
            "fields": {name: s.to_dict() for name, s in self.fields.items()},
            "macro_f1": self.macro_f1,
            "papers": self.papers,
            "predicted_papers": self.predicted_papers,
            "gold_key": self.gold_key,
        }
        if self.split is not None:
            out["split"] = self.split
        return out


@dataclass(frozen=True, slots=True)
class GoldPaper:
    """One gold paper: its id, title, abstract, gold names per scored field and split.

    ``split`` is the paper's part of the file (``dev`` / ``test``), None when unstated.
    """

    id: str
    title: str
    abstract: str
    names: dict[str, list[str]]
    split: str | None = None


# --- loading ------------------------------------------------------------------------------


def _string_list(value: object) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def iter_gold_lines(path: Path) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """Yield ``(line, id, object)`` for each paper of a gold JSONL file.

    Raises:
        InputError: the file is missing, or a line is not a JSON object with a string ``id``
            (the message names the file and line).
    """
    if not path.is_file():
        raise InputError("gold file not found", path=str(path))
    for line, obj in iter_jsonl(path):
        paper_id = obj.get("id")
        if not isinstance(paper_id, str) or not paper_id:
            raise InputError("gold line has no string 'id'", path=str(path), line=line)
        yield line, paper_id, obj


def load_gold(path: str | Path, key: GoldKey = "gold") -> dict[str, GoldPaper]:
    """Read a gold JSONL file into ``{id: GoldPaper}``.

    Args:
        path: the gold file (one JSON object per line with ``id`` and ``key``).
        key: ``"gold"`` for mention-level lists, ``"salient"`` for entity-level ones.

    Returns:
        The papers by id, in file order.

    Raises:
        InputError: the file is missing, unreadable, empty, or a line is malformed
            (the message names the file and line).
    """
    path = Path(path)
    papers: dict[str, GoldPaper] = {}
    for line, paper_id, obj in iter_gold_lines(path):
        block = obj.get(key)
        if not isinstance(block, dict):
            raise InputError(f"gold line has no '{key}' object", path=str(path), line=line)
        names: dict[str, list[str]] = {}
        for name in SCORED_FIELDS:
            values = _string_list(block.get(name, []))
            if values is None:
                raise InputError(
                    f"'{key}.{name}' must be a list of strings", path=str(path), line=line
                )
            names[name] = values
        papers[paper_id] = GoldPaper(
            id=paper_id,
            title=str(obj.get("title") or ""),
            abstract=str(obj.get("abstract") or ""),
            names=names,
            split=obj["split"] if isinstance(obj.get("split"), str) and obj["split"] else None,
        )
    if not papers:
        raise InputError("gold file has no papers", path=str(path))
    return papers


def _item_names(items: object) -> list[str]:
    if not isinstance(items, list):
        return []
    out: list[str] = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            out.append(item["name"])
    return out


def load_record_fields(records_path: str | Path) -> dict[str, dict[str, Any]]:
    """Read a ``records.jsonl`` into ``{id: fields}``, the ``fields`` object of each record.

    A failed record (``status != "ok"``) has empty fields. When an id appears more
    than once, the last line wins (a resumed run appends).

    Args:
        records_path: the ``records.jsonl`` file.

    Returns:
        The fields of every record by id, in file order.

    Raises:
        InputError: the file is missing or a line is not a JSON object with an ``id``.
    """
    path = Path(records_path)
    if not path.is_file():
        raise InputError("records file not found", path=str(path))
    out: dict[str, dict[str, Any]] = {}
    for line, obj in iter_jsonl(path):
        paper_id = obj.get("id")
        if not isinstance(paper_id, str):
            raise InputError("record has no string 'id'", path=str(path), line=line)
        fields = obj.get("fields") if obj.get("status", "ok") == "ok" else None
        out[paper_id] = fields if isinstance(fields, dict) else {}
    return out


def load_predictions(records_path: str | Path) -> dict[str, dict[str, list[str]]]:
    """Read a ``records.jsonl`` into ``{id: {field: [name, ...]}}`` for the scored fields.

    A failed record (``status != "ok"``) contributes empty lists. When an id
    appears more than once, the last line wins (a resumed run appends).

    Raises:
        InputError: the file is missing or a line is not a JSON object with an ``id``.
    """
    return _names_of(load_record_fields(records_path))


def _names_of(fields: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, list[str]]]:
    return {
        paper_id: {name: _item_names(item.get(name)) for name in SCORED_FIELDS}
        for paper_id, item in fields.items()
    }


def require_common_ids(
    record_ids: Collection[str],
    gold_ids: Collection[str],
    *,
    records_path: str | Path,
    gold_path: str | Path,
) -> None:
    """Refuse records that share no id with the gold papers being scored.

    An all-zero score would say nothing about the extraction, so it is an error.

    Args:
        record_ids: the ids of the run's records.
        gold_ids: the ids of the gold papers scored (one split of the file, or all).
        records_path: the records file, named in the error.
        gold_path: the gold file, named in the error and in the suggested command.

    Raises:
        InputError: no record id is a gold id; the message says how ids are made.
    """
    if not set(record_ids) & set(gold_ids):
        raise InputError(
            f"no paper ids in common with {gold_path} ({len(record_ids)} records, "
            f"{len(gold_ids)} gold papers; e.g. record {next(iter(record_ids), '-')!r}, gold "
            f"{next(iter(gold_ids), '-')!r}). Ids are the arXiv id, else the input's own id, "
            "else a slug of the title: score a run of the gold file's own papers, e.g. "
            f"`paperfields eval --run {gold_path}`",
            path=str(records_path),
        )


# --- scoring ------------------------------------------------------------------------------


def score(
    predictions: Mapping[str, Mapping[str, Sequence[str]]],
    gold: Mapping[str, GoldPaper],
    *,
    gold_key: str = "gold",
    split: str | None = None,
) -> EvalReport:
    """Score predictions against gold papers.

    Args:
        predictions: ``{paper_id: {field: [name, ...]}}``; missing ids or fields are empty,
            ids not in ``gold`` are ignored.
        gold: the gold papers from :func:`load_gold`.
        gold_key: recorded in the report only.
        split: recorded in the report only (select the papers with :func:`select_split`).

    Returns:
        Per-field exact and lenient micro counts, with the macro-F1 over fields.
    """
    fields = {name: FieldScore() for name in SCORED_FIELDS}
    predicted_papers = 0
    for paper_id, paper in gold.items():
        pred = predictions.get(paper_id)
        if pred is not None:
            predicted_papers += 1
        for name in SCORED_FIELDS:
            pred_names = _prepare(pred.get(name, ()) if pred is not None else ())
            gold_names = _prepare(paper.names.get(name, ()))
            _add_exact(fields[name].exact, pred_names, gold_names)
            _add_lenient(fields[name].lenient, pred_names, gold_names)
    return EvalReport(
        fields=fields,
        papers=len(gold),
        predicted_papers=predicted_papers,
        gold_key=gold_key,
        split=split,
    )


def _add_exact(prf: PRF, pred: list[_Name], gold: list[_Name]) -> None:
    tp = len({p.key for p in pred} & {g.key for g in gold})
    prf.tp += tp
    prf.fp += len(pred) - tp
    prf.fn += len(gold) - tp


def _add_lenient(prf: PRF, pred: list[_Name], gold: list[_Name]) -> None:
    tp = len(_greedy_match(pred, gold))
    prf.tp += tp
    prf.fp += len(pred) - tp
    prf.fn += len(gold) - tp


def score_records(
    records_path: str | Path,
    gold_path: str | Path,
    *,
    gold_key: GoldKey = "gold",
    split: str | None = None,
) -> EvalReport:
    """Score a run folder (or its ``records.jsonl``) against a gold file (see :func:`score`).

    Args:
        records_path: a run folder or its ``records.jsonl``.
        gold_path: the gold JSONL file.
        gold_key: ``"gold"`` (mention-level lists) or ``"salient"`` (entity-level).
        split: score only the gold papers whose ``split`` is this (e.g. ``"test"``).
            The proposed method and results are scored by
            :func:`~paperfields.evaluate_results.score_records_extras`.

    Returns:
        The report, with ``split`` set when one was asked for.

    Raises:
        InputError: either file is missing or malformed, or no record id is a gold id
            (an all-zero score would say nothing about the extraction).
        ConfigError: no gold paper has ``split``.
    """
    gold = select_split(load_gold(gold_path, gold_key), split, path=gold_path)
    path = records_path_for(records_path)
    fields = load_record_fields(path)
    require_common_ids(fields.keys(), gold.keys(), records_path=path, gold_path=gold_path)
    return score(_names_of(fields), gold, gold_key=gold_key, split=split)
