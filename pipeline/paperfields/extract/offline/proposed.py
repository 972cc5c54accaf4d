"""The paper's own method: the names an abstract introduces as its contribution.

Every rule is about the syntax of introducing something, never about particular names:

* **The title's "X:"** reappearing in the abstract ("ZIP-FIT: ..."), unless X is one of
  the abstract's datasets (a benchmark paper proposes no method).
* **A contribution verb** in a first-person sentence ("we propose / introduce / present
  / develop / design X", "this paper presents X"), or in the passive ("X is presented"):
  the names of the noun phrase that follows the verb, with an acronym defined there
  ("Reward Preference Optimization (RPO)") and a name introduced by "called / named /
  dubbed / termed". Without a name, the phrase's descriptive words before a generic head
  ("a GPT self-supervision annotation method" -> "GPT self-supervision annotation"), as
  long as some are not evaluative ("a novel framework" names nothing). "propose to
  <verb>" introduces no name.
* **An apposition** "X, a/an ..." or "(X), a ..." whose X is a coined name.
* **Own-work markers** before a coined name: "our X", "the proposed X", "the novel X".
* **An acronym definition tied to the title**: the long form or acronym also written in
  the title ("... with Regularized Relevance Reward" and "Regularized Relevance Reward
  (R^3)").
* **A coined name of the title** (``SVDNet``) that the abstract uses and that is no widely
  known name.

Widely known names (the lexicons) are never the paper's own, and names after "such as",
"e.g." or "like" are examples, not contributions.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from .heads import head_field, known_field, name_like
from .lexicons import MODIFIERS, STOPWORDS, words
from .mentions import Mention
from .self_named import self_named
from .sentences import Sentence, Token

__all__ = ["coined", "generic_architecture", "proposed_mentions", "title_head", "title_names"]

_TITLE_HEAD = re.compile(r"^\s*([^:]{2,40}?)\s*:\s*")
_TITLE_NAME = re.compile(r"[A-Za-z0-9]*[A-Z][A-Za-z0-9^]*(?:[-.][A-Za-z0-9^]+)*\+*")
_CUE = frozenset(
    "propose proposes proposed present presents presented introduce introduces introduced "
    "develop develops developed design designs designed devise devises devised build builds "
    "construct constructs constructed formulate formulates formulated contribute "
    "contributes offer offers unveil unveils describe describes".split()
)
_NAMING = frozenset("called named dubbed termed coined call".split())
_FIRST_PERSON = re.compile(r"\b(?:we|our|us|this (?:paper|work|study|article)|here)\b", re.I)
_PASSIVE = frozenset({"is", "are", "was", "were", "be", "been"})
_DETERMINERS = frozenset(
    "a an the our its this these two three four both new novel first simple".split()
)
_EXAMPLE_CUES = frozenset({"e.g.", "e.g", "such", "like", "including", "i.e.", "i.e"})
_OWN_MARKERS = frozenset({"our", "proposed", "novel", "presented", "introduced"})
_GENERIC_HEADS = words("generic_method_heads") | frozenset(
    "methods approaches frameworks algorithms techniques strategies models model paradigm "
    "pipeline module scheme unit layer block cell".split()
)
_CLAUSE_BREAKS = frozenset({";", "which", "that", "to", "where", "while", "whereas"})
_CONJUNCTIONS = frozenset({"and", "yet", "but", "or", ","})
_PROCESS = words("process_nouns")
_ARCHITECTURE_WORDS = words("architecture_words")
_MODEL_CLASSES = words("model_classes")
# Heads of a part the paper adds, named with their modifiers ("context module").
_COMPONENT_HEADS = frozenset("unit layer block cell module".split())
_LIKE = re.compile(r"-(?:like|based|style)$", re.IGNORECASE)
_DIMENSION = re.compile(r"^\d+(?:\.\d+)?[A-Za-z]$")  # "3D", "7B", "1B": a size, not a name
_MAX_SPAN_TOKENS = 8
_MAX_NAMED_TOKENS = 30  # how far after "named" the names of one phrase may reach


def title_head(title: str) -> str | None:
    """The lowercased "X" of a title "X: ...", when X is at most four words."""
    head = _TITLE_HEAD.match(title)
    if head and len(head.group(1).split()) <= 4:
        return head.group(1).lower()
    return None


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


def coined(text: str) -> bool:
    """A coined name: a word with an inner capital or a digit ("PreSelect", "R^3"), not
    a bare size or dimension ("3D", "7B")."""
    return any(
        (any(ch.isupper() for ch in word[1:]) or any(ch.isdigit() for ch in word))
        and not _DIMENSION.match(word)
        for word in text.split()
    )


def generic_architecture(text: str) -> bool:
    """A name made only of generic architecture words ("Convolutional Neural Networks",
    "recurrent neural networks", "end-to-end"): a class of models, not one paper's own."""
    parts = text.lower().replace("(", " ").replace(")", " ").split()
    return bool(parts) and all(w in _ARCHITECTURE_WORDS for w in parts)


