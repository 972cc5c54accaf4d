"""What a paper's own method name may look like, whatever rule proposes it.

A name can be the paper's own when it is typed as a name, coined ("PreSelect", "R^3") or
written in title case, and it is not widely known (the lexicons), a generic architecture
("convolutional neural networks", "end-to-end"), a class of models ("LLMs"), a size
("7B", "3D") or a kind of something known ("ResNet-like"). A lower-case phrase may still
be one (``plain_own``) when it is none of those and names no task. Also the whole-word
search the title and own-name rules share, which compiles no pattern per name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from .heads import head_field, known_field
from .lexicons import NOMINAL_ING, words
from .mentions import Mention

__all__ = [
    "MODEL_CLASSES",
    "STUDY_WORDS",
    "coined",
    "compound_adjective",
    "generic_architecture",
    "head_keeping_compound",
    "is_model_class",
    "like_name",
    "never_own",
    "own_name",
    "plain_own",
    "plural_acronym",
    "released_known",
    "study_device",
    "whole_word",
    "whole_words",
]

_ARCHITECTURE_WORDS = words("architecture_words")


MODEL_CLASSES = words("model_classes")


_LIKE = re.compile(r"-(?:like|based|style)$", re.IGNORECASE)


_DIMENSION = re.compile(r"^\d+(?:\.\d+)?[A-Za-z]$")  # "3D", "7B", "1B": a size, not a name


def coined(text: str) -> bool:
    """A coined name: a word with an inner capital or a digit ("PreSelect", "R^3"), not
    a bare size or dimension ("3D", "7B")."""
    return any(
        (any(ch.isupper() for ch in word[1:]) or any(ch.isdigit() for ch in word))
        and any(ch.isalpha() for ch in word)  # "(1)": a list's number, no name
        and not _DIMENSION.match(word)
        for word in text.split()
    )


def generic_architecture(text: str) -> bool:
    """A name made only of generic architecture words ("Convolutional Neural Networks",
    "recurrent neural networks", "end-to-end"): a class of models, not one paper's own."""
    parts = text.lower().replace("(", " ").replace(")", " ").split()
    return bool(parts) and all(w in _ARCHITECTURE_WORDS for w in parts)


def own_name(m: Mention) -> bool:
    """A name that can be the paper's own: typed as a name, coined or written in title case
    ("Reward Preference Optimization"), and not widely known."""
    if m.source == "lexicon" or known_field(m.text) is not None:
        return False
    if generic_architecture(m.text) or _DIMENSION.match(m.text) or _LIKE.search(m.text):
        return False  # ("ResNet-like" is ResNet's kind, not a name of its own)
    if is_model_class(m.text) or plural_acronym(m.text):
        return False  # "LLMs", "PLM": a class of models; "APIs", "GNNs": a plural
    parts = m.text.split()
    title_case = len(parts) > 1 and all(w[:1].isupper() for w in parts)
    return m.source in ("name", "acronym", "proposed") or coined(m.text) or title_case


_ADJECTIVE_ENDINGS = ("ant", "ive", "able", "ible", "ous", "ic", "al", "ful")


def released_known(m: Mention) -> bool:
    """A widely known model name written right after "we present / introduce / release":
    the paper releasing it ("we release Llama 2"), not a generic architecture or class."""
    return (
        m.source == "lexicon"
        and m.text[:1].isupper()
        and (coined(m.text) or " " in m.text or any(ch.isdigit() for ch in m.text))
        and not generic_architecture(m.text)
        and not is_model_class(m.text)
    )


def plain_own(m: Mention) -> bool:
    """A lower-case phrase that may still be a paper's own name: not widely known, not a
    generic architecture, not a task's name."""
    last = m.text.rsplit(" ", 1)[-1].lower()
    return (
        not last.endswith(_ADJECTIVE_ENDINGS)  # "Viewpoint Invariant 3D ..." names no method
        and m.source != "lexicon"
        and known_field(m.text) is None
        and not generic_architecture(m.text)
        and head_field(last) != "tasks"
    )


def whole_words(text: str, needle: str, extra: str = "") -> Iterator[int]:
    """The offsets of ``needle`` in ``text`` as a whole word (no letter, digit, "_" or
    "-", nor any character of ``extra``, on either side; a "." of ``extra`` only counts
    before it). A plain search: no pattern is compiled per name."""
    if not needle:
        return
    start = text.find(needle)
    while start >= 0:
        before = text[start - 1] if start else " "
        end = start + len(needle)
        after = text[end] if end < len(text) else " "
        if not _joins(before, extra) and not _joins(after, extra.replace(".", "")):
            yield start
        start = text.find(needle, start + 1)


