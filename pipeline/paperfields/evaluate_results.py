"""Score what names alone don't show: the proposed method found, and result values attached.

A gold file may carry, besides the name lists, per paper a ``proposed`` list (the
method strings the paper introduces), a ``results`` list (each stated figure as
``{"value", "metric", "dataset", "method", "kind"}``) and a ``split`` (``dev`` /
``test``); ``examples/eval/GUIDELINES.md`` says how they are labelled. Predictions
are the ``fields`` objects of records (``methods[].proposed``, ``metrics[].value``
and its ``dataset``/``method``), so a ``records.jsonl`` and an in-process run are
scored alike.

* **Proposed method found** - over the papers whose gold names a proposed method,
  the share where a method the prediction marks ``proposed`` matches one of the gold
  proposed strings: *exact* under :func:`~paperfields.names.fold.match_key`,
  *lenient* under the lenient name matching of :mod:`paperfields.evaluate`. Papers
  whose gold names none but whose prediction proposes one are counted apart, and so is
  how often a name marked proposed is a gold proposed string (*names*).
* **Results attached** - a gold result's value is *found* when a predicted metric
  item carries the same value (compared by :func:`value_key`: spaces, a leading
  ``~``/``≈``, TeX backslashes and "up to" ignored). It is *attached to its metric*
  when such an item's name matches the gold metric (exact key, or lenient), and
  likewise for its dataset and its method. Each share is over the gold results that
  state that attribute (non-null); the metric share is the headline figure.

:func:`score_records_extras` scores a run folder (or its ``records.jsonl``) against a
gold file, optionally one ``split`` of it, beside
:func:`~paperfields.evaluate.score_records` for the names; it returns None for a gold
file without these keys (SciREX's own labels).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .evaluate import iter_gold_lines, lenient_matches, load_record_fields, require_common_ids
from .gold_splits import select_split
from .io.runfolder import records_path_for
from .names.fold import match_key

__all__ = [
    "GoldExtras",
    "GoldResult",
    "ResultsReport",
    "Share",
    "gold_has_extras",
    "load_gold_extras",
    "score_proposed",
    "score_records_extras",
    "score_results",
    "value_key",
]

RESULT_ATTRIBUTES: tuple[str, ...] = ("metric", "dataset", "method")


@dataclass(frozen=True, slots=True)
class GoldResult:
    """One stated result: the value as written and what it belongs to (None when unstated)."""

    value: str
    metric: str | None
    dataset: str | None
    method: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class GoldExtras:
    """A gold paper's proposed method strings, results and split."""

    proposed: tuple[str, ...]
    results: tuple[GoldResult, ...]
    split: str | None


@dataclass(slots=True)
class Share:
    """``hits`` out of ``total``; the share is 0 when there is nothing to count."""

    hits: int = 0
    total: int = 0

    @property
    def share(self) -> float:
        """``hits / total``, 0 when ``total`` is 0."""
        return self.hits / self.total if self.total else 0.0

    def add(self, hit: bool) -> None:
        """Count one more case, a hit or not."""
        self.total += 1
        self.hits += int(hit)

    def to_dict(self) -> dict[str, float | int]:
        """Return ``{"hits", "total", "share"}``."""
        return {"hits": self.hits, "total": self.total, "share": self.share}


