"""Score the summary and the claims of records against sentence-level gold labels.

A claims gold file (``examples/eval/claims-gold.jsonl``, labelled under
``examples/eval/CLAIMS.md``) holds per paper its ``sentences`` (verbatim, as the
labeller saw them), the index of its ``summary`` sentence, its ``claims`` as
``{"sentence": i, "kind": ...}`` (every other sentence is no claim) and a ``split``.
Predictions are the ``fields`` objects of records: ``summary`` (a sentence or its
leading clauses) and ``claims[]`` (``evidence``, a quote of the sentence, and ``kind``).
A predicted text is placed on the gold sentence that contains it (or that it contains,
spaces folded), so a different sentence splitter still scores alike.

* **Summary** - the share of papers whose predicted summary lies on the gold summary
  sentence.
* **Claims** - sentence-level detection: *precision*, the share of predicted claims on a
  gold claim sentence; *recall*, the share of gold claim sentences predicted as claims;
  *typed*, the same with the kind required to match too; and how often a predicted claim
  lies on a sentence before the gold summary (background taken for a claim).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from .errors import InputError
from .evaluate import iter_gold_lines
from .evaluate_results import Share
from .schemas import ClaimKind

__all__ = ["ClaimsReport", "GoldClaims", "load_gold_claims", "place", "score_claims"]

_KINDS = frozenset(get_args(ClaimKind))
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class GoldClaims:
    """One paper's gold: its sentences, summary sentence, claim kinds by sentence, split."""

    sentences: tuple[str, ...]
    summary: int
    claims: Mapping[int, str]
    split: str | None = None


@dataclass(slots=True)
class ClaimsReport:
    """Summary and claim shares over a set of papers, with a kind confusion count."""

    summary: Share = field(default_factory=Share)
    precision: Share = field(default_factory=Share)
    recall: Share = field(default_factory=Share)
    typed_precision: Share = field(default_factory=Share)
    typed_recall: Share = field(default_factory=Share)
    background: Share = field(default_factory=Share)
    kinds: Counter[tuple[str, str]] = field(default_factory=Counter)

    @staticmethod
    def _f1(p: Share, r: Share) -> float:
        total = p.share + r.share
        return 2 * p.share * r.share / total if total else 0.0

    @property
    def f1(self) -> float:
        """Detection F1 (claim or not, kind aside)."""
        return self._f1(self.precision, self.recall)

    @property
    def typed_f1(self) -> float:
        """F1 with the kind required to match."""
        return self._f1(self.typed_precision, self.typed_recall)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: shares as ``{"hits", "total", "share"}``, F1s, the kind counts."""
        return {
            "summary": self.summary.to_dict(),
            "claims": {
                "precision": self.precision.to_dict(),
                "recall": self.recall.to_dict(),
                "f1": self.f1,
                "typed_precision": self.typed_precision.to_dict(),
                "typed_recall": self.typed_recall.to_dict(),
                "typed_f1": self.typed_f1,
                "before_summary": self.background.to_dict(),
                "kinds": {f"{g}->{p}": n for (g, p), n in sorted(self.kinds.items())},
            },
        }


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def load_gold_claims(path: str | Path) -> dict[str, GoldClaims]:
    """Read a claims gold file into ``{id: GoldClaims}``.

    Raises:
        InputError: the file is missing, or a line lacks its sentences, has a summary or
            claim index out of range, or a claim kind that is not a :data:`ClaimKind`
            (the message names the line).
    """
    out: dict[str, GoldClaims] = {}
    for line, paper_id, obj in iter_gold_lines(Path(path)):
        sentences = obj.get("sentences")
        summary = obj.get("summary")
        if not isinstance(sentences, list) or not all(isinstance(s, str) for s in sentences):
            raise InputError("claims gold line has no 'sentences' list", path=str(path), line=line)
        if not isinstance(summary, int) or not 0 <= summary < len(sentences):
            raise InputError(
                "claims gold 'summary' is no sentence index", path=str(path), line=line
            )
        claims: dict[int, str] = {}
        for claim in obj.get("claims") or []:
            index, kind = claim.get("sentence"), claim.get("kind")
            if not isinstance(index, int) or not 0 <= index < len(sentences) or kind not in _KINDS:
                raise InputError(f"bad claim {claim!r}", path=str(path), line=line)
            claims[index] = kind
        split = obj.get("split")
        out[paper_id] = GoldClaims(
            tuple(_fold(s) for s in sentences),
            summary,
            claims,
            split if isinstance(split, str) else None,
        )
    return out


def place(text: str, sentences: Sequence[str]) -> int | None:
    """The index of the sentence a predicted text lies on, or None.

    The first sentence that contains the text, else the first the text contains (a
    prediction spanning a sentence boundary the labeller saw).
    """
    folded = _fold(text)
    if not folded:
        return None
    for i, sentence in enumerate(sentences):
        if folded in sentence:
            return i
    for i, sentence in enumerate(sentences):
        if sentence and sentence in folded:
            return i
    return None


def score_claims(
    gold: Mapping[str, GoldClaims],
    predictions: Mapping[str, Mapping[str, Any] | None],
    split: str | None = None,
) -> ClaimsReport:
    """Score predicted summaries and claims against the gold of the papers both have.

    Args:
        gold: the gold by id (:func:`load_gold_claims`).
        predictions: the ``fields`` object of each record by id (None for a failed one:
            no summary, no claims).
        split: score only the gold papers of this split (None: all).

    Returns:
        The report.
    """
    report = ClaimsReport()
    for paper_id, truth in gold.items():
        if (split is not None and truth.split != split) or paper_id not in predictions:
            continue
        fields = predictions[paper_id] or {}
        summary = fields.get("summary")
        report.summary.add(
            isinstance(summary, str) and place(summary, truth.sentences) == truth.summary
        )
        predicted: dict[int, str] = {}
        for claim in fields.get("claims") or []:
            where = place(str(claim.get("evidence") or claim.get("text") or ""), truth.sentences)
            if where is None or where in predicted:
                report.precision.add(False)  # off the abstract, or a sentence claimed twice
                report.typed_precision.add(False)
                continue
            predicted[where] = str(claim.get("kind"))
        for where, kind in predicted.items():
            gold_kind = truth.claims.get(where)
            report.precision.add(gold_kind is not None)
            report.typed_precision.add(gold_kind == kind)
            report.background.add(where < truth.summary)
            report.kinds[(gold_kind or "none", kind)] += 1
        for where, gold_kind in truth.claims.items():
            report.recall.add(where in predicted)
            report.typed_recall.add(predicted.get(where) == gold_kind)
            if where not in predicted:
                report.kinds[(gold_kind, "none")] += 1
    return report
