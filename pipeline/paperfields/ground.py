"""The grounding stage: verify every evidence quote against the abstract it claims to come from.

Extractors (the model above all) supply a quote per item; nothing here trusts
it. :class:`Locator` finds each quote in the stored ``abstract`` - first
exactly, then after case, whitespace, quote and dash folding, then fuzzily
(an anchor block plus a similarity ratio above :data:`FUZZY_THRESHOLD`) - and
:func:`ground_fields` records ``span: [start, end)``, ``match`` and
``grounded`` on every item, plus ``name_span``, where the item's own name sits
inside that span. A quote that cannot be found keeps ``span: null`` and
``grounded: false``; the record still keeps the item, so nothing is lost.
:func:`ground_user_fields` does the same, item by item with the same routine,
for user-defined fields: list items, and scalars that carry evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from difflib import SequenceMatcher
from typing import Any, TypeVar

from pydantic import BaseModel

from .schemas import (
    ExtractedFields,
    GroundedClaim,
    GroundedDataset,
    GroundedFields,
    GroundedMethod,
    GroundedMetric,
    GroundedTask,
    GroundedUserField,
    GroundedUserItem,
    GroundedUserValue,
    GroundingSummary,
    MatchKind,
    UserField,
    UserValue,
)

__all__ = ["FUZZY_THRESHOLD", "Locator", "ground_fields", "ground_user_fields"]

FUZZY_THRESHOLD = 0.85
"""Minimum SequenceMatcher ratio between a quote and the text it is matched to."""

_MIN_FUZZY_CHARS = 12
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


def _fold(text: str) -> tuple[str, list[int]]:
    """Lowercase, fold quotes/dashes and collapse whitespace; map each output char to its source."""
    out: list[str] = []
    index: list[int] = []
    previous_space = True
    for i, ch in enumerate(text.translate(_FOLD)):
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


class Locator:
    """Find quotes in one abstract; the folded copy is built once and reused for every item."""

    def __init__(self, abstract: str) -> None:
        self.abstract = abstract
        self._folded: str | None = None
        self._index: list[int] = []

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
        needle, _ = _fold(quote)
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
        fuzzy = self._fuzzy(folded, needle)
        return (fuzzy, "fuzzy") if fuzzy is not None else (None, None)

    def _fuzzy(self, folded: str, needle: str) -> Span | None:
        matcher = SequenceMatcher(None, folded, needle, autojunk=False)
        anchor = matcher.find_longest_match(0, len(folded), 0, len(needle))
        if anchor.size < max(4, len(needle) // 8):
            return None
        # Place the quote where its longest common block says it should start, then
        # let the window breathe by 20% either side and keep the best-scoring cut.
        guess = anchor.a - anchor.b
        slack = max(8, len(needle) // 5)
        best: tuple[float, int, int] = (0.0, 0, 0)
        for start in range(max(0, guess - slack), max(0, guess + slack) + 1, 2):
            for end in (
                start + len(needle) - slack,
                start + len(needle),
                start + len(needle) + slack,
            ):
                end = min(len(folded), end)
                if end <= start:
                    continue
                ratio = SequenceMatcher(None, folded[start:end], needle, autojunk=False).ratio()
                if ratio > best[0]:
                    best = (ratio, start, end)
        ratio, start, end = best
        if ratio < FUZZY_THRESHOLD:
            return None
        # Snap to word boundaries of the folded text.
        while start > 0 and folded[start - 1].isalnum() and folded[start].isalnum():
            start -= 1
        while end < len(folded) and folded[end - 1].isalnum() and folded[end].isalnum():
            end += 1
        while start < end and folded[start] == " ":
            start += 1
        while end > start and folded[end - 1] == " ":
            end -= 1
        return self._to_source(start, end)


_M = TypeVar("_M", bound=BaseModel)


def _ground_item(locator: Locator, item: BaseModel, cls: type[_M], summary: GroundingSummary) -> _M:
    data: dict[str, Any] = item.model_dump()
    span, match = locator.locate(data["evidence"])
    name_span: Span | None = None
    if span is not None:
        label = data.get("name") or ""
        if label:
            name_span, _ = locator.locate(label, within=span)
    summary.items += 1
    if match is None:
        summary.ungrounded += 1
    else:
        summary.grounded += 1
        setattr(summary, match, getattr(summary, match) + 1)
    return cls(**data, span=span, grounded=span is not None, match=match, name_span=name_span)


def ground_fields(
    abstract: str, fields: ExtractedFields
) -> tuple[GroundedFields, GroundingSummary]:
    """Ground every item of ``fields`` against ``abstract``.

    Returns:
        The grounded fields (each item with ``span``, ``grounded``, ``match`` and
        ``name_span``) and a summary of how many items were found and how.
    """
    locator = Locator(abstract)
    summary = GroundingSummary()
    grounded = GroundedFields(
        summary=fields.summary,
        tasks=[_ground_item(locator, i, GroundedTask, summary) for i in fields.tasks],
        methods=[_ground_item(locator, i, GroundedMethod, summary) for i in fields.methods],
        datasets=[_ground_item(locator, i, GroundedDataset, summary) for i in fields.datasets],
        metrics=[_ground_item(locator, i, GroundedMetric, summary) for i in fields.metrics],
        claims=[_ground_item(locator, i, GroundedClaim, summary) for i in fields.claims],
    )
    return grounded, summary


def ground_user_fields(
    abstract: str, values: Mapping[str, UserField], summary: GroundingSummary
) -> dict[str, GroundedUserField]:
    """Ground the evidence of user-defined fields against ``abstract``.

    List items and scalars with evidence go through the same item routine as the
    built-in fields (and count in ``summary``); a scalar whose evidence is null,
    and a bare scalar, is stored as it is.

    Args:
        abstract: the paper's abstract.
        values: user field values by name, as an extractor returned them.
        summary: the grounding counts to add these items to.

    Returns:
        The grounded values by name, in the same order.
    """
    locator = Locator(abstract)
    grounded: dict[str, GroundedUserField] = {}
    for name, value in values.items():
        if isinstance(value, list):
            grounded[name] = [_ground_item(locator, i, GroundedUserItem, summary) for i in value]
        elif isinstance(value, UserValue) and value.evidence:
            grounded[name] = _ground_item(locator, value, GroundedUserValue, summary)
        elif isinstance(value, UserValue):
            grounded[name] = GroundedUserValue(**value.model_dump())
        else:
            grounded[name] = value
    return grounded