def _own_name(m: Mention) -> bool:
    """A name that can be the paper's own: typed as a name, coined or written in title case
    ("Reward Preference Optimization"), and not widely known."""
    if m.source == "lexicon" or known_field(m.text) is not None:
        return False
    if generic_architecture(m.text) or _DIMENSION.match(m.text) or _LIKE.search(m.text):
        return False  # ("ResNet-like" is ResNet's kind, not a name of its own)
    if m.text.lower().removesuffix("s") in _MODEL_CLASSES:
        return False  # "LLMs", "PLM": a class of models
    parts = m.text.split()
    title_case = len(parts) > 1 and all(w[:1].isupper() for w in parts)
    return m.source in ("name", "acronym", "proposed") or coined(m.text) or title_case


_ADJECTIVE_ENDINGS = ("ant", "ive", "able", "ible", "ous", "ic", "al", "ful")
# What may come before the phrase a title is about: "Towards a Neural Statistician".
_TITLE_OPENING = re.compile(r"^\s*(?:(?:towards|on|a|an|the)\s+)*$", re.IGNORECASE)


def _appositive_closes(sentence: Sentence, m: Mention) -> bool:
    """Whether a comma (or the sentence's end) closes the apposition a name stands in."""
    rest = sentence.text[m.end - sentence.start :].lstrip()
    return rest[:1] in (",", ".", "")


def _appositive_after(sentence: Sentence, m: Mention) -> bool:
    """Whether ", a / an / the ..." or "(" follows a mention: it is being introduced."""
    rest = sentence.text[m.end - sentence.start :].lstrip()
    return rest.startswith("(") or re.match(r",\s+(?:an?|the)\s", rest) is not None


def _released_known(m: Mention) -> bool:
    """A widely known model name written right after "we present / introduce / release":
    the paper releasing it ("we release Llama 2"), not a generic architecture or class."""
    return (
        m.source == "lexicon"
        and m.text[:1].isupper()
        and (coined(m.text) or " " in m.text or any(ch.isdigit() for ch in m.text))
        and not generic_architecture(m.text)
        and m.text.lower().removesuffix("s") not in _MODEL_CLASSES
    )


def _plain_own(m: Mention) -> bool:
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


def _title_head_mention(abstract: str, head: str) -> Mention | None:
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


def whole_word(text: str, needle: str, extra: str = "") -> int | None:
    """The offset of the first occurrence of ``needle`` in ``text`` as a whole word (no
    letter, digit, "_" or "-", nor any character of ``extra``, on either side), or None.
    A plain search: no pattern is compiled per name."""
    if not needle:
        return None
    start = text.find(needle)
    while start >= 0:
        before = text[start - 1] if start else " "
        end = start + len(needle)
        after = text[end] if end < len(text) else " "
        if not _joins(before, extra) and not _joins(after, extra.replace(".", "")):
            return start
        start = text.find(needle, start + 1)
    return None


def _joins(ch: str, extra: str) -> bool:
    return ch.isalnum() or ch in "_-" or ch in extra


def _cue_index(tokens: Sequence[Token]) -> list[int]:
    """Indices of contribution verbs that introduce a noun phrase (not "propose to")."""
    out = []
    for i, tok in enumerate(tokens):
        if tok.lower not in _CUE:
            continue
        nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        if nxt in ("to", "that", "how", "in", "on", "results", "experiments", "evidence"):
            continue
        out.append(i)
    return out