def whole_word(text: str, needle: str, extra: str = "") -> int | None:
    """The offset of the first whole-word occurrence (:func:`whole_words`), or None."""
    return next(whole_words(text, needle, extra), None)


def _joins(ch: str, extra: str) -> bool:
    return ch.isalnum() or ch in "_-" or ch in extra


def is_model_class(text: str) -> bool:
    """A class of models written as one word ("LLMs", "PLM", "encoder")."""
    return text.lower().removesuffix("s") in MODEL_CLASSES


_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s$")
_COUNTED = re.compile(r"^(?:\d+|one|two|three|four|five|multi|single|dual|double|end)-\S+$", re.I)
# The last part of a compound adjective: "560M-parameter", "vLLM-served", "decoding-time".
_DESCRIBING = re.compile(
    r"-(?:parameters?|served|sized?|style|scale|level|aware|free|play|only|shot|time|guided|"
    r"powered|induced|augmented|enhanced|trained|inspired|compatible|driven)$",
    re.I,
)


def compound_adjective(text: str) -> bool:
    """One hyphenated word that describes a method and alone names none: counting or
    spanning stages ("two-stage", "multi-step", "end-to-end") or qualifying it
    ("560M-parameter", "vLLM-served", "training-free", "decoding-time")."""
    return _COUNTED.match(text) is not None or (
        " " not in text and _DESCRIBING.search(text) is not None
    )


# "gradient-based", "curriculum-inspired": what a method draws on, which names none.
_SOURCE_PARTICIPLES = frozenset("based inspired driven oriented powered motivated".split())


# An adjective of a scale's two ends: "coarse-to-fine", "easy-to-hard", "local-to-global".
_ENDS = (
    "coarse|fine|easy|hard|simple|complex|short|long|local|global|low|high|small|large|"
    "weak|strong|shallow|deep|sparse|dense"
)
_SCALE_PAIR = re.compile(rf"^(?:{_ENDS})-to-(?:{_ENDS})$")


def head_keeping_compound(word: str) -> bool:
    """One hyphenated word that describes a method: a participle ("structure-preserving",
    "difficulty-guided") or a scale's two ends ("coarse-to-fine"). Dropping a generic head
    after it would leave an adjective, so the head stays ("structure-preserving approach",
    "coarse-to-fine strategy"). Not a process noun ("pre-training"), what a method draws on
    ("gradient-based") nor a describing compound (:func:`compound_adjective`)."""
    lower = word.lower()
    if _SCALE_PAIR.match(lower):
        return True
    return (
        "-" in lower
        and lower.endswith(("ing", "ed"))
        and lower.rsplit("-", 1)[1] not in NOMINAL_ING
        and lower.rsplit("-", 1)[1] not in _SOURCE_PARTICIPLES
        and not compound_adjective(word)
    )


def plural_acronym(text: str) -> bool:
    """An acronym in the plural ("APIs", "GNNs"): things of a kind, no name."""
    return _PLURAL_ACRONYM.match(text) is not None


def like_name(text: str) -> bool:
    """A word naming the kind of something known: "ResNet-like", "BERT-based"."""
    return _LIKE.search(text) is not None


# Last words of a phrase that names how a study is done, not a method.
STUDY_WORDS = frozenset("evaluation benchmarking assessment analysis testing diagnostic".split())
# Heads a study word may stand before: "evaluation scheme", "assessment protocol".
_DEVICE_HEADS = frozenset("scheme framework protocol pipeline procedure setup paradigm".split())


def study_device(text: str) -> bool:
    """A phrase that names how a study is done, not a method: "multidimensional
    evaluation", "a novel evaluation scheme", "multi-task evaluation framework"."""
    words = text.lower().split()
    if len(words) < 2:
        return False
    return words[-1] in STUDY_WORDS or (words[-2] in STUDY_WORDS and words[-1] in _DEVICE_HEADS)


def never_own(m: Mention, methods: Sequence[Mention]) -> bool:
    """A widely known name, a task's name ("3D object detection"), or a generic
    architecture written out or as its acronym ("convolutional neural network (CNN)"):
    no classifier makes it the paper's own. ``methods`` are the paper's method
    mentions (an acronym is judged with its long form)."""
    if m.source == "lexicon" or known_field(m.text) is not None or generic_architecture(m.text):
        return True
    if is_model_class(m.text) or plural_acronym(m.text) or compound_adjective(m.text):
        return True
    if " " not in m.text and m.text.islower() and "-" not in m.text:
        return True  # one common word ("loss") names no method of its own
    if " " in m.text and head_field(m.text.rsplit(" ", 1)[1].lower()) == "tasks":
        return True
    if study_device(m.text):
        return True  # "multidimensional evaluation": how a study looks, not a method
    return bool(m.group) and any(
        x.group == m.group and generic_architecture(x.text) for x in methods
    )
