"""Quantities a sentence reports as changed by a figure are metrics, whatever their head.

"reduces KV cache memory by 40%", "shortens the average solution length by 18%",
"reduces the average number of tool calls by 43%", "trains with 35% less GPU memory",
"reduces latency by 3.1x and KV-cache memory by 71%", "a 69.6% reduction in total
failures", "a per-token cost reduction of 22.67%", "a 1.83x latency reduction" (a measure's
head only: "a 50% expert reduction" counts experts): what a verb of change moves by a
stated figure, or what a figure is "less" of, is measured - a metric - even when its
head noun alone would say method ("memory") or nothing at all ("fertility",
"time-to-first-token"). The phrase must be a common noun phrase (no name, no preposition
but "of" and "per") and not a vague or generic noun ("performance", "the model"). So is
an acronym in a metric's place: "an FAD of 1.48", "88.6 ANLS on DocVQA" (not a known
model's or dataset's). A phrase the head nouns typed as a method or task is retyped, one
no source found is added. And a head that names a measure only with a figure ("task
success from 52.4% to 63.9%", not "the success of LLMs") is no metric where no figure
stands with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .figures import CHANGE_VERB, PERCENT, TIMES, metric_value
from .heads import GENERIC, generic_word, known_field
from .lexicons import METRIC_HEADS, STOPWORDS, words
from .mentions import Mention
from .sentences import Sentence

__all__ = ["outcome_quantities"]

_FIGURE = (
    r"(?:(?:up\s+to|about|roughly|around|over|nearly|almost|more\s+than|approximately|"
    r"an\s+average\s+of)\s+)?"
    r"[~≈]?\d+(?:[.,]\d+)?(?:\s?[-–]\s?\d+(?:[.,]\d+)?)?(?:-fold\b|\s?"
    rf"(?:{PERCENT}|{TIMES}|points?\b|pts\b|percentage\s+points\b|ms\b|s\b|tokens\b))"
)
_FROM_TO = r"from\s+[~≈]?\d+(?:[.,]\d+)?\s?%?\s+to\s"  # "from 0.094 to ..."
_PHRASE = r"(?P<phrase>[\w@+'’-]+(?:\s+[\w@+'’-]+){0,5}?)"
# What the quantity is of, between it and its change: "L1 distance to the ground-truth edit".
_OF_WHAT = r"(?:\s+(?:on|in|for|to|across|over)\s+[^,;.()]{1,40}?)?"
_CHANGE_VERB = rf"(?:{CHANGE_VERB}|trim|slash|compress|accelerat)"
_CHANGED_BY = re.compile(
    rf"(?<![\w-]){_CHANGE_VERB}\w*\s+(?:the\s+|its\s+|their\s+|our\s+)?"
    + _PHRASE
    + _OF_WHAT
    + rf"\s+(?:by\s+{_FIGURE}|{_FROM_TO})",
    re.IGNORECASE,
)  # "reduces KV cache memory by 40%", "lowers L1 distance to the edit from 0.094 to 0.061"
# The passive and the intransitive: "(while) peak memory is reduced by 3.5x", "token
# usage drops by 31%", "GPU utilization rises from 38% to 81%".
# A further quantity the same verb changes: "reduces prefill latency by 3.1x and KV-cache
# memory by 71%" (each phrase is followed by its own "by" figure).
_AND_BY = re.compile(
    rf"\bby\s+{_FIGURE}\s*(?:,\s*)?(?:and\s+)?(?:the\s+|its\s+|their\s+)?"
    + _PHRASE
    + rf"(?=\s+by\s+{_FIGURE})",
    re.IGNORECASE,
)
_IS_CHANGED_BY = re.compile(
    r"(?:^|[,;:]\s*|\b(?:while|and|but|whereas)\s+)"
    r"(?:(?:while|and|but|whereas)\s+)?(?:(?:the|its|their|our)\s+)?"
    + _PHRASE
    + _OF_WHAT
    + rf"\s+(?:(?:is|are|was|were)\s+{_CHANGE_VERB}\w*|(?:falls?|drops?|rises?|grows?|"
    r"declines?|shrinks?|decreases?|increases?|improves?))\s+"
    rf"(?:by\s+{_FIGURE}|{_FROM_TO})",
    re.IGNORECASE,
)
_LESS_OF = re.compile(
    rf"(?<![\w.])\d+(?:[.,]\d+)?\s?(?:{PERCENT}|{TIMES})\s+(?:less|lower|smaller)\s+"
    + _PHRASE
    + r"(?=\s*(?:[,;.)]|$|\s(?:than|and|while|with|at|on|in|for|per|compared|relative)\b))",
    re.IGNORECASE,
)
# A figure's change named as a noun: "a 69.6% reduction in total failures", "an average
# per-token cost reduction of 22.67%".
_PLAIN_CHANGES = "reduction|decrease|drop|increase|improvement|gain"
_CHANGE_NOUN = rf"(?:{_PLAIN_CHANGES}|speedup|speed-up)"
_CHANGE_IN = re.compile(
    rf"(?<![\w.]){_FIGURE}\s+{_CHANGE_NOUN}\s+in\s+(?:the\s+|its\s+|their\s+)?"
    + _PHRASE
    + r"(?=\s*(?:[,;.)]|$|\s(?:for|on|in|at|over|compared|relative|and|while|with)\b))",
    re.IGNORECASE,
)
# The changed quantity between a figure and its change noun: "a 1.83x latency reduction",
# "1.7x throughput improvement", "30% memory reduction" ("a 2x decode speedup" is a speedup).
_PLAIN_CHANGE = rf"(?:{_PLAIN_CHANGES})"  # a change that is no measure itself
_FIGURE_CHANGE = re.compile(
    rf"(?<![\w.]){_FIGURE}\s+(?P<phrase>[\w@+'’-]+(?:\s+[\w@+'’-]+){{0,2}}?)\s+"
    rf"{_PLAIN_CHANGE}s?\b",
    re.IGNORECASE,
)
_FIGURE_CHANGE_CUE = re.compile(rf"\d\S*\s+(?:[\w-]+\s+){{1,3}}{_PLAIN_CHANGE}")
# "a reduction in irrelevancy from 4.56% to 1.9%"
_CHANGE_IN_FROM = re.compile(
    rf"\b{_CHANGE_NOUN}s?\s+in\s+(?:the\s+|its\s+|their\s+)?"
    + _PHRASE
    + rf"\s+{_FROM_TO}",
    re.IGNORECASE,
)
_CHANGE_OF = re.compile(
    r"(?:^|\b(?:an?|the|its|their|our)\s+)" + _PHRASE + rf"\s+{_CHANGE_NOUN}\s+of\s+{_FIGURE}",
    re.IGNORECASE,
)
# An acronym in the place of a metric: "an FAD of 1.48", "its UTMOS of 4.21", "88.6 ANLS on
# DocVQA", "ANLS of 0.71, 0.74 and 0.66", "lowers FVD from 242 to 171", "and CHAIR_I from
# 13.9 to 9.1" after another change from a figure to a figure.
_ACRONYM = r"(?P<phrase>[A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:[-_][A-Z0-9]+)?)"
_NUMBER = r"[+\-−~≈]?\d+(?:[.,]\d+)?"
_ACRONYM_SLOTS = (
    re.compile(
        rf"\b(?i:an?|the|its|their|our|reach(?:es)?|of)\s+{_ACRONYM}\s+(?:of|=|at)\s+{_NUMBER}"
    ),
    re.compile(rf"(?<![\w.]){_NUMBER}\s?%?\s+{_ACRONYM}\s+(?:on|in|for)\s+(?:the\s+)?[A-Z]"),
    re.compile(
        rf"\b{_CHANGE_VERB}\w*\s+(?:the\s+|its\s+)?{_ACRONYM}(?:\s+on\s+[A-Z][\w-]*)?\s+"
        rf"(?:from|by|to)\s+{_NUMBER}"
    ),  # "lowers FVD from 242 to 171", "reduces CHAIR_S on MSCOCO from 48.2 to 31.6"
    re.compile(
        rf"\bfrom\s+{_NUMBER}\s?%?\s+to\s+{_NUMBER}\s?%?\s*,?\s+and\s+{_ACRONYM}\s+from\s+{_NUMBER}"
    ),  # "... from 48.2 to 31.6 and CHAIR_I from 13.9 to 9.1": the next changed measure
    re.compile(rf"\bby\s+{_NUMBER}\s+{_ACRONYM}\b(?!-)"),  # "improves over it by 6.8 ANLS"
    # "(34.66% JGA)", "(+1.0% in APr)": a figure and its measure in parentheses
    re.compile(rf"\(\s*{_NUMBER}\s?%?\s+(?:in\s+)?{_ACRONYM}\s*\)"),
)
_DIGIT = re.compile(r"\d")
# Cheap cues that a sentence may hold a changed quantity, before the costlier patterns.
_CHANGE_CUE = re.compile(rf"(?<![\w-]){_CHANGE_VERB}")
_BY_CUE = re.compile(
    r"(?:ed|falls?|drops?|rises?|grows?|declines?|shrinks?|decreases?|increases?|improves?)"
    r"\s+(?:by|from)\s"
)
_TWO_CAPITALS = re.compile(r"[A-Z][A-Za-z]*[A-Z]")
_CHANGE_NOUN_CUE = re.compile(rf"{_CHANGE_NOUN} (?:in|of) ")
_VAGUE = words("vague_metrics")
# Nouns that are what is measured about, not a measure: "improves the model by 3 points".
_NOT_QUANTITIES = frozenset(
    "it its them this that these those model models baseline baselines method methods "
    "approach system systems results result scores score state-of-the-art sota "
    "art margin margins gap gaps".split()
)
_INNER_WORDS = frozenset({"of", "per"})
_QUALIFIERS = frozenset(
    "absolute relative average overall mean significant substantial consistent notable "
    "marked large small modest total further additional".split()
)
_RETYPED_SOURCES = frozenset({"phrase", "gerund"})
_ACRONYM_SOURCES = frozenset({"lexicon", "acronym"})


def _named(token: str) -> bool:
    """A name's word ("Ditto", "Llama-3"), not a unit acronym ("KV", "GPU", "FLOPs") nor
    one joined to a common noun ("KV-cache")."""
    if "-" in token.strip("-"):
        return any(_named(part) for part in token.split("-"))
    letters = [ch for ch in token if ch.isalpha()]
    if not letters or not letters[0].isupper():
        return False
    return not (len(letters) <= 5 and sum(ch.isupper() for ch in letters) >= len(letters) - 1)


def _quantity(phrase: str) -> bool:
    tokens = phrase.split()
    lowered = [t.lower() for t in tokens]
    head = lowered[-1]
    if generic_word(head, _NOT_QUANTITIES) or any(generic_word(t, _VAGUE) for t in lowered):
        return False
    if any(_named(t) for t in tokens):
        return False  # "the performance of Ditto": a name is what is measured about
    if all(generic_word(t, GENERIC) or t in _QUALIFIERS for t in lowered):
        return False  # "an absolute improvement of 3.3%": how the change is counted
    if any(t in STOPWORDS and t not in _INNER_WORDS for t in lowered):
        return False  # "accuracy on GSM8K", "X relative to Y": not one noun phrase
    if lowered[0] in _INNER_WORDS or head in _INNER_WORDS:
        return False
    return True


# Heads of what a figure before a change noun measures, besides the metric heads.
_CHANGED_MEASURES = frozenset({"memory", "bandwidth", "energy"})


def _measure_head(phrase: str) -> bool:
    """Whether a phrase's head names a measure ("overall latency", "HBM bandwidth"),
    not a count of things ("training token", "expert")."""
    head = phrase.rsplit(None, 1)[-1].lower()
    return head in METRIC_HEADS or head in _CHANGED_MEASURES or known_field(head) == "metrics"


def _retypable(m: Mention, slot: bool, end: int, head: str) -> bool:
    """Whether a mention inside a quantity's span (ending at ``end``) may give way to it: a
    phrase typed by its head, a unit acronym typed only by default ("KV" of "KV cache
    memory"), a technique's acronym before a measured noun that is no metric by itself
    ("CoT" of "CoT length", not "RAG" of "RAG accuracy"), and in a metric's slot any name
    typed only by default ("a DeSync of 0.52 s")."""
    if m.field == "metrics":
        return False
    if m.source in _RETYPED_SOURCES:
        return True
    if m.source in _ACRONYM_SOURCES and m.field == "methods" and not slot:
        return m.end < end and not _named(m.text) and head not in METRIC_HEADS
    return m.source == "name" and (slot or not _named(m.text))


def outcome_quantities(
    abstract: str, sentences: Sequence[Sentence], mentions: list[Mention]
) -> list[Mention]:
    """Return ``mentions`` with every quantity reported as changed by a figure, and every
    acronym in a metric's slot, typed as a metric: the mentions inside its span that may
    give way (:func:`_retypable`) are replaced, and none other may be inside it."""
    changed = False
    for si, sent in enumerate(sentences):
        if _DIGIT.search(sent.text) is None:
            continue  # every pattern needs a figure
        lower = sent.text.lower()
        patterns = [*_ACRONYM_SLOTS] if _TWO_CAPITALS.search(sent.text) else []
        if (" by " in lower or " from " in lower) and _CHANGE_CUE.search(lower):
            patterns.extend((_CHANGED_BY, _AND_BY))
        if (" by " in lower or " from " in lower) and _BY_CUE.search(lower):
            patterns.append(_IS_CHANGED_BY)
        if " less " in lower or " lower " in lower or " smaller " in lower:
            patterns.append(_LESS_OF)
        if _CHANGE_NOUN_CUE.search(lower):
            patterns.extend((_CHANGE_IN, _CHANGE_OF, _CHANGE_IN_FROM))
        if _FIGURE_CHANGE_CUE.search(lower):
            patterns.append(_FIGURE_CHANGE)
        for pattern in patterns:
            slot = pattern in _ACRONYM_SLOTS  # else a quantity changed by a figure
            for match in pattern.finditer(sent.text):
                phrase = match.group("phrase")
                if pattern is _FIGURE_CHANGE and not _measure_head(phrase):
                    continue  # "a 50% expert reduction": fewer experts, no measure
                opening = match.start("phrase") == 0  # a sentence's capital is no name's
                if not slot and not _quantity(
                    phrase[:1].lower() + phrase[1:] if opening else phrase
                ):
                    continue
                known = known_field(phrase)
                if known == "datasets" or (slot and known not in (None, "metrics")):
                    continue  # "a GPT-4 of ...", "MBPP-plus by 6%": a known model or dataset
                start = sent.start + match.start("phrase")
                end = start + len(phrase)
                inside = [m for m in mentions if m.start < end and start < m.end]
                head = phrase.rsplit(None, 1)[-1].lower()
                if not all(_retypable(m, slot, end, head) for m in inside):
                    continue
                mentions = [m for m in mentions if not any(m is x for x in inside)]
                mentions.append(Mention("metrics", start, end, si, abstract[start:end], "phrase"))
                changed = True
    if changed:
        mentions.sort(key=lambda m: (m.start, -m.end))
    return [m for m in mentions if not _unmeasured(m, sentences, mentions)]


# Heads that name a measure only with a figure: "task success from 52.4% to 63.9%" is
# measured, "the success of LLMs" is not.
_MEASURED_WITH_A_FIGURE = frozenset({"success"})


def _unmeasured(m: Mention, sentences: Sequence[Sentence], mentions: Sequence[Mention]) -> bool:
    """A metric whose head names a measure only with a figure, stated without one."""
    if m.field != "metrics" or m.text.rsplit(" ", 1)[-1].lower() not in _MEASURED_WITH_A_FIGURE:
        return False
    return metric_value(m, sentences[m.sentence], mentions) is None
