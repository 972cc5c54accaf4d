"""Noun-phrase chunking without a tagger: runs of content words between function words.

A sentence's tokens are classified one by one with word lists
(:mod:`paperfields.extract.offline.lexicons`) and suffix rules instead of a part-of-speech
model. Punctuation, function words, URLs and finite verbs break a phrase.
Ambiguous words are resolved by their neighbours: a word after a subject or
auxiliary ("we", "can", "is") is a verb; an ``-ed`` participle or ``-ly``
adverb is kept only when a content word follows it ("fully connected
layers", but not "trained on"); an unknown ``-ing`` word is kept as a head
only after a content word ("image captioning"), while known nominal ones
("learning", "pooling") are always kept. A bare number is kept only after a
capitalised word ("WMT 2014", "Tacotron 2"). Each resulting run is trimmed of
leading evaluative modifiers ("novel", "state-of-the-art") and adverbs, and of
an opening gerund right after a preposition ("by learning residual functions").
:func:`gerund_phrases` returns such gerund phrases for the task field.
"""

from __future__ import annotations

from .lexicons import (
    AUXILIARIES,
    COMPOUND_SECONDS,
    FINITE_VERBS,
    MODIFIERS,
    NOMINAL_ING,
    NOUN_VERBS,
    PARTICIPLES,
    STOPWORDS,
    TASK_GERUNDS,
)
from .sentences import Sentence, Token

__all__ = ["adverb", "content_runs", "gerund_phrases", "noun_phrases"]

_BREAK, _CONTENT, _NEEDS_NEXT, _ING = 0, 1, 2, 3
_NOT_ADVERBS = frozenset(
    "family anomaly assembly supply only early daily weekly monthly yearly fly italy july "
    "reply rely apply ply poly holy jelly belly bully".split()
)


_ADJECTIVE_SUFFIXES = ("ed", "al", "ive", "ic", "ent", "ant")
_VERB_PARTICLES = frozenset({"to"})
# Words that with "to" after them make a preposition: "relative to", "due to".
_BEFORE_TO = frozenset("relative due prior according compared similar close".split())


def _is_number(word: str) -> bool:
    if not (word[0].isdigit() or word[0] in "+-.±"):
        return False
    return any(ch.isdigit() for ch in word) and not any(ch.isalpha() for ch in word)


def _coined_ed(text: str) -> bool:
    """A coined name ending in "ed" ("ZapEmbed"), not a participle such as "BERT-based"
    or "Open-Ended": its last part has inner capitals."""
    last = text.rsplit("-", 1)[-1]
    return any(ch.isupper() for ch in last[1:])


def adverb(word: str) -> bool:
    """An adverb in -ly ("speculatively starts generation")."""
    return word.endswith("ly") and len(word) > 4 and word not in _NOT_ADVERBS


def _after_a_name(prev: Token | None, nxt: Token | None) -> bool:
    """Whether a noun-verb in -s stands between a coined name and the words it acts on:
    "StepCheck targets first-error identification" (but "BLEU scores on", "CLIP scores
    remain", "GPT-4 scores of": the noun)."""
    if prev is None or nxt is None or not nxt.is_word or prev.position == 0:
        return False
    text = prev.text
    coined = sum(ch.isupper() for ch in text) >= 2 and any(ch.islower() for ch in text)
    return (
        coined
        and nxt.lower not in STOPWORDS
        and nxt.lower not in FINITE_VERBS
        and nxt.lower not in AUXILIARIES
    )


def _classify(tok: Token, prev: Token | None, nxt: Token | None) -> int:
    if not tok.is_word:
        return _BREAK
    w = tok.lower
    if "/" in w and ("." in w or w.startswith("http")):
        return _BREAK  # a URL or path: "github.com/org/repo"
    if w == "named" and nxt is not None and nxt.lower in ("entity", "entities"):
        return _CONTENT  # "named entity recognition": a term, not "named X"
    if w in STOPWORDS:
        return _BREAK
    if w in _BEFORE_TO and nxt is not None and nxt.lower == "to":
        return _BREAK  # "overhead relative to DPO", "due to": a preposition, not a noun
    after_subject = prev is not None and prev.lower in AUXILIARIES
    if w in FINITE_VERBS:
        return _BREAK
    if (
        prev is not None
        and prev.lower.endswith("ly")  # cheap first: most words follow no adverb
        and adverb(prev.lower)
        and (w.endswith("ing") or (w.endswith("s") and not w.endswith(("ss", "ous", "is", "us"))))
        and w not in NOMINAL_ING
    ):
        return _BREAK  # "merely induces ...", "continuously reinforcing ...": a verb
    if w in NOUN_VERBS and (
        after_subject
        or (w.endswith("s") and nxt is not None and nxt.lower in _VERB_PARTICLES)
        or (nxt is not None and nxt.lower == "up")
        or (w.endswith("s") and nxt is not None and nxt.lower.endswith("ing"))
        or (w.endswith("s") and _after_a_name(prev, nxt))
        or (w.endswith("s") and prev is not None and adverb(prev.lower))
    ):
        return _BREAK  # "we model ...", "this leads to ...", "speeds up", "starts answering"
    if w in NOUN_VERBS and w.endswith("ed"):
        return _CONTENT  # "training speed": a noun, not an -ed participle
    if _is_number(w):
        if prev is not None and prev.is_word and prev.text[:1].isupper():
            return _CONTENT
        return _BREAK
    if w in NOMINAL_ING:
        return _CONTENT
    if w.endswith("ed") and len(w) > 4 and not _coined_ed(tok.text):
        return _BREAK if after_subject else _NEEDS_NEXT
    if w in PARTICIPLES:
        if w.endswith("ing"):
            stem = w[:-3]
            if stem in NOUN_VERBS or stem + "e" in NOUN_VERBS or stem[:-1] in NOUN_VERBS:
                return _ING  # "recurrent grouping module", "ranking loss": a noun after a noun
            return _BREAK
        return _BREAK if after_subject else _NEEDS_NEXT
    if adverb(w):
        return _NEEDS_NEXT
    if w.endswith("ing") and len(w) > 5:
        return _ING
    return _CONTENT


