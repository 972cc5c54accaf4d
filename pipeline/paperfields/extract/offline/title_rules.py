"""The title's part in naming the paper's own method.

A title "X: ..." names X (``title_head``); a title also carries coined words ("SVDNet",
"ICNet") that may be the method (``title_names``). ``title_head_mention`` finds the
title's X where the abstract writes it but the chunker typed nothing, and ``title_tied``
the multi-word names the abstract shares with the title: written in title case, or, for
the phrase a title opens with ("Covariance Pooling for ..."), in any case.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .heads import head_field, known_field, known_phrase_field
from .lexicons import FIELDS_OF_STUDY, STOPWORDS
from .mentions import Mention
from .name_shapes import (
    generic_architecture,
    is_model_class,
    never_own,
    own_name,
    plain_own,
    whole_word,
)

__all__ = [
    "reexamined",
    "title_means_mention",
    "studied",
    "title_head",
    "title_head_mention",
    "title_names",
    "title_phrase",
    "title_phrase_mention",
    "title_subtitle_mention",
    "title_tied",
]

_TITLE_HEAD = re.compile(r"^\s*([^:]{2,40}?)\s*:\s*")


_TITLE_NAME = re.compile(r"[A-Za-z0-9]*[A-Z][A-Za-z0-9^]*(?:[-.][A-Za-z0-9^]+)*\+*")


def title_head(title: str) -> str | None:
    """The lowercased "X" of a title "X: ...", when X is at most four words."""
    head = _TITLE_HEAD.match(title)
    if head and len(head.group(1).split()) <= 4:
        return head.group(1).lower()
    return None


def title_phrase_mention(title: str, abstract: str) -> Mention | None:
    """The title's phrase (:func:`title_phrase`) where the abstract writes it as the title
    does, unless it is a widely known name, a generic architecture or a class of models
    (sentence index 0: the caller places it)."""
    phrase = title_phrase(title)
    at = whole_word(abstract, phrase) if phrase is not None else None
    if phrase is None or at is None:
        return None
    named = Mention("methods", at, at + len(phrase), 0, phrase, "proposed")
    return None if never_own(named, ()) else named


# "Tempo: Learnability-Ordered Domain Scheduling for ...": the capitalised phrase after
# the colon, up to a preposition.
_SUBTITLE = re.compile(
    r"^[^:]{2,40}:\s*(?P<phrase>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){1,4})"
    r"\s+(?:for|with|via|in|through|to|from|on|by)\b"
)


def title_subtitle_mention(title: str, abstract: str) -> Mention | None:
    """The phrase after a title's "X:" ("Learnability-Ordered Domain Scheduling for ...")
    where the abstract writes it, in any case: the method's own words when the abstract
    never writes X. None when it is a widely known name, a generic architecture or a
    class of models (sentence index 0: the caller places it)."""
    match = _SUBTITLE.match(title)
    if match is None:
        return None
    phrase = match.group("phrase")
    at = whole_word(abstract.lower(), phrase.lower())
    if at is None or known_field(phrase) is not None:
        return None
    text = abstract[at : at + len(phrase)]
    named = Mention("methods", at, at + len(phrase), 0, text, "proposed")
    return None if never_own(named, ()) or generic_architecture(text) else named


def title_phrase(title: str) -> str | None:
    """A title that is one capitalised noun phrase of two to five words ("Self-Rewarding
    Language Models"): it names the paper's method where the abstract writes it the same
    way. None for a title with a colon, a verb-like word or a lower-case word."""
    words = title.split()
    if ":" in title or not 2 <= len(words) <= 5:
        return None
    if not all(w[:1].isupper() for w in words) or any(w.lower() in STOPWORDS for w in words):
        return None
    return title.strip()


def title_names(title: str) -> list[str]:
    """Candidate own-method names from a title: the part before a colon, and coined
    words (``SVDNet``, ``ICNet``, ``V-Net``)."""
    out: list[str] = []
    head = title_head(title)
    if head is not None:
        out.append(head)
    for m in _TITLE_NAME.finditer(title):
        word = m.group()
        uppers = sum(ch.isupper() for ch in word)
        if uppers >= 2 or (uppers and any(ch.isdigit() for ch in word)):
            out.append(word.lower())
    return out


# What may come before the phrase a title is about: "Towards a Neural Statistician".
_TITLE_OPENING = re.compile(r"^\s*(?:(?:towards|on|a|an|the)\s+)*$", re.IGNORECASE)
# A title that re-examines a name: "Rethinking Classifier-based Quality Filtering": the
# name is the work it questions, not the paper's own.
_REEXAMINING = r"(?:rethinking|revisiting|reconsidering|re-?examining|demystifying)"
_REEXAMINED = re.compile(rf"\b{_REEXAMINING}\s+(?:the\s+)?$", re.IGNORECASE)
_REEXAMINING_TITLE = re.compile(rf"^\s*{_REEXAMINING}\b", re.IGNORECASE)
# A name a title compares: "... better than X", "X vs. Y", "X versus Y".
_COMPARED_BEFORE = re.compile(r"\b(?:than|vs\.?|versus)\s+$", re.IGNORECASE)
_COMPARED_AFTER = re.compile(r"^\s+(?:vs\.?|versus)\s", re.IGNORECASE)
_IMPROVING = re.compile(
    r"^\s*(?:improving|enhancing|accelerating|boosting|speeding\s+up)\b", re.IGNORECASE
)
_MEANS_WORD = r"(?:with|via|through|using|by)"  # what a title names its means after
_MEANS = re.compile(rf"\b(?:{_MEANS_WORD}|from)\b", re.IGNORECASE)
# A title (or subtitle) that opens by studying something: "Probing the Generalization
# Boundaries of Vision-Language-Action Models", "Unveiling ... through Knowledge Neurons".
_STUDY_OPENING = re.compile(
    rf"(?:^|:\s*)(?:{_REEXAMINING}|probing|unveiling|investigating|analy[sz]ing|understanding|"
    r"evaluating|benchmarking|measuring|quantifying)\b",
    re.IGNORECASE,
)


def studied(title: str, name: str) -> bool:
    """Whether the title writes the name after words that study or re-examine it
    ("Probing the Generalization Boundaries of Vision-Language-Action Models"), or compares
    it ("What Makes CLIP Better than DINO?", "CLIP vs. DINO")."""
    at = whole_word(title.lower(), name.lower())
    if at is None:
        return False
    after = title[at + len(name) :]
    return (
        _studied_at(title, at)
        or _COMPARED_BEFORE.search(title[:at]) is not None
        or _COMPARED_AFTER.match(after) is not None
    )


def _studied_at(title: str, at: int) -> bool:
    before = title[:at]
    if _REEXAMINED.search(before) is not None or _STUDY_OPENING.search(before) is not None:
        return True
    # "Improving Multi-candidate Speculative Decoding": what the paper improves is not its
    # own (but "Enhancing LLM Reasoning with Multi-Path ... agents" names its own after "with")
    return _IMPROVING.match(before) is not None and _MEANS.search(before) is None


def reexamined(title: str, name: str) -> bool:
    """Whether a title re-examines the name: "Reconsidering the Performance of GAE in Link
    Prediction" studies GAE, the work of others, even where the abstract says "our GAE"."""
    opening = _REEXAMINING_TITLE.match(title)
    return opening is not None and whole_word(title.lower(), name.lower()) is not None


def title_head_mention(abstract: str, head: str) -> Mention | None:
    """The title's "X:" where the abstract writes it and the chunker typed nothing there
    ("Pythia v0.1: the Winning Entry ..." and "This document describes Pythia v0.1")."""
    at = whole_word(abstract.lower(), head, extra="/.")
    if at is None:
        return None
    text = abstract[at : at + len(head)]
    if not text[:1].isupper() or known_field(text) is not None:
        return None  # (a name inside a link, "github.com/org/X", is no mention)
    if generic_architecture(text) or text.split()[0].lower() in STOPWORDS:
        return None
    return Mention("methods", at, at + len(head), 0, text, "proposed")


def _inside_longer_name(title: str, at: int) -> bool:
    """Whether a capitalised word of the title runs on into the phrase at ``at``: "Selective
    Knowledge Distillation" names the paper's method, "Knowledge Distillation" the one it
    builds on."""
    before = title[:at]
    if not before.endswith(" "):
        return False  # the title's start, or after a bracket or a hyphen
    word = before.rstrip().rsplit(" ", 1)[-1]
    return word[:1].isupper() and word[-1:].isalnum() and word.lower() not in STOPWORDS


def _purpose_at(title: str, at: int) -> bool:
    """Whether the phrase at ``at`` is what the title's method is for: "... for Instruction
    Fine-Tuning Data Selection"."""
    return title[:at].rstrip().lower().endswith(" for")


def title_tied(title: str, methods: Sequence[Mention]) -> list[Mention]:
    """Names of several words written in the abstract and in the title, with the acronym
    their abstract defines ("... with Regularized Relevance Reward" and "Regularized
    Relevance Reward (R^3)"). A title capitalises its words, so a phrase the title writes
    in capitals is a name even where the abstract writes it in lower case ("Covariance
    Pooling for ..." and "covariance pooling"), unless it is a generic architecture, a
    task or the long form of a widely known acronym ("Retrieval-Augmented Generation")."""
    lower = title.lower()
    tied = []
    for m in methods:
        if " " not in m.text:
            continue
        at = whole_word(lower, m.text.lower())
        if at is None:
            continue
        written = title[at : at + len(m.text)]
        capitalised = all(w[:1].isupper() for w in written.split())
        opens = _TITLE_OPENING.match(title[:at]) is not None  # the title's topic
        if _studied_at(title, at) or _inside_longer_name(title, at) or _purpose_at(title, at):
            continue
        if m.text.lower() in FIELDS_OF_STUDY:
            continue  # "Software Engineering", "Generative AI": a field
        if m.group and known_field(m.group) is not None:
            continue  # "Retrieval-Augmented Generation" of RAG: a widely known method
        if m.group and is_model_class(m.group):
            continue  # "Large Vision-Language Models (LVLMs)": a class of models
        if own_name(m) or (capitalised and opens and plain_own(m)):
            tied.append(m)
    groups = {m.group for m in tied if m.group}
    return tied + [m for m in methods if m.group and m.group in groups]


# "Enhancing LLM Accuracy with Two-Phase Pretraining", "... via Scenario-based Prompt
# Design in Two-Stage with LLM", "LLM-based Prompt Ensemble for ...": the capitalised
# phrase a title names as its means (after "via", "with", "using", "through", "by") or
# opens with, up to a preposition or the end.
_TITLE_MEANS = re.compile(
    rf"(?:\b{_MEANS_WORD}\s+|^\s*[\w-]+-based\s+)(?:an?\s+|the\s+)?"
    r"(?P<phrase>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){1,4})"
    r"(?=\s+(?:for|in|on|to|from|with|via|and|of|at)\b|\s*[:,.?]|\s*$)"
)


_NO_MEANS = frozenset(
    "model encoder decoder network transformer llm feedback knowledge memory data window "
    "reasoning learning".split()
)


def title_means_mention(title: str, abstract: str) -> Mention | None:
    """The longest tail of at least two words of the phrase a title names as its means
    (``_TITLE_MEANS``) that the abstract writes, in any case: "Automated Test-Case
    Synthesis" and "... large-scale test-case synthesis". A task's head may end it (a
    means is a technique wherever it is written). None when the phrase ends in a plural or
    a word that names no technique ("... with Speech Encoders", "via Human Feedback"), or
    the tail is a widely known name, a field, a generic architecture or a class of models,
    or the title studies it (sentence index 0: the caller places it)."""
    lowered = abstract.lower()
    for match in _TITLE_MEANS.finditer(title):
        words = match.group("phrase").split()
        head = words[-1].lower()
        if (head.endswith("s") and not head.endswith(("ss", "sis"))) or head in _NO_MEANS:
            continue
        tasklike = head_field(head) == "tasks"
        for k in range(len(words) - 1):
            tail = " ".join(words[k:])
            at = whole_word(lowered, tail.lower())
            if at is None:
                continue
            if known_phrase_field(tail) is not None or tail.lower() in FIELDS_OF_STUDY:
                break
            if studied(title, tail):
                break
            text = abstract[at : at + len(tail)]
            named = Mention("methods", at, at + len(tail), 0, text, "proposed")
            if (never_own(named, ()) and not tasklike) or generic_architecture(text):
                break
            return named
    return None
