"""The grounding stage: verify every evidence quote against the abstract it claims to come from.

Extractors (the model above all) supply a quote per item; nothing here trusts
it. :class:`Locator` finds each quote in the stored ``abstract`` - first
exactly, then after case, whitespace, quote and dash folding, then fuzzily
(RapidFuzz places the quote, then the window that scores best between whole
words around that place must reach :data:`FUZZY_THRESHOLD`) - and
:func:`ground_fields` records ``span: [start, end)``, ``match`` and
``grounded`` on every item, plus ``name_span``, where the item's own name sits
inside that span. A quote that cannot be found keeps ``span: null`` and
``grounded: false``; the record still keeps the item, so nothing is lost.

:func:`ground_user_fields` does the same, item by item with the same routine,
for user-defined fields: list items, and scalars that carry evidence.

A reply cannot stall the stage: each field keeps at most ``max_items`` items
(the rest are dropped and counted in the summary's ``dropped``), and once
``budget_s`` seconds are spent on one paper the remaining quotes get the exact
and normalised checks only (counted in ``fuzzy_skipped``).
"""

from __future__ import annotations

import operator
import re
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import accumulate
from typing import Any, TypeVar

from pydantic import BaseModel
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .config import DEFAULT_MAX_ITEMS_PER_FIELD
from .schemas import (
    FIELD_NAMES,
    ExtractedFields,
    GroundedFields,
    GroundedUserField,
    GroundedUserItem,
    GroundedUserValue,
    GroundingSummary,
    MatchKind,
    UserField,
    UserValue,
)

__all__ = [
    "DEFAULT_GROUND_BUDGET_S",
    "DEFAULT_MAX_ITEMS_PER_FIELD",
    "FUZZY_THRESHOLD",
    "GROUND_VERSION",
    "Locator",
    "ground_fields",
    "ground_user_fields",
]

FUZZY_THRESHOLD = 0.85
"""Minimum similarity (RapidFuzz ``Indel``: 2 x common characters / total) of a fuzzy match."""

DEFAULT_GROUND_BUDGET_S = 0.5
"""Seconds of fuzzy matching one paper may use; later quotes get exact/normalised checks only."""

GROUND_VERSION = "ground-v2"
"""Changes whenever the same quote could be grounded differently (cached groundings expire)."""

_MIN_FUZZY_CHARS = 12
_PLACE_CUTOFF = 100 * (FUZZY_THRESHOLD - 0.15)
"""RapidFuzz's fixed-length placement score below which a quote is not worth refining."""

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "`": "'",
    }
)

Span = tuple[int, int]
_SPACES = re.compile(r"\s+")  # \s is exactly str.isspace(), as str.split() uses


class _WordIndex:
    """Source offset of each folded character of an ASCII text, from its words' offsets.

    Folding ASCII maps one character to one, so inside a word (and at the single
    space after it) the offset is the word's source start plus the distance.
    """

    def __init__(self, folded_starts: list[int], source_starts: list[int]) -> None:
        self._folded = folded_starts
        self._source = source_starts

    def __getitem__(self, position: int) -> int:
        k = bisect_right(self._folded, position) - 1
        return self._source[k] + position - self._folded[k]


def _fold(text: str) -> tuple[str, _WordIndex | list[int]]:
    """Lowercase, fold quotes/dashes and collapse whitespace; map each output char to its source."""
    translated = text.translate(_FOLD)
    lowered = translated.lower()
    if len(lowered) == len(translated) and "\u03a3" not in translated:
        # One character in, one out (no final-sigma rule): only whitespace runs need mapping,
        # and word offsets are sums of word and run lengths (computed without a Python loop).
        words = lowered.split()
        runs = _SPACES.findall(lowered)
        lead = 0
        if runs and lowered[:1].isspace():
            lead = len(runs.pop(0))
        lengths = list(map(len, words))
        folded_starts = list(accumulate(map((1).__add__, lengths), initial=0))[: len(words)]
        steps = map(operator.add, lengths, map(len, runs))
        source_starts = list(accumulate(steps, initial=lead))[: len(words)]
        return " ".join(words), _WordIndex(folded_starts, source_starts)
    out: list[str] = []
    index: list[int] = []
    previous_space = True
    for i, ch in enumerate(translated):
        if ch.isspace():
            if previous_space:
                continue
            out.append(" ")
            index.append(i)
            previous_space = True
            continue
        previous_space = False
        for low in ch.lower():
            out.append(low)
            index.append(i)
    while out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


