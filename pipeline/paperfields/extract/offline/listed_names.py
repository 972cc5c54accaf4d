"""Capitalised words listed with names are names: "on MovieLens-1M, Goodreads and Steam".

A single capitalised word is no name by its look ("Steam", "Gemini"), but written in a
list with names the chunker found ("MovieLens-1M, Goodreads and Steam", "GPT-4o, Gemini
and Claude"), it is one item of the list: a name of the same kind. This finds such words
(not a sentence's first, not a stopword, a known non-mention or a language) so that the
context rules can type them with their list.
"""

from __future__ import annotations

from collections.abc import Sequence

from .heads import NOT_MENTIONS
from .lexicons import STOPWORDS, words
from .sentences import Sentence, Token

__all__ = ["listed_capitalised"]

_GLUE = frozenset({",", "and", "or"})
_LANGUAGES = words("languages")


def _capitalised_word(tok: Token) -> bool:
    text = tok.text
    return (
        tok.is_word
        and tok.position > 0
        and text[:1].isupper()
        and text[1:].islower()
        and len(text) > 2
        and tok.lower not in STOPWORDS
        and text not in NOT_MENTIONS
        and tok.lower not in _LANGUAGES
    )


def listed_capitalised(
    sentence: Sentence, spans: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The ``(start, end)`` of capitalised words listed, by commas and "and"/"or", after
    one of the names at ``spans`` (the sentence's name mentions, in text order), each a
    whole item ("Daily" of "CNN and Daily Mail" is not)."""
    tokens = sentence.tokens
    at_start = {start: end for start, end in spans}
    items: list[tuple[int, int, bool]] = []  # (start, end, is an existing name)
    runs: list[list[tuple[int, int, bool]]] = []
    i = 0
    last_was_glue = True
    while i < len(tokens):
        tok = tokens[i]
        if tok.start in at_start:
            end = at_start[tok.start]
            item = (tok.start, end, True)
            while i < len(tokens) and tokens[i].end <= end:
                i += 1
        elif (
            _capitalised_word(tok)
            and items
            and last_was_glue
            and (i + 1 == len(tokens) or not tokens[i + 1].is_word or tokens[i + 1].lower in _GLUE)
        ):  # after a name and its glue, a whole word of its own: not "Daily" of "Daily Mail"
            item = (tok.start, tok.end, False)
            i += 1
        elif tok.lower in _GLUE:
            last_was_glue = True
            i += 1
            continue
        else:
            if items:
                runs.append(items)
            items, last_was_glue = [], True
            i += 1
            continue
        if items and not last_was_glue:
            runs.append(items)
            items = []
        items.append(item)
        last_was_glue = False
    if items:
        runs.append(items)
    out: list[tuple[int, int]] = []
    for run in runs:
        if len(run) > 1 and any(named for _, _, named in run):
            out.extend((s, e) for s, e, named in run if not named)
    return out
