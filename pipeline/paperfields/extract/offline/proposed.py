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

* **A release:** a widely known model written right after the contribution verb with an
  apposition ("we present Llama 2, a collection of ..."), and a capitalised name in
  apposition to the introduced phrase ("a new network architecture, the Transformer,").
* **A descriptive part** the paper adds, with its head ("a novel residual unit").
* **The subject of a result verb** ("ZapNet outperforms ...", "LoftQ reduces ...") when
  it is coined.

What a name must look like to be the paper's own is :mod:`.name_shapes`; the title's rules
are :mod:`.title_rules`; phrases marked by "new", "this ... module", "we refer to ... as"
and quotes are :mod:`.own_phrases`. Otherwise widely known names (the lexicons) are never
the paper's own, and names after "such as", "e.g." or "like" are examples, not
contributions.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import replace

from .heads import head_field, known_field, name_like
from .lexicons import MODIFIERS, STOPWORDS, words
from .mentions import Mention
from .name_shapes import (
    coined,
    counted_adjective,
    generic_architecture,
    is_model_class,
    like_name,
    never_own,
    own_name,
    released_known,
    whole_word,
)
from .own_phrases import (
    COMPONENT_HEADS,
    FIRST_PERSON,
    GENERIC_HEADS,
    coined_phrases,
    marked_new,
    trimmed,
)
from .self_named import self_named
from .sentences import Sentence, Token
from .title_rules import title_head, title_head_mention, title_names, title_phrase, title_tied

__all__ = ["proposed_mentions", "released_data"]

_CUE = frozenset(
    "propose proposes proposed present presents presented introduce introduces introduced "
    "develop develops developed design designs designed devise devises devised build builds "
    "construct constructs constructed formulate formulates formulated contribute "
    "contributes offer offers unveil unveils describe describes release releases".split()
)
_NAMING = frozenset("called named dubbed termed coined call".split())
_PASSIVE = frozenset({"is", "are", "was", "were", "be", "been"})
_DETERMINERS = frozenset(
    "a an the our its this these two three four both new novel first simple".split()
)
_EXAMPLE_CUES = frozenset({"e.g.", "e.g", "such", "like", "including", "i.e.", "i.e"})
_OWN_MARKERS = frozenset({"our", "proposed", "novel", "presented", "introduced"})
_CLAUSE_BREAKS = frozenset({";", "which", "that", "to", "where", "while", "whereas"})
_CONJUNCTIONS = frozenset({"and", "yet", "but", "or", ","})
_PROCESS = words("process_nouns")
_MAX_SPAN_TOKENS = 8
_MAX_NAMED_TOKENS = 30  # how far after "named" the names of one phrase may reach


def _appositive_closes(sentence: Sentence, m: Mention) -> bool:
    """Whether a comma (or the sentence's end) closes the apposition a name stands in."""
    rest = sentence.text[m.end - sentence.start :].lstrip()
    return rest[:1] in (",", ".", "")


def _appositive_after(sentence: Sentence, m: Mention) -> bool:
    """Whether ", a / an / the ..." or "(" follows a mention: it is being introduced."""
    rest = sentence.text[m.end - sentence.start :].lstrip()
    return rest.startswith("(") or re.match(r",\s+(?:an?|the)\s", rest) is not None


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
    if last - first < 2 or head not in GENERIC_HEADS or head.endswith("s"):
        return None  # a plural head is a family: "two training strategies"
    words_ = tokens[first : last - 1]
    component = head in COMPONENT_HEADS  # "a novel residual unit": the head is named too
    if (
        len(words_) == 1
        and not component
        and (
            "-" not in words_[0].text
            or like_name(words_[0].text)
            or counted_adjective(words_[0].text)
        )
    ):
        return None  # "a training method", "a ResNet-like architecture", "a two-stage approach"
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
    if like_name(tok.text):
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
    first_person = FIRST_PERSON.search(sentence.text) is not None
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
            if own_name(m) and not _example(tokens, _index_of(sentence, m.start) or 0)
        ]
        if not passive and last + 3 < len(tokens) and tokens[last].text == ",":
            # "a new simple network architecture, the Transformer, based on ...": the name
            k = last + 1 + (tokens[last + 1].lower in ("the", "called", "named"))
            after = methods.at(tokens[k].start)
            if (
                after is not None
                and after.text[:1].isupper()  # capitalised mid-sentence: a name
                and not is_model_class(after.text)
                and _appositive_closes(sentence, after)
            ):
                named = [after, *named]
        if not passive and first < len(tokens):
            known = methods.at(tokens[first].start)
            if known is not None and released_known(known) and _appositive_after(sentence, known):
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
                (k for k in range(first + 1, last) if tokens[k].lower in GENERIC_HEADS), None
            )  # "a novel residual unit capable of ...": the phrase ends at its head
            desc = _descriptive(abstract, sentence, si, first, head_at + 1 if head_at else last)
            if desc is not None:
                out.append(desc)
            elif phrase is not None and phrase.source != "lexicon" and " " in phrase.text:
                out.append(phrase)  # "we introduce reward-conditioned LLM policies"
            elif first == i + 1 and _described_as_method(tokens, last):
                start, end = tokens[first].start, tokens[last - 1].end
                out.append(Mention("methods", start, end, si, abstract[start:end], "proposed"))
    return out


_PURPOSE = frozenset({"for", "of", "in", "to", "on", "with"})
_RELATIVES = frozenset({"which", "where", "whereby"})
# What an apposition may call the introduced phrase: a method, or an objective, policy, ...
_DESCRIBED_HEADS = GENERIC_HEADS | frozenset(
    "objective loss regularizer regularization policy procedure mechanism recipe criterion "
    "heuristic estimator".split()
)


