"""The paper's own method: the names an abstract introduces as its contribution.

Every rule is about the syntax of introducing something, never about particular names:

* **The title's "X:"** reappearing in the abstract ("ZIP-FIT: ..."), unless X is one of
  the abstract's datasets. A paper whose contribution is data proposes only a method a
  contribution verb introduces with its acronym or as a method ("a modeling framework
  LUMEN"), the coined model it trains there ("we introduce TableLLM, trained on our
  training set"), and the parts of its own method.
* **A contribution verb** in a first-person sentence ("we propose / introduce / present
  / develop / design X", "this paper presents X"), or in the passive ("X is presented"):
  the names of the noun phrase that follows the verb, with an acronym defined there
  ("Reward Preference Optimization (RPO)") and a name introduced by "called / named /
  dubbed / termed". Without a name, the phrase's descriptive words before a generic head
  ("a GPT self-supervision annotation method" -> "GPT self-supervision annotation"), as
  long as some are not evaluative ("a novel framework" names nothing). "propose to
  <verb>" introduces no name.
* **An apposition** "X, a/an ..." or "(X), a ..." whose X is a coined name, or any
  capitalised name when the apposition's head is a method's ("These findings motivate
  Gelato, a similarity-based link-prediction method").
* **Own-work markers** before a coined name: "our X", "the proposed X", "the novel X",
  "our model X".
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

What a name must look like to be the paper's own is :mod:`.name_shapes`; what a
contribution verb introduces is :mod:`.contribution`; the title's rules are
:mod:`.title_rules`; phrases marked by "new", "this ... module", "we refer to ... as",
"which we call" and quotes are :mod:`.own_phrases`. Otherwise widely known names (the
lexicons) are never the paper's own, and names after "such as", "e.g." or "like" are
examples, not contributions. A link, a generic head alone, and a name the title
re-examines ("Reconsidering the Performance of GAE") are never the paper's own.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import replace

from .contribution import (
    CONTRIBUTION_VERBS,
    NAMING_LINKS,
    NAMING_WORDS,
    descriptive_name,
    from_contribution,
    introduced_as_method,
)
from .heads import NOT_MENTIONS, known_field, name_like
from .lexicons import STOPWORDS
from .mention_index import MentionIndex, coined_token, token_index
from .mentions import Mention
from .name_shapes import (
    coined,
    compound_adjective,
    generic_architecture,
    is_model_class,
    like_name,
    own_name,
)
from .own_components import own_components
from .own_phrases import (
    FIRST_PERSON,
    GENERIC_HEADS,
    coined_phrases,
    marked_new,
    trimmed,
)
from .paper_kind import data_title
from .self_named import self_named
from .sentences import Sentence, Token
from .title_rules import (
    reexamined,
    studied,
    title_head,
    title_head_mention,
    title_means_mention,
    title_names,
    title_phrase_mention,
    title_subtitle_mention,
    title_tied,
)

__all__ = ["proposed_mentions"]

_WEB_ADDRESS = re.compile(r"https?\b|www\.|\w\.(?:com|org|io|co|ai|net)\b|\w/\w")
_METHOD_HEADS = frozenset("method framework approach algorithm technique architecture".split())
_OWN_MARKERS = frozenset({"our", "proposed", "novel", "presented", "introduced"})


def _appositions(
    abstract: str, sentences: Sequence[Sentence], methods: MentionIndex
) -> list[Mention]:
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
            after_cue = prev in CONTRIBUTION_VERBS or (
                prev == "the" and i > 1 and tokens[i - 2].lower in CONTRIBUTION_VERBS
            )
            introduced = (
                j + 1 < len(tokens) and tokens[j].text == "," and tokens[j + 1].lower in ("a", "an")
            ) and (j == i + 1 or prev == "(")  # "(X), a ...": X alone in the parentheses
            # (not the last word of "LATS (Language Agent Tree Search), a framework")
            described = introduced and _method_head_follows(tokens, j + 2)
            apposition = introduced and (
                prev in ("(", "we", ",") or i == 0 or after_cue or described
            )  # "These findings motivate Gelato, a similarity-based link-prediction method"
            if (
                apposition
                and (prev == "(" or after_cue or described)
                and tok.text[:1].isupper()
                and not name_like(tok)
            ):  # "we present Wizzo, a ...", "we propose the K-loss, a ..."
                if known_field(tok.text) is None and tok.lower not in STOPWORDS:
                    out.append(Mention("methods", tok.start, tok.end, si, tok.text, "proposed"))
                    continue  # "... strength (Preselect), a lightweight method"
            if (
                prev in GENERIC_HEADS
                and i > 1
                and tokens[i - 2].lower == "our"
                and coined(tok.text)
                and known_field(tok.text) is None
            ):  # "our model s1-32B exceeds o1-preview": the model's name
                m = coined_token(abstract, sent, si, tok, methods)
                if m is not None and own_name(m):
                    out.append(m)
                    continue
            if apposition or prev in _OWN_MARKERS:
                m = coined_token(abstract, sent, si, tok, methods)
                if m is not None and own_name(m) and (apposition or coined(m.text)):
                    out.append(m)
                elif prev == "our" and m is None:
                    desc = _our_phrase(abstract, sent, si, i)
                    if desc is not None:
                        out.append(desc)
    return out


def _method_head_follows(tokens: Sequence[Token], k: int) -> bool:
    """Whether the noun phrase from token ``k`` ends in a singular method head within six
    words ("a similarity-based link-prediction method that ...")."""
    for tok in tokens[k : k + 6]:
        if not tok.is_word or tok.lower in STOPWORDS:
            return False
        if tok.lower in _METHOD_HEADS:
            return True
    return False


def _our_phrase(abstract: str, sentence: Sentence, si: int, i: int) -> Mention | None:
    """The descriptive name in "our X approach" (a singular generic head closing it)."""
    tokens = sentence.tokens
    k = i
    while k < len(tokens) and k - i < 5 and tokens[k].is_word and tokens[k].lower not in STOPWORDS:
        if tokens[k].lower in GENERIC_HEADS:
            return descriptive_name(abstract, sentence, si, i, k + 1)
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
        if (
            m.group
            and m.source in ("name", "acronym")
            and known_field(m.group) is None
            and not is_model_class(m.group)  # "Vision-Language Models (VLMs)": a class
        ):
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
# "Against Self-RAG, which requires a trained critic": a relative clause after a baseline.
_COMPARED_WITH = frozenset("against over than versus vs like unlike to with".split())


def _coined_unknown(text: str) -> bool:
    """Whether a word of a name is coined and no widely known acronym: "ZapNet training"
    and "Domain-specific Fine-Tuning", not "RL training"."""
    return any(coined(w) and not (w.isupper() and known_field(w)) for w in text.split())


def _described(sentences: Sequence[Sentence], methods: Sequence[Mention]) -> list[Mention]:
    """Own-system syntax around a coined name: the copula "X is a/an ...", the subject of
    a result verb ("X outperforms ...", "X achieves ..."), and "X, which ..."."""
    out: list[Mention] = []
    for m in methods:
        if not own_name(m) or not _coined_unknown(m.text) or (m.group and m.text == m.group):
            continue
        sent = sentences[m.sentence]
        i = token_index(sentence=sent, offset=m.start)
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
        compared = i > 0 and tokens[i - 1].lower in _COMPARED_WITH
        relative = nxt[:1] == [","] and nxt[1:2] and nxt[1] in _RELATIVE and not compared
        if copula or result or relative:
            out.append(m)
    return out


# "The resulting model, dubbed ScaleFlow, ...": what the paper's steps produce is its own.
_RESULTING = re.compile(
    r"\b(?:the|this) (?:resulting|proposed|new|final)\s+(?:[\w-]+\s+){0,2}?[\w-]+,?\s+"
    r"(?:called|named|dubbed|termed|coined)\b",
    re.IGNORECASE,
)


def _named(abstract: str, sentences: Sequence[Sentence], methods: MentionIndex) -> list[Mention]:
    """The name after "called / named / dubbed / termed" in a sentence about the paper's
    own work ("Our method, dubbed SiamMask, ...")."""
    out: list[Mention] = []
    for si, sent in enumerate(sentences):
        if FIRST_PERSON.search(sent.text) is None and _RESULTING.search(sent.text) is None:
            continue
        tokens = sent.tokens
        for k, tok in enumerate(tokens[:-1]):
            if tok.lower not in NAMING_WORDS:
                continue
            j = k + 1
            while j < len(tokens) and (
                not tokens[j].is_word or tokens[j].lower in NAMING_LINKS
            ):
                j += 1
            if j >= len(tokens):
                continue
            m = methods.at(tokens[j].start) or coined_token(abstract, sent, si, tokens[j], methods)
            if m is not None and not generic_architecture(m.text):
                out.append(m)
    return out


def _partners(abstract: str, own: Sequence[Mention], methods: MentionIndex) -> list[Mention]:
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


# "a novel Reinforcement Learning (RL) approach for ...": a widely known technique naming the
# kind of an unnamed own method, not the method.
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_GENERIC_AFTER = re.compile(
    r"\s*(?:\([^()]{1,15}\)\s*)?(?:-?based\s+)?(?:approach|method|framework|technique|"
    r"algorithm|pipeline|strategy|paradigm)\b",
    re.IGNORECASE,
)


def _kind_of_method(abstract: str, m: Mention) -> bool:
    """Whether a widely known method name (or its acronym) only says what kind of method
    an unnamed own one is: "a novel Reinforcement Learning (RL) approach"."""
    if "methods" not in (known_field(m.text), known_field(m.group) if m.group else None):
        return False
    return (
        _GENERIC_AFTER.match(abstract, m.end) is not None
        and _ARTICLE_BEFORE.search(abstract, 0, m.start) is not None
    )


_SIZES = re.compile(r"^[\d.,]+[KMBT](?:[-/][\d.,]+[KMBT])*$")  # "7B", "127M-355M-7B"


def _no_name(text: str) -> bool:
    """Words that name no method of the paper's own: a describing compound ("3-stage",
    "HuggingFace-compatible"), a venue, firm or platform ("SOTA", "GitHub"), sizes
    ("127M-355M-7B"); a phrase such a compound ends ("reinforcement learning-based")."""
    last = text.rsplit(" ", 1)[-1]
    return (
        compound_adjective(last)
        or like_name(last)
        or text in NOT_MENTIONS
        or _SIZES.match(text) is not None
    )


def _sentence_of(sentences: Sequence[Sentence], offset: int) -> int:
    """The index of the sentence holding an abstract offset."""
    return max(0, bisect_left([s.end for s in sentences], offset + 1))


def proposed_mentions(
    title: str,
    abstract: str,
    sentences: Sequence[Sentence],
    methods: Sequence[Mention],
    datasets: Sequence[Mention] = (),
    released: Collection[str] = (),
    study: bool = False,
) -> list[Mention]:
    """The paper's own method names, the most certain first (see the module docstring).

    Args:
        title: the paper's title.
        abstract: the abstract the mentions' offsets refer to.
        sentences: its sentences.
        methods: its method mentions (after refinement), in text order.
        datasets: its dataset mentions; a title "X:" naming one marks a dataset paper.
        released: the names it introduces as data (:func:`.paper_kind.released_data`): the systems
            such a paper evaluates are not its own, so a result's subject is not taken.
        study: whether the paper studies others' methods (:func:`.paper_kind.is_study`,
            :func:`.paper_kind.evaluates_others`): it gets no guessed method.

    Returns:
        Method mentions (existing ones, or new ones with source ``"proposed"``), each
        name once.
    """
    head = title_head(title)
    index = MentionIndex(methods)
    if head is not None and (any(d.text.lower() == head for d in datasets) or data_title(title)):
        # "X: A Benchmark for ...": a paper whose contribution is data; only a method it
        # introduces with its acronym ("we introduce the Reasoning-augmented Continual
        # Learning (RCL) approach") or as a method ("a modeling framework LUMEN") or the
        # parts of its own method are its own
        return [
            m
            for si, sent in enumerate(sentences)
            for m in from_contribution(abstract, sent, si, index)
            if m.text.lower() != head
            and (
                (m.group and known_field(m.group) is None)
                or introduced_as_method(sent, m)
            )
        ] + _trained_on_it(abstract, sentences, methods, head) + own_components(abstract, sentences)
    found: list[Mention] = []
    if head is not None:
        found.extend(m for m in methods if m.text.lower() == head)
        if not found and not any(d.text.lower() == head for d in datasets):
            made = title_head_mention(abstract, head) or title_subtitle_mention(title, abstract)
            if made is not None:  # "X: ..." in the abstract, else the words after "X:"
                found.append(replace(made, sentence=_sentence_of(sentences, made.start)))
    phrase = title_phrase_mention(title, abstract)  # "Self-Rewarding Language Models"
    if phrase is not None:
        placed = replace(phrase, sentence=_sentence_of(sentences, phrase.start))
        found.append(index.at(phrase.start) or placed)
    for si, sent in enumerate(sentences):
        found.extend(from_contribution(abstract, sent, si, index))
    found.extend(own_components(abstract, sentences))  # "our method consists of X and Y"
    found.extend(_appositions(abstract, sentences, index))
    found.extend(title_tied(title, methods))
    for name in title_names(title):
        if known_field(name) is not None or studied(title, name):
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
    if not found:  # the means a title names, where the abstract names no own method
        means = title_means_mention(title, abstract)
        if means is not None:
            placed = replace(means, sentence=_sentence_of(sentences, means.start))
            found.append(index.at(means.start) or placed)
    if not found and not study:  # a guess, not for a study
        found.extend(_first_person_acronym(sentences, methods))
    found.extend(_partners(abstract, found, index))
    seen: set[str] = set()
    kinds: set[str] = set()
    out: list[Mention] = []
    for m in (trimmed(x, abstract) for x in found):
        if m is None or _WEB_ADDRESS.search(m.text) or m.text.lower() in GENERIC_HEADS:
            continue  # "huggingface.co/user/model", "model111https": a link; "method": no name
        if _no_name(m.text):
            continue
        if reexamined(title, m.text) or (m.group and m.group in kinds):
            continue
        if _kind_of_method(abstract, m):
            kinds.add(m.group or m.text)  # and its acronym or long form with it
            continue
        key = m.text.lower()
        if key not in seen:
            seen.add(key)
            out.append(m)
    return _without_extended(out)


# A model the paper trains: "TableLLM, trained on our training set", "we trained X over ...".
_TRAINED_AFTER = re.compile(
    r",?\s+(?:[a-z]+ly\s+)?(?:trained|fine-tuned|finetuned)\s+(?:on|with)\b"
)
_TRAINED_BEFORE = re.compile(r"\bwe\s+(?:trained|fine-tuned|finetuned)\s+$", re.IGNORECASE)


def _trained_on_it(
    abstract: str, sentences: Sequence[Sentence], methods: Sequence[Mention], head: str
) -> list[Mention]:
    """In a paper whose contribution is data, the coined model it introduces as trained
    there or trains: "we introduce TableLLM, trained on our training set", "we trained
    PMC-Cambrian-8B over 2400 GPU hours". A widely known model fine-tuned there, or a
    model it evaluates ("we evaluate TabGPT, trained on ..."), stays the others'."""
    out = []
    for m in methods:
        if m.source != "name" or m.text.lower() == head or known_field(m.text) is not None:
            continue
        sent = sentences[m.sentence]
        before = sent.text[: m.start - sent.start].lower().split()[-4:]
        introduced = any(w in CONTRIBUTION_VERBS for w in before)  # "we introduce X, trained"
        if (introduced and _TRAINED_AFTER.match(abstract, m.end)) or _TRAINED_BEFORE.search(
            abstract, max(0, m.start - 20), m.start
        ):
            out.append(m)
    return out


def _words(text: str) -> list[str]:
    return re.split(r"[\s-]+", text.lower())


def _ends(inner: list[str], outer: list[str]) -> bool:
    return len(outer) > len(inner) and outer[-len(inner) :] == inner


def _without_extended(own: list[Mention]) -> list[Mention]:
    """The own names without those another own name extends by words before them, with
    their acronym or long form: "Fuzzy Speculative Decoding" is the paper's, "Speculative
    Decoding (SD)" the method it builds on; so "Sub-MoE" and "MoE", "HPC-ColPali" and
    "ColPali". A name followed by a size or version ("DeepSeekMath-7B") keeps its family."""
    split = [_words(m.text) for m in own]
    extended = {
        i for i, inner in enumerate(split) if any(_ends(inner, outer) for outer in split)
    }
    groups = {own[i].group for i in extended if own[i].group}
    return [
        m
        for i, m in enumerate(own)
        if i not in extended and not (m.group and m.group in groups and m.text == m.group)
    ]
