"""One record's items as mentions: canonical names, parsed values and the method each value is for.

:func:`record_mentions` turns a :class:`~paperfields.schemas.Record` into its
:class:`~paperfields.compare.views.Mention` objects by field, in item order,
with the run's :class:`~paperfields.names.canonical.Normalizer`. Claims are
grouped by their kind. A metric value belongs to a method
(:func:`value_owner`): one of the paper's methods named in the value's
evidence (the paper's own first, then the one written closest before the
value; a method written just after "outperforms", "than", "over", "compared to"
is a baseline and is passed over), else the paper's proposed method, else none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..names.canonical import Normalizer
from ..schemas import (
    FIELD_NAMES,
    GroundedClaim,
    GroundedDataset,
    GroundedMethod,
    GroundedMetric,
    Record,
)
from .views import Mention

__all__ = ["record_mentions", "value_owner"]

# A method written right after these words is what the value is compared against.
_BASELINE_CUE = re.compile(
    r"\b(?:outperform\w*|than|over|surpass\w*|beat\w*|compared (?:to|with)|versus|vs\.?|"
    r"relative to|against)\W+(?:\w+\W+){0,5}$"
)


def value_owner(
    metric: GroundedMetric, methods: Sequence[GroundedMethod]
) -> tuple[GroundedMethod | None, str | None]:
    """The method a value belongs to when the extractor did not say: why, or None.

    ``"evidence"`` when the evidence names one of the paper's methods (not after a
    baseline cue such as "over" or "than"), ``"proposed"`` when it falls back to the
    paper's own method.

    Args:
        metric: The metric item (its evidence is searched for method names).
        methods: The paper's methods, in item order.
    """
    evidence = metric.evidence.casefold()
    anchor = evidence.find(metric.value.casefold()) if metric.value else -1
    named: list[tuple[bool, int, GroundedMethod]] = []
    for method in methods:
        name = method.name.strip().casefold()
        at = evidence.find(name) if len(name) > 1 else -1
        if at >= 0 and not _BASELINE_CUE.search(evidence[max(0, at - 40) : at]):
            before = anchor < 0 or at < anchor
            distance = (anchor - at) if before and anchor >= 0 else len(evidence) + at
            named.append((not method.proposed, distance, method))
    if named:
        named.sort(key=lambda entry: (entry[0], entry[1]))
        return named[0][2], "evidence"
    proposed = next((m for m in methods if m.proposed), None)
    if proposed is not None:
        return proposed, "proposed"
    return None, None


def record_mentions(record: Record, normalizer: Normalizer) -> dict[str, list[Mention]]:
    """Every item of ``record`` as a mention, by field, in item order.

    Args:
        record: A validated record.
        normalizer: The run's canonical names.
    """
    pid, fields = record.id, record.fields
    out: dict[str, list[Mention]] = {name: [] for name in FIELD_NAMES}
    for name in FIELD_NAMES:
        for item in getattr(fields, name):
            common: dict[str, Any] = {
                "paper_id": pid,
                "field": name,
                "evidence": item.evidence,
                "span": item.span,
                "grounded": item.grounded,
                "name_span": item.name_span,
                "match": item.match,
            }
            if isinstance(item, GroundedClaim):
                out[name].append(
                    Mention(
                        name=item.text, canonical=item.kind, key=item.kind, kind=item.kind, **common
                    )
                )
                continue
            canonical = normalizer.canonical(item.name, pid)
            extra: dict[str, Any] = {}
            if isinstance(item, GroundedMetric):
                extra = _metric_extra(item, fields.methods, normalizer, pid)
            elif isinstance(item, GroundedMethod):
                extra = {"proposed": item.proposed, "description": item.description}
            elif isinstance(item, GroundedDataset):
                extra = {"role": item.role}
            out[name].append(
                Mention(
                    name=item.name,
                    canonical=canonical.display,
                    key=canonical.key,
                    **common,
                    **extra,
                )
            )
    return out


def _metric_extra(
    metric: GroundedMetric,
    methods: Sequence[GroundedMethod],
    normalizer: Normalizer,
    paper_id: str,
) -> dict[str, Any]:
    dataset = normalizer.canonical(metric.dataset, paper_id) if metric.dataset else None
    if metric.method:  # the extractor says whose figure it is
        owner_name: str | None = metric.method
        source: str | None = "extractor"
    else:
        owner, source = value_owner(metric, methods) if metric.value else (None, None)
        owner_name = owner.name if owner else None
    return {
        "value": metric.value,
        "dataset": dataset.display if dataset else None,
        "dataset_key": dataset.key if dataset else None,
        "dataset_written": metric.dataset,
        "number": metric.number,
        "unit": metric.unit,
        "value_kind": metric.kind,
        "method": normalizer.canonical(owner_name, paper_id).display if owner_name else None,
        "method_source": source,
    }
