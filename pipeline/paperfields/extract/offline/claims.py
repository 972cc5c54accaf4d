"""Claims and the one-sentence summary, chosen from an abstract's sentences by cue phrases.

A sentence is a claim when it speaks about the paper's own work ("we", "our",
"this paper", "experiments", "results", or the proposed method's name) and
matches a cue of one claim kind (``claim_cues.txt``: "outperforms", "achieves a new
state of the art" and "demonstrate the effectiveness of" for performance, "faster"
and "10x" for efficiency, "we show that" for findings, "can be readily extended" for
capabilities, "fails" and "vulnerable to" for limitations), or when it carries a
performance or efficiency cue at all. The contribution sentence itself is a claim
only of a result (performance or efficiency), not of what it proposes or overcomes.
``examples/eval/CLAIMS.md`` says what a claim of each kind is; ``bench/claims_eval.py``
scores them. The summary is the contribution
sentence ("we propose ...", "this paper presents ..."), else the first
sentence that says what the paper studies ("in this paper, we examine ..."), else the
first sentence that speaks about the paper, else the first sentence. The summary is
always a whole sentence of the abstract, never cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import cast, get_args

from ...schemas import ClaimKind
from .lexicons import CLAIM_CUES
from .sentences import Sentence

__all__ = [
    "MAX_CLAIMS",
    "claim_kind",
    "claim_sentences",
    "contribution_sentence",
    "summary_sentence",
    "summary_text",
]

MAX_CLAIMS = 5
# The kinds of claim the contribution sentence itself may make: a result ("we propose X,
# which improves accuracy by 4 points"), not what X is or overcomes.
_RESULT_KINDS = frozenset({"performance", "efficiency"})


def _cue_patterns() -> tuple[tuple[ClaimKind, re.Pattern[str]], ...]:
    """The cues by kind, in file order. They are written in lower case and matched against
    the lowercased sentence (several times faster than matching ignoring case)."""
    out = []
    for line in CLAIM_CUES:
        kind, pattern = line.split(None, 1)
        if kind not in get_args(ClaimKind):
            raise ValueError(f"claim_cues.txt: unknown claim kind {kind!r}")
        if re.sub(r"\\.", "", pattern) != re.sub(r"\\.", "", pattern).lower():
            raise ValueError(f"claim_cues.txt: a {kind} cue is not in lower case")
        out.append((cast(ClaimKind, kind), re.compile(pattern.strip())))
    return tuple(out)


_CUES = _cue_patterns()
_OWN_WORK = re.compile(
    r"\b(?:we|our|us|this (?:paper|work|study|article|report)|the proposed|experiments?|"
    r"experimental|results?|evaluations?|the (?:method|model|approach|framework|system|"
    r"network|algorithm|architecture|technique))\b|"
    r"^(?:\w+ly,?\s+|however,\s+|moreover,\s+|furthermore,\s+)?(?:it|this|they|these)\b",
    re.IGNORECASE,
)
_CONTRIBUTION = re.compile(
    r"\b(?:we|this (?:paper|work|study|article|report))\b[^.;]{0,200}?\b"
    r"(?:propose|present|introduce|develop|describe|design|build|construct|release|"
    r"formulate|devise|offer|contribute|proposes|presents|introduces|develops|describes)\b",
    re.IGNORECASE,
)
_STUDY = re.compile(
    r"\b(?:(?:in )?this (?:paper|work|study)|we|the paper)\b[^.;]{0,60}?\b"
    r"(?:stud(?:y|ies)|examines?|explores?|investigates?|evaluates?|analy[sz]es?|addresse?s?|"
    r"focus(?:es)?|targets?|conducts?|reveals?|shows?)\b",
    re.IGNORECASE,
)
# A sentence opening with its purpose ("To improve X, we ...") describes a step taken.
_PURPOSE = re.compile(r"(?:in order )?to [a-z]+\b[^,]{0,120},", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_WE = re.compile(r"\b(?:we|our|this (?:paper|work))\b", re.IGNORECASE)


def claim_kind(text: str) -> ClaimKind | None:
    """Return the kind of the first claim cue found in ``text`` (in cue-file order), or None."""
    lowered = text.lower()
    for kind, pattern in _CUES:
        if pattern.search(lowered):
            return kind
    return None


def claim_sentences(
    sentences: Sequence[Sentence], own_names: Sequence[str] = ()
) -> list[tuple[Sentence, ClaimKind]]:
    """Return up to :data:`MAX_CLAIMS` ``(sentence, kind)`` claims, in text order.

    Args:
        sentences: the abstract's sentences.
        own_names: names of the paper's own method; a sentence naming one speaks
            about the paper's work.
    """
    out: list[tuple[Sentence, ClaimKind]] = []
    contribution = contribution_sentence(sentences)
    background = contribution is not None  # the sentences before it set the scene
    for sent in sentences:
        if sent is contribution:
            background = False
        named = any(name and name in sent.text for name in own_names)
        if background:  # only "we" / "our" / the method's name make it the paper's
            own = named or _WE.search(sent.text) is not None
            if not own:
                continue
        else:
            own = named or _OWN_WORK.search(sent.text) is not None
        kind = claim_kind(sent.text)
        if kind is None:
            continue
        if sent is contribution and kind not in _RESULT_KINDS:
            continue  # "To overcome these limitations, we propose X": what is proposed
        if _PURPOSE.match(sent.text) and not _DIGIT.search(sent.text):
            continue  # "To improve the generalization of X, we use ...": a step of the method
        if own or kind in _RESULT_KINDS:
            out.append((sent, kind))
        if len(out) >= MAX_CLAIMS:
            break
    return out


def contribution_sentence(sentences: Sequence[Sentence]) -> Sentence | None:
    """Return the first sentence that states the contribution ("we propose ..."), if any."""
    for sent in sentences:
        if _CONTRIBUTION.search(sent.text):
            return sent
    return None


_CLAUSE_END = re.compile(r";|:\s|,?\s+(?:and|but|while|whereas|which)\s+(?=\w)")


def summary_text(sentence: Sentence, max_chars: int) -> str:
    """The summary text of a sentence: the whole sentence, or for one longer than
    ``max_chars`` its leading clauses (ending at ";", ":", ", and", ", which" ...)
    as long as they fit; a sentence with no clause boundary that fits is returned
    whole all the same. Never cut inside a clause."""
    text = sentence.text
    if len(text) <= max_chars:
        return text
    best = None
    for m in _CLAUSE_END.finditer(text):
        if m.start() > max_chars:
            break
        best = m.start()
    return text[:best].rstrip(" ,") if best else text


def summary_sentence(sentences: Sequence[Sentence]) -> Sentence | None:
    """Return the sentence that best summarises the paper, or None for an empty abstract."""
    found = contribution_sentence(sentences)
    if found is not None:
        return found
    for sent in sentences:
        if _STUDY.search(sent.text):
            return sent
    for sent in sentences:
        if _WE.search(sent.text):
            return sent
    return sentences[0] if sentences else None
