"""Figures a sentence sets beside a metric's value: the baselines' and the margins.

* **Compared figures** - after a comparison word ("compared with 20.6 for X", "against
  91.6% for humans", "surpassing GPT-4o (44.9%)", "ahead of X (81.6)"), figures of the
  value's kind, each with the method named beside it; for the only metric of its sentence,
  every later figure of its kind ("46.8% accuracy, followed by GPT-4o at 39.5%").
* **Margins** - what follows "by" after a verb of margin or change ("outperforming X by 4.5
  points and Y by 2.3 points", "reduces X by 4.8% relative to A and by 2.1% relative to
  B", "by 2.8 points for A, 1.9 for B"): the subject's own, of any kind; and margins
  listed after every metric of a sentence, one per metric.

The value itself and the figures listed with it are :mod:`.figures`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .figures import (
    CHANGE_VERB,
    LIST_GLUE,
    coordinated,
    figure_unit,
    figures_in,
    list_runs,
    listed_together,
    metric_value,
    raw_figures,
    respectively,
    stated_span,
    stretch_end,
)
from .mentions import Mention
from .sentences import Sentence

__all__ = ["compared_values", "margin_datasets", "margin_values"]

_COMPARISON = re.compile(
    r"\b(?:compared\s+(?:with|to)|vs\.?|versus|against|than|while|whereas|followed\s+by|"
    r"surpass\w*|outperform\w*|exceed\w*|beat\w*|ahead\s+of|behind|above|below)"
    r"(?=\W)",
    re.IGNORECASE,
)
# "by", with a hedge, right before a margin: "outperforming prior work by up to 3.7%".
_BY_END = re.compile(
    r"\bby\s+(?:over\s+|about\s+|up\s+to\s+|nearly\s+|almost\s+|(?:less|more)\s+than\s+|"
    r"at\s+(?:most|least)\s+)?$",
    re.I,
)
# Verbs whose "by" gives the subject's margin or change: "outperforms X by", "reduces Y by
# 4.8% relative to A and by 2.1% relative to B".
_MARGIN_VERB = re.compile(
    rf"\b(?:exceed|outperform|surpass|beat|lead|trail|drop|degrad|chang|{CHANGE_VERB})\w*", re.I
)
_OWNER_AFTER = re.compile(r"^\s*(?:\(\s*|(?:for|by|from|of)\s+(?:the\s+)?)$", re.IGNORECASE)


_SHARE_OF = re.compile(r"\s+of\b", re.IGNORECASE)
# Between margins listed per system: "by 2.8 points for CodeS-15B, 1.9 for DAIL-SQL".
_FOR_EACH_GLUE = re.compile(r"^\s*(?:for|on|with)\s+[^,;()]{1,40}?,\s*(?:and\s+)?$", re.I)


def _figure_shape(text: str) -> tuple[str, bool]:
    """A figure's unit class and whether it has decimals: only like figures compare."""
    return figure_unit(text), bool(re.search(r"\d[.,]\d", text))


