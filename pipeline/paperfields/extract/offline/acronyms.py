"""Acronym definitions: ``Long Form (LF)`` pairs found with the Schwartz-Hearst alignment.

The acronym is a parenthesised word that starts with a letter and has at least
two capitals (an optional version number may follow: "(SFEW 2.0)"); its long
form is the shortest run of words right before the parenthesis whose letters
spell the acronym, the first letter starting a word (Schwartz and Hearst, PSB
2003), as aligned by :func:`paperfields.names.acronyms.long_form_start`. Leading
function words are dropped from the long form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...names.acronyms import long_form_start
from .heads import NOT_MENTIONS, is_number
from .lexicons import MODIFIERS, STOPWORDS
from .sentences import Sentence, Token

__all__ = ["Definition", "acronym_like", "find_definitions"]


def acronym_like(tok: Token) -> bool:
    """Two to twelve characters, at least two capitals, mostly capitals ("CNNs", "re-ID")."""
    text = tok.text
    letters = [ch for ch in text if ch.isalpha()]
    uppers = sum(ch.isupper() for ch in letters)
    return 2 <= len(text) <= 12 and uppers >= 2 and uppers >= len(letters) / 2


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


def find_definitions(abstract: str, sentences: Sequence[Sentence]) -> list[Definition]:
    """Find ``Long Form (LF)`` and ``Long Form (LF 2.0)`` definitions."""
    out: list[Definition] = []
    for si, sent in enumerate(sentences):
        toks = sent.tokens
        for i in range(1, len(toks) - 2):
            if toks[i].text != "(":
                continue
            short = toks[i + 1]
            close = i + 2
            if close < len(toks) - 1 and is_number(toks[close]) and toks[close].is_word:
                close += 1
            if toks[close].text != ")":
                continue
            if not short.is_word or not acronym_like(short) or short.text in NOT_MENTIONS:
                continue
            if not short.text[0].isalpha():
                continue  # "3DMMs (3D Morphable Models)": a leading number is no initial here
            first = max(0, i - min(len(short.text) + 5, 2 * len(short.text) + 2))
            j = i
            while j > first and (toks[j - 1].is_word or toks[j - 1].text in "-–"):
                j -= 1
            if j == i:
                continue
            start_char = toks[j].start
            window = abstract[start_char : toks[i - 1].end]
            offset = long_form_start(short.text, window)
            if offset is None:
                continue
            long_start = start_char + offset
            while long_start < toks[i - 1].end:
                word = abstract[long_start:].split(" ", 1)[0].lower()
                if word not in STOPWORDS:
                    break
                long_start += len(word) + 1
            if long_start >= toks[i - 1].end:
                continue
            if abstract[long_start : toks[i - 1].end].lower() in MODIFIERS:
                continue  # "state-of-the-art (SOTA)" is no name
            next_word = toks[close + 1].lower if close + 1 < len(toks) else ""
            out.append(
                Definition(
                    short.text,
                    short.start,
                    toks[close - 1].end,
                    long_start,
                    toks[i - 1].end,
                    si,
                    next_word,
                )
            )
    return out