def _phrase_after(tokens: Sequence[Token], i: int) -> tuple[int, int]:
    """The token range of the noun phrase right after token ``i``: determiners and
    evaluative words skipped, content words up to a function word or a clause break."""
    j = i + 1
    while j < len(tokens) and (
        tokens[j].lower in _DETERMINERS
        or tokens[j].lower in MODIFIERS
        or (tokens[j].lower in _CONJUNCTIONS and j > i + 1 and tokens[j - 1].lower in MODIFIERS)
    ):
        j += 1
    k = j
    while k < len(tokens) and k - j < _MAX_SPAN_TOKENS:
        tok = tokens[k]
        if not tok.is_word or tok.lower in STOPWORDS or tok.lower in _NAMING:
            break
        k += 1
    return j, k


def _descriptive(
    abstract: str, sentence: Sentence, si: int, first: int, last: int
) -> Mention | None:
    """The descriptive name of "a X Y method": the words before a generic head, when
    at least one of them is neither evaluative nor a determiner."""
    tokens = sentence.tokens
    head = tokens[last - 1].lower if last > first else ""
    if last - first < 2 or head not in _GENERIC_HEADS or head.endswith("s"):
        return None  # a plural head is a family: "two training strategies"
    words_ = tokens[first : last - 1]
    component = head in _COMPONENT_HEADS  # "a novel residual unit": the head is named too
    if (
        len(words_) == 1
        and not component
        and ("-" not in words_[0].text or _LIKE.search(words_[0].text))
    ):
        return None  # "a training method", "an X model", "a ResNet-like architecture"
    if not any(t.lower not in MODIFIERS and t.lower not in _PROCESS for t in words_):
        return None
    if not component and all(
        t.lower.endswith(("ed", "al", "ive", "ic", "ous", "able")) for t in words_
    ):
        return None  # only adjectives: "a unified framework", "a hierarchical model"
    if head_field(words_[-1].lower) == "tasks":
        return None  # "a 3D object detection method" names the task, not the method
    named = [*words_, tokens[last - 1]] if component else list(words_)
    if generic_architecture(" ".join(t.text for t in named)):
        return None  # "a deep neural network model", "a recurrent layer"
    start, end = words_[0].start, (tokens[last - 1] if component else words_[-1]).end
    return Mention("methods", start, end, si, abstract[start:end], "proposed")


def _example(tokens: Sequence[Token], index: int) -> bool:
    """Whether the token at ``index`` follows "such as", "e.g." or "like" closely."""
    return any(t.lower in _EXAMPLE_CUES for t in tokens[max(0, index - 3) : index])


class _ByStart:
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


def _index_of(sentence: Sentence, offset: int) -> int | None:
    """The index of the token starting at ``offset`` (by bisection: no scan per name)."""
    tokens = sentence.tokens
    i = bisect_left(tokens, offset, key=lambda t: t.start)
    return i if i < len(tokens) and tokens[i].start == offset else None


def _coined_token(
    abstract: str, sentence: Sentence, si: int, tok: Token, methods: _ByStart
) -> Mention | None:
    """A coined single-token name as a method mention (an existing one when there is)."""
    same = methods.at(tok.start)
    if same is not None and same.end == tok.end:
        return same
    if not (coined(tok.text) or name_like(tok)) or known_field(tok.text) is not None:
        return None
    if _LIKE.search(tok.text):
        return None
    return Mention("methods", tok.start, tok.end, si, tok.text, "proposed")


