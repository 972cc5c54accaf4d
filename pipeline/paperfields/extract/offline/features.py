"""Features of the offline extractor's candidates, for its small learned classifiers.

A candidate is a typed mention (keep or drop it), a method mention (is it the paper's
own?) or a figure beside a metric (is it that metric's value?). Each is described by a
handful of binary features that say nothing about one particular paper: the head noun
and its lexicon class, the first modifier, the shape of the words (capitals, digits,
hyphens, an acronym), where it stands (first sentence, last, title), the cue words
before it ("we propose", "our", "on", "such as", "than", "in terms of"), the role of its
sentence (contribution, result, background) and how often it recurs. The same
functions run when the classifiers are trained (``bench/train_offline_model.py``) and
when they are applied (:mod:`.learned`), so the two never drift apart.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ...names.fold import match_key as _fold_key
from .figures import figure_unit
from .heads import head_field
from .mentions import Mention
from .sentences import Sentence, Token

__all__ = [
    "PaperContext",
    "mention_features",
    "proposed_features",
    "value_features",
]

# Names recur within and across abstracts: fold each spelling once.
match_key = lru_cache(maxsize=16384)(_fold_key)

_CONTRIBUTION = re.compile(
    r"\b(?:we|this (?:paper|work|study|article)|in this (?:paper|work))\b[^.;]{0,80}?\b"
    r"(?:propos|introduc|present|develop|design|describ|build|buil|offer|put forward|devis)",
    re.IGNORECASE,
)
_RESULT = re.compile(
    r"\d\s?%|\b(?:outperform|surpass|achiev|improv|state[- ]of[- ]the[- ]art|exceed|"
    r"results?\b|experiments?\b|show(?:s|n)? that|demonstrat)",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
_CUES = frozenset(
    "on of in for as our the a an than over using with by and or to from such like "
    "including via called named dubbed termed".split()
)
_INTRO_VERBS = frozenset(
    "propose proposes proposed introduce introduces introduced present presents presented "
    "develop develops developed design designs designed call called name named dub dubbed "
    "term termed".split()
)
_BASELINE_WORDS = frozenset(
    "outperform outperforms outperforming outperformed surpass surpasses surpassing beat "
    "beats than over versus vs against baseline baselines".split()
)


@dataclass(frozen=True, slots=True)
class PaperContext:
    """What the features need of a whole paper: sentences, the title's key, counts, roles."""

    sentences: Sequence[Sentence]
    title_key: str
    title_head: str | None
    counts: Counter[str]
    roles: tuple[str, ...]

    @classmethod
    def of(
        cls,
        title: str,
        sentences: Sequence[Sentence],
        mentions: Sequence[Mention],
        title_head: str | None,
    ) -> PaperContext:
        """Build the context of one paper.

        Args:
            title: the paper's title.
            sentences: the abstract's sentences.
            mentions: every mention of the abstract (for recurrence counts).
            title_head: the "X" of a title "X: ...", lowercased, if any.

        Returns:
            The context.
        """
        counts = Counter(match_key(m.text) for m in mentions)
        return cls(sentences, f" {match_key(title)} ", title_head, counts, _roles(sentences))


def _roles(sentences: Sequence[Sentence]) -> tuple[str, ...]:
    """Each sentence's role: contribution, result or background."""
    roles = []
    for sent in sentences:
        if _CONTRIBUTION.search(sent.text):
            roles.append("contribution")
        elif _RESULT.search(sent.text):
            roles.append("result")
        elif _FIRST_PERSON.search(sent.text):
            roles.append("ours")
        else:
            roles.append("background")
    return tuple(roles)


def _shape(text: str) -> list[str]:
    letters = [ch for ch in text if ch.isalpha()]
    out = []
    uppers = sum(ch.isupper() for ch in letters)
    if letters and uppers == len(letters) and len(letters) >= 2:
        out.append("shape=caps")
    elif uppers >= 2:
        out.append("shape=mixed")
    elif text[:1].isupper():
        out.append("shape=cap1")
    else:
        out.append("shape=lower")
    if any(ch.isdigit() for ch in text):
        out.append("digit")
    if "-" in text:
        out.append("hyphen")
    return out


def _token_index(sent: Sentence, offset: int) -> int:
    return bisect_left(sent.tokens, offset, key=lambda t: t.start)


def _before(sent: Sentence, m: Mention, n: int) -> list[Token]:
    i = _token_index(sent, m.start)
    return list(sent.tokens[max(0, i - n) : i])


def _after(sent: Sentence, m: Mention, n: int) -> list[Token]:
    i = _token_index(sent, m.end)
    return list(sent.tokens[i : i + n])


