"""Sentence splitting and word tokenization with character offsets into the abstract.

Everything the offline extractor emits is quoted from the abstract, so both
steps keep offsets: a :class:`Sentence` knows its ``[start, end)`` in the
abstract and its :class:`Token` list, and every token knows its own offsets.
Splitting is rule based: a sentence ends at ``.``, ``!`` or ``?`` followed by
space and an upper-case letter, digit, bracket or quote, unless the word before
the dot is a known abbreviation (``e.g.``, ``et al.``, ``Fig.``) or a single
letter. Words keep inner hyphens, dots, apostrophes, slashes, underscores and arrows
(``state-of-the-art``, ``SQuAD1.1``, ``CHAIR_S``, ``English→German``); every other
non-space character is a token of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["Sentence", "Token", "split_sentences", "tokenize"]

_WORD = r"[^\W_]+(?:(?:[-‐‑./→@+&^_]|['’](?!s\b))[^\W_]+)*\+*"
_TOKEN = re.compile(rf"{_WORD}|['’]s\b|\S")
_WORD_START = re.compile(r"[^\W_]")
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_ABBREVIATIONS = frozenset(
    "e.g i.e et al etc cf vs fig figs eq eqs sec secs no nos approx resp ref refs dr mr ms "
    "prof inc ltd jr sr vol pp ch st viz a.k.a aka".split()
)


class Token(NamedTuple):
    """One token: its text, ``[start, end)`` in the abstract, kind, lowercase and position.

    A named tuple rather than a frozen dataclass: an abstract has hundreds of
    tokens and a tuple is built several times faster.
    """

    text: str
    start: int
    end: int
    is_word: bool
    lower: str
    position: int = 0  # the token's index in its sentence


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its text, its ``[start, end)`` offsets in the abstract and its tokens."""

    text: str
    start: int
    end: int
    tokens: tuple[Token, ...]


def tokenize(text: str, offset: int = 0) -> tuple[Token, ...]:
    """Split ``text`` into word and punctuation tokens; offsets are shifted by ``offset``."""
    tokens = []
    for position, m in enumerate(_TOKEN.finditer(text)):
        word = m.group()
        tokens.append(
            Token(
                word,
                m.start() + offset,
                m.end() + offset,
                _WORD_START.match(word) is not None,
                word.lower(),
                position,
            )
        )
    return tuple(tokens)


def _is_abbreviation(text_before: str) -> bool:
    m = _LAST_WORD.search(text_before)
    if m is None:
        return False
    word = m.group(1).lower().rstrip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str) -> list[Sentence]:
    """Split an abstract into sentences with offsets; leading/trailing spaces are excluded.

    Text without any sentence boundary comes back as one sentence; an empty or
    blank text gives an empty list.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.start() + len(m.group().rstrip())
        if _is_abbreviation(text[start : m.start() + 1]):
            continue
        spans.append((start, end))
        start = m.end()
    spans.append((start, len(text)))
    sentences: list[Sentence] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            sentences.append(Sentence(text[s:e], s, e, tokenize(text[s:e], s)))
    return sentences
