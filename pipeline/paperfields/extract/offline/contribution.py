"""The names a contribution verb introduces: "we propose / introduce / present X".

In a first-person sentence ("we propose", "this paper presents") or in the passive ("X is
presented"), the noun phrase after the verb names the paper's own method: the names it
holds, an acronym defined there ("Reward Preference Optimization (RPO)"), a name after
"called / named / dubbed / termed", "denoted as" or "referred to as" (lower-case too: "a
technique called token merging") or after a generic phrase's "namely / i.e." ("a two-step
framework, i.e., sampling-then-filtering"), the phrase "the concept of" introduces, a
capitalised name in apposition ("a new network architecture, the Transformer, ..."), a
widely known model it releases ("we present Llama 2, a ..."), and without a name its
descriptive words before a generic head, "process" included ("a GPT self-supervision
annotation method"), or the bare phrase itself when it is then described as a technique or
followed by "which" ("we propose token merging, a training-free technique"). Each item of
an enumerated list it introduces is named ("two objectives: (1) an orthogonality loss ...,
and (2) a variance loss"). "propose to <verb>" introduces no name, and names after "such
as" are examples.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .heads import head_field, known_field
from .lexicons import MODIFIERS, STOPWORDS, words
from .mention_index import MentionIndex, coined_token, token_index
from .mentions import Mention
from .name_shapes import (
    STUDY_WORDS,
    compound_adjective,
    generic_architecture,
    head_keeping_compound,
    is_model_class,
    like_name,
    own_name,
    released_known,
    study_device,
)
from .own_phrases import COMPONENT_HEADS, FIRST_PERSON, GENERIC_HEADS
from .sentences import Sentence, Token

__all__ = [
    "CONTRIBUTION_VERBS",
    "NAMING_LINKS",
    "NAMING_WORDS",
    "descriptive_name",
    "from_contribution",
    "introduced_as_method",
]

CONTRIBUTION_VERBS = frozenset(
    "propose proposes proposed present presents presented introduce introduces introduced "
    "develop develops developed design designs designed devise devises devised build builds "
    "construct constructs constructed formulate formulates formulated contribute "
    "contributes offer offers unveil unveils describe describes release releases "
    "proposing introducing presenting developing designing".split()
)
NAMING_WORDS = frozenset("called named dubbed termed coined call denoted referred".split())
# What stands between a naming word and the name: "denoted as X", "referred to as X".
NAMING_LINKS = frozenset({"a", "an", "the", "as", "to"})
# What names the phrase just introduced, after it: "a two-step framework, i.e., X".
_RENAMING_WORDS = frozenset({"namely", "i.e", "i.e."})
# What a contribution verb may introduce before the name: "the concept of a dataset schema".
_IDEA_WORDS = frozenset({"concept", "notion", "idea"})
_PASSIVE = frozenset({"is", "are", "was", "were", "be", "been"})
_DETERMINERS = frozenset(
    "a an the our its this these two three four both new novel first simple".split()
)
_EXAMPLE_CUES = frozenset({"e.g.", "e.g", "such", "like", "including", "i.e.", "i.e"})
_CLAUSE_BREAKS = frozenset({";", "which", "that", "to", "where", "while", "whereas"})
_CONJUNCTIONS = frozenset({"and", "yet", "but", "or", ","})
_PROCESS = words("process_nouns")
_LETTERS_AND_FIGURE = re.compile(r"[A-Z][A-Za-z]*\d+[A-Za-z]*")
_ACRONYM_AFTER = re.compile(r"^\s*\([^()\s]+\)")  # " (GMT)" right after a name
_MAX_SPAN_TOKENS = 8
_MAX_NAMED_TOKENS = 30  # how far after "named" the names of one phrase may reach


def _appositive_closes(sentence: Sentence, m: Mention) -> bool:
    """Whether a comma (or the sentence's end) closes the apposition a name stands in,
    after its acronym if one follows: "a new approach, Generative Model Tuning (GMT), to"."""
    rest = _ACRONYM_AFTER.sub("", sentence.text[m.end - sentence.start :], count=1).lstrip()
    return rest[:1] in (",", ".", "")


def _appositive_after(sentence: Sentence, m: Mention) -> bool:
    """Whether ", a / an / the ...", "(" or ": Long Form" follows a mention: it is being
    introduced ("we introduce LLaVA: Large Language and Vision Assistant")."""
    rest = sentence.text[m.end - sentence.start :].lstrip()
    return (
        rest.startswith("(")
        or re.match(r",\s+(?:an?|the)\s", rest) is not None
        or re.match(r":\s+[A-Z]", rest) is not None
    )


def _cue_index(tokens: Sequence[Token]) -> list[int]:
    """Indices of contribution verbs that introduce a noun phrase (not "propose to")."""
    out = []
    for i, tok in enumerate(tokens):
        if tok.lower not in CONTRIBUTION_VERBS:
            continue
        nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        headed_passive = (
            i > 1 and tokens[i - 1].lower in _PASSIVE and tokens[i - 2].lower in GENERIC_HEADS
        )  # "A coarse-to-fine strategy is proposed that employs ...", not "It is shown that"
        if nxt in ("to", "how", "in", "on", "results", "experiments", "evidence") or (
            nxt == "that" and not headed_passive
        ):
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
        or (tokens[j].lower in _IDEA_WORDS and j + 1 < len(tokens) and tokens[j + 1].lower == "of")
    ):
        j += 2 if tokens[j].lower in _IDEA_WORDS else 1
    k = j
    while k < len(tokens) and k - j < _MAX_SPAN_TOKENS:
        tok = tokens[k]
        if not tok.is_word or tok.lower in STOPWORDS or tok.lower in NAMING_WORDS:
            break
        k += 1
    return j, k


def descriptive_name(
    abstract: str, sentence: Sentence, si: int, first: int, last: int
) -> Mention | None:
    """The descriptive name of "a X Y method": the words before a generic head, when
    at least one of them is neither evaluative nor a determiner."""
    tokens = sentence.tokens
    head = tokens[last - 1].lower if last > first else ""
    plural = head.endswith("s") and not head.endswith("ss")
    if last - first < 2 or head not in GENERIC_HEADS or plural:
        return None  # a plural head is a family: "two training strategies"
    words_ = tokens[first : last - 1]
    component = head in COMPONENT_HEADS  # "a novel residual unit": the head is named too
    # "a structure-preserving approach": the head stays after a participle
    component = component or (len(words_) == 1 and head_keeping_compound(words_[0].text))
    if (
        len(words_) == 1
        and not component
        and (
            "-" not in words_[0].text
            or like_name(words_[0].text)
            or compound_adjective(words_[0].text)
        )
    ):
        return None  # "a training method", "a ResNet-like architecture", "a two-stage approach"
    if not any(t.lower not in MODIFIERS and t.lower not in _PROCESS for t in words_):
        return None
    if not component and all(
        t.lower in MODIFIERS or t.lower.endswith(("ed", "al", "ive", "ic", "ous", "able"))
        for t in words_
    ):
        return None  # only adjectives: "a unified framework", "a hierarchical model"
    if head_field(words_[-1].lower) == "tasks":
        return None  # "a 3D object detection method" names the task, not the method
    if words_[-1].lower in STUDY_WORDS:
        return None  # "a multidimensional evaluation framework": a study's device
    named = [*words_, tokens[last - 1]] if component else list(words_)
    if generic_architecture(" ".join(t.text for t in named)):
        return None  # "a deep neural network model", "a recurrent layer"
    start, end = words_[0].start, (tokens[last - 1] if component else words_[-1]).end
    return Mention("methods", start, end, si, abstract[start:end], "proposed")


def _bracketed_name(
    abstract: str, sentence: Sentence, si: int, k: int, methods: MentionIndex
) -> Mention | None:
    """The one capitalised word in parentheses at token ``k``, right after the phrase a
    contribution verb introduces: the name the paper gives it ("(Tripwire)")."""
    tokens = sentence.tokens
    if not (k + 2 < len(tokens) and tokens[k].text == "(" and tokens[k + 2].text == ")"):
        return None
    if k > 0 and head_field(tokens[k - 1].lower) == "datasets":
        return None  # "a Cross-Age Face dataset (CAF)": the name of data
    tok = tokens[k + 1]
    if not tok.is_word or not tok.text[:1].isupper() or tok.lower in STOPWORDS:
        return None
    if is_model_class(tok.text):
        return None  # "a collaborative annotation method based on Large Language Models (LLMs)"
    same = methods.at(tok.start)
    if same is not None:
        return same if same.end == tok.end and own_name(same) else None
    letters_and_figure = _LETTERS_AND_FIGURE.fullmatch(tok.text) is not None  # "S4", "T3"
    if known_field(tok.text) is not None or not (
        (tok.text[1:].isalpha() and len(tok.text) >= 3) or letters_and_figure
    ):
        return None
    return Mention("methods", tok.start, tok.end, si, tok.text, "proposed")


def _past_purpose(tokens: Sequence[Token], last: int, stop: int) -> int:
    """Where a bracketed name would stand after the introduced phrase and a short purpose
    phrase that belongs to its long form ("Context-aware biases for length extrapolation
    (Cable)"); ``last`` when no such phrase comes before a bracket."""
    if not (last < stop and tokens[last].lower in _PURPOSE and tokens[last].lower != "to"):
        return last
    k = last + 1
    while k < stop and k - last <= 4 and tokens[k].is_word and tokens[k].lower not in STOPWORDS:
        if tokens[last].lower == "with" and not tokens[k].text[:1].isupper():
            return last  # "an architecture with monolithic 3D (M3D)": a part it has
        k += 1
    return k if k > last + 1 and k < len(tokens) and tokens[k].text == "(" else last


def _closing_colon_name(
    abstract: str, sentence: Sentence, si: int, cue: int, methods: MentionIndex
) -> Mention | None:
    """The name after a colon that ends a contribution sentence whose verb introduced a
    generic method phrase: "we propose an extremely simple strategy to improve ...: ROPE
    Contraction." """
    tokens = sentence.tokens
    end = len(tokens) - (1 if tokens and tokens[-1].text in ".!" else 0)
    colon = next((k for k in range(end - 1, cue, -1) if tokens[k].text == ":"), None)
    if colon is None or not 1 <= end - colon - 1 <= 4:
        return None
    name = tokens[colon + 1 : end]
    if not all(t.is_word and t.text[:1].isupper() for t in name):
        return None
    between = {t.lower for t in tokens[cue + 1 : colon]}
    if not between & GENERIC_HEADS or between & _DATA_WORDS:
        return None
    start, stop = name[0].start, name[-1].end
    known = methods.at(start)
    if known is not None and (known.start, known.end) == (start, stop):
        return known if own_name(known) else None
    if known_field(abstract[start:stop]) is not None:
        return None
    return Mention("methods", start, stop, si, abstract[start:stop], "proposed")


# What a known family's own members add after a hyphen: a version, a size or a role.
_FAMILY_SUFFIX = re.compile(
    r"^(?:v?\d[\w.]*|[\d.]+[kmbt]|large|base|small|tiny|medium|huge|xl|xxl|instruct|chat|"
    r"it|hf|sft|rlhf|code|math|vision|turbo|pro|plus|flash|lite|ultra|preview)$",
    re.IGNORECASE,
)


def _own_variant(abstract: str, sentence: Sentence, si: int, tok: Token) -> Mention | None:
    """A known name's new variant that a contribution verb introduces with an apposition:
    "we propose Adam-mini, an optimizer that ...", "a simple solution GRPO-λ, a stabilized
    variant of GRPO" (not a family's member such as "Llama-3-8B" or "BERT-large", nor a
    name already typed)."""
    base, found, suffix = tok.text.partition("-")
    if not (found and base and suffix) or known_field(base) != "methods":
        return None
    if any(_FAMILY_SUFFIX.match(part) for part in suffix.split("-")):
        return None
    m = Mention("methods", tok.start, tok.end, si, tok.text, "proposed")
    return m if _appositive_after(sentence, m) else None


def _example(tokens: Sequence[Token], index: int) -> bool:
    """Whether the token at ``index`` follows "such as", "e.g." or "like" closely."""
    return any(t.lower in _EXAMPLE_CUES for t in tokens[max(0, index - 3) : index])


def from_contribution(
    abstract: str,
    sentence: Sentence,
    si: int,
    methods: MentionIndex,
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
        linked = k > 0 and tokens[k - 1].lower == "referred"  # "referred to as X"
        next_stop[k] = k if tokens[k].lower in _CLAUSE_BREAKS and not linked else next_stop[k + 1]
    previous_stop = 0
    for i in cues:
        passive = i > 0 and tokens[i - 1].lower in _PASSIVE
        # "the proposed X outperforms ...": the paper's own X, said without "we"
        adjectival = i > 0 and tokens[i - 1].lower == "the" and tokens[i].lower == "proposed"
        if not (first_person or passive or adjectival):
            continue
        lo = previous_stop if passive else i + 1  # passive: "the novel X approach is presented"
        stop = i if passive else next_stop[lo]
        previous_stop = i + 1
        # Only the names of the introduced phrase and its apposition or acronym:
        # the phrase right after the verb, "(X)", ", X," and "called X".
        first, last = _phrase_after(tokens, i) if not passive else (lo, stop)
        if not passive:
            listed = _enumerated(abstract, sentence, si, i, methods)
            closing = _closing_colon_name(abstract, sentence, si, i, methods)
            if closing is not None and not listed:  # "... a strategy to ...: ROPE Contraction."
                out.append(closing)
                continue
            if listed:  # "two objectives: (1) an orthogonality loss ..., and (2) a ..."
                out.extend(listed)
                continue
        naming = _naming_word(tokens, first, last, stop)
        phrase_only = adjectival and not first_person
        span = (first, last, stop)
        named = _names_of_phrase(
            abstract, sentence, si, methods, span, naming, passive, phrase_only
        )
        out.extend(named)
        if not passive:
            bracket_at = _past_purpose(tokens, last, stop)
            opens_bracket = last < len(tokens) and tokens[last].text == "("
            if not named or bracket_at != last or opens_bracket:
                # "a training-free probe-and-stop procedure (Tripwire)", "Instructed Temporal
                # Grounding for Videos (VideoITG)"
                bracketed = _bracketed_name(abstract, sentence, si, bracket_at, methods)
                if bracketed is not None and bracketed not in named:
                    named = [*named, bracketed]
                    out.append(bracketed)
        if naming is not None and not named:
            after_naming = _name_after_naming_word(abstract, sentence, si, methods, naming, stop)
            if after_naming is not None:
                out.append(after_naming)
                named = [after_naming]
        if named:
            continue
        if passive:
            desc = _passive_descriptive(abstract, sentence, si, lo, i - 1)
            if desc is not None:  # "a novel self-training method is proposed"
                out.append(desc)
        else:
            unnamed = _unnamed_phrase(abstract, sentence, si, methods, i, first, last)
            if unnamed is not None:
                out.append(unnamed)
    return out


def _naming_word(tokens: Sequence[Token], first: int, last: int, stop: int) -> int | None:
    """Where a naming word follows the introduced phrase: "called / named ...", a colon
    after it ("a method: X") or a renaming "namely / i.e." ("a two-step framework, i.e.,
    X")."""
    return next(
        (
            k
            for k in range(first, min(last + 2, stop))
            if tokens[k].lower in NAMING_WORDS
            or (k >= last and tokens[k].text == ":")
            or (tokens[k].lower in _RENAMING_WORDS and _renames(tokens, k, last))
        ),
        None,
    )


def _names_of_phrase(
    abstract: str,
    sentence: Sentence,
    si: int,
    methods: MentionIndex,
    phrase: tuple[int, int, int],
    naming: int | None,
    passive: bool,
    phrase_only: bool,
) -> list[Mention]:
    """The own names written in the introduced phrase (``first``..``last`` of ``phrase``,
    its clause ending at ``stop``) and a few words after it, or up to a naming word's
    names; a capitalised name in apposition after its head ("a new network architecture,
    the Transformer, ..."); a widely known model released with an apposition ("we present
    Llama 2, a collection of ..."), else a known name's new variant. ``phrase_only`` ("the
    proposed scorer can boost MagicBrush") reads the phrase alone."""
    tokens = sentence.tokens
    first, last, stop = phrase
    span_hi = tokens[stop - 1].end if stop > first else 0
    near = tokens[first].start if first < len(tokens) else span_hi
    reach = tokens[min(last + 6, stop) - 1].end if stop > first else span_hi
    if not passive and first < last < stop and tokens[last].lower in _PURPOSE:
        reach = tokens[last - 1].end  # "a X architecture with monolithic 3D (M3D) ...": a part
    if phrase_only and first < last:
        reach = tokens[last - 1].end
    if naming is not None:  # "two strategies named X (XX) and Y (YY)", "a method: X"
        reach = tokens[min(naming + _MAX_NAMED_TOKENS, stop) - 1].end if stop > naming else 0
    named = [
        m
        for m in methods.within(near, reach)
        if own_name(m) and not _example(tokens, token_index(sentence, m.start) or 0)
    ]
    comma = _head_comma(tokens, last, stop) if not passive else None
    if comma is not None and comma + 3 < len(tokens):
        # "a new simple network architecture, the Transformer, based on ...", "an
        # online reinforcement learning (RL) approach, SCoRe, that ...": the name
        k = comma + 1 + (tokens[comma + 1].lower in ("the", "called", "named"))
        after = methods.at(tokens[k].start)
        if after is None and comma != last:  # a coined word no rule typed: "SCoRe"
            after = coined_token(abstract, sentence, si, tokens[k], methods)
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
        elif not named:
            at = first + (tokens[first].lower in GENERIC_HEADS and first + 1 < len(tokens))
            variant = _own_variant(abstract, sentence, si, tokens[at])
            if variant is not None:  # "we propose Adam-mini, an optimizer that ..."
                named = [variant]
    return named


def _name_after_naming_word(
    abstract: str, sentence: Sentence, si: int, methods: MentionIndex, naming: int, stop: int
) -> Mention | None:
    """The name a naming word gives, past determiners and links ("denoted as X"): a typed
    name, a coined word, or after a naming word a plain phrase ("called token merging");
    never a widely known name."""
    tokens = sentence.tokens
    j = naming + 1
    while j < stop and (
        not tokens[j].is_word or tokens[j].lower in _DETERMINERS or tokens[j].lower in NAMING_LINKS
    ):
        j += 1
    if j >= stop:
        return None
    m = methods.at(tokens[j].start) or coined_token(abstract, sentence, si, tokens[j], methods)
    if m is None and tokens[naming].is_word:  # "called token merging"
        m = _plain_name(abstract, sentence, si, j, stop)
    return m if m is not None and m.source != "lexicon" else None


def _unnamed_phrase(
    abstract: str,
    sentence: Sentence,
    si: int,
    methods: MentionIndex,
    verb: int,
    first: int,
    last: int,
) -> Mention | None:
    """An introduced phrase that holds no name: its descriptive words before a generic
    head ("a GPT self-supervision annotation method"), the method phrase itself ("we
    introduce reward-conditioned LLM policies"), or the bare phrase when it is then
    described as a technique or is an idea ("we propose token merging, a training-free
    technique")."""
    tokens = sentence.tokens
    phrase = methods.at(tokens[first].start) if first < len(tokens) else None
    head_at = next(
        (k for k in range(first + 1, last) if tokens[k].lower in GENERIC_HEADS), None
    )  # "a novel residual unit capable of ...": the phrase ends at its head
    desc = descriptive_name(abstract, sentence, si, first, head_at + 1 if head_at else last)
    if desc is not None:
        return desc
    if (
        phrase is not None
        and phrase.source != "lexicon"
        and " " in phrase.text
        and not study_device(phrase.text)
        and not is_model_class(phrase.text.rsplit(" ", 1)[-1])  # "... LLMs": a class
    ):
        return phrase
    if (first == verb + 1 and _described_as_method(tokens, last)) or (
        last > first and _introduces_idea(tokens, verb, first, last)
    ):
        start, end = tokens[first].start, tokens[last - 1].end
        return Mention("methods", start, end, si, abstract[start:end], "proposed")
    return None


def _passive_descriptive(
    abstract: str, sentence: Sentence, si: int, lo: int, aux: int
) -> Mention | None:
    """The descriptive name of "a X Y method" right before the auxiliary of a passive
    contribution verb ("In this paper, a novel self-training method is proposed"): only
    an indefinite phrase is introduced ("the model is presented" introduces nothing)."""
    tokens = sentence.tokens
    first = aux
    while (
        first > lo
        and tokens[first - 1].is_word
        and tokens[first - 1].lower not in STOPWORDS
        and tokens[first - 1].lower not in _DETERMINERS
        and tokens[first - 1].lower not in MODIFIERS
    ):
        first -= 1
    k = first
    while k > lo and (tokens[k - 1].lower in _DETERMINERS or tokens[k - 1].lower in MODIFIERS):
        k -= 1
    if k == first or tokens[k].lower not in ("a", "an"):
        return None
    return descriptive_name(abstract, sentence, si, first, aux)


_PURPOSE = frozenset({"for", "of", "in", "to", "on", "with"})
_RELATIVES = frozenset({"which", "where", "whereby"})
# What an apposition may call the introduced phrase: a method, or an objective, policy, ...
_DESCRIBED_HEADS = GENERIC_HEADS | frozenset(
    "objective loss regularizer regularization policy procedure mechanism recipe criterion "
    "heuristic estimator".split()
)


def _introduces_idea(tokens: Sequence[Token], i: int, first: int, last: int) -> bool:
    """Whether the verb at ``i`` introduces "the concept of" the phrase ``first:last``
    ("we introduce the concept of a dataset schema"), a phrase of the paper's making
    rather than a task it names."""
    return any(t.lower in _IDEA_WORDS for t in tokens[i + 1 : first]) and (
        head_field(tokens[last - 1].lower) is None
    )


def _renames(tokens: Sequence[Token], k: int, last: int) -> bool:
    """Whether "namely" or "i.e." at ``k`` gives the name of the generic phrase just
    introduced: "a two-step framework, i.e., X", "a novel approach (namely, X)"."""
    return (
        k >= last > 0
        and tokens[k - 1].text in (",", "(")
        and tokens[last - 1].lower in GENERIC_HEADS
    )


def _plain_name(
    abstract: str, sentence: Sentence, si: int, j: int, stop: int
) -> Mention | None:
    """The lower-case name a naming word gives ("a technique called token merging",
    "i.e., sampling-then-filtering"): its words up to a function word or punctuation,
    unless they only qualify or name a task, data or a measure."""
    tokens = sentence.tokens
    k = j
    while k < stop and k - j < 5 and tokens[k].is_word and tokens[k].lower not in STOPWORDS:
        k += 1
    if k == j or not tokens[j].text[:1].islower():
        return None
    named = tokens[j:k]
    if all(t.lower in MODIFIERS for t in named) or head_field(named[-1].lower) is not None:
        return None
    text = abstract[named[0].start : named[-1].end]
    if generic_architecture(text) or is_model_class(text):
        return None
    return Mention("methods", named[0].start, named[-1].end, si, text, "proposed")


def _head_comma(tokens: Sequence[Token], last: int, stop: int) -> int | None:
    """The comma closing the introduced phrase: right at its end, or after a defined
    acronym and a generic head ("a ... learning (RL) approach, SCoRe, that ...")."""
    if last < len(tokens) and tokens[last].text == ",":
        return last
    for k in range(last + 1, min(last + 6, stop)):
        if tokens[k].text == ",":
            return k if tokens[k - 1].lower in GENERIC_HEADS and tokens[last].text == "(" else None
    return None


# What stands before a contribution verb used as a verb ("we propose", "that introduces").
_SUBJECTS = frozenset(
    "we i paper work study article also further then first and that which".split()
)
_ENUMERATORS = frozenset("1 2 3 4 5 i ii iii iv v a b c d".split())


def _enumerated(
    abstract: str, sentence: Sentence, si: int, cue: int, methods: MentionIndex
) -> list[Mention]:
    """The items of an enumerated list a contribution verb introduces: "we propose two
    objectives: (1) an orthogonality loss to ..., and (2) a variance loss" gives both
    losses, "two models: (i) ZapNet, trained on ...; and (ii) ZapNet-L" both names.
    Each item is the name at its start (its own mention or a coined word) or, without
    one, its words up to a described head ("loss", "objective", ...) or before a generic
    one ("method"). Nothing unless at least two items follow the verb."""
    tokens = sentence.tokens
    before = tokens[cue - 1].lower if cue > 0 else ""
    if not (before in _SUBJECTS or before.endswith("ly")):
        return []  # "two key design principles: (1) ...": the noun "design"
    starts = [
        k + 3
        for k in range(cue + 1, len(tokens) - 3)
        if tokens[k].text == "("
        and tokens[k + 1].lower in _ENUMERATORS
        and tokens[k + 2].text == ")"
        and (k == 0 or not tokens[k - 1].is_word or tokens[k - 1].lower in ("and", "or"))
    ]
    if len(starts) < 2:
        return []
    out: list[Mention] = []
    for j in starts:
        while j < len(tokens) and tokens[j].lower in _DETERMINERS:
            j += 1
        if j >= len(tokens) or not tokens[j].is_word or tokens[j].lower in STOPWORDS:
            continue
        at = methods.at(tokens[j].start)
        m = at if at is not None and own_name(at) else None
        if m is None and at is None:
            m = coined_token(abstract, sentence, si, tokens[j], methods)
        if m is None:
            m = _item_phrase(abstract, sentence, si, j)
        if m is not None:
            out.append(m)
    return out


def _item_phrase(abstract: str, sentence: Sentence, si: int, j: int) -> Mention | None:
    """An enumerated item's descriptive name: its words through a described head ("an
    orthogonality loss"), or before a generic one ("a retrieval-aware method")."""
    tokens = sentence.tokens
    k = j
    while k < len(tokens) and k - j < 5 and tokens[k].is_word and tokens[k].lower not in STOPWORDS:
        head = tokens[k].lower
        if head in GENERIC_HEADS:
            return descriptive_name(abstract, sentence, si, j, k + 1)
        if head in _DESCRIBED_HEADS and k > j:
            if all(t.lower in MODIFIERS for t in tokens[j:k]):
                return None  # "a simple loss": no name
            start, end = tokens[j].start, tokens[k].end
            return Mention("methods", start, end, si, abstract[start:end], "proposed")
        k += 1
    return None


def _described_as_method(tokens: Sequence[Token], last: int) -> bool:
    """Whether the bare phrase a contribution verb introduces (``tokens[:last]`` ends it)
    is then described as a method: "we propose token merging for efficient decoding, a
    training-free technique that ..." (an optional purpose phrase may come between; the
    apposition's head is a generic method head within its first words), or "we propose
    contrastive decoding, which searches ..." (a relative clause right after it)."""
    k = last
    if k + 1 < len(tokens) and tokens[k].text == ",":
        relative = tokens[k + 1].lower
        if relative in _RELATIVES or (
            relative in ("in", "by", "with")
            and k + 2 < len(tokens)
            and tokens[k + 2].lower in _RELATIVES
        ):  # "..., which searches", "..., in which an LLM rewrites"
            return True
    if k < len(tokens) and tokens[k].lower in _PURPOSE:
        k += 1
        while k < len(tokens) and k - last <= 6 and tokens[k].is_word:
            k += 1
    if not (k + 2 < len(tokens) and tokens[k].text == "," and tokens[k + 1].lower in ("a", "an")):
        return False
    # the head within the apposition's first words: "a simple, but effective training-free
    # approach"
    return any(t.lower in _DESCRIBED_HEADS for t in tokens[k + 2 : k + 9])


_DATA_WORDS = frozenset(
    "benchmark benchmarks dataset datasets data corpus corpora suite subset split "
    "collection metric metrics".split()
)


def introduced_as_method(sentence: Sentence, m: Mention) -> bool:
    """Whether a contribution verb introduces the name ``m`` as a method: the words
    between them ("we introduce two new methods to evaluate ...: X", "a modeling framework
    X") hold a generic method head and no word of data or measures."""
    at = token_index(sentence, m.start)
    if at is None:
        return False
    tokens = sentence.tokens
    cue = next(
        (k for k in range(at - 1, max(-1, at - 16), -1) if tokens[k].lower in CONTRIBUTION_VERBS),
        None,
    )
    if cue is None:
        return False
    between = {t.lower for t in tokens[cue + 1 : at]}
    after = next((t for t in tokens[at:] if t.start >= m.end), None)
    headed = after is not None and after.lower in GENERIC_HEADS  # "a novel Auto-Eval mechanism"
    return (headed or bool(between & GENERIC_HEADS)) and not between & _DATA_WORDS
