"""Method mentions found by position, for the own-method rules.

:class:`MentionIndex` keeps an abstract's method mentions sorted by start, so a rule finds
the one at an offset, or those in a range, by bisection instead of scanning every mention
per token; :func:`token_index` finds a sentence's token at an offset the same way; and
:func:`coined_token` makes a coined single-token name (``ZapNet``) a method mention where
the chunker typed none.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from .heads import known_field, name_like
from .mentions import Mention
from .name_shapes import coined, like_name
from .sentences import Sentence, Token

__all__ = ["MentionIndex", "coined_token", "token_index"]


class MentionIndex:
    """Method mentions sorted by start: the one at an offset, or those in a range, found
    by bisection, so no rule scans every mention per token or per cue."""

    def __init__(self, methods: Sequence[Mention]) -> None:
        self.items = sorted(methods, key=lambda m: m.start)
        self.starts = [m.start for m in self.items]

    def at(self, start: int) -> Mention | None:
        i = bisect_left(self.starts, start)
        return self.items[i] if i < len(self.items) and self.starts[i] == start else None

    def within(self, lo: int, hi: int) -> list[Mention]:
        i, out = bisect_left(self.starts, lo), []
        while i < len(self.items) and self.starts[i] < hi:
            if self.items[i].end <= hi:
                out.append(self.items[i])
            i += 1
        return out


def token_index(sentence: Sentence, offset: int) -> int | None:
    """The index of the token starting at ``offset`` (by bisection: no scan per name)."""
    tokens = sentence.tokens
    i = bisect_left(tokens, offset, key=lambda t: t.start)
    return i if i < len(tokens) and tokens[i].start == offset else None


def coined_token(
    abstract: str, sentence: Sentence, si: int, tok: Token, methods: MentionIndex
) -> Mention | None:
    """A coined single-token name as a method mention (an existing one when there is)."""
    same = methods.at(tok.start)
    if same is not None and same.end == tok.end:
        return same
    if not (coined(tok.text) or name_like(tok)) or known_field(tok.text) is not None:
        return None
    if like_name(tok.text):
        return None
    return Mention("methods", tok.start, tok.end, si, tok.text, "proposed")