def _common(m: Mention, ctx: PaperContext) -> list[str]:
    """Features every candidate shares: words, shape, place, cues, role, recurrence."""
    sent = ctx.sentences[m.sentence]
    words = m.text.split()
    head = words[-1].lower() if words else ""
    feats = [
        f"src={m.source}",
        f"head={head}",
        f"headcls={head_field(head) or 'none'}",
        f"len={min(len(words), 4)}",
        *_shape(m.text),
    ]
    if len(words) > 1:
        feats.append(f"mod={words[0].lower()}")
    if head.endswith("s") and not head.endswith("ss") and len(head) > 3:
        feats.append("plural")
    if m.group:
        feats.append("acronym")
    key = match_key(m.text)
    if key and f" {key} " in ctx.title_key:
        feats.append("in_title")
    if ctx.title_head is not None and m.text.lower() == ctx.title_head:
        feats.append("title_head")
    count = ctx.counts.get(key, 1)
    feats.append(f"count={min(count, 3)}")
    last = len(ctx.sentences) - 1
    feats.append(
        "sent=first" if m.sentence == 0 else "sent=last" if m.sentence == last else "sent=mid"
    )
    feats.append(f"role={ctx.roles[m.sentence]}")
    before = _before(sent, m, 3)
    prev = before[-1].lower if before else "^"
    feats.append(f"prev={prev if prev in _CUES or prev == '^' else 'other'}")
    if any(t.lower in _INTRO_VERBS for t in before):
        feats.append("after_intro_verb")
    if any(t.lower in _BASELINE_WORDS for t in _before(sent, m, 5)):
        feats.append("after_baseline_word")
    if " ".join(t.lower for t in before[-3:]).endswith("in terms of"):
        feats.append("in_terms_of")
    nxt = _after(sent, m, 2)
    if nxt and nxt[0].text == "(":
        feats.append("next=paren")
    if len(nxt) == 2 and nxt[0].text == "," and nxt[1].lower in ("a", "an", "which"):
        feats.append("next=apposition")
    return feats


def mention_features(m: Mention, ctx: PaperContext, own: bool, valued: bool) -> list[str]:
    """The features of a typed mention for the keep-or-drop classifier of its field.

    Args:
        m: the mention.
        ctx: its paper's context.
        own: whether the proposed-method rules name it the paper's own.
        valued: whether a figure stands next to it (a metric with a value).

    Returns:
        The names of its active binary features.
    """
    feats = _common(m, ctx)
    if own:
        feats.append("own")
    if valued:
        feats.append("valued")
    return feats


def proposed_features(m: Mention, ctx: PaperContext) -> list[str]:
    """The features of a method mention for the is-it-the-paper's-own classifier.

    The proposed-method rules' verdict is deliberately not a feature: the classifier
    gives a second, independent opinion from general cues.

    Args:
        m: the method mention.
        ctx: its paper's context.

    Returns:
        The names of its active binary features.
    """
    feats = [f for f in _common(m, ctx) if not f.startswith(("head=", "mod="))]
    sent = ctx.sentences[m.sentence]
    before = [t.lower for t in _before(sent, m, 2)]
    if "our" in before:
        feats.append("our")
    return feats


def value_features(metric: Mention, value: tuple[int, int, str], sent: Sentence) -> list[str]:
    """The features of a figure beside a metric, for the is-it-its-value classifier.

    Args:
        metric: the metric mention.
        value: the figure's ``(start, end, text)`` in the abstract.
        sent: their sentence.

    Returns:
        The names of its active binary features.
    """
    start, end, text = value
    after = start >= metric.end
    lo, hi = (metric.end, start) if after else (end, metric.start)
    between = sent.text[max(0, lo - sent.start) : max(0, hi - sent.start)]
    words = re.findall(r"[\w%.]+", between.lower())
    gap = len(words)
    feats = [
        "after" if after else "before",
        f"gap={min(gap, 6) if gap < 4 else '4-6' if gap <= 6 else '7+'}",
        f"unit={figure_unit(text)}",
    ]
    if text.lstrip("~≈ ")[:1] in "+-−±":
        feats.append("signed")
    if words and words[-1 if after else 0] in ("of", "to", "is", "by"):
        feats.append(f"glue={words[-1 if after else 0]}")
    if {"in", "on", "for"} & set(words[-2:] if not after else []):
        feats.append("prep_before_metric")
    if "terms" in words:
        feats.append("in_terms_of")
    if any(w in ("than", "over", "from", "versus", "vs") for w in words):
        feats.append("comparison_between")
    if "," in between or ";" in between:
        feats.append("comma_between")
    return feats
