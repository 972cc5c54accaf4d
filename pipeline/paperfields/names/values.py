"""Metric values as numbers: ``"~2.5%"``, ``"+0.7 points"``, ``"x2.6"`` -> number, unit and kind.

A metric value is kept as written; :func:`parse_value` adds what a program can
sort: the ``number`` (``2.5``), the ``unit`` (``%``, ``points``, ``x``, ``ms``,
``BLEU``, ... or None for a bare number) and the ``kind``:

* ``multiplier`` - a ratio: ``10x``, ``x2.6``, ``40 times``, ``3-fold``,
  ``two orders of magnitude``;
* ``delta`` - a change in performance: an explicit sign (``+0.7``, ``-3%``),
  points (``0.7 points``), or a value its sentence ties to an improvement
  ("improves by", "outperforms ... by", "a gain of", "absolute");
* ``relative`` - a percentage of a resource: cost, time, data, compute,
  memory, parameters ("reduces training time by 14%", "only 3% of the
  negative samples", "85% faster");
* ``absolute`` - anything else: a score or measurement (``71.8%``, ``0.833``).

The kind uses the value's evidence sentence when it is given (the words just
before and after the figure); without it, only the value's own sign and unit
decide. Hedges (``~``, "about", "up to", "more than") are dropped, LaTeX's
``\\%`` is read as ``%``, a few number words ("ten", "half", "an hour") are
understood. A value with two figures (a range, a list) or no figure at all
does not parse: the three parts are then None, and the value as written stays.
:func:`parse_metric_values` fills the parts into a record's metrics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..schemas import GroundedFields, ValueKind

__all__ = ["ParsedValue", "ValueKind", "parse_metric_values", "parse_value"]


@dataclass(frozen=True, slots=True)
class ParsedValue:
    """The sortable parts of a value; all None when the value does not parse."""

    number: float | None = None
    unit: str | None = None
    kind: ValueKind | None = None


UNPARSED = ParsedValue()

_WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000,
    "dozen": 12,
}  # fmt: skip
_HEDGES = re.compile(
    r"^(?:~|≈|∼|<=?|>=?|≤|≥|about|around|approximately|approx\.?|roughly|nearly|almost|"
    r"over|under|up to|more than|less than|at least|at most|only|just|some|an? average of|"
    r"on average|average of|by)\s*",
    re.IGNORECASE,
)
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|\.\d+"
_FIGURE = re.compile(
    rf"^(?P<sign>[-+−±])?\s*(?P<pre>[x×])?\s*(?P<num>{_NUMBER})\s*(?P<rest>.*)$", re.IGNORECASE
)
_WORD_FIGURE = re.compile(r"^(?P<word>[a-z]+)\b\s*(?P<rest>.*)$", re.IGNORECASE)
_UNIT = re.compile(
    r"^(?P<unit>%|‰|percentage points?|percent(?:age)?|pp\b|p\.p\.|points?\b|pts?\b|"
    r"(?:-\s*)?fold\b|times\b|[x×](?![a-z])|orders? of magnitude|"
    r"[A-Za-z][A-Za-z0-9@./-]{0,14}(?:\s+[A-Za-z][A-Za-z0-9@./-]{0,14})?)?",
    re.IGNORECASE,
)
_UNIT_NAMES = {
    "%": "%", "‰": "‰", "percent": "%", "percentage": "%", "pp": "points", "p.p.": "points",
    "percentage point": "points", "percentage points": "points", "point": "points",
    "points": "points", "pt": "points", "pts": "points", "fold": "x", "-fold": "x",
    "times": "x", "x": "x", "×": "x", "order of magnitude": "orders of magnitude",
    "orders of magnitude": "orders of magnitude",
}  # fmt: skip
_MULTIPLIER_UNITS = frozenset({"x", "orders of magnitude"})
_TRAILING_NOISE = re.compile(r"^[\s).,;:]*$")
_RANGE = re.compile(r"^\s*(?:-|–|—|to|and|or|/|~)\s*[-+]?\.?\d", re.IGNORECASE)
_FIGURE_TOKEN = re.compile(r"^[-–(~+]*\.?\d")  # "(±0.3)", a spread, is not a second figure

# Words near the figure, in its own sentence: what the figure measures or how it changed.
_RESOURCE = re.compile(
    r"\b(?:cost|costs|time|times|compute|computation|computational|memory|data|datasets?|samples?|"
    r"examples?|parameters?|params|flops|latency|size|storage|energy|tokens?|negatives|"
    r"labell?ed|annotations?|gpu|hours?|faster|slower|fewer|less|smaller|cheaper|speed-?up|"
    r"compress\w*|budget|footprint|throughput|original)\b",
    re.IGNORECASE,
)
_DELTA = re.compile(
    r"\b(?:by|improv\w*|outperform\w*|gains?|boost\w*|increas\w*|higher|better|surpass\w*|"
    r"exceed\w*|degrad\w*|drops?|decreas\w*|lower|absolute|relative|margin|over|advantage|"
    r"enhanc\w*|raises?|lifts?)\b",
    re.IGNORECASE,
)
_PERFORMANCE = re.compile(
    r"\b(?:accurac\w*|scores?|f1|recall\S*|precision|bleu|rouge\S*|meteor|map|mrr|ndcg\S*|"
    r"auc|em|exact match|cider|spice|correlations?|performance|win rate|success rate|"
    r"pass@\S*|top-\d|p@\S*|r@\S*|hits?@\S*)\b",
    re.IGNORECASE,
)
_CHANGE_AFTER = r"\s*(?:absolute|relative|improvements?|gains?|higher|better|lower)\b"
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
_BEFORE_WORDS, _AFTER_WORDS, _NEAR_WORDS = 8, 5, 4


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _unit_of(rest: str) -> tuple[str | None, str]:
    """The unit at the start of ``rest`` (normalised) and what follows it."""
    match = _UNIT.match(rest)
    raw = (match.group("unit") or "") if match else ""
    if not raw:
        return None, rest
    after = rest[len(raw) :]
    folded = re.sub(r"\s+", " ", raw.strip().lower())
    if folded.startswith("-") and folded.lstrip("- ") == "fold":
        folded = "fold"
    if folded in _UNIT_NAMES:
        return _UNIT_NAMES[folded], after
    if raw[:1] in "%‰":
        return raw[:1], after
    if re.fullmatch(r"[x×]", folded):
        return "x", after
    return raw.strip(), after


def _split_figure(text: str) -> tuple[str, float, str | None, str] | None:
    """``(sign, number, unit, after)`` of a value holding one figure, else None."""
    text = text.strip().replace("\\%", "%").replace("$", "").replace("\u2009", " ")
    while True:
        shorter = _HEDGES.sub("", text, count=1)
        if shorter == text:
            break
        text = shorter
    match = _FIGURE.match(text)
    if match:
        sign = match.group("sign") or ""
        number = _number(match.group("num"))
        unit, after = _unit_of(match.group("rest"))
        if match.group("pre"):
            unit = "x"
    else:
        match = _WORD_FIGURE.match(text)
        if not match:
            return None
        word, sign = match.group("word").lower(), ""
        if word == "half":
            return sign, 50.0, "%", match.group("rest")
        if word not in _WORD_NUMBERS:
            return None
        number = float(_WORD_NUMBERS[word])
        unit, after = _unit_of(match.group("rest"))
        if unit is None or (word in ("a", "an") and unit in ("%", "x", "points")):
            return None
    after = re.sub(r"\(?±\s*[\d.]+\)?", "", after)
    if _RANGE.match(after) or any(_FIGURE_TOKEN.match(token) for token in after.split()):
        return None  # a second figure: a range or a list, ambiguous
    if not _TRAILING_NOISE.match(after) and len(after.split()) > 3:
        return None
    return sign, number, unit, after


def _context_kind(value: str, context: str, unit: str | None) -> ValueKind | None:
    """The kind the words around the value in its sentence suggest, if any.

    A performance word next to the figure ("by 2.5% in Recall@1", "65% accuracy")
    makes it a score or a change of score; otherwise a resource word close by
    ("training time decreased by 14%", "3% of the samples") makes a percentage
    ``relative``; a change word before it ("improves by") makes it a ``delta``.
    """
    at = context.find(value)
    if at < 0:
        at = context.replace("\\%", "%").find(value.replace("\\%", "%"))
    if at < 0:
        return None
    sentences = _SENTENCE_END.split(context[:at])
    before_words = (sentences[-1] if sentences else "").split()
    after_words = _SENTENCE_END.split(context[at + len(value) :])[0].split()
    before = " ".join(before_words[-_BEFORE_WORDS:])
    after = " ".join(after_words[:_AFTER_WORDS])
    near_before = " ".join(before_words[-_NEAR_WORDS:])
    near = " ".join([near_before, "|", *after_words[:_NEAR_WORDS]])
    changed = bool(_DELTA.search(before)) or bool(re.match(_CHANGE_AFTER, after))
    if _PERFORMANCE.search(near):
        return "delta" if changed else "absolute"
    resource = _RESOURCE.search(near_before) or (
        not _DELTA.search(near_before) and _RESOURCE.search(near)
    )
    if unit in ("%", None) and (resource or re.match(r"\s*of\b", after)):
        if not re.search(r"\b(?:relative|absolute)\b", near):
            return "relative"
    return "delta" if changed else None


def parse_value(value: str | None, context: str | None = None) -> ParsedValue:
    """Parse a metric value as written into its number, unit and kind.

    Args:
        value: The value as written (``"71.8%"``, ``"+0.7 points"``, ``"10x"``) or None.
        context: The sentence or evidence quote the value comes from, used to tell a
            change ("improves by 2.5%") from a score ("2.5% error") and a share of a
            resource ("14% less training time").

    Returns:
        The parts; :data:`UNPARSED` (all None) when the value holds no single figure.
    """
    if not value or not value.strip():
        return UNPARSED
    split = _split_figure(value)
    if split is None:
        return UNPARSED
    sign, number, unit, after = split
    if sign in ("-", "−"):
        number = -number
    if unit in _MULTIPLIER_UNITS:
        return ParsedValue(number, unit, "multiplier")
    if sign in ("+", "-", "−"):
        return ParsedValue(number, unit, "delta")
    kind = _context_kind(value.strip(), context, unit) if context else None
    if kind is None and unit == "%" and _RESOURCE.search(after) and not _PERFORMANCE.search(after):
        kind = "relative"  # the value's own words: "85% faster", "4% less memory"
    if kind is None:
        kind = "delta" if unit == "points" else "absolute"
    return ParsedValue(number, unit, kind)


def parse_metric_values(fields: GroundedFields, *, only_missing: bool = False) -> GroundedFields:
    """Fill ``number``, ``unit`` and ``kind`` of every metric that has a value, in place.

    Args:
        fields: A record's grounded fields.
        only_missing: Leave metrics that already carry a parsed part alone (records
            written before values were parsed have none).

    Returns:
        The same ``fields`` object.
    """
    for metric in fields.metrics:
        if only_missing and (metric.number, metric.unit, metric.kind) != (None, None, None):
            continue
        parsed = parse_value(metric.value, metric.evidence)
        metric.number, metric.unit, metric.kind = parsed.number, parsed.unit, parsed.kind
    return fields
