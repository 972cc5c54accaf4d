"""Quantities a sentence reports as changed by a figure are metrics, whatever their head.

"reduces KV cache memory by 40%", "shortens the average solution length by 18%",
"reduces the average number of tool calls by 43%", "trains with 35% less GPU memory":
what a verb of change moves by a stated figure, or what a figure is "less" or "fewer"
of, is measured - a metric - even when its head noun alone would say method ("memory")
or nothing at all ("fertility", "time-to-first-token"). The phrase must be a common noun
phrase (no name, no preposition but "of" and "per") and not a vague or generic noun
("performance", "the model"); a phrase the head nouns typed as a method or task is
retyped, one no source found is added.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .heads import GENERIC, generic_word
from .lexicons import STOPWORDS, words
from .mentions import Mention
from .sentences import Sentence

__all__ = ["outcome_quantities"]

_FIGURE = (
    r"(?:(?:up\s+to|about|roughly|around|over|nearly|almost|more\s+than|approximately)\s+)?"
    r"[~≈]?\d+(?:[.,]\d+)?(?:\s?[-–]\s?\d+(?:[.,]\d+)?)?\s?"
    r"(?:%|x\b|×|times\b|points?\b|pts\b|percentage\s+points\b|ms\b|s\b)"
)
_PHRASE = r"(?P<phrase>[\w@+'’-]+(?:\s+[\w@+'’-]+){0,5}?)"
_CHANGED_BY = re.compile(
    r"\b(?:reduc|lower|cut|shorten|decreas|increas|rais|improv|boost|lift|shrink|trim|"
    r"slash|compress|accelerat)\w*\s+(?:the\s+|its\s+|their\s+|our\s+)?"
    + _PHRASE
    + r"\s+by\s+"
    + _FIGURE,
    re.IGNORECASE,
)
_LESS_OF = re.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)?\s?(?:%|x\b|×|times\b)\s+(?:less|lower|smaller)\s+"
    + _PHRASE
    + r"(?=\s*(?:[,;.)]|$|\s(?:than|and|while|with|at|on|in|for|per|compared|relative)\b))",
    re.IGNORECASE,
)
_VAGUE = words("vague_metrics")
# Nouns that are what is measured about, not a measure: "improves the model by 3 points".
_NOT_QUANTITIES = frozenset(
    "it its them this that these those model models baseline baselines method methods "
    "approach system systems results result scores score state-of-the-art sota "
    "art margin margins gap gaps".split()
)
_INNER_WORDS = frozenset({"of", "per"})
_RETYPED_SOURCES = frozenset({"phrase", "gerund"})


def _named(token: str) -> bool:
    """A name's word ("Ditto", "Llama-3"), not a unit acronym ("KV", "GPU", "FLOPs")."""
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
    if all(generic_word(t, GENERIC) for t in lowered):
        return False
    if any(t in STOPWORDS and t not in _INNER_WORDS for t in lowered):
        return False  # "accuracy on GSM8K", "X relative to Y": not one noun phrase
    if lowered[0] in _INNER_WORDS or head in _INNER_WORDS:
        return False
    return True


def outcome_quantities(
    abstract: str, sentences: Sequence[Sentence], mentions: list[Mention]
) -> list[Mention]:
    """Return ``mentions`` with every quantity reported as changed by a figure typed as a
    metric: a method or task phrase at its span is retyped, one none covers is added.
    A phrase holding a name (lexicon, acronym, a name-like word other than a unit
    acronym such as "KV") or a metric already is left as it is."""
    changed = False
    for si, sent in enumerate(sentences):
        for pattern in (_CHANGED_BY, _LESS_OF):
            for match in pattern.finditer(sent.text):
                phrase = match.group("phrase")
                if not _quantity(phrase):
                    continue
                start = sent.start + match.start("phrase")
                end = start + len(phrase)
                inside = [m for m in mentions if m.start < end and start < m.end]
                if any(
                    m.field == "metrics"
                    or not (
                        m.source in _RETYPED_SOURCES or (m.source == "name" and not _named(m.text))
                    )
                    for m in inside
                ):  # a unit acronym typed only by default ("KV") goes with its quantity
                    continue
                mentions = [m for m in mentions if not any(m is x for x in inside)]
                mentions.append(Mention("metrics", start, end, si, abstract[start:end], "phrase"))
                changed = True
    if changed:
        mentions.sort(key=lambda m: (m.start, -m.end))
    return mentions
