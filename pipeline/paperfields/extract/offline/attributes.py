"""Item attributes for the offline extractor: proposed method, description, roles, values.

* **Proposed method** - the method named in the title (``"V-Net: ..."``,
  ``"SVDNet for ..."``), else the first named method after the contribution
  verb ("we propose X"), else the first method in that sentence.
* **Description** - an appositive next to the proposed name: ``"X, a novel
  network that ..."`` or ``"a simple network called X"``.
* **Dataset role** - cues in the dataset's sentence: "trained on" means
  train, "evaluated on" / "results on" / "outperforms" mean eval, both mean both.
* **Metric value and dataset** - the number written nearest the metric in its
  sentence ("71.8%", "+0.7 points", "10x", "28.4 BLEU"), and the dataset
  mentioned in the same sentence, if any.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache

from ...schemas import DatasetRole
from .heads import known_field
from .mentions import Mention
from .sentences import Sentence

__all__ = [
    "dataset_role",
    "metric_dataset",
    "metric_datasets",
    "metric_method",
    "metric_value",
    "proposed_description",
    "proposed_method",
    "title_head",
    "title_names",
]

_TITLE_HEAD = re.compile(r"^\s*([^:]{2,40}?)\s*:\s")
_TITLE_NAME = re.compile(r"[A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*\+*")
_CUE_VERB = re.compile(
    r"\b(?:propose[sd]?|present(?:s|ed)?|introduce[sd]?|develop(?:s|ed)?|describe[sd]?|"
    r"call(?:s|ed)?|name[sd]?|dub(?:s|bed)?|term(?:s|ed)?)\b",
    re.IGNORECASE,
)
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
_VALUE = re.compile(
    r"(?<![\w.\-])(?:[~≈]\s?)?(?:[+\-−±]\s?)?\d+(?:[.,]\d+)?"
    r"(?:\s?(?:%|×|x\b|times\b|points?\b|pts\b|BLEU\b|dB\b|percentage points\b))?"
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# The words between a value and the metric it measures: "~10.0% in CIDEr",
# "a 4% improvement in MRR", "by 2 points in terms of BLEU".
_VALUE_FOR_METRIC = re.compile(
    r"^\s*(?:(?:absolute|relative|average|overall|improvements?|gains?|increases?|"
    r"decreases?|reductions?|drops?|higher|lower|better|worse|boosts?)\s+){0,2}"
    r"(?:in|on|of|for)\s+(?:terms\s+of\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_MAX_AFTER = 60
_MAX_BEFORE = 25
_MAX_DESCRIPTION_WORDS = 14


def title_names(title: str) -> list[str]:
    """Return candidate own-method names from a title: the part before a colon, and
    name-like words (``SVDNet``, ``ICNet``, ``V-Net``)."""
    out: list[str] = []
    head = _TITLE_HEAD.match(title)
    if head and len(head.group(1).split()) <= 4:
        out.append(head.group(1))
    for m in _TITLE_NAME.finditer(title):
        word = m.group()
        uppers = sum(ch.isupper() for ch in word)
        if uppers >= 2 or (uppers and any(ch.isdigit() for ch in word)):
            out.append(word)
    return out


def title_head(title: str) -> str | None:
    """The lowercased "X" of a title "X: ...", when X is at most four words."""
    head = _TITLE_HEAD.match(title)
    if head and len(head.group(1).split()) <= 4:
        return head.group(1).lower()
    return None


def proposed_method(
    title: str,
    sentences: Sequence[Sentence],
    methods: Sequence[Mention],
    datasets: Sequence[Mention] = (),
) -> Mention | None:
    """Pick the paper's own method among the method mentions, or None.

    In order: the title's "X:" reappearing in the abstract; the first named method
    (an acronym or a coined name) after a contribution verb in a first-person
    sentence ("we propose X", "we introduce X"); a coined name of the title that is
    no widely known name; the first method after the contribution verb. A title that
    names one of the abstract's datasets ("MMTEB: ...") marks a dataset paper: no
    method is proposed then.
    """
    if not methods:
        return None
    head = title_head(title)
    if head is not None:
        if any(d.text.lower() == head for d in datasets):
            return None
        exact = next((m for m in methods if m.text.lower() == head), None)
        if exact is not None:
            return exact
    after_cue: list[Mention] = []
    for si, sent in enumerate(sentences):
        cue = _CUE_VERB.search(sent.text)
        if cue is None or not re.search(r"\b(?:we|this|our|here)\b", sent.text, re.I):
            continue
        after = [m for m in methods if m.sentence == si and m.start >= sent.start + cue.start()]
        named = [m for m in after if m.source in ("name", "acronym") or _coined(m.text)]
        if named:
            return named[0]
        after_cue.extend(after)
    for name in (n.lower() for n in title_names(title)):
        if known_field(name) is not None or name == head:
            continue
        exact = next((m for m in methods if m.text.lower() == name), None)
        if exact is None and len(name) >= 3:
            exact = next((m for m in methods if name in m.text.lower()), None)
        if exact is not None:
            return exact
    return after_cue[0] if after_cue else None


def _coined(text: str) -> bool:
    """A coined name: a word with an inner capital or a digit ("PreSelect", "R^3")."""
    return any(
        any(ch.isupper() for ch in word[1:]) or any(ch.isdigit() for ch in word)
        for word in text.split()
    )


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


@lru_cache(maxsize=64)
def _raw_values(offset: int, text: str) -> tuple[tuple[int, int, str], ...]:
    """Every number-like value of a sentence (years left out), with abstract offsets."""
    out = []
    for m in _VALUE.finditer(text):
        value = m.group().strip()
        if not _YEAR.match(value):
            start = offset + m.start()
            out.append((start, start + len(value), value))
    return tuple(out)


def _values(
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
    for start, end, text in _raw_values(sentence.start, sentence.text):
        first = bisect_left(starts, start - longest)
        last = bisect_left(starts, end)
        if any(names[i][1] > start for i in range(first, last)):
            continue  # part of a name such as "WMT 2014" or "Tacotron 2"
        out.append((start, end, text))
    return out


def metric_value(metric: Mention, sentence: Sentence, mentions: Sequence[Mention]) -> str | None:
    """Return the value written nearest after (or just before) a metric, or None.

    A value written with the metric as its unit ("28.4 BLEU") is taken whole; a value
    tied to the metric by a preposition before it ("~10.0% in CIDEr") wins outright.
    """
    best: tuple[int, str] | None = None
    values = _values(sentence, metric, mentions)
    for _start, end, text in reversed(values):
        if end <= metric.start and metric.start - end <= _MAX_BEFORE:
            between = sentence.text[end - sentence.start : metric.start - sentence.start]
            if _VALUE_FOR_METRIC.match(between):
                return text
    for start, end, text in values:
        if metric.start <= start and end <= metric.end:
            continue  # a digit of the metric's own name: "Recall@1", "ROUGE-2"
        if start < metric.end and metric.start < end:
            distance = 0
        elif start >= metric.end:
            distance = start - metric.end
            if distance > _MAX_AFTER:
                continue
        else:
            distance = 2 * (metric.start - end)
            if metric.start - end > _MAX_BEFORE:
                continue
        if best is None or distance < best[0]:
            best = (distance, text)
    return best[1] if best else None


def metric_dataset(metric: Mention, datasets: Sequence[Mention]) -> str | None:
    """Return the dataset mentioned in the metric's sentence nearest to it, or None."""
    same = [d for d in datasets if d.sentence == metric.sentence]
    if not same:
        return None
    nearest = min(same, key=lambda d: abs(d.start - metric.start))
    return nearest.text


