"""Typing a phrase by its head noun or its look: the field it names, or none.

The head is the phrase's last word (a trailing number is skipped: "WMT 2014").
Head nouns from the lexicons decide the field ("... network" is a method,
"... segmentation" a task, "... accuracy" a metric, "... dataset" a dataset);
a known name as head takes its lexicon field ("... BERT"). A phrase whose head
merely looks like a name (``ResNet``, ``SwiDeN``, "Static Facial Expressions")
is a method by default, marked ``name`` so that the context may turn it into a
dataset. Generic phrases ("our approach", "benchmark datasets", a bare
"training") are not mentions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .lexicons import (
    DATASET_HEADS,
    KNOWN_DATASETS,
    KNOWN_METHODS,
    KNOWN_METRICS,
    KNOWN_TASKS,
    METHOD_HEADS,
    METRIC_HEADS,
    TASK_HEADS,
    entries,
    words,
)
from .names import NameIndex
from .sentences import Token

__all__ = [
    "GENERIC",
    "NAMES",
    "NOT_MENTIONS",
    "after_apposition",
    "generic_word",
    "head_field",
    "is_generic",
    "is_number",
    "is_size",
    "known_field",
    "known_phrase_field",
    "language_pair",
    "lemmas",
    "name_like",
    "proper",
    "type_phrase",
]

GENERIC = words("generic_heads")
NOT_MENTIONS = frozenset(w for line in entries("not_mentions") for w in line.split())
_GENERIC_ALONE = words("generic_alone")
_SETTING_HEADS = words("setting_heads")
_LANGUAGES = words("languages")
_PAIR_SEPARATORS = re.compile(r"-to-|→|->|–|-|/")
_SPLIT_WORDS = frozenset("test dev development validation training evaluation held-out".split())
_QUANTITY = re.compile(r"^[\d.,]+[KMBT]$")  # "130M", "1.3B": sizes, not names

NAMES = NameIndex(
    [
        *((name, "datasets") for name in KNOWN_DATASETS),
        *((name, "metrics") for name in KNOWN_METRICS),
        *((name, "tasks") for name in KNOWN_TASKS),
        *((name, "methods") for name in KNOWN_METHODS),
    ],
    suffix_fields=("metrics",),
)


def lemmas(word: str) -> tuple[str, ...]:
    """The word and its candidate singulars ("strategies" -> "strategy", "losses" -> "loss")."""
    out = [word]
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        out.append(word[:-2])
    if word.endswith("s") and len(word) > 2:
        out.append(word[:-1])
    return tuple(out)


@lru_cache(maxsize=65536)
def head_field(word: str) -> str | None:
    """Field named by a (lowercase) head noun, trying the part after a last hyphen too."""
    field = _head_field_of(word)
    if field is None and "-" in word:
        field = _head_field_of(word.rsplit("-", 1)[1])  # "max-pooling" -> "pooling"
        if "-to-" in word and _head_field_of(word.split("-", 1)[0]) == "metrics":
            field = "metrics"  # "time-to-first-token", "time-to-solution"
    return field


_AT_CUTOFF = re.compile(r"^[a-z][a-z-]*@(?:\d+|k)$")  # "hitratio@1", "acc@5", "avg@16"


def _head_field_of(word: str) -> str | None:
    if "@" in word and _AT_CUTOFF.match(word.lower()):
        return "metrics"  # a measure at a cutoff, whatever its name
    for lemma in lemmas(word):
        if lemma in DATASET_HEADS:
            return "datasets"
        if lemma in METRIC_HEADS:
            return "metrics"
        if lemma in TASK_HEADS:
            return "tasks"
        if lemma in METHOD_HEADS:
            return "methods"
    return None


def known_field(text: str) -> str | None:
    """Field of a known one-word name written as ``text`` (plural and "-34" variants too)."""
    return NAMES.field_of(text)


def known_phrase_field(text: str) -> str | None:
    """Field of a known name of one or more words written as the whole of ``text``."""
    return NAMES.phrase_field(text)


def is_size(text: str) -> bool:
    """A model's or corpus's size written as one word ("130M", "1.3B", "7B")."""
    return _QUANTITY.match(text) is not None


def name_like(tok: Token) -> bool:
    """A model-like name: two capitals ("ResNet", "CNN") or a capital and a digit ("C4.5")."""
    return _name_like_text(tok.text)


@lru_cache(maxsize=65536)
def _name_like_text(text: str) -> bool:
    if is_size(text):
        return False
    uppers = sum(ch.isupper() for ch in text)
    if uppers >= 2 and any(ch.isalpha() for ch in text[1:]):
        return True
    return uppers >= 1 and len(text) > 2 and any(ch.isdigit() for ch in text)


def is_number(tok: Token) -> bool:
    """A token with digits and no letters ("2014", "2.0")."""
    text = tok.text
    return any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text)


def type_phrase(tokens: Sequence[Token]) -> tuple[str, str] | None:
    """Return ``(field, source)`` of a phrase, or None when it is not a mention.

    ``source`` is ``"phrase"`` when a head noun or a known name decides the
    field, ``"name"`` when the phrase is only name-like (a method by default,
    which the context may turn into a dataset).
    """
    head = tokens[-1]
    if len(tokens) > 1 and is_number(head):
        head = tokens[-2]
    if head.text in NOT_MENTIONS:
        return None
    if language_pair(head.lower):
        return "datasets", "phrase"
    field = known_field(head.text) if name_like(head) else None
    field = field or head_field(head.text if name_like(head) else head.lower)
    names_task = len(tokens) > 1 and any(head_field(t.lower) == "tasks" for t in tokens[:-1])
    if field == "datasets" and not any(proper(t) for t in tokens):
        # A generic dataset phrase names a task when it has one: "face detection benchmarks".
        return ("tasks", "phrase") if names_task else None
    if field is not None:
        return field, "phrase"
    if (
        len(tokens) > 2
        and head.lower.rstrip("s") in ("set", "split", "subset")
        and tokens[-2].lower in _SPLIT_WORDS
        and any(proper(t) for t in tokens[:-2])
    ):
        return "datasets", "phrase"  # "the ASCEND and SEAME test sets", "BIRD dev split"
    if name_like(head) or _title_case(tokens):
        return "methods", "name"
    if names_task and any(w in _SETTING_HEADS for w in lemmas(head.lower)):
        return "tasks", "phrase"  # "vision community", "detection context"
    return None


def language_pair(word: str) -> bool:
    """A translation direction such as ``english→german`` or ``english-to-french``."""
    parts = _PAIR_SEPARATORS.split(word)
    return len(parts) == 2 and parts[0] in _LANGUAGES and parts[1] in _LANGUAGES


def _title_case(tokens: Sequence[Token]) -> bool:
    """Several capitalised words inside a sentence: "Static Facial Expressions"."""
    return (
        sum(t.text[:1].isupper() for t in tokens) > 1
        and tokens[0].position > 0
        and all(t.text[:1].isupper() or is_number(t) for t in tokens)
        and not any(t.text in NOT_MENTIONS for t in tokens)
    )


def proper(tok: Token) -> bool:
    """A name-like or capitalised word that is not the first of its sentence."""
    return name_like(tok) or (tok.position > 0 and tok.text[:1].isupper())


@lru_cache(maxsize=65536)
def generic_word(word: str, lexicon: frozenset[str]) -> bool:
    """Whether ``word`` or one of its singulars is in ``lexicon``."""
    return word in lexicon or any(w in lexicon for w in lemmas(word))


def is_generic(tokens: Sequence[Token]) -> bool:
    """Too generic to be a mention: "approach", "benchmark datasets", a bare "training"."""
    if len(tokens) == 1:
        word = tokens[0].lower
        if generic_word(word, _GENERIC_ALONE):
            return True
        if word.endswith("s") and word not in TASK_HEADS and head_field(word) == "tasks":
            return True  # a bare plural task noun names outputs: "predictions", "translations"
    return all(generic_word(t.lower, GENERIC) for t in tokens)


def after_apposition(piece: tuple[Token, ...]) -> tuple[Token, ...]:
    """Drop a generic noun that introduces a name: "models ComplEx" -> "ComplEx"."""
    for i in range(len(piece) - 1, 0, -1):
        if generic_word(piece[i - 1].lower, GENERIC) and all(name_like(t) for t in piece[i:]):
            return piece[i:]
    return piece