def _from_contribution(
    abstract: str,
    sentence: Sentence,
    si: int,
    methods: _ByStart,
) -> list[Mention]:
    """The names a contribution verb of this sentence introduces."""
    tokens = sentence.tokens
    out: list[Mention] = []
    first_person = _FIRST_PERSON.search(sentence.text) is not None
    cues = _cue_index(tokens)
    if not cues:
        return out
    next_stop = [len(tokens)] * (len(tokens) + 1)  # the next clause break at or after k
    for k in range(len(tokens) - 1, -1, -1):
        next_stop[k] = k if tokens[k].lower in _CLAUSE_BREAKS else next_stop[k + 1]
    previous_stop = 0
    for i in cues:
        passive = i > 0 and tokens[i - 1].lower in _PASSIVE
        if not (first_person or passive):
            continue
        if passive:
            lo, hi = previous_stop, i  # "the novel X approach is presented"
            stop = hi
        else:
            lo, hi = i + 1, len(tokens)
            stop = next_stop[lo]
        previous_stop = i + 1
        span_hi = tokens[stop - 1].end if stop > lo else 0
        # Only the names of the introduced phrase and its apposition or acronym:
        # the phrase right after the verb, "(X)", ", X," and "called X".
        first, last = _phrase_after(tokens, i) if not passive else (lo, stop)
        near = tokens[first].start if first < len(tokens) else span_hi
        reach = tokens[min(last + 6, stop) - 1].end if stop > first else span_hi
        naming = next(
            (
                k
                for k in range(first, min(last + 2, stop))
                if tokens[k].lower in _NAMING or (tokens[k].text == ":" and k >= last)
            ),
            None,
        )
        if naming is not None:  # "two strategies named X (XX) and Y (YY)", "a method: X"
            reach = tokens[min(naming + _MAX_NAMED_TOKENS, stop) - 1].end if stop > naming else 0
        named = [
            m
            for m in methods.within(near, reach)
            if _own_name(m) and not _example(tokens, _index_of(sentence, m.start) or 0)
        ]
        if not passive and last + 3 < len(tokens) and tokens[last].text == ",":
            # "a new simple network architecture, the Transformer, based on ...": the name
            k = last + 1 + (tokens[last + 1].lower in ("the", "called", "named"))
            after = methods.at(tokens[k].start)
            if (
                after is not None
                and after.text[:1].isupper()  # capitalised mid-sentence: a name
                and after.text.lower().removesuffix("s") not in _MODEL_CLASSES
                and _appositive_closes(sentence, after)
            ):
                named = [after, *named]
        if not passive and first < len(tokens):
            known = methods.at(tokens[first].start)
            if known is not None and _released_known(known) and _appositive_after(sentence, known):
                named = [known, *named]  # "we present Llama 2, a collection of ...": a release
        out.extend(named)
        if naming is not None and not named:
            j = naming + 1
            while j < stop and (not tokens[j].is_word or tokens[j].lower in _DETERMINERS):
                j += 1
            if j < stop:
                after = methods.at(tokens[j].start)
                m = after or _coined_token(abstract, sentence, si, tokens[j], methods)
                if m is not None and m.source != "lexicon":
                    out.append(m)
                    named = [m]
        if not named and not passive:
            phrase = methods.at(tokens[first].start) if first < len(tokens) else None
            head_at = next(
                (k for k in range(first + 1, last) if tokens[k].lower in _GENERIC_HEADS), None
            )  # "a novel residual unit capable of ...": the phrase ends at its head
            desc = _descriptive(abstract, sentence, si, first, head_at + 1 if head_at else last)
            if desc is not None:
                out.append(desc)
            elif phrase is not None and phrase.source != "lexicon" and " " in phrase.text:
                out.append(phrase)  # "we introduce reward-conditioned LLM policies"
    return out