def _fold_text(text: str) -> str:
    """The folded text alone (as :func:`_fold`, faster for ASCII, which most quotes are)."""
    if text.isascii():
        return " ".join(text.translate(_FOLD).lower().split())
    return _fold(text)[0]


def _in_range(points: Sequence[int], lo: int, hi: int) -> Sequence[int]:
    """The sorted ``points`` within ``[lo, hi]``."""
    return points[bisect_left(points, lo) : bisect_right(points, hi)]


class Locator:
    """Find quotes in one abstract; the folded copy is built once and reused for every item.

    Args:
        abstract: the text quotes must come from.
        deadline: a :func:`time.perf_counter` value after which the fuzzy step is skipped.
    """

    def __init__(self, abstract: str, *, deadline: float | None = None) -> None:
        self.abstract = abstract
        self.deadline = deadline
        self.fuzzy_skipped = 0
        self._folded: str | None = None
        self._index: _WordIndex | list[int] = []
        self._starts: list[int] = []
        self._ends: list[int] = []

    def _folded_text(self) -> str:
        if self._folded is None:
            self._folded, self._index = _fold(self.abstract)
        return self._folded

    def _to_source(self, start: int, end: int) -> Span:
        return self._index[start], self._index[end - 1] + 1

    def locate(
        self, quote: str, *, within: Span | None = None
    ) -> tuple[Span | None, MatchKind | None]:
        """Return ``(span, match)`` for ``quote`` in the abstract, or ``(None, None)``.

        Args:
            quote: the text to find.
            within: restrict the search to this ``[start, end)`` region (exact and
                normalised matching only).
        """
        quote = quote.strip()
        if not quote:
            return None, None
        lo, hi = within if within is not None else (0, len(self.abstract))
        start = self.abstract.find(quote, lo, hi)
        if start != -1:
            return (start, start + len(quote)), "exact"
        folded = self._folded_text()
        needle = _fold_text(quote)
        if not needle:
            return None, None
        pos = folded.find(needle)
        while pos != -1:
            span = self._to_source(pos, pos + len(needle))
            if span[0] >= lo and span[1] <= hi:
                return span, "normalized"
            pos = folded.find(needle, pos + 1)
        if within is not None or len(needle) < _MIN_FUZZY_CHARS:
            return None, None
        if self.deadline is not None and time.perf_counter() > self.deadline:
            self.fuzzy_skipped += 1
            return None, None
        fuzzy = self._fuzzy(folded, needle)
        return (fuzzy, "fuzzy") if fuzzy is not None else (None, None)

    def _boundaries(self, folded: str) -> tuple[list[int], list[int]]:
        """Where words start and end in the folded text (it has single spaces only)."""
        if not self._ends:
            lengths = list(map(len, folded.split(" ")))
            self._starts = list(accumulate(map((1).__add__, lengths), initial=0))[:-1]
            self._ends = list(map(operator.add, self._starts, lengths))
        return self._starts, self._ends

    def _fuzzy(self, folded: str, needle: str) -> Span | None:
        # RapidFuzz places the quote (the best window of the quote's length) ...
        if len(needle) >= len(folded):
            start, end = 0, len(folded)
        else:
            placed = fuzz.partial_ratio_alignment(
                needle, folded, processor=None, score_cutoff=_PLACE_CUTOFF
            )
            if placed is None:
                return None
            start, end = placed.dest_start, placed.dest_end
        # ... then the window breathes by 20% either side, cut at word boundaries, and the
        # best-scoring cut is kept (a paraphrase may be shorter or longer than its source).
        starts, ends = self._boundaries(folded)
        slack = max(8, len(needle) // 5)
        start = starts[max(0, bisect_right(starts, start) - 1)]
        end = ends[min(len(ends) - 1, bisect_left(ends, end))]
        best = Indel.normalized_similarity(folded[start:end], needle)
        for _ in range(2):
            improved = False
            for s in _in_range(starts, start - slack, min(end - 1, start + slack)):
                ratio = Indel.normalized_similarity(folded[s:end], needle, score_cutoff=best)
                if ratio > best:
                    best, start, improved = ratio, s, True
            for e in _in_range(ends, max(start + 1, end - slack), end + slack):
                ratio = Indel.normalized_similarity(folded[start:e], needle, score_cutoff=best)
                if ratio > best:
                    best, end, improved = ratio, e, True
            if not improved:
                break
        if best < FUZZY_THRESHOLD:
            return None
        while start < end and folded[start] == " ":
            start += 1
        while end > start and folded[end - 1] == " ":
            end -= 1
        return self._to_source(start, end) if end > start else None


_M = TypeVar("_M", bound=BaseModel)


def _ground_item(locator: Locator, data: dict[str, Any], counts: Counter[str]) -> dict[str, Any]:
    span, match = locator.locate(data["evidence"])
    name_span: Span | None = None
    if span is not None:
        label = data.get("name") or ""
        if label:
            name_span, _ = locator.locate(label, within=span)
    counts[match or "ungrounded"] += 1
    data.update(span=span, grounded=span is not None, match=match, name_span=name_span)
    return data


def ground_fields(
    abstract: str,
    fields: ExtractedFields,
    *,
    max_items: int = DEFAULT_MAX_ITEMS_PER_FIELD,
    budget_s: float | None = DEFAULT_GROUND_BUDGET_S,
) -> tuple[GroundedFields, GroundingSummary]:
    """Ground every item of ``fields`` against ``abstract``.

    Args:
        abstract: the text the evidence quotes must come from.
        fields: the extracted items.
        max_items: items kept per field (in reply order); the rest are dropped.
        budget_s: seconds after which remaining quotes skip the fuzzy step (None: no limit).

    Returns:
        The grounded fields (each item with ``span``, ``grounded``, ``match`` and
        ``name_span``) and a summary of how many items were found and how, how many
        were dropped by the cap and how many skipped the fuzzy step.
    """
    deadline = time.perf_counter() + budget_s if budget_s is not None else None
    locator = Locator(abstract, deadline=deadline)
    counts: Counter[str] = Counter()
    data: dict[str, Any] = {"summary": fields.summary}
    for name in FIELD_NAMES:
        items: list[BaseModel] = getattr(fields, name)
        counts["dropped"] += max(0, len(items) - max_items)
        kept = [item.model_dump() for item in items[:max_items]]
        data[name] = [_ground_item(locator, item, counts) for item in kept]
    grounded = GroundedFields.model_validate(data)  # one pass over every item
    found = counts["exact"] + counts["normalized"] + counts["fuzzy"]
    summary = GroundingSummary(
        items=found + counts["ungrounded"],
        grounded=found,
        exact=counts["exact"],
        normalized=counts["normalized"],
        fuzzy=counts["fuzzy"],
        ungrounded=counts["ungrounded"],
        dropped=counts["dropped"],
        fuzzy_skipped=locator.fuzzy_skipped,
    )
    return grounded, summary


def ground_user_fields(
    abstract: str,
    values: Mapping[str, UserField],
    summary: GroundingSummary,
    *,
    max_items: int = DEFAULT_MAX_ITEMS_PER_FIELD,
    budget_s: float | None = DEFAULT_GROUND_BUDGET_S,
) -> dict[str, GroundedUserField]:
    """Ground the evidence of user-defined fields against ``abstract``.

    List items and scalars with evidence go through the same item routine as the
    built-in fields (and count in ``summary``, as do items over ``max_items``); a
    scalar whose evidence is null, and a bare scalar, is stored as it is.

    Args:
        abstract: the paper's abstract.
        values: user field values by name, as an extractor returned them.
        summary: the grounding counts to add these items to.
        max_items: items kept per list field; the rest are dropped.
        budget_s: seconds after which remaining quotes skip the fuzzy step.

    Returns:
        The grounded values by name, in the same order.
    """
    deadline = time.perf_counter() + budget_s if budget_s is not None else None
    locator = Locator(abstract, deadline=deadline)
    counts: Counter[str] = Counter()
    grounded: dict[str, GroundedUserField] = {}
    for name, value in values.items():
        if isinstance(value, list):
            counts["dropped"] += max(0, len(value) - max_items)
            grounded[name] = [
                GroundedUserItem.model_validate(_ground_item(locator, i.model_dump(), counts))
                for i in value[:max_items]
            ]
        elif isinstance(value, UserValue) and value.evidence:
            item = _ground_item(locator, value.model_dump(), counts)
            grounded[name] = GroundedUserValue.model_validate(item)
        elif isinstance(value, UserValue):
            grounded[name] = GroundedUserValue(**value.model_dump())
        else:
            grounded[name] = value
    found = counts["exact"] + counts["normalized"] + counts["fuzzy"]
    summary.items += found + counts["ungrounded"]
    summary.grounded += found
    summary.exact += counts["exact"]
    summary.normalized += counts["normalized"]
    summary.fuzzy += counts["fuzzy"]
    summary.ungrounded += counts["ungrounded"]
    summary.dropped += counts["dropped"]
    summary.fuzzy_skipped += locator.fuzzy_skipped
    return grounded
