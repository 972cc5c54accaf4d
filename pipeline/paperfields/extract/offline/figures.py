"""The figures a metric states in its sentence, for the offline extractor.

* **Its value** - the number written nearest the metric ("71.8%", "+0.7 points", "10x",
  "28.4" of "28.4 BLEU", "26%" of "26% smaller model size"), a figure tied to it by a
  preposition before it ("~10.0% in CIDEr") winning outright; years, citations ("[41]"),
  compounds ("22-task"), numbers glued to letters ("4K") and counts of a noun of their
  own ("96 runs, the ...") are not its figures.
* **More figures of one metric** - both of "from A to B" (with the dataset after them)
  and of "from A and B to C and D", figures listed together ("73.6% and 76.6%", "by 3.4,
  2.1 and 4.0 points", "reductions of 18.4%, 12.9% and 21.7%"), a figure per dataset
  ("3.2% on GSM8K and 1.5% on MATH"), figures written in parallel ("18% PER in A and 20%
  in B"); and with "respectively", a list of figures paired one by one with the list of
  metrics or datasets it matches in size.

The baselines' figures and the margins beside a value are :mod:`.compared_figures`;
which dataset and method a figure belongs to is :mod:`.attributes`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache

from .mentions import Mention
from .sentences import Sentence

__all__ = [
    "CHANGE_VERB",
    "PERCENT",
    "TIMES",
    "LIST_GLUE",
    "coordinated",
    "figures_in",
    "list_runs",
    "listed_together",
    "raw_figures",
    "stated_span",
    "stretch_end",
    "figures_near",
    "figure_unit",
    "figures_on",
    "from_to_lists",
    "from_to_pairs",
    "from_to_values",
    "listed_values",
    "metric_value",
    "name_run",
    "parallel_values",
    "respective_owners",
    "respective_values",
    "respectively",
    "value_pairs",
]

PERCENT = r"\\?%"  # a percent sign, or TeX's "\%"
TIMES = r"(?:×|x\b|times\b|\\times\b)"  # "2x", "3 times", TeX's "5\times"
_VALUE = re.compile(
    r"(?<![\w.\-@])(?:[~≈]\s?|[<>≤≥])?(?:[+\-−±]\s?)?\d+(?:[.,]\d+)?"
    # a range: "30-50%", TeX's "30--50\%", "2-4 points", "1.64-2.54times", and with the
    # unit on both figures "8%–12%", "1.7×–2.4×"
    rf"(?:(?:{PERCENT}|{TIMES})?\s?(?:--|[–-])\s?\d+(?:[.,]\d+)?"
    rf"(?=\s?(?:{PERCENT}|points?\b|{TIMES})))?"
    rf"(?:-points?\b|-fold\b|\s?(?:{PERCENT}|{TIMES}|points?\b|pts\b|dB\b|"
    r"percentage points\b|percent\b|ms\b|s\b|seconds?\b|minutes?\b|hours?\b|days?\b|"
    r"GPU[- ](?:hours?|days?)\b|GB\b|MB\b|TB\b|"
    r"FPS\b|frames per second\b|tokens?(?:\s?/\s?s\b|\s(?:per second)\b)?))?"
    r"(?![A-Za-z])"  # "4K", "7B", "128k": a size or a name's part, no figure
)
# What stands before the first figure of "from A to B": "from", "from a baseline of".
_FROM_BEFORE = re.compile(
    r"\bfrom(?:\s+(?:an?|the)\s+(?:[\w().-]+\s+){0,4}?baseline\s+of)?$", re.IGNORECASE
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_COMPOUND = re.compile(r"[-‑][A-Za-z]")
# The words between a value and the metric it measures: "~10.0% in CIDEr",
# "a 4% improvement in MRR", "by 2 points in terms of BLEU".
_VALUE_FOR_METRIC = re.compile(
    r"^\s*(?:(?:absolute|relative|average|overall|improvements?|gains?|increases?|"
    r"decreases?|reductions?|drops?|higher|lower|better|worse|boosts?)\s+){0,2}"
    r"(?:in|on|of|for)\s+(?:terms\s+of\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
# A comparative between a figure and the metric it changes: "26% smaller model size",
# "2 times faster training speed", "8% lower memory consumption".
_COMPARATIVE_BEFORE_METRIC = re.compile(
    r"^\s*(?:smaller|less|lower|fewer|higher|more|larger|greater|faster|slower|better|"
    r"worse|reduced|increased|improved|relative|absolute)\s+$",
    re.IGNORECASE,
)
# A multiple of a metric: "2.7x the accuracy of the next best baseline".
_THE_BEFORE_METRIC = re.compile(r"^\s+the\s+(?:average\s+|mean\s+)?$", re.IGNORECASE)
_MAX_AFTER = 60
_MAX_FROM_TO = 90  # "accuracy of answer construction from a CoT baseline of A to B"
# A figure before a metric that counts a noun of its own: "96 runs, the ...".
_COUNTED_NOUN = re.compile(r"^\s+[a-z][\w-]*[,;]")
# Between the two figures of "from A to B", an owner may be named: "from 14.9 (BM25) to 27.3".
_TO = re.compile(r"^\s*(?:\([^()]{1,60}\)\s*)?to\s*$", re.IGNORECASE)
_CLAUSE_JOIN = re.compile(r"\b(?:and|or|while|whereas|but)\b|[,;]", re.IGNORECASE)
_MAX_BEFORE = 25
# The long form of an acronym metric between its figure and "(": "+1.47 bilingual
# evaluation understudy (BLEU)".
_LONG_FORM_BEFORE = re.compile(r"^\s+(?:[a-z][\w-]*\s+){1,5}\($")
_MAX_LONG_FORM = 40
_MAX_TIED = 35  # how far a figure tied to a metric by a preposition may stand before it


@lru_cache(maxsize=64)
def raw_figures(offset: int, text: str) -> tuple[tuple[int, int, str], ...]:
    """Every number-like value of a sentence (years left out), with abstract offsets."""
    out = []
    for m in _VALUE.finditer(text):
        value = m.group().strip()
        citation = text[m.start() - 1 : m.start()] == "[" and text[m.end() : m.end() + 1] in (
            "]",
            ",",
        )  # "[41]", "[3, 7]": a reference, not a figure
        compound = _COMPOUND.match(text, m.end()) is not None  # "22-task", "50-step", "4-bit"
        if not _YEAR.match(value) and not citation and not compound:
            start = offset + m.start()
            out.append((start, start + len(value), value))
    return tuple(out)


def figures_in(
    sentence: Sentence, metric: Mention, mentions: Sequence[Mention]
) -> list[tuple[int, int, str]]:
    # Other names in this sentence, by start: a value inside one is part of that name.
    names = sorted(
        (x.start, x.end)
        for x in mentions
        if x is not metric and x.start < sentence.end and sentence.start < x.end
    )
    starts = [s for s, _ in names]
    longest = max((e - s for s, e in names), default=0)
    out = []
    for start, end, text in raw_figures(sentence.start, sentence.text):
        first = bisect_left(starts, start - longest)
        last = bisect_left(starts, end)
        if any(names[i][1] > start for i in range(first, last)):
            continue  # part of a name such as "WMT 2014" or "Tacotron 2"
        out.append((start, end, text))
    return out


def stretch_end(
    metric: Mention, sentence: Sentence, mentions: Sequence[Mention], after: int
) -> int:
    """Where a metric's figures stop: the next metric of its sentence starting after
    ``after``, else the sentence's end."""
    following = [
        m.start
        for m in mentions
        if m.field == "metrics"
        and m.sentence == metric.sentence
        and m.start > after
        and not (m.group and m.group == metric.group)  # its own acronym: "error rate (MER)"
    ]
    return min(following, default=sentence.end)


