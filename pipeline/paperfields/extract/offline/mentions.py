"""Find typed mentions (methods, tasks, datasets, metrics) in an abstract, one span per position.

Candidates come from four sources and never overlap (the longest wins):

1. **Acronym definitions** (:mod:`.acronyms`) - ``Long Form (LF)``: both get the
   long form's type, and so does every later use of the acronym.
2. **Activity phrases** - a gerund with its object opening a sentence or after
   "for"/"of" ("Classifying facial expressions") is a task.
3. **Typed noun phrases** - the chunker's phrases (:mod:`.chunker`) typed by
   their head (:mod:`.heads`): "... network" is a method, "... segmentation" a
   task, "... accuracy" a metric, "X dataset" a dataset, a model-like name a
   method by default.
4. **Known names** (:mod:`.names`) - widely known datasets, metrics, models and
   tasks. A phrase typed by its head noun absorbs a known name used as a
   modifier ("BLEU score", "COCO detection"); in any other phrase a known name
   of another type splits it off.

Finally the context decides between method and dataset for names typed only
by default: a name coordinated with a dataset, listed after a dataset word
("benchmarks like X and Y"), or following "on" in a sentence about results is
a dataset - everywhere in the abstract.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .acronyms import find_definitions
from .chunker import content_runs, gerund_phrases, noun_phrases
from .heads import (
    NAMES,
    after_apposition,
    head_field,
    is_generic,
    is_number,
    known_field,
    proper,
    type_phrase,
)
from .lexicons import FINITE_VERBS
from .listed_names import listed_capitalised
from .sentences import Sentence, Token

__all__ = ["FIELDS", "Mention", "find_mentions"]

FIELDS: tuple[str, ...] = ("methods", "tasks", "datasets", "metrics")


@dataclass(slots=True)
class Mention:
    """One typed mention: field, ``[start, end)`` in the abstract, sentence index, text, source.

    ``source`` says what typed it (``lexicon``, ``acronym``, ``phrase``, ``gerund``, or
    ``name`` for a name typed only by default); ``group`` links an acronym to its long form.
    """

    field: str
    start: int
    end: int
    sentence: int
    text: str
    source: str
    group: str = ""


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _longest_first(size: int, mentions: Iterable[Mention]) -> list[Mention]:
    """Keep the longest of overlapping mentions (the earlier one on ties)."""
    taken = bytearray(size)
    chosen: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if not any(taken[m.start : m.end]):
            taken[m.start : m.end] = b"\x01" * (m.end - m.start)
            chosen.append(m)
    return chosen


def _acronym_mentions(abstract: str, sentences: Sequence[Sentence]) -> list[Mention]:
    """Long forms and every use of each defined acronym, typed by the long form.

    The type comes from the long form's head noun, else the acronym's lexicon
    entry, else a dataset word right after the parenthesis ("... (RAF)
    Database"); failing all, the pair is a method by default (source ``name``),
    which the context may still turn into a dataset.
    """
    out: list[Mention] = []
    typed: dict[str, tuple[str, str]] = {}
    for d in find_definitions(abstract, sentences):
        toks = [
            t
            for t in sentences[d.sentence].tokens
            if t.is_word and d.long_start <= t.start and t.end <= d.long_end
        ]
        by_head = type_phrase(toks) if toks else None
        known = known_field(d.short)
        whole = _whole_name_field(toks)
        if whole is not None:
            field, source = whole, "acronym"  # a known name beats its head noun: "... (CTC)"
        elif by_head is not None and by_head[1] == "phrase":
            field, source = by_head[0], "acronym"
        elif known is not None:
            field, source = known, "acronym"
        elif head_field(d.next_word) == "datasets":
            field, source = "datasets", "acronym"
        else:
            field, source = "methods", "name"
        typed.setdefault(d.short, (field, source))
        field, source = typed[d.short]
        long_text = abstract[d.long_start : d.long_end]
        short_text = abstract[d.short_start : d.short_end]
        out.append(Mention(field, d.long_start, d.long_end, d.sentence, long_text, source, d.short))
        out.append(
            Mention(field, d.short_start, d.short_end, d.sentence, short_text, source, d.short)
        )
    if not typed:
        return out
    for si, sent in enumerate(sentences):
        for tok in sent.tokens:
            key = tok.text
            if key not in typed and key.endswith("s"):
                key = key[:-1]
            if key in typed:
                field, source = typed[key]
                out.append(Mention(field, tok.start, tok.end, si, tok.text, source, key))
    return out


def _whole_name_field(tokens: Sequence[Token]) -> str | None:
    """Field of a known name spanning exactly ``tokens``, if any."""
    if not tokens:
        return None
    matches = NAMES.find(tokens)
    if len(matches) == 1 and matches[0].first == 0 and matches[0].last == len(tokens):
        return matches[0].field
    return None


def _gerund_mentions(
    abstract: str, sentences: Sequence[Sentence], runs: Sequence[list[tuple[Token, ...]]]
) -> list[Mention]:
    """Activity phrases as tasks: "Classifying facial expressions", "for generating questions"."""
    out = []
    for si, sent in enumerate(sentences):
        for phrase in gerund_phrases(sent, runs[si]):
            s, e = phrase[0].start, phrase[-1].end
            out.append(Mention("tasks", s, e, si, abstract[s:e], "gerund"))
    return out


def find_mentions(abstract: str, sentences: Sequence[Sentence]) -> list[Mention]:
    """Return the typed mentions of an abstract in text order, never overlapping."""
    runs = [content_runs(sent) for sent in sentences]
    reserved = _longest_first(
        len(abstract),
        _acronym_mentions(abstract, sentences) + _gerund_mentions(abstract, sentences, runs),
    )
    taken = _occupancy(len(abstract), reserved)
    anchors: list[list[Mention]] = []
    for si, sent in enumerate(sentences):
        found = []
        for match in NAMES.find(sent.tokens):
            start, end = sent.tokens[match.first].start, sent.tokens[match.last - 1].end
            if not any(taken[start:end]):
                found.append(Mention(match.field, start, end, si, abstract[start:end], "lexicon"))
        anchors.append(found)
    mentions: list[Mention] = list(reserved)
    for si, sent in enumerate(sentences):
        for phrase in noun_phrases(sent, runs[si]):
            for piece in _without(phrase, taken):
                mentions.extend(_typed_pieces(abstract, piece, si, anchors[si]))
    taken = _occupancy(len(abstract), mentions)
    for a in (a for found in anchors for a in found):
        if not any(taken[a.start : a.end]):
            mentions.append(a)
    mentions.sort(key=lambda m: (m.start, -m.end))
    widened = [m for m in mentions if m.source == "lexicon" and m.field == "metrics"]
    if widened:  # a known metric widened by its qualifier in one piece of a phrase, not twice
        mentions = [
            m
            for m in mentions
            if not any(
                w.start <= m.start
                and m.end <= w.end
                and (w.start, w.end) != (m.start, m.end)
                and w.field == m.field
                for w in widened
            )
        ]
    mentions = _with_listed_words(abstract, sentences, mentions)
    _retype_names(sentences, mentions)
    _retype_defined_methods(sentences, mentions)
    return mentions


_CAPITALISED_INSIDE = re.compile(r"[\s,(]\s*[A-Z][a-z]{2,}\b")


def _with_listed_words(
    abstract: str, sentences: Sequence[Sentence], mentions: list[Mention]
) -> list[Mention]:
    """Add the capitalised words listed with names ("MovieLens-1M, Goodreads and Steam")
    as names typed by default, for the context to type with their list."""
    added = []
    by_sentence: dict[int, list[tuple[int, int]]] = {}
    for m in mentions:
        if m.field in ("methods", "datasets"):
            by_sentence.setdefault(m.sentence, []).append((m.start, m.end))
    for si, names in by_sentence.items():
        sent = sentences[si]
        if _CAPITALISED_INSIDE.search(sent.text):
            for start, end in listed_capitalised(sent, names):
                added.append(Mention("methods", start, end, si, abstract[start:end], "name"))
    if not added:
        return mentions
    return sorted([*mentions, *added], key=lambda m: (m.start, -m.end))


# "Low-rank adaptation (LoRA) is a popular parameter-efficient fine-tuning method": the
# subject of "is a ... method" is a method, whatever its head suggests.
_IS_A_METHOD = re.compile(
    r"^\s*(?:\([^)]{1,20}\)\s*)?(?:is|are)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,4}?"
    r"(?:method|technique|approach|algorithm|framework|architecture|strategy)s?\b",
    re.IGNORECASE,
)


# "we propose hard negative mining (MAHN)", "an objective coined self-contrastive
# verification": what is proposed or named as a technique is one, whatever its head says.
_PROPOSED_BEFORE = re.compile(
    r"(?:\bwe\s+(?:also\s+|further\s+|instead\s+)?propose\s+(?:(?:a|an|the|new|novel|simple)\s+)*"
    r"|\b(?:method|approach|technique|algorithm|framework|objective|loss|strategy|procedure)\s+"
    r"(?:called|named|dubbed|termed|coined)\s+)$",
    re.IGNORECASE,
)


def _retype_defined_methods(sentences: Sequence[Sentence], mentions: list[Mention]) -> None:
    """A task mention defined as a method ("X is a ... method"), that "we propose", or
    whose acronym is the subject of a result ("UGR improves exact match") becomes a
    method, with the acronym it is written with."""
    groups = set()
    for m in mentions:
        if m.field != "tasks":
            continue
        sent = sentences[m.sentence]
        before = sent.text[max(0, m.start - sent.start - 60) : m.start - sent.start]
        after = sent.text[m.end - sent.start :]
        if (
            _IS_A_METHOD.match(after)
            or _PROPOSED_BEFORE.search(before)
            or (m.group and m.text == m.group and _acronym_subject(after))
        ):
            m.field = "methods"
            if m.group:
                groups.add(m.group)
    for m in mentions:
        if m.group and m.group in groups:
            m.field = "methods"


def _acronym_subject(after: str) -> bool:
    """Whether the words after an acronym make it the subject of a result verb."""
    words = after.split(None, 2)
    return bool(words) and (
        words[0] in _SUBJECT_VERBS
        or (len(words) > 1 and words[0] in _SUBJECT_ADVERBS and words[1] in _SUBJECT_VERBS)
    )


_SUBJECT_ADVERBS = frozenset("also further consistently significantly substantially".split())
_METRIC_QUALIFIER = re.compile(
    r"^(?:[\w]+-(?:level|controlled|normalized|normalised|averaged|weighted|adjusted)|macro|"
    r"micro|weighted|top-\d+|top-k|average|mean)$"
)  # "summary-level Kendall's tau", "average F1-score improvements of 19.22"
_FIGURE = re.compile(r"^[~≈+\-]?\d+(?:[.,]\d+)?(?:x|×|%)?$")
_LIST_GLUE = frozenset({",", "and", "or", "&", ";", "as", "well"})
_LIST_INTRO = frozenset(
    {":", "(", ",", "“", '"', "‘", "'", "like", "including", "include", "such", "as", "namely"}
)
_EVAL_PREPOSITIONS = frozenset({"on", "across", "over"})
# A name right before one of these verbs is the subject of a result ("On MTEB, FooNet
# improves ..."), a system and not the data: it stays a method.
_SUBJECT_VERBS = frozenset(
    "improves achieves outperforms surpasses reaches obtains attains sets yields ranks beats "
    "exceeds performs scores gains boosts delivers matches lags trails underperforms "
    "achieved outperformed surpassed reached obtained attained improved".split()
)
# "improves over X", "gains over X", "2.5% over X": X is the baseline, no dataset.
_COMPARED_OVER = re.compile(
    r"(?:improv\w*|gains?|outperform\w*|advantages?|better|superior\w*|boosts?|%|points?|"
    r"\d)$",
    re.IGNORECASE,
)
_TRAINED = frozenset(
    "trained pretrained pre-trained fine-tuned finetuned tuned train pretrain fine-tune".split()
)
_DATA_ITEMS = frozenset(
    "questions prompts examples images documents passages samples data pairs conversations "
    "episodes trajectories "
    "dialogues problems tasks instances queries articles texts drawn collected sampled taken "
    "derived".split()
)
_PART_OF_DATA = frozenset("set sets split splits subset portion part version".split())
_EVAL_CUE = re.compile(
    r"\b(?:experiment|result|evaluat|perform|state[- ]of[- ]the[- ]art|outperform|achiev|"
    r"accuracy|benchmark|test|score|improv|surpass|report|obtain|reach|attain|win rate|gain)",
    re.IGNORECASE,
)


def _retype_names(sentences: Sequence[Sentence], mentions: list[Mention]) -> None:
    """Turn model-like names into datasets when their context says so.

    A name is a dataset when it is coordinated with a dataset ("on MNIST,
    SVHN and X"), when its list follows a dataset word ("benchmarks like X
    and Y", "datasets (X, Y)"), or when it follows "on"/"across" in a
    sentence about results ("state-of-the-art results on X").
    """
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    for si, group_src in by_sentence.items():
        sent = sentences[si]
        index_of = {t.start: t.position for t in sent.tokens}
        end_index = {t.end: t.position for t in sent.tokens}
        groups: list[list[Mention]] = []
        last_end = -1
        for m in group_src:
            first = index_of.get(m.start)
            if first is None:
                continue
            last = end_index.get(m.end, first)
            if m.source == "name" and _is_subject(sent, last):
                last_end = -1
                continue  # "On MTEB, FooNet improves ...": a system, not a listed dataset
            glue = sent.tokens[last_end + 1 : first] if last_end >= 0 else None
            if glue is not None and _closes_opening_phrase(sent, glue, last):
                glue = None  # "On LongBench, ZapKV ...": the subject, not a second dataset
            if glue is not None and groups and all(t.lower in _LIST_GLUE for t in glue):
                groups[-1].append(m)
            else:
                groups.append([m])
            last_end = last
        evaluative = _EVAL_CUE.search(sent.text) is not None
        for group in groups:
            if not any(m.source == "name" for m in group):
                continue
            if len(group) == 1 and _opens_main_clause(sent, group[0], index_of, end_index):
                continue  # "On math benchmarks, StepGRPO trained from X reaches ..."
            if any(m.field == "datasets" for m in group) or _dataset_context(
                sent, index_of[group[0].start], evaluative
            ):
                for m in group:
                    if m.source == "name":
                        m.field = "datasets"
    for m in mentions:
        if m.source == "name" and m.field == "methods" and _SCORE_NAME.search(m.text):
            m.field = "metrics"  # "TM-Score", "G-Score": a score, however it is written
    # One sense per abstract: a name used as a dataset once is a dataset everywhere,
    # and so are the acronym and long form it is defined with.
    dataset_names = {m.text for m in mentions if m.field == "datasets"}
    dataset_groups = {m.group for m in mentions if m.field == "datasets" and m.group}
    for m in mentions:
        if m.source == "name" and (m.text in dataset_names or m.group in dataset_groups):
            m.field = "datasets"


_SCORE_NAME = re.compile(r"\w-[Ss]core$")
_OPENING_PREPOSITIONS = frozenset("on in across for at over with using".split())


def _closes_opening_phrase(sent: Sentence, glue: Sequence[Token], last: int) -> bool:
    """Whether ``glue`` is the comma that closes a sentence-opening prepositional phrase:
    the name after it (ending at token ``last``) continues no list ("On LongBench, X with
    ...", but not "On NQ, TriviaQA and HotpotQA")."""
    tokens = sent.tokens
    if len(glue) != 1 or glue[0].text != "," or tokens[0].lower not in _OPENING_PREPOSITIONS:
        return False
    return last + 1 < len(tokens) and tokens[last + 1].lower not in _LIST_GLUE


def _opens_main_clause(
    sent: Sentence, m: Mention, index_of: dict[int, int], end_index: dict[int, int]
) -> bool:
    """Whether a lone name comes right after the comma that closes a sentence-opening
    prepositional phrase, the first comma of its sentence: the main clause's subject,
    not the phrase's data ("On reasoning benchmarks, StepGRPO trained ... reaches")."""
    first = index_of[m.start]
    tokens = sent.tokens
    if first < 2 or tokens[first - 1].text != "," or tokens[0].lower not in _OPENING_PREPOSITIONS:
        return False
    if any(t.text == "," for t in tokens[1 : first - 1]):
        return False
    last = end_index.get(m.end, first)
    return last + 1 < len(tokens) and tokens[last + 1].lower not in _LIST_GLUE


def _is_subject(sent: Sentence, last: int) -> bool:
    """Whether the token after index ``last`` is a result verb, or a verb in the third
    person ("raises", "lowers"), whose subject ends there."""
    if last + 1 >= len(sent.tokens):
        return False
    word = sent.tokens[last + 1].lower
    return word in _SUBJECT_VERBS or (word.endswith("s") and word in FINITE_VERBS)


def _dataset_context(sent: Sentence, first: int, evaluative: bool) -> bool:
    """Whether the words before token ``first`` announce a dataset."""
    words = [t.lower for t in sent.tokens[max(0, first - 4) : first]]
    prep = len(words) - (2 if len(words) > 1 and words[-1] == "the" else 1)
    if evaluative and words and prep >= 0 and words[prep] in _EVAL_PREPOSITIONS:
        compared = words[prep] == "over" and prep > 0 and _COMPARED_OVER.search(words[prep - 1])
        if not compared:  # "improves over BarNet": the baseline, no dataset
            return True
    if words and prep >= 0 and words[prep] == "on" and prep > 0 and words[prep - 1] in _TRAINED:
        return True  # "trained on X", "fine-tuned on the X"
    if (
        words
        and prep >= 0
        and words[prep] == "from"
        and any(w in _DATA_ITEMS for w in words[max(0, prep - 3) : prep])
    ):
        return True  # "questions from X", "prompts drawn from X"
    while words and words[-1] in _LIST_INTRO:
        words.pop()
    if len(words) > 1 and words[-1] == "of" and words[-2] in _PART_OF_DATA:
        return True  # "the validation set of X"
    return bool(words) and head_field(words[-1]) == "datasets"


def _occupancy(size: int, spans: Iterable[Mention]) -> bytearray:
    """A byte per character of the abstract, 1 where one of ``spans`` lies."""
    taken = bytearray(size)
    for m in spans:
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    return taken


def _without(phrase: tuple[Token, ...], taken: bytearray) -> list[tuple[Token, ...]]:
    """Cut a phrase into the runs of tokens that lie on no ``taken`` character."""
    pieces: list[tuple[Token, ...]] = []
    current: list[Token] = []
    for tok in phrase:
        if any(taken[tok.start : tok.end]):
            if current:
                pieces.append(tuple(current))
                current = []
        else:
            current.append(tok)
    if current:
        pieces.append(tuple(current))
    return pieces


def _typed_pieces(
    abstract: str, piece: tuple[Token, ...], si: int, anchors: Sequence[Mention]
) -> list[Mention]:
    """Type a phrase piece by its head; known names of another type split it."""
    piece = after_apposition(piece)
    typed = type_phrase(piece)
    field, source = typed if typed else (None, "")
    start, end = piece[0].start, piece[-1].end
    exact = next((a for a in anchors if a.start <= start and end <= a.end), None)
    if exact is not None:  # a known name covers the phrase: "win rate" over "rate"
        return [Mention(exact.field, exact.start, exact.end, si, exact.text, "lexicon")]
    if field == "metrics" and len(piece) > 1 and is_number(piece[-1]):
        piece = piece[:-1]  # "F1 96.5%": the figure is no part of the metric's name
        end = piece[-1].end
    if field == "metrics" and len(piece) > 1 and _FIGURE.match(piece[0].text):
        piece = piece[1:]  # "a 10x speedup": nor is a figure before it
        start = piece[0].start
    if field == "datasets" and source == "phrase":
        # A dataset is named by its proper words: "a-category Photo-Art dataset" -> "Photo-Art ...".
        first = next((i for i, t in enumerate(piece) if proper(t)), 0)
        piece = piece[first:]
        start = piece[0].start
    if field is not None and source == "phrase":
        foreign = []  # a typed head absorbs known names used as modifiers ("COCO detection")
    else:
        foreign = [a for a in anchors if _overlaps(a.start, a.end, start, end) and a.field != field]
    if not foreign:
        if field is None or is_generic(piece):
            return []
        return [Mention(field, start, end, si, abstract[start:end], source)]
    out: list[Mention] = []
    for i, a in enumerate(foreign):
        if a.field == "metrics":  # "summary-level Kendall's tau": the qualifier is the metric's
            before = [t for t in piece if t.end <= a.start]
            k = len(before)
            while k > 0 and _METRIC_QUALIFIER.match(before[k - 1].lower):
                k -= 1
            if k < len(before):
                a = foreign[i] = Mention(
                    a.field, before[k].start, a.end, si, abstract[before[k].start : a.end], a.source
                )
        out.append(Mention(a.field, a.start, a.end, si, a.text, "lexicon"))
    cut = _occupancy(end, foreign)
    for sub in _without(piece, cut):
        sub_typed = type_phrase(sub)
        if sub_typed is None or is_generic(sub):
            continue
        s, e = sub[0].start, sub[-1].end
        out.append(Mention(sub_typed[0], s, e, si, abstract[s:e], sub_typed[1]))
    return out
