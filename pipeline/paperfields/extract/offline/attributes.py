"""Item attributes for the offline extractor: description, roles, a figure's dataset and method.

* **Description** - an appositive next to the proposed name: ``"X, a novel
  network that ..."`` or ``"a simple network called X"``.
* **Dataset role** - cues in the dataset's sentence: "trained on" means
  train, "evaluated on" / "results on" / "outperforms" mean eval, both mean both.
* **A metric's datasets** - the datasets of its own stretch of the sentence (before it
  back to the previous metric, else after it up to the next one).
* **Method** - the paper's own method when the sentence speaks of it, else the named
  method before the figure that is not the baseline it is compared with.

The figures themselves are :mod:`.figures`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...schemas import DatasetRole
from .mentions import Mention
from .name_shapes import coined, whole_words
from .sentences import Sentence

__all__ = [
    "dataset_role",
    "metric_dataset",
    "metric_datasets",
    "metric_method",
    "proposed_description",
]

_TRAIN = re.compile(
    r"\b(?:(?:pre-?)?train(?:s|ed|ing)?|learn(?:s|ed|t)?|fine-?tun(?:ed|ing|e))\s+"
    r"(?:[\w-]+\s+){0,3}?(?:on|from|using|with)\b|\btraining (?:set|data|split|corpus)\b",
    re.IGNORECASE,
)
_EVAL = re.compile(
    r"\b(?:evaluat\w*|test(?:s|ed|ing)?\b|experiments?|results?|benchmark\w*|outperform\w*|"
    r"state[- ]of[- ]the[- ]art|accuracy|achiev\w*|perform\w*|scores?|report\w*|validat\w*)",
    re.IGNORECASE,
)
_MAX_DESCRIPTION_WORDS = 14


def proposed_description(name: str, sentences: Sequence[Sentence]) -> str | None:
    """Return a short appositive describing ``name`` ("a novel network that ..."), or None."""
    quoted = re.escape(name)
    after = re.compile(
        rf"{quoted}\s*(?:\([^)]{{1,20}}\)\s*)?,\s*((?:an?|the)\s+[^,.;:()]+)", re.IGNORECASE
    )
    before = re.compile(
        rf"\b((?:an?|the)\s+[^,.;:()]{{3,120}}?)\s*,?\s+(?:called|named|dubbed|termed)\s+"
        rf"[\"“']?{quoted}",
        re.IGNORECASE,
    )
    for sent in sentences:
        m = after.search(sent.text) or before.search(sent.text)
        if m:
            words = m.group(1).split()
            return " ".join(words[:_MAX_DESCRIPTION_WORDS])
    return None


def dataset_role(sentence: Sentence) -> DatasetRole:
    """Return train, eval, both or unknown from the cues of the dataset's sentence."""
    train = _TRAIN.search(sentence.text) is not None
    evaluation = _EVAL.search(sentence.text) is not None
    if train and evaluation:
        return "both"
    if train:
        return "train"
    if evaluation:
        return "eval"
    return "unknown"


