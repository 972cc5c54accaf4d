"""Refine typed mentions to the span a reader would list, or drop them: precision rules.

The chunker and the head nouns over-generate: a phrase such as "BLIP-B/16 models",
"data relabeling method", "downstream tasks", "data quality" or "fine-tuning" is typed
by its head, but only part of it (or none) names a method, task or metric. These
rules, all about heads, modifiers and names rather than particular papers, narrow or
drop each mention:

* **Methods.** A name followed by common nouns is the name ("CLIP models" -> "CLIP",
  "Bradley-Terry preference model" -> "Bradley-Terry", "SBERT-based baselines" ->
  "SBERT"), except before a technique head (loss, objective, regularization, score).
  A name preceded by common words is the name ("fine-tuned BERT" -> "BERT"). Without
  a name: a final singular generic head is dropped when a noun is left ("sliding
  window strategy" -> "sliding window"), plural generic heads are umbrella sets and
  are dropped ("tuning methods"), and so are generic model classes ("language
  models", "reward model", "text encoder"), processes ("training process"), bare
  process nouns with at most scope words ("fine-tuning", "joint training"), learning
  settings ("zero-shot learning"), and representations ("word embeddings").
* **Tasks.** A final "task(s)", "problem(s)" or "applications" is dropped when a task
  noun is left ("ranking tasks" -> "ranking"); generic task sets ("downstream
  tasks"), analyses and research fields are dropped.
* **Metrics.** A metric is a measurable quantity: quality adjectives and vague nouns
  ("data quality", "efficiency", "metrics") are dropped, and so is an unnamed
  "score" with no value next to it ("reward scores"); a cost or time counts only
  when reported as an outcome (a figure, "reduces", "faster"), a size only with a
  figure ("26% smaller model size"); words that qualify the result go ("single-model
  state-of-the-art BLEU score" -> "BLEU score").
* **Datasets.** The name without the common words around it ("Cityscapes dataset" ->
  "Cityscapes", "COCO detection benchmark" -> "COCO"), with a capitalised word before
  it ("the Massive Text Embedding Benchmark"); a bare language is no dataset.
* **Every field.** Words inside a web address and a unit after a number ("35 FPS") are
  no mentions.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from .heads import NOT_MENTIONS, head_field, is_size, known_field, known_phrase_field, name_like
from .lexicons import COMPOUND_SECONDS, FIELDS_OF_STUDY, MODIFIERS, words
from .mentions import Mention
from .name_shapes import compound_adjective, generic_architecture, head_keeping_compound
from .sentences import Sentence, Token

__all__ = ["LEADING_METHOD_WORDS", "refine_mention", "refine_mentions"]

_STRIP_AFTER_NAME = words("strip_after_name")
_TECHNIQUE_HEADS = words("technique_heads")
_GENERIC_SINGULAR = words("generic_method_heads")
_MODEL_CLASSES = words("model_classes")
_LANGUAGES = words("languages")
# Verbs the chunker may take for the first noun of a metric: "AgentEval measures success rate".
_METRIC_VERBS = frozenset("measures achieves reaches reports yields improves attains".split())
_GENERIC_NETWORKS = words("generic_networks")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*", re.I)
_PROCESS_NOUNS = words("process_nouns")
_SCOPE_WORDS = words("scope_words") | MODIFIERS
_SETTINGS = words("learning_settings")
_REPRESENTATIONS = words("representation_heads")
_TASK_SUFFIXES = frozenset(
    "task tasks problem problems application applications system systems dataset datasets "
    "benchmark benchmarks corpus corpora".split()
)
_TASK_SET_WORDS = words("task_set_words") | MODIFIERS
# Set words that are also domain nouns of task names ("text classification",
# "language understanding"): only a set word when the whole phrase is ("language tasks").
_DOMAIN_NOUNS = frozenset("text language vision data model".split())
_VAGUE_METRICS = words("vague_metrics")
_NON_TASK_HEADS = words("non_task_heads")
_EVALUATIVE = words("evaluative_adjectives") | MODIFIERS
# Heads that name a task only with a domain noun before them ("language understanding",
# "reading comprehension"), not after an adjective ("nuanced human understanding").
_DOMAIN_HEADS = frozenset("understanding comprehension interpretation".split())
_VAGUE_TASKS = frozenset(
    "inference decoding understanding embedding synthesis identification computation "
    "evaluation annotation training interpretation answering generation control "
    "verification".split()
)
_ADJECTIVE_ENDINGS = (
    "ed", "al", "ive", "ic", "ous", "able", "ible", "free", "less", "ful", "ant", "ent",
    "ary", "ory", "ish",
)  # fmt: skip
_PLURAL_GENERIC = frozenset(w + "s" for w in _GENERIC_SINGULAR) | frozenset(
    {"approaches", "strategies", "processes", "baselines"}
)


def _tokens(m: Mention, sent: Sentence) -> list[Token]:
    tokens = sent.tokens
    i = bisect_left(tokens, m.start, key=lambda t: t.start)
    out = []
    while i < len(tokens) and tokens[i].end <= m.end:
        out.append(tokens[i])
        i += 1
    return out


def _is_name(tok: Token) -> bool:
    return name_like(tok) or (tok.position > 0 and tok.text[:1].isupper())


def _span(m: Mention, abstract: str, start: int, end: int) -> Mention:
    return replace(m, start=start, end=end, text=abstract[start:end])


# Adverbs of how much a task is studied, before a participle: "widely used link prediction".
_USAGE_ADVERBS = frozenset("widely commonly frequently previously recently extensively".split())


def _superlative(word: str) -> bool:
    """ "strongest", "largest" (not "interest", "request", "contest", "harvest")."""
    return word.endswith("est") and not word.endswith(("rest", "uest", "test", "vest"))


def _adjective(word: str) -> bool:
    return (
        (word.endswith(_ADJECTIVE_ENDINGS) or _superlative(word))
        and not word.endswith(("ment", "ent"))
        and head_field(word) is None
    )  # "strongest baseline", "unified framework": no name


def _based_name(tok: Token) -> int | None:
    """End offset of the name in "SBERT-based", if the token is a name (not a class of
    models such as "LLM") with "-based"."""
    base, found, rest = tok.text.rpartition("-")
    if (
        found
        and rest.lower() in ("based", "style", "like")
        and base
        and any(ch.isupper() for ch in base[1:] + base[:1])
        and base.lower().rstrip("s") not in _MODEL_CLASSES  # "LLM-based": a class, no name
    ):
        return tok.start + len(base)
    return None


# A footnote marker a page's text extraction glued to the words around it: "111Code".
_FOOTNOTE = re.compile(r"(?:^|[.\s])(\d)\1\1[A-Za-z]")


def _model_size(text: str) -> bool:
    """A model size written as one word: "70B", "1.5B", "7B/13B"."""
    return text[:1].isdigit() and all(is_size(part) for part in text.split("/"))


def _common_word(word: str) -> bool:
    """A word of the general lexicons: no name on its own ("Large", "Fine-Tuning")."""
    return (
        word in MODIFIERS
        or word in _PROCESS_NOUNS
        or word in _SCOPE_WORDS
        or word in _GENERIC_SINGULAR
        or word in _PLURAL_GENERIC
        or word.rstrip("s") in _MODEL_CLASSES
        or head_field(word) is not None
    )


# Words before a method that say whose or how good it is, not what it is.
LEADING_METHOD_WORDS = MODIFIERS | frozenset(
    "presented introduced described developed proposed adapted resulting lightweight "
    "light-weight high-quality vanilla general-purpose large-scale widely-adopted "
    "off-the-shelf modified enhanced improved".split()
)  # (the guidelines' drop list; only entity spans are re-cut, mention spans keep them)


# Verbs a chunker may read as nouns inside a method phrase ("the model uses local modules").
_INNER_VERBS = frozenset(
    "uses employs applies learns performs produces computes achieves adopts exploits "
    "leverages combines captures requires relies outperforms".split()
)


# Endings of common nouns: a capitalised word with one ("Exploration", "Assignment") is
# a sentence's or a heading's first word, not a name.
_COMMON_NOUN_END = re.compile(r"(?:tion|sion|ment|ness|ing|ity|ance|ence|ery|ure|ism|ison)$")


def _refine_method(m: Mention, toks: list[Token], abstract: str) -> Mention | None:
    verb = next((k for k in range(1, len(toks)) if toks[k].lower in _INNER_VERBS), None)
    if verb is not None:  # "model uses global modules": the chunker read a verb as a noun
        if verb + 1 >= len(toks):
            return None
        cut = _span(m, abstract, toks[verb + 1].start, toks[-1].end)
        return _refine_method(cut, toks[verb + 1 :], abstract)
    if len(toks) > 1 and toks[0].lower in LEADING_METHOD_WORDS and toks[0].text.islower():
        k = 1
        while (
            k < len(toks) - 1 and toks[k].lower in LEADING_METHOD_WORDS and toks[k].text.islower()
        ):
            k += 1  # "the presented context module" -> "context module"
        cut = _span(m, abstract, toks[k].start, toks[-1].end)
        return _refine_method(cut, toks[k:], abstract)
    lowers = [t.lower for t in toks]
    head = lowers[-1]
    if all(w in _GENERIC_NETWORKS for w in lowers):
        return None  # "deep neural network", "deep learning"
    if " ".join(lowers) in FIELDS_OF_STUDY:
        return None  # "machine learning", "NLP", "AI": fields
    if len(toks) > 1 and _model_size(toks[0].text) and name_like(toks[1]):
        narrowed = _span(m, abstract, toks[1].start, m.end)  # "7B GenPRM" -> "GenPRM"
        return _refine_method(narrowed, toks[1:], abstract)
    if len(toks) == 1:
        tok = toks[0]
        if len(tok.text) < 2 or tok.lower.startswith("non-") or _model_size(tok.text):
            return None  # "70B", "7B/13B": a size
        if tok.text in NOT_MENTIONS:
            return None  # "CPU", "SOTA"
        based = _based_name(tok)
        if based is not None:  # "ResNet-like", "BERT-based": the name
            return _span(m, abstract, tok.start, based)
        if tok.lower.endswith(("-based", "-style", "-like")):
            return None  # "LLM-based", "gradient-based": no name before it
        if tok.lower.rstrip("s") in _MODEL_CLASSES:
            return None  # "LLMs", "encoder"
        if compound_adjective(tok.text) or (
            not name_like(tok)
            and (_superlative(tok.lower) or tok.lower.endswith("ive"))
            and len(tok.text) > 5
        ):
            return None  # "560M-parameter", "vLLM-served", "strongest", "Contrastive"
        plain = m.source != "lexicon" and tok.text.islower() and "-" not in tok.text
        # A widely known name written capitalised mid-sentence is the name, even when
        # its word is also a generic head ("the Transformer", not "a transformer").
        known_name = m.source == "lexicon" and tok.text[:1].isupper() and tok.start > 0
        if not name_like(tok) and not known_name and (_common_word(tok.lower) or plain):
            return None  # "heuristics", "Large", "Fine-Tuning"
        if m.source != "lexicon" and tok.text[1:].isalpha() and tok.text[1:].islower() and (
            _COMMON_NOUN_END.search(tok.lower)
        ):
            return None  # "Comparison", "Mixing", "Mastery": a capitalised common noun
    if (head in _MODEL_CLASSES or head.rstrip("s") in _MODEL_CLASSES) and not any(
        name_like(t) for t in toks
    ):
        return None
    names = [i for i, t in enumerate(toks) if _is_name(t)]
    if names:
        last = names[-1]
        tail = toks[last + 1 :]
        describes = head in _STRIP_AFTER_NAME or head.rstrip("s") in _MODEL_CLASSES
        class_based = toks[last].lower.endswith("-based") and _based_name(toks[last]) is None
        if class_based and len(tail) > 1 and head in _GENERIC_SINGULAR and all(
            t.text.islower() for t in tail
        ):  # "LLM-based prototype estimation framework": a class's technique, named
            # with its modifier and without the generic head
            return _span(m, abstract, toks[last].start, tail[-2].end)
        if tail and all(t.text.islower() for t in tail) and describes:
            first = last
            while first > 0 and first - 1 in names:
                first -= 1
            based = _based_name(toks[last])
            end = based if based is not None else toks[last].end
            cut = _span(m, abstract, toks[first].start, end)
            cut_toks = [t for t in toks if cut.start <= t.start and t.end <= cut.end]
            return _refine_method(cut, cut_toks, abstract) if cut_toks else cut
        first = names[0]
        if first > 0 and all(
            t.text.islower() or (t.position == 0 and t.lower.endswith("ing")) for t in toks[:first]
        ):  # "Fine-tuning Llama-3-8B-Instruct on ...": the name
            return _span(m, abstract, toks[first].start, toks[-1].end)
        return m
    if head in _PLURAL_GENERIC or head in ("process", "pipeline", "paradigm", "operation"):
        return None
    if any(head == r or head == r + "s" for r in _REPRESENTATIONS):
        return None
    if head == "learning" and all(w in _SETTINGS or w in _SCOPE_WORDS for w in lowers[:-1]):
        return None  # "zero-shot learning", "transfer learning": settings, not methods
    if head in _PROCESS_NOUNS and all(w in _SCOPE_WORDS or w in _PROCESS_NOUNS for w in lowers):
        return None
    if head in _TECHNIQUE_HEADS or head.rstrip("es") in _TECHNIQUE_HEADS:
        if all(
            w in _SCOPE_WORDS or w in _PROCESS_NOUNS or w in _TASK_SET_WORDS for w in lowers[:-1]
        ):
            return None
    if head in _GENERIC_SINGULAR:
        rest = toks[:-1]
        if not rest:
            return None
        last_word = rest[-1].lower
        if _adjective(last_word) or last_word in _SCOPE_WORDS:
            return None
        if len(rest) == 1 and head_keeping_compound(last_word):
            # "structure-preserving approach", "coarse-to-fine strategy": the head is kept
            # after an adjective
            return m
        if all(t.lower in _SCOPE_WORDS or t.lower in _PROCESS_NOUNS for t in rest):
            return None
        return _span(m, abstract, rest[0].start, rest[-1].end)
    return m


def _refine_task(m: Mention, toks: list[Token], abstract: str) -> Mention | None:
    if m.source == "gerund":
        return None  # a verb with its object ("retrieving specific images") is no task name
    lowers = [t.lower for t in toks]
    if " ".join(lowers) in FIELDS_OF_STUDY or m.text in FIELDS_OF_STUDY:
        return None
    if lowers[-1] == "analysis" or all(w in _TASK_SET_WORDS for w in lowers):
        return None
    if lowers[-1] in _NON_TASK_HEADS:
        return None  # phenomena and settings: "reward hacking", "computer vision settings"
    if lowers[-1] in ("system", "systems") and all(
        _adjective(w) or compound_adjective(w) or w.endswith("ed") for w in lowers[:-1]
    ):
        return None  # "cascaded systems", "end-to-end systems": kinds of system, no task
    if lowers[-1].endswith(("ions", "ings")) and len(lowers[-1]) > 6:
        return None  # "model generations", "failed predictions": outputs, not a task
    first = 0
    while first < len(toks) - 1 and lowers[first + 1] not in COMPOUND_SECONDS and (
        (lowers[first] in _TASK_SET_WORDS and lowers[first] not in _DOMAIN_NOUNS)
        or lowers[first] in _EVALUATIVE
        or _superlative(lowers[first])
        or (lowers[first] in _USAGE_ADVERBS and lowers[first + 1].endswith("ed"))
    ):
        first += 1  # "downstream text classification" -> "text classification"
    rest = toks[first:]
    if lowers[-1] in _TASK_SUFFIXES:
        if len(rest) == 1 or all(t.lower in _TASK_SET_WORDS for t in rest[:-1]):
            return None
        if len(rest) == 2 and (
            _adjective(rest[0].lower)
            or ("-" in rest[0].lower and head_field(rest[0].lower.rsplit("-", 1)[-1]) is None)
        ):
            return _span(m, abstract, rest[0].start, rest[-1].end)  # "sentence-pair tasks"
        rest = rest[:-1]
    if rest[-1].lower in _DOMAIN_HEADS and (
        len(rest) == 1 or _adjective(rest[-2].lower) or rest[-2].lower.startswith("human")
    ):
        return None
    if len(rest) == 1 and rest[0].lower in _VAGUE_TASKS:
        return None
    if " ".join(t.lower for t in rest) in FIELDS_OF_STUDY:
        return None
    if rest is toks:
        return m
    return _span(m, abstract, rest[0].start, rest[-1].end)


_OUTCOME = re.compile(
    r"\b(?:reduc\w*|decreas\w*|lower\w*|fraction|less|sav(?:e|es|ing|ings)|faster|speed\w*|"
    r"cut\w*|times)\b",
    re.IGNORECASE,
)
# Vague heads that a modifier and a figure make a measure: "speaker similarity of 0.67".
_NAMED_VAGUE = frozenset({"similarity", "likelihood"})
_SIZE_CHANGE = re.compile(
    r"\b(?:smaller|larger|less|reduc\w*|shrink\w*|compress\w*|cut\w*|lower\w*)\b", re.I
)
_RESOURCE_HEADS = frozenset(
    "cost costs time times requirement requirements saving savings complexity complexities".split()
)


# Settings written like measures: "a learning rate of 0.1", "a dropout rate of 0.3".
_HYPERPARAMETERS = frozenset(
    "learning rate|dropout rate|sampling rate|mask ratio|masking ratio|weight decay|"
    "warmup ratio|decay rate".split("|")
)
# The words before "precision" that make it a number format, not a metric.
_NUMBER_FORMAT = re.compile(
    r"\b(?:full|half|mixed|single|double|low|lower|reduced|numerical|floating[- ]point|"
    r"\d+-bit|FP\d+|BF16|INT\d+)\s+$",
    re.IGNORECASE,
)


def _refine_metric(
    m: Mention, toks: list[Token], sentence: Sentence, has_value: bool, abstract: str
) -> Mention | None:
    lowers = [t.lower for t in toks]
    head = lowers[-1].rsplit("-", 1)[-1]
    if any(head == v or head == v + "s" for v in _VAGUE_METRICS) and not (
        head in _NAMED_VAGUE and len(toks) > 1 and has_value
    ):
        return None  # "data quality"; but "speaker similarity of 0.67" is measured
    if head == "precision" and _NUMBER_FORMAT.search(sentence.text[: m.start - sentence.start]):
        return None  # "7.81 in full precision", "4-bit precision": a number format
    if " ".join(lowers[-2:]).rstrip("s") in _HYPERPARAMETERS:
        return None  # "a learning rate of 0.1": a setting, not a result
    if head in ("recall", "recalls") and any(w in ("factual", "knowledge") for w in lowers[:-1]):
        return None  # "LLMs' internal factual recall": what a model does, not a measure
    if head in ("score", "scores") and len(toks) > 1:
        named = any(
            name_like(t) or "-" in t.text or any(ch.isdigit() for ch in t.text) for t in toks[:-1]
        )  # "CLIP-I score", "intersection-over-union score", "top-k scores"
        if not (named or has_value):
            return None
    if head in _RESOURCE_HEADS and not has_value:
        around = (
            sentence.text[: m.start - sentence.start]
            + " "
            + sentence.text[m.end - sentence.start :]
        )
        if not _OUTCOME.search(around):
            return None  # a cost is a metric only when reported as an outcome
    if head in ("size", "sizes") and not (
        has_value
        and len(toks) > 1
        and _SIZE_CHANGE.search(
            sentence.text[max(0, m.start - sentence.start - 20) : m.end - sentence.start + 20]
        )
    ):
        return None  # "26% smaller model size" is measured; "batch size 64" is a setting
    first = 0
    while first < len(toks) - 1 and (
        toks[first].lower in _LEADING_METRIC_WORDS or toks[first].lower.endswith("-model")
    ):
        first += 1  # "single-model state-of-the-art BLEU score" -> "BLEU score"
    first = max(first, _named_before_metric(toks))
    if first:
        return _span(m, abstract, toks[first].start, toks[-1].end)
    return m


# A head that a name before it makes a measure of its own: "CLIP score", "SSCD similarity".
_NAMED_HEADS = frozenset("score scores rate rates similarity".split())


def _named_before_metric(toks: Sequence[Token]) -> int:
    """How many leading tokens of a metric phrase name what is measured, not the measure:
    "AIME 2024 accuracy", "Arena-Hard win rate", "ToolBench NDCG@5", "7B accuracy" measure
    accuracy, win rate, NDCG@5 on a benchmark or model. A known metric is the measure
    ("ROUGE-L F1"), and a bare score or rate keeps its name ("CLIP score"); so does a
    known metric of several words ("RMS error"). 0 for none."""
    if len(toks) > 1 and known_phrase_field(" ".join(t.text for t in toks)) == "metrics":
        return 0
    i = 0
    while i < len(toks) - 1:
        tok = toks[i]
        known = known_field(tok.text)
        if known == "metrics" or "@" in tok.text:
            break
        if name_like(tok) or known is not None or is_size(tok.text):
            i += 1
        elif (
            i > 0
            and any(ch.isdigit() for ch in tok.text)
            and not any(ch.isalpha() for ch in tok.text)
        ):
            i += 1  # "AIME 2024", "AlpacaEval 2.0"
        else:
            break
    rest = [t.lower for t in toks[i:]]
    if i == 0 or (len(rest) == 1 and rest[0] in _NAMED_HEADS):
        return 0
    last = toks[-1]
    measure = known_field(last.text) == "metrics" or head_field(last.lower) == "metrics"
    return i if measure else 0  # "KV cache memory": the name is part of the quantity


# Words before a metric that qualify the result, not the quantity measured.
_LEADING_METRIC_WORDS = (MODIFIERS - frozenset({"average", "overall", "mean"})) | frozenset(
    "smaller less lower fewer higher larger greater faster slower better worse reduced "
    "increased improved absolute relative minimal negligible marginal limited notably "
    "baseline insufficient sufficient poor manageable acceptable reasonable affordable "
    "maximum minimum best worst real-time".split()
)  # "26% smaller model size" measures "model size", "20% in absolute accuracy" accuracy,
# "a maximum accuracy of 63.5%" accuracy


_DATASET_TAIL = words("dataset_heads") | frozenset(
    "datasets databases benchmarks collection collections set sets suite split splits".split()
)


def _dataset_word(tok: Token) -> bool:
    return tok.text.isalpha() and tok.text.islower()


def _refine_dataset(
    m: Mention, toks: list[Token], abstract: str, sentence: Sentence
) -> Mention | None:
    """The name of a dataset mention without the common words around it: "Cityscapes
    dataset" -> "Cityscapes", "COCO detection benchmark" -> "COCO", "public benchmarks
    BRATS 2015" -> "BRATS 2015". A capitalised head is part of the name ("One Billion
    Word Benchmark"), and so is a capitalised word before it ("the Massive Text Embedding
    Benchmark"); a bare language ("a Chinese benchmark") names no dataset; a mention with
    no name is left as it is."""
    i = toks[0].position
    before = sentence.tokens[i - 1] if i > 1 else None
    if (
        before is not None
        and before.text[:1].isupper()
        and before.text.isalpha()
        and toks[0].text[:1].isupper()
    ):
        m = _span(m, abstract, before.start, m.end)
        toks = [before, *toks]
    first, last = 0, len(toks)
    if toks[-1].lower in _DATASET_TAIL and toks[-1].text.islower():
        last -= 1
        while last > 1 and _dataset_word(toks[last - 1]):
            last -= 1  # "COCO detection benchmark": the task words before the head go too
    while first < last - 1 and _dataset_word(toks[first]):
        first += 1
    if last - first == 1 and toks[first].lower in _LANGUAGES:
        return None
    if (first, last) == (0, len(toks)) or not any(
        t.text[:1].isupper() or not t.text.isalpha() for t in toks[first:last]
    ):
        return m
    return _span(m, abstract, toks[first].start, toks[last - 1].end)


def _in_url(m: Mention, abstract: str) -> bool:
    """Whether the mention lies inside a web address of the abstract."""
    lo = abstract.rfind(" ", 0, m.start) + 1
    hi = abstract.find(" ", m.end)
    word = abstract[lo : hi if hi >= 0 else len(abstract)]
    return "/" in word and _URL.search(word) is not None


def _after_number(tok: Token, sentence: Sentence) -> bool:
    """Whether a token directly follows a number ("35 FPS"): a unit, not a name."""
    i = tok.position
    return i > 0 and sentence.tokens[i - 1].text.replace(".", "").replace(",", "").isdigit()


def _technique_before_head(narrowed: Sequence[Token], toks: Sequence[Token]) -> bool:
    """Whether a generic head was cut from one hyphenated technique word the text calls a
    method: "self-training method" -> "self-training" (alone, the word is too common)."""
    return (
        len(narrowed) == 1
        and len(toks) == 2
        and toks[-1].lower in _GENERIC_SINGULAR
        and "-" in narrowed[0].text
        and narrowed[0].text.islower()
        and head_field(narrowed[0].lower) == "methods"
        and not generic_architecture(narrowed[0].text)  # "encoder-decoder model": a class
    )


def refine_mention(
    m: Mention, sentences: Sequence[Sentence], abstract: str, has_value: bool = False
) -> Mention | None:
    """Return the mention narrowed to the span a reader would list, or None to drop it.

    Args:
        m: a typed mention.
        sentences: the abstract's sentences (``m.sentence`` indexes them).
        abstract: the abstract text the offsets refer to.
        has_value: whether a figure is written next to the mention (metrics only).

    Returns:
        The same mention, a narrower one (text re-cut from the abstract), or None.
    """
    toks = _tokens(m, sentences[m.sentence])
    if not toks:
        return m
    if _in_url(m, abstract):
        return None  # "github.com/qwang/SiamMask": a link, not a name
    if _FOOTNOTE.search(m.text) or m.text.lower() in ("state-of-the-art", "state of the art"):
        return None  # "generation.111Code": a footnote marker glued to its text
    if (
        len(toks) == 1
        and m.field in ("methods", "datasets")
        and _after_number(toks[0], sentences[m.sentence])
    ):
        return None  # "35 FPS", "6 GB": a unit
    if m.field == "methods":
        r = _refine_method(m, toks, abstract)
        if r is not None and (r.start, r.end) != (m.start, m.end):
            narrowed = _tokens(r, sentences[m.sentence])  # "mainstream LLMs" -> "LLMs": none
            if _technique_before_head(narrowed, toks):
                return r  # "a self-training method": "self-training", called a method
            return _refine_method(r, narrowed, abstract) if narrowed else r
        return r
    if m.field == "datasets":
        return _refine_dataset(m, toks, abstract, sentences[m.sentence])
    if m.field == "tasks":
        return _refine_task(m, toks, abstract)
    if m.field == "metrics":
        sent = sentences[m.sentence]
        after = toks[-1].position + 1
        if (
            len(toks) == 2
            and toks[1].lower == "scores"
            and toks[0].text[:1].isupper()
            and after < len(sent.tokens)
            and sent.tokens[after].text[:1].isdigit()
        ):  # "Zeta scores 69.32": a system and a verb, not a metric
            return replace(_span(m, abstract, toks[0].start, toks[0].end), field="methods")
        if (
            len(toks) > 1
            and toks[-1].lower == "scores"
            and after < len(sent.tokens)
            and sent.tokens[after].text[:1].isdigit()
            and toks[-2].lower.rstrip("s") in _MODEL_CLASSES
        ):
            return None  # "our 7B model scores 7.34": a verb after a model, no metric named
        if len(toks) > 1 and toks[0].lower in _METRIC_VERBS:
            m = _span(m, abstract, toks[1].start, toks[-1].end)  # "measures success rate"
            toks = toks[1:]
        return _refine_metric(m, toks, sent, has_value, abstract)
    return m


def refine_mentions(
    mentions: Sequence[Mention],
    sentences: Sequence[Sentence],
    abstract: str,
    valued: Sequence[bool],
) -> list[Mention]:
    """Refine every mention (:func:`refine_mention`); an acronym goes with its long form.

    When the long form of an acronym definition is dropped ("large language models
    (LLMs)"), every use of the acronym is dropped too. A benchmark a metric phrase names
    before its measure ("GSM8K accuracy" refined to "accuracy") is added as a dataset
    mention of its own.

    Args:
        mentions: the abstract's typed mentions.
        sentences: the abstract's sentences.
        abstract: the abstract text.
        valued: per mention, whether a figure is written next to it.

    Returns:
        The kept mentions, narrowed, and the benchmarks so named, in text order.
    """
    refined = [
        refine_mention(m, sentences, abstract, has_value)
        for m, has_value in zip(mentions, valued, strict=True)
    ]
    dropped_groups = {
        m.group
        for m, r in zip(mentions, refined, strict=True)
        if r is None and m.group and m.text != m.group
    }
    kept = [r for r in refined if r is not None and not (r.group and r.group in dropped_groups)]
    measured = [
        b
        for m, r in zip(mentions, refined, strict=True)
        if r is not None and m.field == "metrics" and r.start > m.start
        for b in _benchmark_before(m, r, sentences[m.sentence], abstract)
    ]
    if not measured:
        return kept
    return sorted([*kept, *measured], key=lambda m: (m.start, -m.end))


def _benchmark_before(
    m: Mention, narrowed: Mention, sentence: Sentence, abstract: str
) -> list[Mention]:
    """The benchmark a metric phrase named before its measure, as a dataset mention of its
    own: "GSM8K accuracy" -> "GSM8K" (its figures are measured on it). A known method or a
    size before the measure ("GPT-4 accuracy", "7B accuracy") is none."""
    toks = [t for t in _tokens(m, sentence) if t.end <= narrowed.start]
    while toks and not (name_like(toks[0]) or toks[0].text[:1].isupper()):
        toks = toks[1:]  # qualifiers dropped before the name
    if not toks or any(is_size(t.text) for t in toks):
        return []
    known = known_field(" ".join(t.text for t in toks)) or known_field(toks[0].text)
    if known not in (None, "datasets"):
        return []
    start, end = toks[0].start, toks[-1].end
    return [Mention("datasets", start, end, m.sentence, abstract[start:end], "phrase")]