def _appositions(abstract: str, sentences: Sequence[Sentence], methods: _ByStart) -> list[Mention]:
    """Coined names in "X, a/an ..." or "(X), a ..." and after "our"/"the proposed"."""
    out: list[Mention] = []
    for si, sent in enumerate(sentences):
        tokens = sent.tokens
        for i, tok in enumerate(tokens):
            if not tok.is_word:
                continue
            prev = tokens[i - 1].lower if i > 0 else ""
            j = i + 1
            if j < len(tokens) and tokens[j].text == ")":
                j += 1
            after_cue = prev in _CUE or (prev == "the" and i > 1 and tokens[i - 2].lower in _CUE)
            apposition = (
                j + 1 < len(tokens)
                and tokens[j].text == ","
                and tokens[j + 1].lower in ("a", "an")
                and (prev in ("(", "we", ",") or i == 0 or after_cue)
            )
            if (
                apposition
                and (prev == "(" or after_cue)
                and tok.text[:1].isupper()
                and not name_like(tok)
            ):  # "we present Wizzo, a ...", "we propose the K-loss, a ..."
                if known_field(tok.text) is None and tok.lower not in STOPWORDS:
                    out.append(Mention("methods", tok.start, tok.end, si, tok.text, "proposed"))
                    continue  # "... strength (Preselect), a lightweight method"
            if apposition or prev in _OWN_MARKERS:
                m = _coined_token(abstract, sent, si, tok, methods)
                if m is not None and _own_name(m) and (apposition or coined(m.text)):
                    out.append(m)
                elif prev == "our" and m is None:
                    desc = _our_phrase(abstract, sent, si, i)
                    if desc is not None:
                        out.append(desc)
    return out


def _our_phrase(abstract: str, sentence: Sentence, si: int, i: int) -> Mention | None:
    """The descriptive name in "our X approach" (a singular generic head closing it)."""
    tokens = sentence.tokens
    k = i
    while k < len(tokens) and k - i < 5 and tokens[k].is_word and tokens[k].lower not in STOPWORDS:
        if tokens[k].lower in _GENERIC_HEADS:
            return _descriptive(abstract, sentence, si, i, k + 1)
        k += 1
    return None


_URL_NAME = re.compile(r"github\.com/[\w.-]+/([\w.-]+)|huggingface\.co/[\w.-]+/([\w.-]+)", re.I)


def _released(abstract: str, methods: Sequence[Mention]) -> list[Mention]:
    """A method whose name is the repository of the abstract's code link
    ("github.com/org/SPRC"): the released system is the paper's own."""
    repos = {
        (m.group(1) or m.group(2)).lower().removesuffix(".git").rstrip(".")
        for m in _URL_NAME.finditer(abstract)
    }
    return [m for m in methods if m.text.lower() in repos and _own_name(m)]


def _first_person_acronym(
    sentences: Sequence[Sentence], methods: Sequence[Mention]
) -> list[Mention]:
    """The first acronym pair of a method defined in a first-person sentence."""
    for m in methods:
        if m.group and m.source in ("name", "acronym") and known_field(m.group) is None:
            if _FIRST_PERSON.search(sentences[m.sentence].text):
                return [x for x in methods if x.group == m.group]
    return []


_SUBJECT_VERBS = frozenset(
    "outperforms outperformed achieves achieved surpasses surpassed improves improved yields "
    "sets establishes attains reaches delivers beats ranks enables obtains obtained scores "
    "exceeds exceeded matches rivals reduces reduced lowers cuts boosts accelerates speeds "
    "consistently significantly "
    "substantially also further".split()
)
_RELATIVE = frozenset({"which", "that"})


def _described(sentences: Sequence[Sentence], methods: Sequence[Mention]) -> list[Mention]:
    """Own-system syntax around a coined name: the copula "X is a/an ...", the subject of
    a result verb ("X outperforms ...", "X achieves ..."), and "X, which ..."."""
    out: list[Mention] = []
    for m in methods:
        if not _own_name(m) or not coined(m.text) or (m.group and m.text == m.group):
            continue
        sent = sentences[m.sentence]
        i = _index_of(sentence=sent, offset=m.start)
        if i is None:
            continue
        tokens = sent.tokens
        last = i
        while last + 1 < len(tokens) and tokens[last + 1].end <= m.end:
            last += 1
        nxt = [t.lower for t in tokens[last + 1 : last + 4]]
        subject = i == 0 or tokens[i - 1].lower in (
            "the",
            ",",
            "our",
            "and",
            "then",
            "thus",
            "that",
        )
        copula = subject and nxt[:1] in (["is"], ["are"]) and nxt[1:2] in (["a"], ["an"])
        result = subject and bool(nxt) and nxt[0] in _SUBJECT_VERBS
        relative = nxt[:1] == [","] and nxt[1:2] and nxt[1] in _RELATIVE
        if copula or result or relative:
            out.append(m)
    return out