def _described_as_method(tokens: Sequence[Token], last: int) -> bool:
    """Whether the bare phrase a contribution verb introduces (``tokens[:last]`` ends it)
    is then described as a method: "we propose token merging for efficient decoding, a
    training-free technique that ..." (an optional purpose phrase may come between; the
    apposition's head is a generic method head within its first words), or "we propose
    contrastive decoding, which searches ..." (a relative clause right after it)."""
    k = last
    if k + 1 < len(tokens) and tokens[k].text == "," and tokens[k + 1].lower in _RELATIVES:
        return True
    if k < len(tokens) and tokens[k].lower in _PURPOSE:
        k += 1
        while k < len(tokens) and k - last <= 6 and tokens[k].is_word:
            k += 1
    if not (k + 2 < len(tokens) and tokens[k].text == "," and tokens[k + 1].lower in ("a", "an")):
        return False
    return any(t.lower in _DESCRIBED_HEADS for t in tokens[k + 2 : k + 7])


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
                if m is not None and own_name(m) and (apposition or coined(m.text)):
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
        if tokens[k].lower in GENERIC_HEADS:
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
    return [m for m in methods if m.text.lower() in repos and own_name(m)]


def _first_person_acronym(
    sentences: Sequence[Sentence], methods: Sequence[Mention]
) -> list[Mention]:
    """The first acronym pair of a method defined in a first-person sentence."""
    for m in methods:
        if m.group and m.source in ("name", "acronym") and known_field(m.group) is None:
            if FIRST_PERSON.search(sentences[m.sentence].text):
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
        if not own_name(m) or not coined(m.text) or (m.group and m.text == m.group):
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
        if FIRST_PERSON.search(sent.text) is None:
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
        if own_name(m) and coined(m.text):
            counts[m.text] = counts.get(m.text, 0) + 1
    if not counts:
        return []
    best = max(counts, key=lambda t: counts[t])
    return [m for m in methods if m.text == best] if counts[best] >= 2 else []


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


def _sentence_of(sentences: Sequence[Sentence], offset: int) -> int:
    """The index of the sentence holding an abstract offset."""
    return max(0, bisect_left([s.end for s in sentences], offset + 1))


# An apposition that makes a name a released dataset: "X, a (new) benchmark / dataset /
# corpus / suite for ...", "X, an evaluation framework consisting of ... problems".
_DATA_APPOSITION = re.compile(
    r"^\s*(?:\([^)]{1,20}\)\s*)?,\s*(?:a|an|the)\s+(?:[\w.-]+\s+){0,4}?"
    r"(?:benchmarks?|datasets?|data\s?sets?|corpus|corpora|suite|leaderboard|testbed|"
    r"evaluation\s+(?:framework|suite))\b",
    re.IGNORECASE,
)


def released_data(sentences: Sequence[Sentence], names: Sequence[Mention]) -> set[str]:
    """The names an abstract introduces as a dataset or benchmark ("we introduce MedAlign,
    a benchmark dataset of 983 instructions"): data the paper releases, not a method."""
    out: set[str] = set()
    for m in names:
        sent = sentences[m.sentence]
        if m.text[:1].isupper() and _DATA_APPOSITION.match(sent.text[m.end - sent.start :]):
            out.add(m.text)
    return out


def proposed_mentions(
    title: str,
    abstract: str,
    sentences: Sequence[Sentence],
    methods: Sequence[Mention],
    datasets: Sequence[Mention] = (),
    released: Collection[str] = (),
) -> list[Mention]:
    """The paper's own method names, the most certain first (see the module docstring).

    Args:
        title: the paper's title.
        abstract: the abstract the mentions' offsets refer to.
        sentences: its sentences.
        methods: its method mentions (after refinement), in text order.
        datasets: its dataset mentions; a title "X:" naming one marks a dataset paper.
        released: the names it introduces as data (:func:`released_data`): the systems
            such a paper evaluates are not its own, so a result's subject is not taken.

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
            made = title_head_mention(abstract, head)
            if made is not None:
                found.append(replace(made, sentence=_sentence_of(sentences, made.start)))
    phrase = title_phrase(title)
    at = whole_word(abstract, phrase) if phrase is not None else None
    if phrase is not None and at is not None:  # the title's phrase, written as in the title
        si = _sentence_of(sentences, at)
        named = Mention("methods", at, at + len(phrase), si, phrase, "proposed")
        if not never_own(named, methods):
            found.append(index.at(at) or named)
    for si, sent in enumerate(sentences):
        found.extend(_from_contribution(abstract, sent, si, index))
    found.extend(_appositions(abstract, sentences, index))
    found.extend(title_tied(title, methods))
    for name in title_names(title):
        if known_field(name) is not None:
            continue
        found.extend(m for m in methods if m.text.lower() == name and own_name(m))
    found.extend(_released(abstract, methods))
    if not released:  # "AutoAIS reaches 0.61" in a benchmark paper: an evaluated system
        found.extend(_described(sentences, methods))
    found.extend(_named(abstract, sentences, index))
    found.extend(marked_new(sentences, methods))
    found.extend(coined_phrases(abstract, sentences))
    head_word = head if head is not None and " " not in head else None
    found.extend(self_named(sentences, head_word, index.at))
    if not found:
        found.extend(_first_person_acronym(sentences, methods) or _most_used(methods))
    found.extend(_partners(abstract, found, index))
    seen: set[str] = set()
    out: list[Mention] = []
    for m in (trimmed(x, abstract) for x in found):
        if m is None:
            continue
        key = m.text.lower()
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out