def content_runs(sentence: Sentence) -> list[tuple[Token, ...]]:
    """Return the maximal runs of content tokens of a sentence, in order."""
    tokens = sentence.tokens
    n = len(tokens)
    classes = [
        _classify(tok, tokens[i - 1] if i else None, tokens[i + 1] if i + 1 < n else None)
        for i, tok in enumerate(tokens)
    ]
    # Resolve words that depend on their right neighbour, right to left.
    for i in range(n - 1, -1, -1):
        if classes[i] == _NEEDS_NEXT:
            nxt = classes[i + 1] if i + 1 < n else _BREAK
            classes[i] = _CONTENT if nxt in (_CONTENT, _ING) else _BREAK
    # Unknown -ing words: a head after a content word, else a verb.
    for i in range(n):
        if classes[i] == _ING:
            prev = classes[i - 1] if i else _BREAK
            classes[i] = _CONTENT if prev == _CONTENT else _BREAK
    runs: list[tuple[Token, ...]] = []
    current: list[Token] = []
    for tok, cls in zip(tokens, classes, strict=True):
        if cls == _CONTENT:
            current.append(tok)
        elif current:
            runs.append(tuple(current))
            current = []
    if current:
        runs.append(tuple(current))
    return runs


# A verb's particle that opens no phrase: "carry out complex reasoning".
_PARTICLES = frozenset({"out", "up", "off"})


def _trim(run: tuple[Token, ...]) -> tuple[Token, ...]:
    i = 1 if len(run) > 1 and run[0].lower in _PARTICLES else 0  # "(carry) out X"
    while i < len(run) - 1:
        w = run[i].lower
        if w in MODIFIERS and run[i + 1].lower not in COMPOUND_SECONDS:
            i += 1
        elif (
            w.endswith("ly")
            and w not in _NOT_ADVERBS
            and not run[i + 1].lower.endswith(_ADJECTIVE_SUFFIXES)
        ):
            i += 1  # "consistently better results", but "fully connected layers"
        else:
            break
    return run[i:]


_GERUND_OPENERS = frozenset(
    "of for by in to via on from with without through while when after before".split()
)


def noun_phrases(
    sentence: Sentence, runs: list[tuple[Token, ...]] | None = None
) -> list[tuple[Token, ...]]:
    """Return the trimmed content runs of a sentence (candidate mentions), in order.

    An ``-ing`` word that opens a longer run right after a preposition is a
    verb with its object ("by learning residual functions") and is dropped.
    """
    out = []
    for run in content_runs(sentence) if runs is None else runs:
        first = run[0]
        if (
            len(run) > 2
            and first.lower.endswith("ing")
            and first.position > 0
            and sentence.tokens[first.position - 1].lower in _GERUND_OPENERS
        ):
            run = run[1:]
        trimmed = _trim(run)
        if trimmed:
            out.append(trimmed)
    return out


_GERUND_CONTEXT = frozenset({"for", "of"})


def gerund_phrases(
    sentence: Sentence, runs: list[tuple[Token, ...]] | None = None
) -> list[tuple[Token, ...]]:
    """Return gerund phrases naming an activity: "Classifying facial expressions ...".

    A gerund (an ``-ing`` word that is not a known noun) opening the sentence,
    or following "for"/"of", together with the content run right after it.
    """
    tokens = sentence.tokens
    by_start = {run[0].position: run for run in (content_runs(sentence) if runs is None else runs)}
    out: list[tuple[Token, ...]] = []
    for i, tok in enumerate(tokens[:-1]):
        w = tok.lower
        if not (tok.is_word and w.endswith("ing") and len(w) > 5):
            continue
        if w in NOMINAL_ING or w in MODIFIERS or w in STOPWORDS:
            continue
        if w in PARTICIPLES and w not in TASK_GERUNDS:
            continue  # "using X", "achieving X" are not activities
        if i > 0 and tokens[i - 1].lower not in _GERUND_CONTEXT:
            continue
        run = by_start.get(i + 1)
        if run is not None:
            out.append((tok, *run))
    return out
