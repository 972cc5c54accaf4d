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
from collections.abc import Sequence

from ...schemas import DatasetRole
from .mentions import Mention
from .sentences import Sentence

__all__ = [
    "dataset_role",
    "metric_dataset",
    "metric_value",
    "proposed_description",
    "proposed_method",
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


def proposed_method(
    title: str,
    sentences: Sequence[Sentence],
    methods: Sequence[Mention],
    datasets: Sequence[Mention] = (),
) -> Mention | None:
    """Pick the paper's own method among the method mentions, or None.

    A title that names one of the abstract's datasets ("MMTEB: ...") marks a
    dataset paper: no method is proposed then.
    """
    if not methods:
        return None
    for name in (n.lower() for n in title_names(title)):
        if any(d.text.lower() == name for d in datasets):
            return None
        exact = next((m for m in methods if m.text.lower() == name), None)
        if exact is None and len(name) >= 3:
            exact = next((m for m in methods if name in m.text.lower()), None)
        if exact is not None:
            return exact
    for si, sent in enumerate(sentences):
        cue = _CUE_VERB.search(sent.text)
        if cue is None or not re.search(r"\b(?:we|this|our|here)\b", sent.text, re.I):
            continue
        after = [m for m in methods if m.sentence == si and m.start >= sent.start + cue.start()]
        named = [m for m in after if m.source in ("name", "acronym")]
        if named:
            return named[0]
        if after:
            return after[0]
    return None


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


def _values(
    sentence: Sentence, metric: Mention, mentions: Sequence[Mention]
) -> list[tuple[int, int, str]]:
    out = []
    for m in _VALUE.finditer(sentence.text):
        text = m.group().strip()
        if _YEAR.match(text):
            continue
        start = sentence.start + m.start()
        end = start + len(text)
        if any(x is not metric and x.start < end and start < x.end for x in mentions):
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