@dataclass(slots=True)
class ResultsReport:
    """Proposed-method and result-attachment shares over a set of papers."""

    proposed_exact: Share = field(default_factory=Share)
    proposed_lenient: Share = field(default_factory=Share)
    proposed_spurious: Share = field(default_factory=Share)
    proposed_names: Share = field(default_factory=Share)
    value_found: Share = field(default_factory=Share)
    attached: dict[str, Share] = field(
        default_factory=lambda: {name: Share() for name in RESULT_ATTRIBUTES}
    )
    attached_lenient: dict[str, Share] = field(
        default_factory=lambda: {name: Share() for name in RESULT_ATTRIBUTES}
    )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: every share as ``{"hits", "total", "share"}``."""
        return {
            "proposed": {
                "exact": self.proposed_exact.to_dict(),
                "lenient": self.proposed_lenient.to_dict(),
                "spurious": self.proposed_spurious.to_dict(),
                "names": self.proposed_names.to_dict(),
            },
            "results": {
                "value_found": self.value_found.to_dict(),
                "exact": {k: v.to_dict() for k, v in self.attached.items()},
                "lenient": {k: v.to_dict() for k, v in self.attached_lenient.items()},
            },
        }


_HEDGE = re.compile(r"^(?:up to|about|around|roughly|nearly|over|more than|less than)\s+", re.I)


def value_key(value: str) -> str:
    """The comparison key of a value as written: ``"~2.5 %"`` and ``"2.5%"`` share ``"2.5%"``.

    Lowercase; spaces, TeX backslashes and math dollars (``"$52.5$"`` is ``"52.5"``), a
    leading ``~``/``≈`` and a word hedge ("up to") are dropped, and a unicode minus becomes
    ``-``.
    """
    text = _HEDGE.sub("", value.strip()).lower()
    text = text.replace("\\", "").replace("$", "").replace("−", "-")
    text = re.sub(r"\s+", "", text)
    return text.lstrip("~≈")


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def load_gold_extras(path: str | Path) -> dict[str, GoldExtras]:
    """Read the ``proposed``, ``results`` and ``split`` of every paper of a gold file.

    Args:
        path: a gold JSONL file; papers without these keys get empty lists and no split.

    Returns:
        ``{id: GoldExtras}`` in file order.

    Raises:
        InputError: the file is missing, a line has no string id, or ``proposed`` /
            ``results`` are not of the documented form (the message names the line).
    """
    path = Path(path)
    out: dict[str, GoldExtras] = {}
    for line, paper_id, obj in iter_gold_lines(path):
        proposed = obj.get("proposed", [])
        if not isinstance(proposed, list) or not all(isinstance(p, str) for p in proposed):
            raise InputError("'proposed' must be a list of strings", path=str(path), line=line)
        results = obj.get("results", [])
        if not isinstance(results, list) or not all(
            isinstance(r, dict) and isinstance(r.get("value"), str) for r in results
        ):
            raise InputError(
                "'results' must be a list of objects with a string 'value'",
                path=str(path),
                line=line,
            )
        out[paper_id] = GoldExtras(
            proposed=tuple(proposed),
            results=tuple(
                GoldResult(
                    value=r["value"],
                    metric=_optional_str(r.get("metric")),
                    dataset=_optional_str(r.get("dataset")),
                    method=_optional_str(r.get("method")),
                    kind=str(r.get("kind") or ""),
                )
                for r in results
            ),
            split=_optional_str(obj.get("split")),
        )
    return out


def gold_has_extras(path: str | Path) -> bool:
    """Whether any paper of a gold file carries a ``proposed`` or a ``results`` key.

    Raises:
        InputError: the file is missing, or a line is not a JSON object with a string id.
    """
    return any(
        "proposed" in obj or "results" in obj for _, _, obj in iter_gold_lines(Path(path))
    )


def _items(fields: Mapping[str, Any] | None, name: str) -> list[Mapping[str, Any]]:
    items = fields.get(name) if fields is not None else None
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, Mapping)]


def _names_match(predicted: Iterable[str], gold: Sequence[str], lenient: bool) -> bool:
    predicted = [p for p in predicted if p]
    if not predicted or not gold:
        return False
    if not lenient:
        keys = {match_key(g) for g in gold}
        return any(match_key(p) in keys for p in predicted)
    return bool(lenient_matches(predicted, gold))


def score_proposed(
    predictions: Mapping[str, Mapping[str, Any]],
    gold: Mapping[str, GoldExtras],
    report: ResultsReport | None = None,
) -> ResultsReport:
    """Count, per gold paper, whether a predicted proposed method matches a gold one.

    Args:
        predictions: ``{paper_id: fields}`` where ``fields["methods"]`` holds items with
            ``name`` and ``proposed``; a missing paper predicts nothing.
        gold: the papers to score (from :func:`load_gold_extras`).
        report: a report to add to (a new one by default).

    Returns:
        The report with ``proposed_exact``, ``proposed_lenient``, ``proposed_spurious``
        and ``proposed_names`` (the names marked proposed that are gold proposed strings,
        exact key, over every name marked proposed: how often the mark is right).
    """
    report = report if report is not None else ResultsReport()
    for paper_id, extras in gold.items():
        own = [
            str(item.get("name") or "")
            for item in _items(predictions.get(paper_id), "methods")
            if item.get("proposed")
        ]
        keys = {match_key(g) for g in extras.proposed}
        for name in own:
            report.proposed_names.add(match_key(name) in keys)
        if not extras.proposed:
            report.proposed_spurious.add(bool(own))
            continue
        report.proposed_exact.add(_names_match(own, extras.proposed, lenient=False))
        report.proposed_lenient.add(_names_match(own, extras.proposed, lenient=True))
    return report


def score_results(
    predictions: Mapping[str, Mapping[str, Any]],
    gold: Mapping[str, GoldExtras],
    report: ResultsReport | None = None,
) -> ResultsReport:
    """Count, per gold result, whether its value is extracted and attached to the right things.

    Args:
        predictions: ``{paper_id: fields}`` where ``fields["metrics"]`` holds items with
            ``name``, ``value``, ``dataset`` and ``method``.
        gold: the papers to score (from :func:`load_gold_extras`).
        report: a report to add to (a new one by default).

    Returns:
        The report with ``value_found`` and, per attribute, the exact and lenient
        ``attached`` shares over the gold results stating that attribute.
    """
    report = report if report is not None else ResultsReport()
    for paper_id, extras in gold.items():
        metrics = _items(predictions.get(paper_id), "metrics")
        for result in extras.results:
            key = value_key(result.value)
            carrying = [
                m
                for m in metrics
                if isinstance(m.get("value"), str) and value_key(m["value"]) == key
            ]
            report.value_found.add(bool(carrying))
            for attribute in RESULT_ATTRIBUTES:
                wanted = getattr(result, attribute)
                if wanted is None:
                    continue
                column = "name" if attribute == "metric" else attribute
                found = [str(m.get(column) or "") for m in carrying]
                report.attached[attribute].add(_names_match(found, [wanted], lenient=False))
                report.attached_lenient[attribute].add(_names_match(found, [wanted], lenient=True))
    return report


def score_records_extras(
    records_path: str | Path, gold_path: str | Path, *, split: str | None = None
) -> ResultsReport | None:
    """Score a run's proposed methods and result values against a gold file.

    The companion of :func:`~paperfields.evaluate.score_records`, which scores the names;
    papers of the gold file without ``proposed`` / ``results`` count as naming none.

    Args:
        records_path: a run folder or its ``records.jsonl``.
        gold_path: the gold JSONL file.
        split: score only the gold papers whose ``split`` is this (e.g. ``"test"``).

    Returns:
        :func:`score_proposed` and :func:`score_results` in one report, or None when
        no paper of the gold file carries ``proposed`` or ``results``.

    Raises:
        InputError: either file is missing or malformed, or no record id is a gold id.
        ConfigError: no gold paper has ``split``.
    """
    gold = select_split(load_gold_extras(gold_path), split, path=gold_path)
    if not gold_has_extras(gold_path):
        return None
    path = records_path_for(records_path)
    fields = load_record_fields(path)
    require_common_ids(fields.keys(), gold.keys(), records_path=path, gold_path=gold_path)
    return score_results(fields, gold, score_proposed(fields, gold))
