"""One row per paper per canonical entity, the long facts table, and every table of one paper.

:func:`entity_rows` merges a paper's mentions that share a canonical name
into one row: the spellings as written go to ``variants`` ("Massive Text
Embedding Benchmark; MTEB"), the first mention gives the evidence and span,
``mentions`` counts them; a method is proposed when any mention says so, a
dataset's roles merge (train and eval make ``both``). Metrics merge only when
metric, dataset and value are all the same: two values are two results.
:func:`fact_rows` lays the same entities (and each claim) out in one long
table. :func:`paper_tables` gives every built-in table's rows for one paper
(:mod:`paperfields.export.layout` adds the user fields' rows).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..compare.views import Mention
from ..names.direction import metric_direction
from ..schemas import FIELD_NAMES, Record
from .rows import (
    CLAIMS_TABLE,
    ENTITY_TABLES,
    FACTS_TABLE,
    MENTION_TABLES,
    PAPERS_TABLE,
    Row,
    mention_rows,
    paper_row,
)

__all__ = ["entity_rows", "fact_rows", "merge_entities", "paper_tables"]

NAMED_FIELDS = ("tasks", "methods", "datasets", "metrics")


def _entity_key(mention: Mention) -> tuple[str | None, ...]:
    if mention.field == "metrics":
        return (mention.key, mention.dataset_key, mention.value)
    return (mention.key,)


def merge_entities(mentions: Sequence[Mention]) -> list[list[Mention]]:
    """A paper's mentions of one field grouped by canonical entity, in first-mention order."""
    merged: dict[tuple[str | None, ...], list[Mention]] = {}
    for mention in mentions:
        merged.setdefault(_entity_key(mention), []).append(mention)
    return list(merged.values())


def _role(group: list[Mention]) -> str:
    roles = {m.role for m in group if m.role and m.role != "unknown"}
    if not roles:
        return "unknown"
    return roles.pop() if len(roles) == 1 else "both"


def _variants(group: list[Mention]) -> str:
    return "; ".join(dict.fromkeys(m.name for m in group))


def _evidence(group: list[Mention]) -> Row:
    first = next((m for m in group if m.span is not None), group[0])
    start, end = first.span if first.span is not None else (None, None)
    return (len(group), first.evidence, start, end, any(m.grounded for m in group))


def entity_rows(paper_id: str, field_name: str, mentions: Sequence[Mention]) -> list[Row]:
    """The entity-level rows of one named field for one paper.

    A user list field's rows have the shape of ``tasks``.

    Args:
        paper_id: The paper's id.
        field_name: ``tasks``, ``methods``, ``datasets``, ``metrics`` or a user list field.
        mentions: The paper's mentions of that field, in item order.

    Raises:
        ValueError: ``field_name`` is ``claims`` (one row per claim, no entities).
    """
    if field_name == "claims":
        raise ValueError(f"no entity table for {field_name!r}")
    rows: list[Row] = []
    for group in merge_entities(mentions):
        first = group[0]
        head: Row = (paper_id, first.canonical, _variants(group))
        if field_name == "methods":
            proposed = any(m.proposed for m in group)
            description = next((m.description for m in group if m.description), None)
            rows.append((*head, proposed, description, *_evidence(group)))
        elif field_name == "datasets":
            rows.append((*head, _role(group), *_evidence(group)))
        elif field_name == "metrics":
            spellings = (m.dataset_written for m in group if m.dataset_written)
            written = "; ".join(dict.fromkeys(spellings))
            owner = next((m for m in group if m.method), first)
            rows.append(
                (*head, first.value, first.number, first.unit, first.value_kind,
                 metric_direction(first.canonical), first.dataset, written or None,
                 owner.method, owner.method_source, *_evidence(group))  # fmt: skip
            )
        else:
            rows.append((*head, *_evidence(group)))
    return rows


def fact_rows(paper_id: str, mentions: Mapping[str, Sequence[Mention]]) -> list[Row]:
    """The ``facts`` rows of one paper: one per entity of each named field, one per claim."""
    rows: list[Row] = []
    for field_name in NAMED_FIELDS:
        for group in merge_entities(mentions[field_name]):
            first = group[0]
            detail: str | None = None
            if field_name == "methods" and any(m.proposed for m in group):
                detail = "proposed"
            elif field_name == "datasets":
                detail = _role(group)
            elif field_name == "metrics":
                detail = first.dataset
            start, end = first.span if first.span is not None else (None, None)
            rows.append(
                (paper_id, field_name, first.canonical, _variants(group), detail, first.value,
                 first.number, first.unit, first.value_kind, first.evidence, start, end)
            )  # fmt: skip
    for claim in mentions["claims"]:
        start, end = claim.span if claim.span is not None else (None, None)
        rows.append(
            (paper_id, "claims", claim.kind, claim.name, None, None, None, None, None,
             claim.evidence, start, end)
        )  # fmt: skip
    return rows


def paper_tables(record: Record, mentions: Mapping[str, Sequence[Mention]]) -> dict[str, list[Row]]:
    """Every exported table's rows for one paper, by table name (see ``EXPORT_TABLES``)."""
    pid = record.id
    tables: dict[str, list[Row]] = {PAPERS_TABLE.name: [paper_row(record, mentions)]}
    for name in NAMED_FIELDS:
        tables[ENTITY_TABLES[name].name] = entity_rows(pid, name, mentions[name])
    tables[CLAIMS_TABLE.name] = mention_rows(pid, "claims", mentions["claims"])
    tables[FACTS_TABLE.name] = fact_rows(pid, mentions)
    for name in FIELD_NAMES:
        if name in MENTION_TABLES:
            tables[MENTION_TABLES[name].name] = mention_rows(pid, name, mentions[name])
    return tables
