"""Acronym definitions as mentions: ``Long Form (LF)`` pairs placed in the abstract's sentences.

The pairs come from the one acronym finder,
:func:`paperfields.names.acronyms.find_acronym_definitions` (Schwartz-Hearst
alignment; an optional version may follow the acronym: "(SFEW 2.0)"). This
module keeps those whose acronym looks like a name (mostly capitals, starting
with a letter, not a known non-mention) and whose long form is not a generic
modifier, and places each in its sentence with the word that follows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...names.acronyms import find_acronym_definitions
from .heads import NOT_MENTIONS
from .lexicons import MODIFIERS, STOPWORDS
from .sentences import Sentence, Token

__all__ = ["Definition", "acronym_like", "find_definitions"]


def acronym_like(tok: Token) -> bool:
    """Two to twelve characters, at least two capitals, mostly capitals ("CNNs", "re-ID"),
    a capital and a digit with at most two letters ("R^3"), or capital initials joined to a
    word ("TS-Guessing")."""
    text = tok.text
    letters = [ch for ch in text if ch.isalpha()]
    uppers = sum(ch.isupper() for ch in letters)
    if not 2 <= len(text) <= 12:
        return False
    if uppers >= 1 and len(letters) <= 2 and any(ch.isdigit() for ch in text):
        return True  # "R^3", "T5"
    if uppers >= 2 and uppers >= len(letters) / 2:
        return True
    initials = text.split("-", 1)[0]  # "TS-Guessing": initials, then a word
    return "-" in text and len(initials) >= 2 and initials.isupper() and initials.isalpha()


@dataclass(frozen=True, slots=True)
class Definition:
    """An acronym and its long form: offsets in the abstract, sentence, word after it."""

    short: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int
    sentence: int
    next_word: str


def _initial(text: str) -> str:
    return text[:1].lower()


def find_definitions(abstract: str, sentences: Sequence[Sentence]) -> list[Definition]:
    """The acronym definitions of :func:`~paperfields.names.acronyms.find_acronym_definitions`
    that name things: the acronym a word of mostly capitals starting with a letter and
    not a known non-mention, the long form not a modifier ("state-of-the-art (SOTA)")
    nor led by a function word, all inside one sentence.
    """
    out: list[Definition] = []
    for d in find_acronym_definitions(abstract):
        si = _sentence_at(sentences, d.short_span[0])
        if si is None or not (sentences[si].start <= d.long_span[0]):
            continue
        sent = sentences[si]
        short_tok = next((t for t in sent.tokens if t.start == d.short_span[0]), None)
        if short_tok is None or not short_tok.is_word:
            continue
        if not (acronym_like(short_tok) or d.blend):
            continue
        if short_tok.text in NOT_MENTIONS or not short_tok.text[0].isalpha():
            continue  # "3DMMs (3D Morphable Models)": a leading number is no initial here
        long_start, long_end = d.long_span
        while long_start < long_end:
            word, _, rest = abstract[long_start:long_end].partition(" ")
            if word.lower() not in STOPWORDS or not rest:
                break
            if _initial(word) == _initial(short_tok.text) != _initial(rest):
                break  # "named entity recognition (NER)": the acronym spells the word
            long_start += len(word) + 1
        if abstract[long_start:long_end].lower() in MODIFIERS:
            continue  # "state-of-the-art (SOTA)" is no name
        close = next((t for t in sent.tokens if t.start >= d.short_span[1] and t.text == ")"), None)
        after = [t for t in sent.tokens if close is not None and t.start > close.start]
        next_word = after[0].lower if after else ""
        out.append(
            Definition(
                short_tok.text,
                d.short_span[0],
                d.short_span[1],
                long_start,
                long_end,
                si,
                next_word,
            )
        )
    return out


def _sentence_at(sentences: Sequence[Sentence], offset: int) -> int | None:
    for si, sent in enumerate(sentences):
        if sent.start <= offset < sent.end:
            return si
    return None