def _named(abstract: str, sentences: Sequence[Sentence], methods: _ByStart) -> list[Mention]:
    """The name after "called / named / dubbed / termed" in a sentence about the paper's
    own work ("Our method, dubbed SiamMask, ...")."""
    out: list[Mention] = []
    for si, sent in enumerate(sentences):
        if _FIRST_PERSON.search(sent.text) is None:
            continue
        tokens = sent.tokens
        for k, tok in enumerate(tokens[:-1]):
            if tok.lower not in _NAMING:
                continue
            j = k + 1
            while j < len(tokens) and (
                not tokens[j].is_word or tokens[j].lower in ("a", "an", "the")
            ):
                j += 1
            if j >= len(tokens):
                continue
            m = methods.at(tokens[j].start) or _coined_token(abstract, sent, si, tokens[j], methods)
            if m is not None and not generic_architecture(m.text):
                out.append(m)
    return out


def _most_used(methods: Sequence[Mention]) -> list[Mention]:
    """The coined, not widely known name used most often (at least twice)."""
    counts: dict[str, int] = {}
    for m in methods:
        if _own_name(m) and coined(m.text):
            counts[m.text] = counts.get(m.text, 0) + 1
    if not counts:
        return []
    best = max(counts, key=lambda t: counts[t])
    return [m for m in methods if m.text == best] if counts[best] >= 2 else []


def _title_tied(title: str, methods: Sequence[Mention]) -> list[Mention]:
    """Names of several words written in the abstract and in the title, with the acronym
    their abstract defines ("... with Regularized Relevance Reward" and "Regularized
    Relevance Reward (R^3)"). A title capitalises its words, so a phrase the title writes
    in capitals is a name even where the abstract writes it in lower case ("Covariance
    Pooling for ..." and "covariance pooling"), unless it is a generic architecture or a
    task."""
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
        if _own_name(m) or (capitalised and opens and _plain_own(m)):
            tied.append(m)
    groups = {m.group for m in tied if m.group}
    return tied + [m for m in methods if m.group and m.group in groups]


def _partners(abstract: str, own: Sequence[Mention], methods: _ByStart) -> list[Mention]:
    """The name written in parentheses right after an own name: "Long Form (LF)"."""
    out = []
    for o in own:
        after = abstract[o.end : o.end + 4]
        gap = len(after) - len(after.lstrip(" ("))
        if "(" not in after[:gap]:
            continue
        m = methods.at(o.end + gap)
        if m is not None and abstract[m.end : m.end + 1] == ")" and m.source != "lexicon":
            out.append(m)
    return out


_LEADING = MODIFIERS | frozenset({"presented", "introduced", "described", "developed"})


def _trimmed(m: Mention, abstract: str) -> Mention | None:
    """An own name without the evaluative or own-work words before it ("presented
    context module" -> "context module"); None when only a generic head is left ("new
    network")."""
    words_ = m.text.split(" ")
    k = 0
    while k < len(words_) - 1 and words_[k].lower() in _LEADING and words_[k].islower():
        k += 1
    if k == 0:
        return m
    rest = " ".join(words_[k:])
    if " " not in rest and (rest.lower() in _GENERIC_HEADS or generic_architecture(rest)):
        return None
    start = m.start + len(" ".join(words_[:k])) + 1
    return replace(m, start=start, text=abstract[start : m.end])


_NEW = frozenset({"new", "novel"})
_REFER = re.compile(
    r"\brefer\s+to\s+(?:our|this|the)\s+\w+(?:\s+\w+)?\s+as\s+(?:an?\s+|the\s+)?$", re.I
)


# "we refer to our model as a neural statistician", "this “image context flux” representation"
_REFERRED = re.compile(
    r"\brefer\s+to\s+(?:our|this|the)\s+\w+(?:\s+\w+)?\s+as\s+(?:an?\s+|the\s+)?"
    r"(?P<name>[\w-]+(?:\s+[\w-]+){0,3}?)(?=\s*[,.;:(]|\s+(?:and|which|that|because)\b)",
    re.IGNORECASE,
)
_QUOTED_OWN = re.compile(
    r"\b(?:this|our|the\s+proposed|an?\s+(?:new|novel))\s+[“\"](?P<name>[^”\"]{3,40})[”\"]",
    re.IGNORECASE,
)