# A dataset written right after a metric ("mean IOU on VOC"), or after the metric's figure
# ("nDCG@10 by 3.1 points on BEIR and Recall@100 ..."), is that metric's.
_PREVIOUS_METRIC_OWNS = re.compile(
    r"^\s*(?:(?:(?:by|of|to|at|is|=)\s+)?(?:up\s+to\s+)?[~≈+\-]?\d[\d.,]*\s*"
    r"(?:%|x|×|points?|pts)?\s+)?(?:on|in|for|over)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


# A figure right before a dataset: "44.1% on", "6.2 points on the".
_AFTER_A_FIGURE = re.compile(
    r"\d(?:%|\s?points?|\s?pts)?\s+(?:on|in)\s+(?:the\s+)?$", re.IGNORECASE
)


def metric_dataset(metric: Mention, datasets: Sequence[Mention]) -> str | None:
    """Return the dataset mentioned in the metric's sentence nearest to it, or None."""
    same = [d for d in datasets if d.sentence == metric.sentence]
    if not same:
        return None
    nearest = min(same, key=lambda d: abs(d.start - metric.start))
    return nearest.text


def metric_datasets(
    metric: Mention, datasets: Sequence[Mention], metrics: Sequence[Mention], sentence: Sentence
) -> list[str]:
    """The datasets a metric's figure is measured on, from its own stretch of the sentence.

    The stretch before the metric back to the previous metric ("(Flickr30K, COCO) by
    ~2.5% in Recall@1") wins, unless a dataset after it follows a figure ("44.1% on
    AlpacaEval 2"), else the stretch after it up to the next metric ("... of 0.314 on
    DreamBench"); a metric with neither shares its neighbour's ("~10.0% in
    CIDEr and ~2.7% in SPICE"). Each dataset gives the figure one result.
    """
    same = sorted((m for m in metrics if m.sentence == metric.sentence), key=lambda m: m.start)
    in_sentence = [d for d in datasets if d.sentence == metric.sentence]
    text, offset = sentence.text, sentence.start

    def stretch(i: int) -> list[str]:
        m = same[i]
        lo = same[i - 1].end if i > 0 else -1
        hi = same[i + 1].start if i + 1 < len(same) else 1 << 30
        before = [
            d.text
            for d in in_sentence
            if lo <= d.start
            and d.end <= m.start
            and not (i > 0 and _PREVIOUS_METRIC_OWNS.match(text[lo - offset : d.start - offset]))
        ]  # "86.2% mean IOU on VOC and 80.3% mean IOU on X": VOC is the first metric's
        after = [d for d in in_sentence if m.end <= d.start and d.end <= hi]
        if any(_AFTER_A_FIGURE.search(text[: d.start - offset]) for d in after):
            before = []  # "on UltraFeedback, X reaches ... 44.1% on AlpacaEval 2": the figures'
        return list(dict.fromkeys(before or [d.text for d in after]))

    index = next((i for i, m in enumerate(same) if m is metric), None)
    if index is None:
        return []
    for i in (index, index - 1, index + 1):
        if 0 <= i < len(same):
            found = stretch(i)
            if found:
                return found
    return []


_FIRST_PERSON = re.compile(
    r"\b(?:we|our|ours|the proposed|(?:this|the new|the novel) (?:method|approach|model|"
    r"framework|algorithm))\b|"
    r"^(?:\w+ly,?\s+|moreover,\s+|furthermore,\s+|in addition,\s+)?(?:it|this|they|these)\s",
    re.I,
)
# Words before a method that make it the baseline a figure is compared with.
_BASELINE_CUE = re.compile(
    r"\b(?:outperform\w*|surpass\w*|beat\w*|over|than|against|versus|vs\.?|compared\s+"
    r"(?:to|with)|relative\s+to|baselines?|such\s+as|including|like)\W+(?:\S+\W+){0,3}$",
    re.I,
)


# "outperforms X by 4.1 nDCG", "surpasses X with 26% smaller model size": the subject's.
_MARGIN = re.compile(r"^\W*(?:\w+\W+){0,2}?(?:by|with)\b", re.I)


def _names_own(text: str, own_names: Sequence[str]) -> bool:
    """Whether an own name is written as a whole word in ``text`` and not as the baseline
    of a comparison ("... than Zeta")."""
    return any(
        not _BASELINE_CUE.search(text[:start])
        for name in own_names
        for start in whole_words(text, name)
    )


def metric_method(
    metric: Mention,
    sentence: Sentence,
    methods: Sequence[Mention],
    own_names: Sequence[str],
) -> str | None:
    """The method a figure belongs to: the paper's own (shortest own name) when the sentence
    speaks of it or in the first person ("our", "we", a sentence opening with "It");
    else the named method before the metric that is not a baseline it is compared with
    ("outperforms X", "than X"); else, in a sentence that names no method at all, the
    paper's own; else None."""
    own = min(own_names, key=len) if own_names else None
    in_sentence = [m for m in methods if m.sentence == metric.sentence]
    before = [m for m in in_sentence if m.end <= metric.start]
    if before and before[-1].text not in own_names and metric.start - before[-1].end <= 25:
        gap = sentence.text[before[-1].end - sentence.start : metric.start - sentence.start]
        by = _MARGIN.match(gap) is not None  # "outperforms X by 4.1 nDCG": the subject's margin
        if not by and _BASELINE_CUE.search(sentence.text[: before[-1].start - sentence.start]):
            return None  # "surpassing GPT-4 (85.1 BLEU)": the baseline's figure, not ours
    if own is not None and (
        any(m.text in own_names for m in in_sentence)
        or _FIRST_PERSON.search(sentence.text)
        or _names_own(sentence.text[: max(0, metric.start - sentence.start)], own_names)
    ):
        return next((m.text for m in in_sentence if m.text == own), own)
    named = [
        m
        for m in in_sentence
        if m.end <= metric.start
        and (m.source in ("name", "acronym", "lexicon") or coined(m.text))
        and not _BASELINE_CUE.search(sentence.text[: m.start - sentence.start])
    ]
    if named:
        return named[-1].text
    if own is not None and not in_sentence:  # "accuracy rises from 41.2% to 55.0%": no other
        return own
    return None