def stated_span(
    metric: Mention, values: Sequence[tuple[int, int, str]], value: str
) -> tuple[int, int, str] | None:
    """The span of a metric's value among a sentence's figures: the one nearest the metric."""
    own = [v for v in values if v[2] == value]
    return min(own, key=lambda v: abs(v[0] - metric.start)) if own else None


def figure_unit(text: str) -> str:
    """A figure's unit class: ``pct`` ("4.6%"), ``x`` ("10x", "40 times"), ``pt`` ("0.7
    points") or ``none``."""
    if "%" in text:
        return "pct"
    if re.search(r"x|×|times", text):
        return "x"
    return "pt" if "point" in text or "pts" in text else "none"


def figures_near(
    metric: Mention, sentence: Sentence, mentions: Sequence[Mention]
) -> list[tuple[int, int, str]]:
    """The figures of a metric's sentence that may be its value: within 100 characters
    after it or 40 before it, and not part of a name (the metric's own included).

    Returns:
        ``(start, end, text)`` of each, in text order.
    """
    out = []
    for start, end, text in figures_in(sentence, metric, mentions):
        if metric.start <= start and end <= metric.end:
            continue
        if metric.end <= start <= metric.end + 100 or metric.start - 40 <= end <= metric.start:
            out.append((start, end, text))
    return out


