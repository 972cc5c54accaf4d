"""The offline extractor: deterministic rules and general-knowledge lexicons, no network.

It is the default extractor when no model is configured. :func:`extract_fields`
is the pure core: sentences (:mod:`.sentences`) -> typed mentions
(:mod:`.mentions`) -> items with attributes (:mod:`.attributes`), claims and a
summary (:mod:`.claims`). Every item's evidence is the abstract sentence that
contains it, copied verbatim, so grounding always finds it (for a sentence
longer than :data:`MAX_EVIDENCE_CHARS`, a window of whole words around the
item). Items come from
the abstract only; the title is used just to recognise the paper's own
method, which is listed first with ``proposed=True``. Names are unique within
a field (compared case- and punctuation-insensitively).

:class:`OfflineExtractor` wraps it in the :class:`~paperfields.extract.Extractor`
protocol. Bump the ``-vN`` in :data:`EXTRACTOR_NAME` whenever the rules change
the output meaningfully, so cached and stored records stay attributable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ...names.fold import match_key
from ...schemas import (
    ClaimItem,
    DatasetItem,
    ExtractedFields,
    ExtractorIdentity,
    MethodItem,
    MetricItem,
    Paper,
    TaskItem,
    fields_schema_sha256,
)
from .. import Extraction
from .attributes import (
    dataset_role,
    metric_dataset,
    metric_value,
    proposed_description,
    proposed_method,
)
from .claims import claim_sentences, summary_sentence
from .mentions import Mention, find_mentions
from .sentences import Sentence, split_sentences

__all__ = ["EXTRACTOR_NAME", "MAX_EVIDENCE_CHARS", "OfflineExtractor", "extract_fields"]

EXTRACTOR_NAME = "offline:rules-v1"

MAX_EVIDENCE_CHARS = 400


def _quote(
    abstract: str, sentence: Sentence, start: int | None = None, end: int | None = None
) -> str:
    """The sentence as evidence; of an overlong one, whole words around ``[start, end)``
    (or its opening words). Always a verbatim substring of the abstract."""
    if sentence.end - sentence.start <= MAX_EVIDENCE_CHARS:
        return sentence.text
    if start is None or end is None:
        lo, hi = sentence.start, sentence.start + MAX_EVIDENCE_CHARS
        start = end = lo
    else:
        margin = max(0, (MAX_EVIDENCE_CHARS - (end - start)) // 2)
        lo, hi = max(sentence.start, start - margin), end + margin
    hi = min(hi, sentence.end)
    if lo > sentence.start:
        space = abstract.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < sentence.end:
        space = abstract.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    return abstract[lo:hi].strip() or sentence.text


def _unique(mentions: Iterable[Mention]) -> list[Mention]:
    seen: set[str] = set()
    out: list[Mention] = []
    for m in mentions:
        key = match_key(m.text)
        if key and key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _evidence(abstract: str, sentences: Sequence[Sentence], m: Mention) -> str:
    return _quote(abstract, sentences[m.sentence], m.start, m.end)


def _methods(
    paper: Paper,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    datasets: Sequence[Mention],
) -> list[MethodItem]:
    methods = _unique(m for m in mentions if m.field == "methods")
    own = proposed_method(paper.title, sentences, methods, datasets)
    items: list[MethodItem] = []
    if own is not None:
        items.append(
            MethodItem(
                name=own.text,
                proposed=True,
                description=proposed_description(own.text, sentences),
                evidence=_evidence(paper.abstract, sentences, own),
            )
        )
    for m in methods:
        if m is own:
            continue
        items.append(
            MethodItem(
                name=m.text,
                proposed=False,
                description=None,
                evidence=_evidence(paper.abstract, sentences, m),
            )
        )
    return items


def extract_fields(paper: Paper) -> ExtractedFields:
    """Extract tasks, methods, datasets, metrics, claims and a summary from one paper.

    Pure and deterministic: the same paper always gives the same fields. Never
    raises on odd text (empty, one word, no sentence end, very long); such
    abstracts simply give few or no items.
    """
    abstract = paper.abstract
    sentences = split_sentences(abstract)
    mentions = find_mentions(abstract, sentences) if sentences else []
    datasets = _unique(m for m in mentions if m.field == "datasets")
    methods = _methods(paper, sentences, mentions, datasets)
    metrics = _unique(m for m in mentions if m.field == "metrics")
    tasks = _unique(m for m in mentions if m.field == "tasks")
    own_names = [m.name for m in methods if m.proposed]
    summary = summary_sentence(sentences)
    return ExtractedFields(
        summary=_quote(abstract, summary) if summary is not None else None,
        tasks=[TaskItem(name=m.text, evidence=_evidence(abstract, sentences, m)) for m in tasks],
        methods=methods,
        datasets=[
            DatasetItem(
                name=m.text,
                role=dataset_role(sentences[m.sentence]),
                evidence=_evidence(abstract, sentences, m),
            )
            for m in datasets
        ],
        metrics=[
            MetricItem(
                name=m.text,
                value=metric_value(m, sentences[m.sentence], mentions),
                dataset=metric_dataset(m, datasets),
                method=None,
                evidence=_evidence(abstract, sentences, m),
            )
            for m in metrics
        ],
        claims=[
            ClaimItem(text=_quote(abstract, sent), kind=kind, evidence=_quote(abstract, sent))
            for sent, kind in claim_sentences(sentences, own_names)
        ],
    )


class OfflineExtractor:
    """The rules extractor behind the :class:`~paperfields.extract.Extractor` protocol."""

    name = EXTRACTOR_NAME
    concurrency = 1

    @property
    def identity(self) -> ExtractorIdentity:
        """``offline:rules-v1`` with the built-in schema; no prompt."""
        return ExtractorIdentity.of(self.name, None, fields_schema_sha256())

    async def extract(self, paper: Paper) -> Extraction:
        """Extract one paper (no I/O; never retried, never cached)."""
        return Extraction(fields=extract_fields(paper), extractor=self.name, cost_usd=0.0)

    async def aclose(self) -> None:
        """Nothing to release."""
