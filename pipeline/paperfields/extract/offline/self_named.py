"""Own-method names that only the sentence around them marks: a capitalised word the abstract
gives its own work as a name.

"Our method, Zorblax, ...", "we call our approach Quindle", "we name it Quindle",
"namely Quindle", and the title's one-word "Quindle: ..." written in the abstract. The
word must be capitalised, not a function word and not a widely known name; nothing
else (no inner capital, no digit) is required, which is what the other own-method
rules of :mod:`.proposed` need.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .heads import known_field
from .lexicons import STOPWORDS
from .mentions import Mention
from .sentences import Sentence, Token

__all__ = ["self_named"]

_SELF_HEADS = frozenset("method approach model framework system algorithm technique".split())
_CALL = frozenset("call calls name names term terms dub dubs".split())
_DETERMINERS = frozenset("a an the our its this these".split())


def _plain_name(tok: Token) -> bool:
    """A capitalised word that may be a coined name: not a function word, not known."""
    return (
        tok.is_word
        and tok.text[:1].isupper()
        and tok.lower not in STOPWORDS
        and known_field(tok.text) is None
    )


def self_named(
    sentences: Sequence[Sentence],
    title_word: str | None,
    method_at: Callable[[int], Mention | None],
) -> list[Mention]:
    """The capitalised words the abstract gives its own work as names.

    Args:
        sentences: the abstract's sentences.
        title_word: the lowercased one-word "X" of a title "X: ...", if any.
        method_at: the method mention starting at an offset, if any (reused as is).

    Returns:
        Method mentions (existing ones, or new ones with source ``"proposed"``).
    """
    out: list[Mention] = []
    for si, sent in enumerate(sentences):
        tokens = sent.tokens
        for i, tok in enumerate(tokens):
            if not _plain_name(tok):
                continue
            back = [t.lower for t in tokens[max(0, i - 3) : i]]
            back = [""] * (3 - len(back)) + back
            hit = (
                back[2] == "namely"
                or (back[2] == "," and back[1] in _SELF_HEADS and back[0] in ("our", "proposed"))
                or (back[0] in _CALL and back[1] in _DETERMINERS and back[2] in _SELF_HEADS)
                or (back[1] in _CALL and back[2] == "it")
                or (title_word is not None and tok.lower == title_word)
            )
            if hit:
                m = method_at(tok.start)
                if m is None or m.end != tok.end:
                    m = Mention("methods", tok.start, tok.end, si, tok.text, "proposed")
                out.append(m)
    return out