def _nearer_metric(
    metric: Mention, sentence: Sentence, mentions: Sequence[Mention], figure_start: int
) -> bool:
    """Whether another metric, not listed with this one, stands between it and a figure
    after it: "perplexity is a poor predictor (Spearman's ρ = 0.41)" - the figure is the
    nearer metric's. Listed metrics share it: "BLEU and METEOR improve by 2.1"."""
    return any(
        x.field == "metrics"
        and x.sentence == metric.sentence
        and metric.end <= x.start
        and x.end <= figure_start
        and not (x.group and x.group == metric.group)  # "exact match (EM) by 3.4"
        and not listed_together(metric, x, sentence)
        for x in mentions
    )


def metric_value(metric: Mention, sentence: Sentence, mentions: Sequence[Mention]) -> str | None:
    """Return the value written nearest after (or just before) a metric, or None.

    A value written with the metric as its unit ("28.4 BLEU") is taken whole; a value
    tied to the metric by a preposition before it ("~10.0% in CIDEr") wins outright.
    """
    best: tuple[int, str] | None = None
    values = figures_in(sentence, metric, mentions)
    for first, second in zip(values, values[1:], strict=False):
        if (
            0 <= first[0] - metric.end <= _MAX_FROM_TO
            and _from_to(sentence.text, sentence.start, first, second)
            and not _nearer_metric(metric, sentence, mentions, first[0])
        ):
            return second[2]  # "accuracy from 80.1% to 85.3%": the figure reached
    for _start, end, text in reversed(values):
        if end > metric.start or metric.start - end > _MAX_BEFORE + _MAX_LONG_FORM:
            continue
        between = sentence.text[end - sentence.start : metric.start - sentence.start]
        if len(between) <= _MAX_TIED and (
            _tied_before(between, text) or _COMPARATIVE_BEFORE_METRIC.match(between)
        ):  # "5.1%-60.4% relative improvements in repair accuracy", "2.7x the accuracy of"
            return text
        closes = sentence.text[metric.end - sentence.start : metric.end - sentence.start + 1]
        if (
            closes == ")"
            and _LONG_FORM_BEFORE.match(between)
            and not any(x.field == "metrics" and end <= x.start < metric.start for x in mentions)
        ):  # "+1.47 bilingual evaluation understudy (BLEU) score", no metric between
            return text
    for start, end, text in values:
        if metric.start <= start and end <= metric.end:
            continue  # a digit of the metric's own name: "Recall@1", "ROUGE-2"
        if start < metric.end and metric.start < end:
            distance = 0
        elif start >= metric.end:
            distance = start - metric.end
            far = distance > _MAX_AFTER and not _LIST_LEAD.match(
                sentence.text[metric.end - sentence.start : start - sentence.start]
            )  # "exact match on the benchmarks A, B and C by 4.7": a long lead to its margin
            if far or _nearer_metric(metric, sentence, mentions, start):
                continue
        else:
            distance = 2 * (metric.start - end)
            if metric.start - end > _MAX_BEFORE:
                continue
            gap = sentence.text[end - sentence.start : metric.start - sentence.start]
            if _COUNTED_NOUN.match(gap):
                continue  # "Across 96 runs, the attack success rate": a count of runs
            if _CLAUSE_JOIN.search(gap) and any(
                x.field == "metrics" and x.sentence == metric.sentence and x.end <= start
                for x in mentions
            ):
                continue  # "accuracy by 4.4 points and ROUGE-L ...": the first metric's figure
        if best is None or distance < best[0]:
            best = (distance, text)
    return best[1] if best else None


# What joins listed items, a short parenthesis included: "1.46 (mean) and 0.62 (median)".
LIST_GLUE = re.compile(r"^\s*(?:\([^()]{1,25}\)\s*)?(?:,\s*)?(?:(?:and|or|vs\.?|versus)\s+)?$")
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
# The stems of verbs of change a figure measures: "reduces X by", "raises X from A to B".
CHANGE_VERB = r"(?:reduc|lower|cut|shrink|shorten|rais|increas|decreas|boost|lift|improv)"