def compared_values(
    metric: Mention,
    sentence: Sentence,
    mentions: Sequence[Mention],
    value: str,
) -> list[tuple[str, str | None, bool]]:
    """The figures a sentence compares with a metric's value, each with the method it
    belongs to when one is named beside it, and whether it is a margin: "an FID of 17.8
    on COCO, compared with 20.6 for SDXL-Lightning and 18.9 for the teacher" gives (20.6,
    SDXL-Lightning) and (18.9, None); "reaches 47.3%, against 91.6% for humans" gives
    (91.6%, None). Only figures of the value's kind (unit, decimals) after a comparison
    word ("compared with", "vs.", "against", "than", "while", "followed by"), up to the
    next metric or a semicolon; for the only metric of its sentence, every later figure
    of its kind. A margin after "exceeding / outperforming X by" is the
    value's owner's, of any kind: "64.2 nDCG@10, exceeding X by 4.5 points and Y by 2.3
    points" gives (4.5 points, None, True) and (2.3 points, None, True)."""
    text, offset = sentence.text, sentence.start
    values = figures_in(sentence, metric, mentions)
    anchor = stated_span(metric, values, value)
    if anchor is None:
        return []
    # The only measure of its sentence: every later figure of the value's kind is one of
    # its results ("46.8% accuracy, followed by GPT-4o at 39.5%; the best open model
    # reaches 31.2%").
    alone = not any(
        m.field == "metrics"
        and m.sentence == metric.sentence
        and m is not metric
        and not (m.group and m.group == metric.group)
        for m in mentions
    )
    limit = stretch_end(metric, sentence, mentions, max(anchor[1], metric.end))
    semicolon = text.find(";", anchor[1] - offset)
    if semicolon >= 0 and not alone:
        limit = min(limit, offset + semicolon)
    if not any(anchor[1] <= start < limit and figure != value for start, _, figure in values):
        return []
    shape = _figure_shape(value)
    others = {  # "... by ~10.0% in CIDEr": a figure another metric of the sentence states
        metric_value(m, sentence, mentions)
        for m in mentions
        if m.field == "metrics" and m.sentence == metric.sentence and m is not metric
    }
    methods = sorted(
        (m for m in mentions if m.field == "methods" and m.sentence == metric.sentence),
        key=lambda m: m.start,
    )
    out: list[tuple[str, str | None, bool]] = []
    compared = alone
    # "improves average accuracy over X by 1.8 points and over Y by 4.6 points"
    margin_verb = _MARGIN_VERB.search(text[: anchor[0] - offset]) is not None
    last_end = anchor[1]
    # the value itself a margin ("improves X by 2.8 points for A, 1.9 for B"), unless the
    # metric is listed with another and the list of margins is both's
    listing = not coordinated(metric, sentence, mentions) and not any(
        x.field == "metrics"
        and x.sentence == metric.sentence
        and metric.end <= x.start < anchor[0]
        and listed_together(metric, x, sentence)
        for x in mentions
    )
    last_margin = listing and margin_verb and _BY_END.search(text[: anchor[0] - offset]) is not None
    for start, end, figure in values:
        if not anchor[1] <= start < limit or figure == value or figure in others:
            continue
        between = text[last_end - offset : start - offset]
        compared = compared or _COMPARISON.search(between) is not None
        margin_verb = margin_verb or _MARGIN_VERB.search(between) is not None
        if (margin_verb and _BY_END.search(between)) or (
            listing and last_margin and (LIST_GLUE.match(between) or _FOR_EACH_GLUE.match(between))
        ):
            out.append((figure, None, True))  # the subject's margins: "by 6.2 and 4.9 points"
            last_end, last_margin = end, True
            continue
        last_margin = False
        if not compared or _figure_shape(figure) != shape:
            continue
        if alone and _SHARE_OF.match(text[end - offset :]):
            continue  # "20% of the time": a share of something else, not the measure
        owner = next(
            (m.text for m in methods if m.start >= end and _OWNER_AFTER.match(
                text[end - offset : m.start - offset])),
            None,
        ) or next(
            (m.text for m in reversed(methods) if last_end <= m.start and m.end <= start),
            None,
        )  # fmt: skip
        out.append((figure, owner, False))
        last_end = end
    return out


def margin_values(sentence: Sentence, mentions: Sequence[Mention]) -> list[tuple[Mention, str]]:
    """Margins listed after every metric of a sentence, one per metric in order: "obtains
    88.1% joint goal accuracy and 97.1% request accuracy, outperforming prior work by 3.7%
    and 5.5%" gives joint goal accuracy 3.7% and request accuracy 5.5%."""
    metrics = sorted(
        (m for m in mentions if m.field == "metrics" and sentence.start <= m.start < sentence.end),
        key=lambda m: m.start,
    )
    if not metrics:
        return []
    last_end = metrics[-1].end
    after = [v for v in raw_figures(sentence.start, sentence.text) if v[0] >= last_end]
    for run in list_runs(after, sentence.text, sentence.start):
        first = next(v for v in after if v[2] == run[0])
        if len(run) == len(metrics) and _BY_END.search(sentence.text[: first[0] - sentence.start]):
            return list(zip(metrics, run, strict=True))
    return []


def margin_datasets(
    sentence: Sentence,
    compared: Sequence[tuple[str, str | None, bool]],
    pairs: Sequence[tuple[str | None, str | None]],
) -> dict[str, str]:
    """Each margin's dataset when "respectively" pairs the margins of :func:`compared_values`
    with the datasets of the metric's own figures (``pairs``), one by one: "44.1% on A and
    35.8% on B, improving over X by 6.2 and 4.9 points, respectively"."""
    margins = [figure for figure, _, margin in compared if margin]
    on_each = list(dict.fromkeys(d for _, d in pairs if d is not None))
    if len(margins) > 1 and len(margins) == len(on_each) and respectively(sentence):
        return dict(zip(margins, on_each, strict=True))
    return {}
