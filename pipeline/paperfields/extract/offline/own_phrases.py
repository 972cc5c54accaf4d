"""Own-method phrases that the words around them mark, and how an own name is trimmed.

A method phrase written as new in a sentence about the paper's own work ("we augment it
with a simple new gradient reversal layer"), a part named "this / our X module", the name
after "we refer to our model as", and a quoted phrase after "this / our / a new" ("this
"image context flux" representation") are the paper's own. An own name loses the
evaluative and presenting words before it ("presented context module" -> "context
module"), and is dropped when only a generic head would be left ("new network").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from .heads import known_field
from .lexicons import STOPWORDS, words
from .mentions import Mention
from .name_shapes import coined, generic_architecture, plain_own, study_device
from .refine import LEADING_METHOD_WORDS
from .sentences import Sentence

__all__ = [
    "COMPONENT_HEADS",
    "FIRST_PERSON",
    "GENERIC_HEADS",
    "coined_phrases",
    "marked_new",
    "trimmed",
]

FIRST_PERSON = re.compile(r"\b(?:we|our|us|this (?:paper|work|study|article)|here)\b", re.I)
GENERIC_HEADS = words("generic_method_heads") | frozenset(
    "methods approaches frameworks algorithms techniques strategies models model paradigm "
    "pipeline module scheme unit layer block cell solution design".split()
)
# Heads of a part the paper adds, named with their modifiers ("context module").
COMPONENT_HEADS = frozenset("unit layer block cell module".split())


def trimmed(m: Mention, abstract: str) -> Mention | None:
    """An own name without the evaluative or own-work words before it ("presented
    context module" -> "context module"); None when only a generic head is left ("new
    network")."""
    words_ = m.text.split(" ")
    k = 0
    while k < len(words_) - 1 and words_[k].lower() in LEADING_METHOD_WORDS and words_[k].islower():
        k += 1
    if k == 0:
        return m
    rest = " ".join(words_[k:])
    if " " not in rest and (rest.lower() in GENERIC_HEADS or generic_architecture(rest)):
        return None
    start = m.start + len(" ".join(words_[:k])) + 1
    return replace(m, start=start, text=abstract[start : m.end])


_NEW = frozenset({"new", "novel"})
# "we refer to our model as a neural statistician", "this “image context flux” representation"
_REFERRED = re.compile(
    r"\brefer\s+to\s+(?:our|this|the)\s+\w+(?:\s+\w+)?\s+as\s+(?:an?\s+|the\s+)?"
    r"(?P<name>[\w-]+(?:\s+[\w-]+){0,3}?)(?=\s*[,.;:(]|\s+(?:and|which|that|because)\b)",
    re.IGNORECASE,
)
# "a method ..., which we call activation addition", "we term this strategy “self-play”"
_WE_CALL = re.compile(
    r"\b(?:(?:which|that)\s+we\s+(?:call|term|dub|coin|name)|we\s+(?:call|term|dub|name)\s+"
    r"(?:(?:this|our|the\s+resulting|the\s+final)\s+\w+(?:\s+\w+)??|it|them|this|these))\s+"
    r"(?:an?\s+|the\s+)?[“\"']?"
    r"(?P<name>[\w-]+(?:\s+[\w-]+){0,3}?)[”\"']?(?=\s*[,.;:()]|\s+(?:and|which|that|because|for)\b)",
    re.IGNORECASE,
)
# "Our method, multi-turn self-correction, improves ...", "we propose a new method for
# long-context extension, positional interpolation, that ...": a name set off by commas
# after the paper's own method.
_METHOD_WORDS = r"(?:method|approach|model|framework|algorithm|technique|system|strategy|recipe)"
# "our model, X, ...", but not a list: "our model, data, and code are released"
_NAME_BETWEEN_COMMAS = r",\s*(?P<name>[\w-]+(?:\s+[\w-]+){0,4}?)\s*,(?!\s*(?:and|or)\b)"
_OWN_APPOSITIONS = (
    re.compile(
        rf"\b(?:our|the\s+proposed)\s+(?:[\w-]+\s+)?{_METHOD_WORDS}\s*{_NAME_BETWEEN_COMMAS}",
        re.IGNORECASE,
    ),
    re.compile(  # "The resulting reranker, Rationale-R3, improves ..."
        rf"\bthe\s+resulting\s+(?:[\w-]+\s+)?[\w-]+\s*{_NAME_BETWEEN_COMMAS}", re.IGNORECASE
    ),
    re.compile(
        r"\b(?:propose|proposes|introduce|introduces|present|presents|develop|develops)\s+an?\s+"
        rf"(?:[\w-]+\s+){{0,3}}?{_METHOD_WORDS}(?:\s+(?:for|of|to)\s+[^,;.]{{1,60}})?"
        rf"{_NAME_BETWEEN_COMMAS}\s*(?:that|which|where|whereby)\b",
        re.IGNORECASE,
    ),
    re.compile(  # "ThinkLess, our pruning method, cuts ...": the name opens the sentence
        r"^(?P<name>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}),\s+(?:our|the\s+proposed)\s+"
        rf"(?:[\w-]+\s+){{0,3}}?{_METHOD_WORDS}\b"
    ),
)
# "through the MedRAG toolkit introduced in this work": a coined name the sentence says is
# the work's own, with at most one common noun between.
_INTRODUCED_HERE = re.compile(
    r"\b(?P<name>[A-Za-z][\w-]*[A-Z0-9][\w-]*)(?:\s+[a-z]+)?,?\s+(?:that\s+(?:we|is|was)\s+)?"
    r"(?:introduced|proposed|developed|presented)\s+(?:in|by)\s+this\s+"
    r"(?:work|paper|study|article)\b"
)
# "via a simple method called chain of thought prompting" (not "an existing method called X")
_CALLED = re.compile(
    r"\b(?:an?|the)\s+(?!(?:existing|previous|prior|popular|standard|classic|known)\b)"
    rf"(?:[\w-]+\s+){{0,3}}?{_METHOD_WORDS}\s+(?:called|named|dubbed|termed)\s+[“\"']?"
    r"(?P<name>[\w-]+(?:\s+[\w-]+){0,4}?)[”\"']?"
    r"(?=\s*[,.;:()]|\s+(?:and|which|that|because|for|to|with|where|is|are|was|were)\b)",
    re.IGNORECASE,
)
_QUOTED_OWN = re.compile(
    r"\b(?:this|our|the\s+proposed|an?\s+(?:new|novel))\s+[“\"](?P<name>[^”\"]{3,40})[”\"]",
    re.IGNORECASE,
)
# "we introduce “instruction swapping”, a data augmentation ..., and “instruction dropout”":
# every quoted phrase after a first-person contribution verb.
_QUOTED_AFTER_VERB = re.compile(
    r"\bwe\s+(?:also\s+|further\s+)?(?:introduce|propose|present|develop|design|call|term|"
    r"dub|name)\w*\s+(?P<rest>[^.;]*)",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[“\"](?P<name>[^”\"]{3,40})[”\"]")


def _any(_: re.Match[str]) -> bool:
    return True


def _a_name(m: re.Match[str]) -> bool:
    """A single plain word is no name ("we call them experts"); a capitalised one is
    ("which we name Parallax")."""
    name = m["name"]
    return " " in name or "-" in name or coined(name) or name[:1].isupper()


def _coined_name(m: re.Match[str]) -> bool:
    """A coined name ("ThinkLess"), not a sentence adverb ("Moreover, our method") nor a
    phrase ("On DSTC2, our model")."""
    name = m["name"]
    return coined(name) and not any(w.lower() in STOPWORDS for w in name.split())


def _no_function_word(m: re.Match[str]) -> bool:
    """ "our method, which ..." names nothing."""
    return m["name"].split()[0].lower() not in STOPWORDS


# Each pattern, the words without which it cannot match, and what its name must be.
_PHRASE_PATTERNS: tuple[
    tuple[re.Pattern[str], tuple[str, ...], Callable[[re.Match[str]], bool]], ...
] = (
    (_REFERRED, ("refer",), _any),
    (_QUOTED_OWN, ('"', "“"), _any),
    (_CALLED, ("called", "named", "dubbed", "termed"), _any),
    (_WE_CALL, ("call", "term", "dub", "coin", "we name"), _a_name),
    (_OWN_APPOSITIONS[0], ("our ", "proposed"), _no_function_word),
    (_OWN_APPOSITIONS[1], ("resulting",), _no_function_word),
    (_OWN_APPOSITIONS[2], ("propose", "introduce", "present", "develop"), _no_function_word),
    (_OWN_APPOSITIONS[3], ("our ", "proposed"), _coined_name),
    (_INTRODUCED_HERE, ("in this ", "by this "), _coined_name),
)


def _before_coined_name(text: str) -> int:
    """How many characters of common words stand before a coined name that ends the
    phrase: "sketch-then-act policy SketchVLA" names SketchVLA (0 when there is none)."""
    words_ = text.split(" ")
    if len(words_) < 2 or not coined(words_[-1]) or any(w[:1].isupper() for w in words_[:-1]):
        return 0
    return len(text) - len(words_[-1])


def coined_phrases(abstract: str, sentences: Sequence[Sentence]) -> list[Mention]:
    """Names the paper gives its own work in so many words: the name after "we refer to
    our model as" or "which we call", a quoted phrase after "this / our / a new"
    ("this “image context flux” representation"), a name set off by commas after the
    paper's method ("our method, multi-turn self-correction, improves ...") or before it
    at a sentence's start ("ThinkLess, our pruning method, ..."), the name of "a simple
    method called X" and a coined name "introduced in this work"."""
    lower = abstract.lower()
    active = [  # each pattern only where its cue words occur: most abstracts have none
        (pattern, keep)
        for pattern, cues, keep in _PHRASE_PATTERNS
        if any(cue in lower for cue in cues)
    ]
    out: list[Mention] = []
    quoted = '"' in abstract or "“" in abstract
    for si, sent in enumerate(sentences):
        found = [m for pattern, keep in active for m in pattern.finditer(sent.text) if keep(m)]
        verb = _QUOTED_AFTER_VERB.search(sent.text) if quoted else None
        if verb is not None:  # a phrase or a coined word, not a quoted adjective
            found.extend(
                m
                for m in _QUOTED.finditer(sent.text, verb.start("rest"))
                if " " in m["name"] or coined(m["name"])
            )
        for hit in found:
            start, end = sent.start + hit.start("name"), sent.start + hit.end("name")
            start += _before_coined_name(abstract[start:end])
            text = abstract[start:end]
            if known_field(text) is None and not generic_architecture(text):
                out.append(Mention("methods", start, end, si, text, "proposed"))
    return out


def marked_new(sentences: Sequence[Sentence], methods: Sequence[Mention]) -> list[Mention]:
    """A method phrase written as new in a sentence about the paper's own work ("we
    augment it with a simple new gradient reversal layer"), or a part named "this / our X
    module"."""
    out: list[Mention] = []
    for m in methods:
        phrase = " " in m.text or ("-" in m.text and m.text.islower())  # or "self-training"
        if not phrase or not plain_own(m) or study_device(m.text):
            continue  # "we propose a novel evaluation scheme": how a study is done
        sent = sentences[m.sentence]
        before = sent.text[: m.start - sent.start]
        words_ = before.lower().split()[-2:]
        if words_ and _NEW & set(words_) and FIRST_PERSON.search(sent.text):
            out.append(m)
        elif (
            words_[-1:] in (["this"], ["our"])
            and m.text.rsplit(" ", 1)[-1].lower() in COMPONENT_HEADS
        ):
            out.append(m)  # "This recurrent grouping module is differentiable"
    return out