def respectively(sentence: Sentence) -> bool:
    """Whether a sentence pairs its lists one by one ("..., respectively")."""
    return _RESPECTIVELY.search(sentence.text) is not None


def listed_together(a: Mention, b: Mention, sentence: Sentence) -> bool:
    """Whether two mentions of a sentence are written as one list ("BLEU and METEOR",
    "accuracy, F1")."""
    first, second = (a, b) if a.start <= b.start else (b, a)
    gap = sentence.text[first.end - sentence.start : second.start - sentence.start]
    return LIST_GLUE.match(gap) is not None


def _span_runs(
    items: Sequence[tuple[int, int, str]], text: str, offset: int
) -> list[list[tuple[int, int, str]]]:
    """Group spans that are listed together ("88.2%, 90.1% and 91.0%") into runs."""
    runs: list[list[tuple[int, int, str]]] = []
    last_end = -1
    for item in items:
        start, end, _ = item
        glue = text[last_end - offset : start - offset] if last_end >= 0 else None
        if glue is not None and runs and LIST_GLUE.match(glue):
            runs[-1].append(item)
        else:
            runs.append([item])
        last_end = end
    return runs


def list_runs(items: Sequence[tuple[int, int, str]], text: str, offset: int) -> list[list[str]]:
    """The texts of :func:`_span_runs`."""
    return [[name for _, _, name in run] for run in _span_runs(items, text, offset)]


# What joins a metric to the list of its figures.
_LIST_LEAD = re.compile(
    r"^\s*(?:\([^()]{1,15}\)\s*)?(?:(?:on|in|across|over)\s+[^;()]{1,120}?\s+(?=by\b))?"
    r"(?:(?:reductions?|improvements?|gains?|drops?|increases?|decreases?)\s+(?=of\b))?"
    r"(?:of|at|by|:|=|is|are|was|were|reaches|reach)?\s*"
    r"(?:(?:up\s+to|only|just|about|around|roughly|nearly|approximately)\s+)?$",
    re.IGNORECASE,
)  # "accuracies of 73.6% and 76.6%", "exact match (EM) by 3.4, 2.1 and 4.0 points",
# "average accuracy on a 22-task suite by 2.7 and 1.9 points", "Recall@10 over TIGER by
# 12.4%, 9.8% and 15.1%", "relative WER reductions of 18.4%, 12.9% and 21.7%"


def from_to_values(metric: Mention, sentence: Sentence, mentions: Sequence[Mention]) -> list[str]:
    """Both figures of every "from A to B" after a metric, up to the next metric: "rank-1
    accuracy is improved from 55.3% to 80.5% for X, and from 73.8% to 82.3% for Y" gives
    four results (the baseline's and the one reached). Empty when there is none."""
    return [t for a, b, _ in from_to_pairs(metric, sentence, mentions) for t in (a, b)]


_DATASET_AFTER = re.compile(r"^\s*(?:on|in|for)\s+(?:the\s+)?$", re.IGNORECASE)


def _from_to(
    text: str, offset: int, first: tuple[int, int, str], second: tuple[int, int, str]
) -> bool:
    """Whether two figures of a sentence are written "from A to B" ("from a CoT baseline
    of A to B")."""
    return _TO.match(text[first[1] - offset : second[0] - offset]) is not None and (
        _FROM_BEFORE.search(text[: first[0] - offset].rstrip()) is not None
    )


