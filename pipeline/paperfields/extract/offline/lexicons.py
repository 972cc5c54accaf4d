"""General-knowledge word lists for the offline extractor, loaded once from package data.

Each list is a text file under ``paperfields/data/lexicons/``: one entry per line
(or several space-separated words per line for word lists), ``#`` starts a
comment. The files hold only general knowledge of the field: function words,
common verbs, typed head nouns ("network" for methods, "segmentation" for tasks,
"accuracy" for metrics) and the names of widely known datasets, metrics and
models. Nothing in them is specific to one paper.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = [
    "AUXILIARIES",
    "CLAIM_CUES",
    "COMPOUND_SECONDS",
    "DATASET_HEADS",
    "FIELDS_OF_STUDY",
    "FINITE_VERBS",
    "KNOWN_DATASETS",
    "KNOWN_METHODS",
    "KNOWN_METRICS",
    "KNOWN_TASKS",
    "METHOD_HEADS",
    "METRIC_HEADS",
    "MODIFIERS",
    "NOMINAL_ING",
    "NOUN_VERBS",
    "PARTICIPLES",
    "STOPWORDS",
    "TASK_GERUNDS",
    "TASK_HEADS",
    "entries",
    "words",
]

_LEXICON_DIR = "data/lexicons"


@cache
def entries(name: str) -> tuple[str, ...]:
    """Return the non-comment lines of lexicon file ``name`` (without ``.txt``), stripped."""
    text = (
        resources.files("paperfields")
        .joinpath(f"{_LEXICON_DIR}/{name}.txt")
        .read_text(encoding="utf-8")
    )
    out: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return tuple(out)


@cache
def words(name: str) -> frozenset[str]:
    """Return every whitespace-separated word of lexicon file ``name``, lowercased."""
    return frozenset(w.lower() for line in entries(name) for w in line.split())


def _inflections(base: str) -> tuple[set[str], set[str]]:
    """Return (finite forms, participles) of a regular verb: -s forms, then -ed/-ing forms."""
    if base.endswith("y") and base[-2:-1] not in ("a", "e", "o", "u"):
        finite = {base, base[:-1] + "ies"}
        participles = {base[:-1] + "ied", base + "ing"}
    elif base.endswith("e"):
        finite = {base, base + "s"}
        participles = {base + "d", base[:-1] + "ing"}
    elif base.endswith(("s", "sh", "ch", "x", "z")):
        finite = {base, base + "es"}
        participles = {base + "ed", base + "ing"}
    else:
        finite = {base, base + "s"}
        participles = {base + "ed", base + "ing"}
    return finite, participles


def _verb_forms() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    finite: set[str] = set()
    participles: set[str] = set()
    ambiguous: set[str] = set()
    noun_like = words("noun_verbs")
    for line in entries("verbs"):
        base, *extra = line.lower().split()
        f, p = _inflections(base)
        participles |= p
        participles.update(extra)
        if base in noun_like:
            ambiguous |= f
        else:
            finite |= f
    return frozenset(finite), frozenset(participles), frozenset(ambiguous)


STOPWORDS = words("stopwords")
MODIFIERS = words("modifiers")
NOMINAL_ING = words("nominal_ing")
AUXILIARIES = words("auxiliaries")
FINITE_VERBS, PARTICIPLES, NOUN_VERBS = _verb_forms()
METHOD_HEADS = words("method_heads")
TASK_HEADS = words("task_heads")
METRIC_HEADS = words("metric_heads")
DATASET_HEADS = words("dataset_heads")
KNOWN_DATASETS = entries("datasets")
KNOWN_METRICS = entries("metrics")
KNOWN_METHODS = entries("methods")
KNOWN_TASKS = entries("tasks")
CLAIM_CUES = entries("claim_cues")
# Words that make a compound with the modifier before them, which then stays: "high level
# planning", "fine grained control", "large scale pretraining".
COMPOUND_SECONDS = frozenset(
    "level grained scale resolution order resource dimensional fidelity term "
    "range".split()
)
FIELDS_OF_STUDY = frozenset(e.lower() for e in entries("fields_of_study"))
TASK_GERUNDS = frozenset(
    form for base in words("task_verbs") for form in _inflections(base)[1] if form.endswith("ing")
)
