"""The offline extractor: deterministic rules and general-knowledge lexicons, no network.

It is the default extractor when no model is configured. :func:`extract_fields`
is the pure core: sentences (:mod:`.sentences`) -> typed mentions
(:mod:`.mentions`) -> items with figures (:mod:`.figures`) and attributes
(:mod:`.attributes`), claims and a summary (:mod:`.claims`). Every item's evidence
is the abstract sentence that contains it, copied verbatim, so grounding always
finds it (for a sentence longer than :data:`MAX_EVIDENCE_CHARS`, a window of whole
words around the item). Items come from the abstract only; the title is used just
to recognise the paper's own method, which is listed first with ``proposed=True``.
Names are unique within a field (compared case- and punctuation-insensitively).

:class:`OfflineExtractor` wraps it in the :class:`~paperfields.extract.Extractor`
protocol. Bump the ``-vN`` in :data:`EXTRACTOR_NAME` whenever the rules change
the output meaningfully, so cached and stored records stay attributable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from ...config import OFFLINE_SPANS, OfflineSpans
from ...errors import ConfigError
from ...names.fold import match_key as _fold_key
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
    metric_datasets,
    metric_method,
    proposed_description,
)
from .claims import claim_sentences, summary_sentence, summary_text
from .compared_figures import compared_values, margin_datasets, margin_values
from .features import PaperContext, mention_features, proposed_features, value_features
from .figures import (
    figures_near,
    from_to_pairs,
    metric_value,
    respective_owners,
    respective_values,
    value_pairs,
)
from .learned import Model, model
from .mentions import Mention, find_mentions
from .name_shapes import never_own
from .outcome_quantities import outcome_quantities
from .paper_kind import evaluates_others, is_study, is_survey, released_data
from .proposed import proposed_mentions
from .refine import refine_mentions
from .sentences import Sentence, split_sentences
from .title_rules import title_head

__all__ = [
    "EXTRACTOR_NAME",
    "LEARNED_FIELDS",
    "Analysis",
    "MAX_EVIDENCE_CHARS",
    "OfflineExtractor",
    "OfflineSpans",
    "analyse",
    "extract_fields",
    "extractor_name",
    "first_mentions",
]

# Names recur within and across abstracts: fold each spelling once.
match_key = lru_cache(maxsize=16384)(_fold_key)

EXTRACTOR_NAME = "offline:rules-v13"


MAX_EVIDENCE_CHARS = 400
# The fields whose mentions a learned classifier may drop (datasets are left to the rules).
LEARNED_FIELDS: tuple[str, ...] = ("methods", "tasks", "metrics")


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
    methods: Sequence[Mention],
    own: Sequence[Mention],
) -> list[MethodItem]:
    """The method items: the paper's own first (``proposed``), each with its acronym or
    long form, then the other methods in text order. With mention spans the own method
    is one of the mentions; with entity spans it may be a descriptive name the proposed
    rules cut ("a GPT self-supervision annotation method")."""
    groups = {m.group for m in own if m.group}
    own_keys = {match_key(m.text) for m in own}
    ordered = _unique([*own, *(m for m in methods if m.group and m.group in groups), *methods])
    items: list[MethodItem] = []
    for i, m in enumerate(ordered):
        proposed = match_key(m.text) in own_keys or bool(m.group and m.group in groups)
        items.append(
            MethodItem(
                name=m.text,
                proposed=proposed,
                description=proposed_description(m.text, sentences) if i == 0 and own else None,
                evidence=_evidence(paper.abstract, sentences, m),
            )
        )
    return items


def _title_name_is_method(title: str, mentions: Sequence[Mention]) -> None:
    """A title's "X: ..." whose X reappears in the abstract names the paper's method."""
    head = title_head(title)
    if head is None:
        return
    hits = [m for m in mentions if m.text.lower() == head and m.field in ("tasks", "methods")]
    groups = {m.group for m in hits if m.group}
    for m in mentions:
        if m in hits or (m.group and m.group in groups):
            m.field = "methods"


def _learned_value(
    chooser: Model, metric: Mention, sentence: Sentence, mentions: Sequence[Mention]
) -> str | None:
    """The figure near a metric the ``value`` classifier rates highest, if it reaches the
    threshold."""
    best: tuple[float, str] | None = None
    for figure in figures_near(metric, sentence, mentions):
        p = chooser.probability(value_features(metric, figure, sentence))
        if best is None or p > best[0]:
            best = (p, figure[2])
    return best[1] if best is not None and best[0] >= chooser.threshold else None


def _metric_items(
    abstract: str,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    datasets: Sequence[Mention],
    own_names: Sequence[str],
    learned: bool = False,
) -> list[MetricItem]:
    """One item per metric name, and one more per further figure or dataset it is stated
    with ("~2.5% in Recall@1 on Flickr30K and COCO" gives two items). With ``learned``, a
    metric the rules give no figure gets the one the ``value`` classifier rates highest,
    when it reaches the threshold."""
    methods = [m for m in mentions if m.field == "methods"]
    items: list[MetricItem] = []
    seen: set[tuple[str, str | None, str | None]] = set()
    named: set[str] = set()
    metric_mentions = [m for m in mentions if m.field == "metrics"]
    chooser = model("value") if learned else None

    def add(m: Mention, value: str | None, dataset: str | None, method: str | None) -> None:
        """One item per metric, figure and dataset (the first mention's evidence)."""
        key = (match_key(m.text), value, dataset)
        if key not in seen:
            seen.add(key)
            items.append(
                MetricItem(
                    name=m.text,
                    value=value,
                    dataset=dataset,
                    method=method,
                    evidence=_evidence(abstract, sentences, m),
                )
            )

    for m in metric_mentions:
        key = match_key(m.text)
        value = metric_value(m, sentences[m.sentence], mentions)
        if value is None and chooser is not None:
            value = _learned_value(chooser, m, sentences[m.sentence], mentions)
        if not key or (value is None and key in named):
            continue
        method = metric_method(m, sentences[m.sentence], methods, own_names) if value else None
        on: list[str | None] = [
            *metric_datasets(m, datasets, metric_mentions, sentences[m.sentence])
        ] or [None]
        pairs = value_pairs(m, sentences[m.sentence], mentions, value, on)
        respective = respective_values(m, sentences[m.sentence], mentions, datasets, value)
        if respective is not None:
            pairs = [(v, d if d is not None else (on[0] if len(on) == 1 else None))
                     for v, d in respective]  # fmt: skip
        stated = value
        owners = respective_owners(m, sentences[m.sentence], mentions, pairs)
        # "rises from 41.2% to 55.0%": the figure started from is not the paper's own
        starts = {a for a, _, _ in from_to_pairs(m, sentences[m.sentence], mentions)}
        for value, dataset in pairs:
            owner = owners.get(value, method) if value else method
            if value in starts and owner is not None and owner in own_names:
                owner = None
            add(m, value, dataset, owner)
            named.add(key)
        if stated is not None:  # "... of 17.8, compared with 20.6 for SDXL-Lightning"
            compared = compared_values(m, sentences[m.sentence], mentions, stated)
            by_dataset = margin_datasets(sentences[m.sentence], compared, pairs)
            stated_figures = {v for v, _ in pairs}
            for figure, owner, margin in compared:
                if figure in stated_figures or (margin and respective is not None):
                    continue  # already one of the metric's own figures, or "respectively"'s
                dataset = by_dataset.get(figure, on[0] if len(on) == 1 else None)
                add(m, figure, dataset, method if margin else owner)
    for sent in sentences:
        for m, figure in margin_values(sent, metric_mentions):
            if any(k == match_key(m.text) and v == figure for k, v, _ in seen):
                continue  # the figure is already this metric's value
            method = metric_method(m, sent, methods, own_names)
            on = [*metric_datasets(m, datasets, metric_mentions, sent)] or [None]
            for dataset in on:
                add(m, figure, dataset, method)
    return items


@dataclass(slots=True)
class Analysis:
    """One paper as the rules see it, before the learned decisions.

    ``mentions`` are the typed mentions (refined to entity spans unless the spans are
    ``mentions``), ``valued[i]`` whether ``mentions[i]`` is a metric with a figure beside
    it, ``own`` the method mentions the proposed-method rules name the paper's own, and
    ``context`` what the learned classifiers' features need of the paper, and
    ``released`` the names the paper introduces as data ("X, a benchmark of ..."), and
    ``survey`` whether it reviews a field (:func:`.paper_kind.is_survey`): it proposes
    no method; ``study`` whether it studies existing ones (:func:`.paper_kind.is_study`):
    no guess gives it one.
    """

    sentences: list[Sentence]
    mentions: list[Mention]
    valued: list[bool]
    own: list[Mention]
    context: PaperContext
    released: frozenset[str] = frozenset()
    survey: bool = False
    study: bool = False


def analyse(paper: Paper, spans: OfflineSpans = "entities") -> Analysis:
    """Run the rules on one paper: sentences, typed mentions and the rules' own methods.

    Args:
        paper: the paper (title and abstract).
        spans: the span convention (see :func:`extract_fields`).

    Returns:
        The analysis :func:`extract_fields` turns into fields and
        ``bench/train_offline_model.py`` turns into training candidates.
    """
    abstract = paper.abstract
    sentences = split_sentences(abstract)
    found = find_mentions(abstract, sentences) if sentences else []
    found = outcome_quantities(abstract, sentences, found)
    mentions = found
    if spans == "entities":
        valued = [
            m.field == "metrics" and metric_value(m, sentences[m.sentence], found) is not None
            for m in found
        ]
        mentions = refine_mentions(found, sentences, abstract, valued)
        _title_name_is_method(paper.title, mentions)
    data: set[str] = set()
    if spans == "entities":  # a name introduced as a benchmark is data the paper releases
        data = released_data(
            sentences, [m for m in mentions if m.field in ("methods", "datasets")], paper.title
        )
        if data:
            mentions = [
                replace(m, field="datasets") if m.field == "methods" and m.text in data else m
                for m in mentions
            ]
    datasets = _unique(m for m in mentions if m.field == "datasets")
    methods = _unique(m for m in mentions if m.field == "methods")
    survey = is_survey(paper.title, sentences)
    study = is_study(paper.title) or evaluates_others(sentences)
    own = (
        []
        if survey
        else proposed_mentions(paper.title, abstract, sentences, methods, datasets, data, study)
    )
    own_data = released_data(sentences, own) if spans == "entities" else set()
    if own_data:  # "This paper introduces LongBench v2, a benchmark ...": data, not a method
        data |= own_data
        have = {m.text for m in mentions if m.field == "datasets"}
        added = [replace(m, field="datasets") for m in own if m.text in own_data - have]
        inside = [  # "LongBench" within "LongBench v2"
            m for m in mentions if any(a.start <= m.start and m.end <= a.end for a in added)
        ]
        mentions = sorted(
            [*(m for m in mentions if m not in inside), *added], key=lambda m: (m.start, -m.end)
        )
    own = [m for m in own if m.text not in data]
    if spans == "mentions":  # the own names among the mentions as written, none re-cut
        written = {(m.start, m.end) for m in methods}
        own = [m for m in own if m.source != "proposed" and (m.start, m.end) in written]
    valued = [
        m.field == "metrics" and metric_value(m, sentences[m.sentence], mentions) is not None
        for m in mentions
    ]
    context = PaperContext.of(paper.title, sentences, mentions, title_head(paper.title))
    return Analysis(sentences, mentions, valued, own, context, frozenset(data), survey, study)


def first_mentions(analysis: Analysis, field: str) -> list[tuple[Mention, bool]]:
    """Each distinct name of a field once, at its first mention, with whether any of its
    mentions is valued: the candidates of the keep-or-drop classifiers."""
    firsts: dict[str, tuple[Mention, bool]] = {}
    for m, valued in zip(analysis.mentions, analysis.valued, strict=True):
        if m.field != field:
            continue
        key = match_key(m.text)
        if key in firsts:
            first, was = firsts[key]
            firsts[key] = (first, was or valued)
        elif key:
            firsts[key] = (m, valued)
    return list(firsts.values())


def _learned_own(analysis: Analysis, methods: Sequence[Mention]) -> list[Mention]:
    """The rules' own methods, and the method the ``proposed`` classifier rates highest
    when it reaches the threshold (with its acronym or long form); beside names the rules
    already give, only when it reaches the stricter ``beside_rules`` threshold. A paper
    whose contribution is data it releases or a study, with no own method named by the
    rules, gets none; a survey gets none at all."""
    chooser = model("proposed")
    own = list(analysis.own)
    if analysis.survey:
        return []
    if chooser is None or (not own and (analysis.released or analysis.study)):
        return own  # a paper that releases data and names no method proposes none
    own_keys = {match_key(m.text) for m in own}
    scored = [
        (chooser.probability(proposed_features(m, analysis.context)), i, m)
        for i, m in enumerate(methods)
        if match_key(m.text) not in own_keys and not never_own(m, methods)
    ]
    if scored:
        p, _, best = max(scored, key=lambda x: (x[0], -x[1]))
        beside = chooser.beside_rules if chooser.beside_rules is not None else chooser.threshold
        if p >= (beside if own else chooser.threshold):
            own.append(best)
    return own


def _kept(analysis: Analysis, own: Sequence[Mention]) -> list[Mention]:
    """The mentions the keep-or-drop classifiers keep; own methods are always kept."""
    own_keys = {match_key(m.text) for m in own}
    own_groups = {m.group for m in own if m.group}
    dropped: set[tuple[str, str]] = set()
    for field in LEARNED_FIELDS:
        keep = model(f"keep_{field}")
        if keep is None:
            continue
        kept_groups: set[str] = set()
        rejected: list[tuple[str, str]] = []
        for m, valued in first_mentions(analysis, field):
            key = match_key(m.text)
            if key in own_keys or (m.group and m.group in own_groups):
                continue
            if (field == "metrics" and valued) or keep.accepts(
                mention_features(m, analysis.context, False, valued)
            ):  # a quantity stated with its figure is a result: never dropped
                if m.group:
                    kept_groups.add(m.group)
            else:
                rejected.append((key, m.group))
        # a long form and its acronym go together: one kept keeps both
        dropped.update(
            (field, key) for key, group in rejected if not group or group not in kept_groups
        )
    return [m for m in analysis.mentions if (m.field, match_key(m.text)) not in dropped]


def extract_fields(paper: Paper, spans: OfflineSpans = "entities") -> ExtractedFields:
    """Extract tasks, methods, datasets, metrics, claims and a summary from one paper.

    Pure and deterministic: the same paper always gives the same fields. Never
    raises on odd text (empty, one word, no sentence end, very long); such
    abstracts simply give few or no items.

    Args:
        paper: the paper (title and abstract).
        spans: the span convention. ``"entities"`` narrows or drops mentions as
            ``examples/eval/GUIDELINES.md`` says (:mod:`.refine`: "CLIP models" is
            "CLIP", "language models" and "data quality" are no mentions) and lets the
            learned classifiers (:mod:`.learned`) drop candidates and name the own
            method; ``"mentions"`` keeps every mention with the chunker's spans, generic
            ones included, as SciREX's annotators do, and leaves the rules alone.

    Returns:
        The extracted fields.
    """
    abstract = paper.abstract
    analysis = analyse(paper, spans)
    sentences = analysis.sentences
    mentions = analysis.mentions
    own = analysis.own
    if spans == "entities":
        own = _learned_own(analysis, _unique(m for m in mentions if m.field == "methods"))
        mentions = _kept(analysis, own)
    datasets = _unique(m for m in mentions if m.field == "datasets")
    methods = _methods(paper, sentences, _unique(m for m in mentions if m.field == "methods"), own)
    tasks = _unique(m for m in mentions if m.field == "tasks")
    own_names = [m.name for m in methods if m.proposed]
    summary = summary_sentence(sentences)
    return ExtractedFields(
        summary=summary_text(summary, MAX_EVIDENCE_CHARS) if summary is not None else None,
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
        metrics=_metric_items(
            abstract,
            sentences,
            mentions,
            [m for m in mentions if m.field == "datasets"],  # every mention: each sentence's own
            own_names,
            learned=spans == "entities",
        ),
        claims=[
            ClaimItem(text=_quote(abstract, sent), kind=kind, evidence=_quote(abstract, sent))
            for sent, kind in claim_sentences(sentences, own_names)
        ],
    )


def extractor_name(spans: OfflineSpans = "entities") -> str:
    """The provenance name of the offline extractor with a span convention.

    ``offline:rules-vN`` for entity spans, ``offline:rules-vN+mentions`` for mention
    spans, so that a run folder never mixes records of the two conventions.
    """
    return EXTRACTOR_NAME if spans == "entities" else f"{EXTRACTOR_NAME}+{spans}"


class OfflineExtractor:
    """The rules extractor behind the :class:`~paperfields.extract.Extractor` protocol.

    Args:
        spans: the span convention, ``"entities"`` (default: names as the eval
            guidelines list them) or ``"mentions"`` (every mention, as SciREX
            annotates); part of the extractor's name (:func:`extractor_name`).

    Raises:
        ConfigError: an unknown span convention.
    """

    concurrency = 1

    def __init__(self, spans: str = "entities") -> None:
        if spans not in OFFLINE_SPANS:
            raise ConfigError(
                f"offline spans must be one of {', '.join(OFFLINE_SPANS)}, got {spans!r}"
            )
        self.spans: OfflineSpans = spans
        self.name = extractor_name(self.spans)

    @property
    def identity(self) -> ExtractorIdentity:
        """``offline:rules-vN`` (``+mentions``) with the built-in schema; no prompt."""
        return ExtractorIdentity.of(self.name, None, fields_schema_sha256())

    async def extract(self, paper: Paper) -> Extraction:
        """Extract one paper (no I/O; never retried, never cached)."""
        fields = extract_fields(paper, self.spans)
        return Extraction(fields=fields, extractor=self.name, cost_usd=0.0)

    async def aclose(self) -> None:
        """Nothing to release."""
