"""Folding names into keys: the one place that decides when two written names are the same.

Three strengths, each built on the one before:

* :func:`clean_name` - NFKC, every dash as "-", surrounding quotes and repeated
  whitespace dropped: the name as a reader would type it;
* :func:`match_key` - the exact matching of the eval rules (lowercase, hyphens
  and punctuation removed, a leading article dropped, spaces ignored):
  ``"The Penn Tree-bank."`` and ``"penn treebank"`` share ``"penntreebank"``.
  Scoring uses it, and the offline extractor uses it to list a name once;
* :func:`fold_name` - the grouping key across papers: also accents, a trailing
  generic word ("MTEB benchmark", "BERT model", "retrieval task"), a final
  plural, and "Long Form (ACRONYM)" folded to the acronym; numbers stay
  separate parts, so CIFAR-10 and CIFAR-100 (GPT-3 and GPT-4, MTEB and MMTEB)
  never fold together. :func:`display_form` is the readable core of a name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from .acronyms import clean_name, split_acronym_name

__all__ = ["clean_name", "display_form", "fold_name", "match_key", "match_words"]

_TOKEN_RE = re.compile(r"\d+(?:\.\d+)*|[^\W\d_]+|[+#]")
_ARTICLES = frozenset({"the", "a", "an"})
_PLURAL_KEEP = ("ss", "us", "is", "as", "os")

# Trailing generic phrases, by how sure we must be that the rest is a name.
_DATA_SUFFIXES = frozenset(
    {
        ("dataset",), ("datasets",), ("data", "set"), ("data", "sets"), ("benchmark",),
        ("benchmarks",), ("corpus",), ("corpora",), ("test", "set"), ("dev", "set"),
        ("validation", "set"), ("training", "set"), ("train", "set"),
    }
)  # fmt: skip
_MODEL_SUFFIXES = frozenset(
    {
        ("model",), ("models",), ("method",), ("methods",), ("approach",), ("framework",),
        ("algorithm",), ("architecture",), ("score",), ("scores",), ("metric",),
    }
)  # fmt: skip
_TASK_SUFFIXES = frozenset({("task",), ("tasks",), ("problem",), ("problems",)})

_HYPHENS = re.compile(r"[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad]")
_LEADING_ARTICLE = re.compile(r"^(?:the|an|a)\s+")
_SPACES = re.compile(r"\s+")


def _strip_punctuation(text: str) -> str:
    # Unicode punctuation (categories P*) becomes spaces so word boundaries survive.
    return "".join(" " if unicodedata.category(ch)[0] == "P" else ch for ch in text)


def match_words(name: str) -> list[str]:
    """The words of a name under the exact matching (see :func:`match_key`)."""
    text = unicodedata.normalize("NFKC", name).lower()
    text = _HYPHENS.sub("", text)
    text = _strip_punctuation(text)
    text = _SPACES.sub(" ", text).strip()
    text = _LEADING_ARTICLE.sub("", text)
    return text.split()


def match_key(name: str) -> str:
    """Return the key of a name under the exact matching.

    NFKC, lowercase, hyphens removed (``state-of-the-art`` becomes one word),
    other punctuation removed, a leading ``a``/``an``/``the`` dropped, and all
    spaces removed. ``"The Penn Tree-bank."`` becomes ``"penntreebank"``.
    """
    return "".join(match_words(name))


def _strong_word(word: str) -> bool:
    """A word that marks a proper name: a digit, or a capital after the first letter."""
    return any(c.isdigit() for c in word) or any(c.isupper() for c in word[1:])


def _generic_tail(words: list[str]) -> int:
    """How many trailing words form a generic phrase that can go (0 when none)."""
    lower = [w.lower() for w in words]
    for size in (2, 1):
        if len(words) <= size:
            continue
        tail, rest = tuple(lower[-size:]), words[:-size]
        if (
            tail in _TASK_SUFFIXES
            or (tail in _DATA_SUFFIXES and any(c.isupper() or c.isdigit() for c in "".join(rest)))
            or (tail in _MODEL_SUFFIXES and any(_strong_word(w) for w in rest))
        ):
            return size
    return 0


def _strip_generic(words: list[str]) -> list[str]:
    while size := _generic_tail(words):
        words = words[:-size]
    return words


def _singular(word: str) -> str:
    if re.fullmatch(r"[A-Z][A-Z0-9]*[A-Z]s", word):
        return word[:-1]  # CNNs -> CNN
    if len(word) >= 4 and re.fullmatch(r"[A-Za-z][a-z]+", word):
        if word.endswith("ies") and len(word) > 4:
            return word[:-3] + "y"
        if word.endswith("s") and not word.endswith(_PLURAL_KEEP):
            return word[:-1]
    return word


def _join_tokens(tokens: Iterable[str]) -> str:
    parts: list[str] = []
    previous_numeric = False
    for token in tokens:
        numeric = token[0].isdigit()
        if parts and numeric and previous_numeric:
            parts.append(" ")  # "Llama 2 7B" must not become "Llama 27B"
        parts.append(token)
        previous_numeric = numeric
    return "".join(parts)


@lru_cache(maxsize=1 << 16)
def fold_name(name: str) -> str:
    """Return the grouping key of a name.

    The key ignores case, accents, spacing, hyphens and punctuation, a leading
    article, a trailing generic word ("dataset", "benchmark", "model", "task",
    ...; only where the rest is clearly a name) and a final plural. Digits stay
    separate parts of the key, so "CIFAR-10" and "CIFAR-100" never fold together.
    A name written as "Long Form (ACRONYM)" folds to the acronym's key. Results
    are cached, as runs repeat the same names many times.

    Args:
        name: A name as written in a paper.

    Returns:
        The key; never empty for a non-blank name.
    """
    core = clean_name(split_acronym_name(name)[0])
    words = core.split()
    if len(words) > 1 and words[0].lower() in _ARTICLES:
        words = words[1:]
    words = _strip_generic(words)
    if words:
        words[-1] = _singular(words[-1])
    text = unicodedata.normalize("NFKD", " ".join(words).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    key = _join_tokens(_TOKEN_RE.findall(text))
    return key or " ".join(name.casefold().split())


@lru_cache(maxsize=1 << 16)
def display_form(name: str) -> str:
    """The readable core of a name: acronym of "Long (ACR)", no article, no generic tail.

    The generic tail goes only after a strong word ("MMLU benchmark" -> "MMLU"),
    so "Massive Text Embedding Benchmark" keeps its last word.
    """
    words = clean_name(split_acronym_name(name)[0]).split()
    if len(words) > 1 and words[0].lower() in _ARTICLES:
        words = words[1:]
    stripped = _strip_generic(list(words))
    if stripped != words and any(_strong_word(w) for w in stripped):
        words = stripped
    return " ".join(words)
