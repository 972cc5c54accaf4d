"""The parts the paper's own method is said to consist of, for the offline extractor.

"Our method consists of a) iterative token merging ..., and b) progressive token pruning
...", "Our method incorporates automatic enhanced prompt generation, adaptive exemplar
selection, and a consensus mechanism", "Our GneissWeb recipe ... consists of sharded
exact sub-string deduplication and ...", "we propose a tight fusion solution, which
includes a feature enhancer, ...": each listed part is a technique of the paper's
own. A part is the noun phrase an item opens with (two to six words, up to a function
word, "based", "which" or a comma); at least two parts must be listed. Lists of steps or
stages ("three key steps: (1) query analysis ...") describe a procedure, not parts, and
a known name, a task or a generic architecture is no part of the paper's own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .chunker import adverb
from .heads import known_phrase_field
from .lexicons import FINITE_VERBS, NOMINAL_ING, PARTICIPLES, STOPWORDS
from .mentions import Mention
from .name_shapes import generic_architecture, is_model_class
from .sentences import Sentence

__all__ = ["own_components"]

_OWN_WHOLE = re.compile(
    r"(?:\b(?:our|the\s+proposed)\s+(?:[\w-]+\s+){0,3}?(?:method|approach|framework|system|"
    r"pipeline|recipe|model|technique|algorithm|architecture|design|solution)\b"
    r"(?:\s+that\s+[^,;]{0,60}?)?"
    # "we propose a tight fusion solution, which includes ...": what the verb introduced
    r"|\b(?:we|and)\s+(?:propose|introduce|present|develop|design)\s+"
    r"(?![^,;.]{0,60}?\b(?:benchmark|dataset|corpus|suite|collection)s?\b)[^,;.]{1,60}?,\s+which)"
    r"\s+(?:consists?\s+of|comprises?|incorporates?|integrates?|includes?|"
    r"is\s+composed\s+of)\s+(?:(?:two|three|four|five|several)\s+(?:\w+\s+)?"
    r"(?:components?|modules?|techniques?|parts?)\s*:\s*)?",
    re.IGNORECASE,
)
_ENUMERATOR = re.compile(r"\(?\b(?:[a-e]|[1-5]|i{1,3}|iv|v)\)\s*")
_ITEM_SEPARATOR = re.compile(r",\s*(?:and\s+|or\s+)?|\s+and\s+")
_DETERMINERS = frozenset("a an the its their our".split())
_ITEM_STOPS = STOPWORDS | frozenset({"based", "which", "that", "where", "using"})
_MAX_ITEM_WORDS = 6


def _part(text: str, start: int, si: int) -> tuple[Mention | None, bool]:
    """The noun phrase an item opens with, as a method mention (or None), and whether it
    is the whole item. "of" may join a whole item's words ("ensemble of quality filters");
    an adverb and the participle after it are no part of the name ("judiciously
    constructed")."""
    words = list(re.finditer(r"\S+", text))
    k = 0
    while k < len(words) and words[k].group().lower() in _DETERMINERS:
        k += 1
    if k + 1 < len(words) and words[k].group().lower().endswith("ly"):
        k += 2 if words[k + 1].group().lower().endswith("ed") else 1
    lowered = [w.group().lower().strip(",;:") for w in words]
    taken: list[re.Match[str]] = []
    for j in range(k, len(words)):
        word = lowered[j]
        of_inside = word == "of" and taken and not any(x in _ITEM_STOPS for x in lowered[j + 1 :])
        if not of_inside and (word in _ITEM_STOPS or not word[:1].isalnum()):
            break
        taken.append(words[j])
    whole = len(taken) == len(words) - k
    if not 2 <= len(taken) <= _MAX_ITEM_WORDS:
        return None, whole
    phrase_start, phrase_end = taken[0].start(), taken[-1].end()
    phrase = text[phrase_start:phrase_end].rstrip(",;:")
    if known_phrase_field(phrase) is not None or is_model_class(phrase):
        return None, whole
    if generic_architecture(phrase):
        return None, whole
    begin = start + phrase_start
    return Mention("methods", begin, begin + len(phrase), si, phrase, "proposed"), whole


def _verbal(item: str) -> bool:
    """Whether a listed item opens with a verb (after an adverb): "performs dimensionality
    reduction", "uniquely selects hard negatives", "ensuring computational efficiency"."""
    words = item.lower().split()
    if len(words) > 1 and adverb(words[0]):
        words = words[1:]
    first = words[0].strip(",;:") if words else ""
    return first in FINITE_VERBS or (
        first.endswith("ing") and first in PARTICIPLES and first not in NOMINAL_ING
    )


def own_components(abstract: str, sentences: Sequence[Sentence]) -> list[Mention]:
    """The parts each "our method consists of / incorporates ..." sentence lists, when it
    lists at least two."""
    out: list[Mention] = []
    for si, sent in enumerate(sentences):
        lowered = sent.text.lower()
        if "our " not in lowered and "proposed " not in lowered and "we " not in lowered:
            continue
        for method in _OWN_WHOLE.finditer(sent.text):
            rest = sent.text[method.end() :]
            rest_start = sent.start + method.end()
            cut = re.search(r"[.;](?:\s|$)", rest)
            listed = rest[: cut.start()] if cut else rest
            enumerated = _ENUMERATOR.match(listed) is not None
            separators = [(m.start(), m.end()) for m in _ITEM_SEPARATOR.finditer(listed)]
            items = zip(
                [0, *(e for _, e in separators)],
                [*(s for s, _ in separators), len(listed)],
                strict=True,
            )
            parts: list[Mention] = []
            for begin, end in items:
                lead = _ENUMERATOR.match(listed, begin)
                if enumerated and lead is None:
                    continue  # "(1) X, which ..., and (2) Y": only what an enumerator opens
                offset = lead.end() if lead else begin
                if _verbal(listed[offset:end]):
                    parts = []  # "integrates X, performs Y and selects Z": actions, no parts
                    break
                part, whole = _part(listed[offset:end], rest_start + offset, si)
                if part is not None:
                    parts.append(part)
                if not enumerated and not whole:
                    break  # the list ends where an item goes on: "a mechanism that ..."
            if len(parts) >= 2:
                out.extend(
                    Mention("methods", p.start, p.end, si, abstract[p.start : p.end], "proposed")
                    for p in parts
                )
    return out