def metric_datasets(
    metric: Mention, datasets: Sequence[Mention], metrics: Sequence[Mention]
) -> list[str]:
    """The datasets a metric's figure is measured on, from its own stretch of the sentence.

    The stretch before the metric back to the previous metric ("(Flickr30K, COCO) by
    ~2.5% in Recall@1") wins, else the stretch after it up to the next metric ("... of
    0.314 on DreamBench"); a metric with neither shares its neighbour's ("~10.0% in
    CIDEr and ~2.7% in SPICE"). Each dataset gives the figure one result.
    """
    same = sorted((m for m in metrics if m.sentence == metric.sentence), key=lambda m: m.start)
    in_sentence = [d for d in datasets if d.sentence == metric.sentence]

    def stretch(i: int) -> list[str]:
        m = same[i]
        lo = same[i - 1].end if i > 0 else -1
        hi = same[i + 1].start if i + 1 < len(same) else 1 << 30
        before = [d.text for d in in_sentence if lo <= d.start and d.end <= m.start]
        after = [d.text for d in in_sentence if m.end <= d.start and d.end <= hi]
        return list(dict.fromkeys(before or after))

    index = next((i for i, m in enumerate(same) if m is metric), None)
    if index is None:
        return []
    for i in (index, index - 1, index + 1):
        if 0 <= i < len(same):
            found = stretch(i)
            if found:
                return found
    return []


_FIRST_PERSON = re.compile(r"\b(?:we|our|ours|the proposed|this (?:method|approach|model))\b", re.I)


def metric_method(
    metric: Mention,
    sentence: Sentence,
    methods: Sequence[Mention],
    own_names: Sequence[str],
) -> str | None:
    """The method a figure belongs to: the paper's own (shortest own name) when the sentence
    speaks of it or in the first person; else a named method before the metric; else None."""
    own = min(own_names, key=len) if own_names else None
    in_sentence = [m for m in methods if m.sentence == metric.sentence]
    if own is not None and (
        any(m.text in own_names for m in in_sentence) or _FIRST_PERSON.search(sentence.text)
    ):
        return next((m.text for m in in_sentence if m.text == own), own)
    named = [
        m
        for m in in_sentence
        if m.end <= metric.start and (m.source in ("name", "acronym", "lexicon") or _coined(m.text))
    ]
    return named[-1].text if named else None