def _right_before(
    metric: Mention, sentence: Sentence, found: Sequence[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """The figures before a metric when the last of them stands right before it, only
    spaces or a preposition between ("84.6% relaxed accuracy", "by 3.4% and 17% on average
    accuracy"); else none."""
    before = [v for v in found if v[1] <= metric.start]
    if not before:
        return []
    gap = sentence.text[before[-1][1] - sentence.start : metric.start - sentence.start]
    return before if not gap.strip() or _tied_before(gap, before[-1][2]) else []


def _tied_before(gap: str, figure: str) -> bool:
    """Whether the words between a figure and the metric after it tie them: "~10.0% in
    CIDEr", "a 4% improvement in MRR", and for a multiple "2.7x the accuracy of"."""
    return _VALUE_FOR_METRIC.match(gap) is not None or (
        figure_unit(figure) == "x" and _THE_BEFORE_METRIC.match(gap) is not None
    )


def from_to_pairs(
    metric: Mention, sentence: Sentence, mentions: Sequence[Mention]
) -> list[tuple[str, str, str | None]]:
    """Every "from A to B" after a metric, up to the next metric, with the dataset written
    right after it ("from 83.6% to 88.9% on GSM8K and from 49.2% to 57.5% on MATH"), and
    the one written right before it ("from 71.2% to 84.6% relaxed accuracy on ChartQA")."""
    limit = stretch_end(metric, sentence, mentions, metric.end)
    found = figures_in(sentence, metric, mentions)
    values = [v for v in found if metric.end <= v[0] < limit]
    text, offset = sentence.text, sentence.start
    datasets = [m for m in mentions if m.field == "datasets" and m.sentence == metric.sentence]

    def dataset_after(end: int) -> str | None:
        return next(
            (d.text for d in datasets
             if d.start >= end and _DATASET_AFTER.match(text[end - offset : d.start - offset])),
            None,
        )  # fmt: skip

    out: list[tuple[str, str, str | None]] = []
    before = _right_before(metric, sentence, found)
    if len(before) > 1 and _from_to(text, offset, before[-2], before[-1]):
        out.append((before[-2][2], before[-1][2], dataset_after(metric.end)))
    for first, second in zip(values, values[1:], strict=False):
        if _from_to(text, offset, first, second):
            out.append((first[2], second[2], dataset_after(second[1])))
    return out


def from_to_lists(
    metric: Mention, sentence: Sentence, mentions: Sequence[Mention]
) -> list[tuple[str, str | None]] | None:
    """The figures of "from A and B to C and D" after a metric, each with its dataset
    when "respectively" pairs them with a list of datasets of their size ("on ASCEND and
    SEAME from 21.4% and 18.9% to 16.8% and 15.2%, respectively"), or of "from A (X) and B
    (Y) to C" (several baselines, one result); None when there is no such list."""
    limit = stretch_end(metric, sentence, mentions, metric.end)
    values = [v for v in figures_in(sentence, metric, mentions) if metric.end <= v[0] < limit]
    text, offset = sentence.text, sentence.start
    runs = _span_runs(values, text, offset)
    for before, after in zip(runs, runs[1:], strict=False):
        if len(before) < 2 and len(after) < 2:
            continue
        opens = text[: before[0][0] - offset].rstrip().lower().endswith("from")
        if not (opens and _TO.match(text[before[-1][1] - offset : after[0][0] - offset])):
            continue
        if len(before) == len(after) and respectively(sentence):
            run = name_run(metric, sentence, mentions, len(before))
            if run is not None:
                return [
                    (figure, dataset)
                    for a, b, dataset in zip(before, after, run, strict=True)
                    for figure in (a[2], b[2])
                ]
        return [(figure, None) for _, _, figure in (*before, *after)]
    return None


def coordinated(metric: Mention, sentence: Sentence, mentions: Sequence[Mention]) -> bool:
    """Whether a metric is listed after another ("BLEU and METEOR by 2.1, 3.4 and 5.0"):
    whose figures a list after them is, is unclear."""
    return any(
        x.field == "metrics"
        and x.sentence == metric.sentence
        and x.end <= metric.start
        and listed_together(x, metric, sentence)
        for x in mentions
    )


def listed_values(
    metric: Mention, sentence: Sentence, mentions: Sequence[Mention], value: str
) -> list[str]:
    """The figures listed together with a metric's value ("accuracies of 73.6% and
    76.6%", "45.1 vs. 44.8 EM"): each is a result of its own. Just ``[value]`` when it
    stands alone."""
    if coordinated(metric, sentence, mentions):
        return [value]
    found = figures_in(sentence, metric, mentions)
    before = _right_before(metric, sentence, found)
    if before:
        leading = _span_runs(before, sentence.text, sentence.start)[-1]
        if len(leading) > 1 and value == leading[-1][2]:
            return [text for _, _, text in leading]
    values = [v for v in found if v[0] >= metric.end]
    for run in list_runs(values, sentence.text, sentence.start):
        if value in run and len(run) > 1:
            first = next(v for v in values if v[2] == run[0])
            lead = sentence.text[metric.end - sentence.start : first[0] - sentence.start]
            if _LIST_LEAD.match(lead):
                return run
    return [value]


_PARALLEL_PREPOSITION = re.compile(r"\s*(in|on|for|at|over|across|with|under)\b", re.I)
_PARALLEL_GLUE = re.compile(r"(?:,\s*)?\band\s+$", re.I)


def parallel_values(
    metric: Mention, sentence: Sentence, mentions: Sequence[Mention], value: str
) -> list[str]:
    """A metric's value with the figures written in parallel to it: "achieves 18% PER in
    single utterances and 20% in longer ones" gives PER both figures, each followed by
    the same preposition and joined by "and". Just ``[value]`` when there is none; the
    figures stop at the next metric."""
    text, offset = sentence.text, sentence.start
    values = figures_in(sentence, metric, mentions)
    stated = stated_span(metric, values, value)
    if stated is None:
        return [value]
    anchor = max(metric.end, stated[1])
    opening = _PARALLEL_PREPOSITION.match(text[anchor - offset :])
    if opening is None:
        return [value]
    preposition = opening.group(1).lower()
    limit = stretch_end(metric, sentence, mentions, metric.end)
    out = [value]
    for start, end, figure in values:
        if not anchor < start < limit:
            continue
        after = _PARALLEL_PREPOSITION.match(text[end - offset :])
        if (
            _PARALLEL_GLUE.search(text[anchor - offset : start - offset])
            and after is not None
            and after.group(1).lower() == preposition
        ):
            out.append(figure)
    return out


def respective_values(
    metric: Mention,
    sentence: Sentence,
    mentions: Sequence[Mention],
    datasets: Sequence[Mention],
    value: str | None,
) -> list[tuple[str, str | None]] | None:
    """The figures a "respectively" sentence gives a metric (whose value is ``value``),
    each with its dataset, or None.

    "88.2% and 91.0% on SNLI and MNLI, respectively" gives a metric two results, one per
    dataset; "BLEU and METEOR improve by 2.1 and 3.4 points respectively" gives each
    metric its own figure. A list of figures pairs only with a list of the same size, and
    with datasets only when the metric's own value is one of them.
    """
    if not respectively(sentence):
        return None
    values = figures_in(sentence, metric, mentions)
    value_runs = [r for r in list_runs(values, sentence.text, sentence.start) if len(r) > 1]
    if len(value_runs) != 1:
        return None
    figures = value_runs[0]
    metrics = sorted(
        (m for m in mentions if m.field == "metrics" and m.sentence == metric.sentence),
        key=lambda m: m.start,
    )
    for run in list_runs(
        [(m.start, m.end, m.text) for m in metrics], sentence.text, sentence.start
    ):
        if len(run) == len(figures) and metric.text in run:
            return [(figures[run.index(metric.text)], None)]
    if value not in figures:
        return None  # "shortens outputs by 46%, 38% and 12%, respectively, while accuracy ..."
    in_sentence = sorted(
        (d for d in datasets if d.sentence == metric.sentence), key=lambda d: d.start
    )
    spans = [(d.start, d.end, d.text) for d in in_sentence]
    for run in list_runs(spans, sentence.text, sentence.start):
        if len(run) == len(figures):
            return list(zip(figures, run, strict=True))
    if not any(
        m is not metric and listed_together(m, metric, sentence) for m in metrics
    ):  # "the pass^1 score on the retail and airline domains to 51.3% and 32.0%, respectively"
        return [(figure, None) for figure in figures]
    return None


# What may stand between a figure and its dataset: "3.2% on", "80.3% mean IoU on the".
_FIGURE_ON = re.compile(
    r"^\s*(?:[\w@-]+\s+){0,3}?(?:on|in|for|over|across)\s+(?:the\s+)?$", re.IGNORECASE
)


def figures_on(
    metric: Mention,
    sentence: Sentence,
    mentions: Sequence[Mention],
    on: Sequence[str],
) -> list[tuple[str, str]] | None:
    """Each dataset with the figure written right before it, or None.

    "improves accuracy by 3.2% on GSM8K and 1.5% on MATH" gives (3.2%, GSM8K) and (1.5%,
    MATH): when every dataset of the metric's stretch follows a figure of its own ("X% on
    D"), each figure belongs to its dataset, not the first figure to all of them.
    """
    if len(on) < 2:
        return None
    values = figures_in(sentence, metric, mentions)
    text, offset = sentence.text, sentence.start
    pairs: list[tuple[str, str]] = []
    for name in on:
        d = next(
            (x for x in mentions if x.field == "datasets" and x.sentence == metric.sentence
             and x.text == name),
            None,
        )  # fmt: skip
        if d is None:
            return None
        before = [v for v in values if v[1] <= d.start]
        if not before or not _FIGURE_ON.match(text[before[-1][1] - offset : d.start - offset]):
            return None
        if before[-1][1] <= metric.start and any(
            x.field == "metrics" and x.sentence == metric.sentence and x.end <= before[-1][0]
            for x in mentions
        ):  # "lowers pass@1 by 2.1 on A and 1.4 on B, ... (Pearson r = 0.64)": pass@1's
            return None
        pairs.append((before[-1][2], name))
    if len({figure for figure, _ in pairs}) < len(pairs):
        return None
    return pairs


def value_pairs(
    metric: Mention,
    sentence: Sentence,
    mentions: Sequence[Mention],
    value: str | None,
    on: Sequence[str | None],
) -> list[tuple[str | None, str | None]]:
    """Every (figure, dataset) a metric states, given its value and the datasets of its
    stretch (``on``, ``[None]`` for none): a figure per dataset written right after it
    ("3.2% on GSM8K and 1.5% on MATH"), else the figures listed together or both of "from
    A to B" (paired one by one with datasets of the same number, else each with each),
    else the value with each dataset."""
    if value is None:
        return [(None, d) for d in on]
    lists = from_to_lists(metric, sentence, mentions)
    if lists is not None:  # "from 21.4% and 18.9% to 16.8% and 15.2%"
        return [(t, d if d is not None else (on[0] if len(on) == 1 else None)) for t, d in lists]
    spans = from_to_pairs(metric, sentence, mentions)
    if len(spans) > 1 and all(d is not None for _, _, d in spans):
        return [(t, d) for a, b, d in spans for t in (a, b)]  # "... to 88.9% on GSM8K and"
    own = figures_on(metric, sentence, mentions, [d for d in on if d])
    if own is not None:
        return list(own)
    listed = listed_values(metric, sentence, mentions, value)
    if len(listed) == 1:  # "from 55.3% to 80.5% ..., and from 73.8% to 82.3%"
        listed = [t for a, b, _ in spans for t in (a, b)] or listed
    if len(listed) == 1:  # "18% PER in single utterances and 20% in longer ones"
        listed = parallel_values(metric, sentence, mentions, value)
    if len(listed) > 1 and len(listed) == len(on):
        return list(zip(listed, on, strict=True))
    if len(listed) > 1:  # "on ALCE (ASQA, QAMPARI and ELI5) ... by 14.2, 11.8 and 17.5"
        run = name_run(metric, sentence, mentions, len(listed))
        if run is not None:
            return list(zip(listed, run, strict=True))
    return [(v, d) for v in listed for d in on]


def name_run(
    metric: Mention,
    sentence: Sentence,
    mentions: Sequence[Mention],
    size: int,
    field: str = "datasets",
) -> list[str] | None:
    """The one list of names of ``field`` in a metric's sentence written together with
    ``size`` names ("ASQA, QAMPARI and ELI5"), or None."""
    spans = sorted(
        (d.start, d.end, d.text)
        for d in mentions
        if d.field == field and d.sentence == metric.sentence
    )
    runs = [r for r in list_runs(spans, sentence.text, sentence.start) if len(r) == size]
    return runs[0] if len(runs) == 1 else None


def respective_owners(
    metric: Mention,
    sentence: Sentence,
    mentions: Sequence[Mention],
    pairs: Sequence[tuple[str | None, str | None]],
) -> dict[str, str]:
    """Each figure's method when "respectively" pairs a metric's figures with a list of
    methods of their number before it: "GPT-4o, Gemini and Qwen2-VL reach ANLS of 0.71,
    0.74 and 0.66, respectively"."""
    figures = list(dict.fromkeys(v for v, _ in pairs if v is not None))
    if len(figures) < 2 or not respectively(sentence):
        return {}
    run = name_run(metric, sentence, mentions, len(figures), "methods")
    if run is None:
        return {}
    first = next(m for m in mentions if m.field == "methods" and m.sentence == metric.sentence
                 and m.text == run[0])  # fmt: skip
    return dict(zip(figures, run, strict=True)) if first.end <= metric.start else {}