def _coined_phrases(abstract: str, sentences: Sequence[Sentence]) -> list[Mention]:
    """Names the paper gives its own work in so many words: the name after "we refer to
    our model as", and a quoted phrase after "this / our / a new" ("this “image context
    flux” representation")."""
    out: list[Mention] = []
    for si, sent in enumerate(sentences):
        found = [m for m in _REFERRED.finditer(sent.text)]
        found += [m for m in _QUOTED_OWN.finditer(sent.text)]
        for hit in found:
            start, end = sent.start + hit.start("name"), sent.start + hit.end("name")
            text = abstract[start:end]
            if known_field(text) is None and not generic_architecture(text):
                out.append(Mention("methods", start, end, si, text, "proposed"))
    return out


def _marked_new(sentences: Sequence[Sentence], methods: Sequence[Mention]) -> list[Mention]:
    """A method phrase written as new in a sentence about the paper's own work ("we
    augment it with a simple new gradient reversal layer"), or named by "we refer to our
    model as X"."""
    out: list[Mention] = []
    for m in methods:
        if " " not in m.text or not _plain_own(m):
            continue
        sent = sentences[m.sentence]
        before = sent.text[: m.start - sent.start]
        if _REFER.search(before):
            out.append(m)
            continue
        words_ = before.lower().split()[-2:]
        if words_ and _NEW & set(words_) and _FIRST_PERSON.search(sent.text):
            out.append(m)
        elif (
            words_[-1:] in (["this"], ["our"])
            and m.text.rsplit(" ", 1)[-1].lower() in _COMPONENT_HEADS
        ):
            out.append(m)  # "This recurrent grouping module is differentiable"
    return out


def _sentence_of(sentences: Sequence[Sentence], offset: int) -> int:
    """The index of the sentence holding an abstract offset."""
    return max(0, bisect_left([s.end for s in sentences], offset + 1))


def proposed_mentions(
    title: str,
    abstract: str,
    sentences: Sequence[Sentence],
    methods: Sequence[Mention],
    datasets: Sequence[Mention] = (),
) -> list[Mention]:
    """The paper's own method names, the most certain first (see the module docstring).

    Args:
        title: the paper's title.
        abstract: the abstract the mentions' offsets refer to.
        sentences: its sentences.
        methods: its method mentions (after refinement), in text order.
        datasets: its dataset mentions; a title "X:" naming one marks a dataset paper.

    Returns:
        Method mentions (existing ones, or new ones with source ``"proposed"``), each
        name once.
    """
    head = title_head(title)
    if head is not None and any(d.text.lower() == head for d in datasets):
        return []
    index = _ByStart(methods)
    found: list[Mention] = []
    if head is not None:
        found.extend(m for m in methods if m.text.lower() == head)
        if not found and not any(d.text.lower() == head for d in datasets):
            made = _title_head_mention(abstract, head)
            if made is not None:
                found.append(replace(made, sentence=_sentence_of(sentences, made.start)))
    for si, sent in enumerate(sentences):
        found.extend(_from_contribution(abstract, sent, si, index))
    found.extend(_appositions(abstract, sentences, index))
    found.extend(_title_tied(title, methods))
    for name in title_names(title):
        if known_field(name) is not None:
            continue
        found.extend(m for m in methods if m.text.lower() == name and _own_name(m))
    found.extend(_released(abstract, methods))
    found.extend(_described(sentences, methods))
    found.extend(_named(abstract, sentences, index))
    found.extend(_marked_new(sentences, methods))
    found.extend(_coined_phrases(abstract, sentences))
    head_word = head if head is not None and " " not in head else None
    found.extend(self_named(sentences, head_word, index.at))
    if not found:
        found.extend(_first_person_acronym(sentences, methods) or _most_used(methods))
    found.extend(_partners(abstract, found, index))
    seen: set[str] = set()
    out: list[Mention] = []
    for m in (_trimmed(x, abstract) for x in found):
        if m is None:
            continue
        key = m.text.lower()
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out
