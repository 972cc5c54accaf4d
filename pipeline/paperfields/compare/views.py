"""The shapes a comparison answers with: papers, mentions, groups, matrices, side-by-side views.

A :class:`Mention` is one extracted item of one paper with its canonical name;
:class:`Group` gathers a field's mentions by canonical value without keeping
them (paper positions, spelling counts, metric values: small whatever the run's
size), :class:`Matrix` lays papers against values, :class:`SideBySide` puts
chosen papers in columns. User-defined fields take part under their own
names (:func:`field_label`); a scalar's groups are its values. Each renders itself as a
:class:`~paperfields.compare.tables.Table` (for the terminal, Markdown or CSV)
and as JSON-ready dicts. :mod:`paperfields.compare.index` builds them from a
run folder.
"""

from __future__ import annotations

import dataclasses
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..schemas import FIELD_NAMES
from .tables import Table

__all__ = [
    "FIELD_LABELS",
    "TICK",
    "Group",
    "Matrix",
    "Mention",
    "MetricValue",
    "PaperInfo",
    "SideBySide",
    "field_label",
]

FIELD_LABELS: dict[str, str] = {
    "tasks": "Tasks",
    "methods": "Methods",
    "datasets": "Datasets",
    "metrics": "Metrics",
    "claims": "Claims",
}
TICK = "✓"


def field_label(field: str) -> str:
    """The heading of a field: "Datasets" for a built-in one, a user field's own name."""
    return FIELD_LABELS.get(field, field)


@dataclass(frozen=True, slots=True)
class PaperInfo:
    """One paper of a run as the index keeps it: no abstract, no items, no summary."""

    id: str
    title: str
    status: str
    line: int
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """One extracted item of one paper, with its canonical value.

    ``name`` is the name as written (the claim text for claims); ``canonical``
    is the display form shared by the whole group (the claim kind for claims).
    Metrics also carry their value parsed (``number``, ``unit``, ``value_kind``),
    their dataset's canonical form and key, and the method the value belongs to
    (``method_source``: ``"extractor"`` when the record's ``metrics[].method``
    says so, else ``"evidence"`` when the evidence names one of the paper's
    methods, ``"proposed"`` when it is the paper's own method by default).
    A user-defined scalar's mention carries its typed value in ``scalar``.
    """

    paper_id: str
    field: str
    name: str
    canonical: str
    key: str
    evidence: str
    span: tuple[int, int] | None
    grounded: bool
    name_span: tuple[int, int] | None = None
    match: str | None = None
    value: str | None = None
    dataset: str | None = None
    dataset_key: str | None = None
    dataset_written: str | None = None
    number: float | None = None
    unit: str | None = None
    value_kind: str | None = None
    method: str | None = None
    method_source: str | None = None
    role: str | None = None
    proposed: bool | None = None
    description: str | None = None
    kind: str | None = None
    scalar: bool | float | str | None = None

    def label(self) -> str:
        """A short human label: the canonical value plus value, role or proposed mark."""
        if self.field == "metrics":
            text = self.canonical
            if self.value:
                text += f" = {self.value}"
            return text + (f" on {self.dataset}" if self.dataset else "")
        if self.field == "methods" and self.proposed:
            return f"{self.canonical} (proposed)"
        if self.field == "datasets" and self.role and self.role != "unknown":
            return f"{self.canonical} ({self.role})"
        if self.field == "claims":
            return f"[{self.kind}] {self.name}"
        return self.canonical


@dataclass(frozen=True, slots=True)
class MetricValue:
    """One value reported for a metric group: which paper, as written, parsed, and where."""

    paper: str
    value: str
    dataset: str | None
    number: float | None
    unit: str | None
    kind: str | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return dataclasses.asdict(self)


@dataclass(slots=True)
class Group:
    """One canonical value of a field, across papers, without the mentions themselves.

    ``paper_ids`` is the run's list of paper ids; the group keeps positions
    into it (a compact array), the spellings as written with their counts,
    and for metrics every reported value (:class:`MetricValue`); a user scalar's
    group keeps its typed value in ``scalar``.
    """

    field: str
    key: str
    value: str
    paper_ids: Sequence[str]
    positions: array[int] = dataclasses.field(default_factory=lambda: array("l"))
    spellings: Counter[str] = dataclasses.field(default_factory=Counter)
    mention_count: int = 0
    values: list[MetricValue] = dataclasses.field(default_factory=list)
    proposed_positions: array[int] = dataclasses.field(default_factory=lambda: array("l"))
    scalar: bool | float | str | None = None

    def add(self, position: int, mention: Mention) -> None:
        """Count one mention of paper number ``position`` (papers arrive in run order)."""
        if not self.positions or self.positions[-1] != position:
            self.positions.append(position)
        self.mention_count += 1
        if self.scalar is None and mention.scalar is not None:
            self.scalar = mention.scalar
        if self.field != "claims":
            self.spellings[mention.name] += 1
        if mention.field == "metrics" and mention.value:
            self.values.append(
                MetricValue(
                    paper=mention.paper_id,
                    value=mention.value,
                    dataset=mention.dataset,
                    number=mention.number,
                    unit=mention.unit,
                    kind=mention.value_kind,
                )
            )
        if mention.proposed and (
            not self.proposed_positions or self.proposed_positions[-1] != position
        ):
            self.proposed_positions.append(position)

    @property
    def papers(self) -> list[str]:
        """Ids of the papers that mention the value, in run order, without repeats."""
        return [self.paper_ids[p] for p in self.positions]

    @property
    def paper_count(self) -> int:
        """How many papers mention the value."""
        return len(self.positions)

    @property
    def variants(self) -> list[str]:
        """Names as written, most frequent first (none for claim kinds)."""
        counts = self.spellings
        return sorted(counts, key=lambda name: (-counts[name], name))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: value, variants, papers, counts; metric values, a scalar's typed value."""
        data: dict[str, Any] = {
            "value": self.value,
            "field": self.field,
            "count": self.paper_count,
            "mentions": self.mention_count,
            "variants": self.variants,
            "papers": self.papers,
        }
        if self.field == "metrics":
            data["values"] = [v.to_dict() for v in self.values]
        if self.field == "methods":
            data["proposed_by"] = [self.paper_ids[p] for p in self.proposed_positions]
        if self.scalar is not None:
            data["scalar"] = self.scalar
        return data


@dataclass(slots=True)
class Matrix:
    """Papers x values of one field; ``cells[paper_id][group.key]`` is the cell text."""

    field: str
    columns: list[Group]
    papers: list[PaperInfo]
    cells: dict[str, dict[str, str]]

    def to_table(self) -> Table:
        """Rows of papers, one column per value (empty cell = not mentioned)."""
        table = Table(
            title=f"{field_label(self.field)}: papers x values",
            columns=["paper", *(g.value for g in self.columns)],
        )
        for paper in self.papers:
            row = self.cells[paper.id]
            table.rows.append([_paper_label(paper), *(row.get(g.key, "") for g in self.columns)])
        return table

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the column values and one object per paper."""
        return {
            "field": self.field,
            "columns": [g.value for g in self.columns],
            "papers": [
                {
                    "id": paper.id,
                    "title": paper.title,
                    "cells": {
                        g.value: self.cells[paper.id][g.key]
                        for g in self.columns
                        if g.key in self.cells[paper.id]
                    },
                }
                for paper in self.papers
            ],
        }


@dataclass(slots=True)
class SideBySide:
    """Chosen papers side by side (ORKG style): one column per paper, one row per field.

    ``fields`` are the rows: the built-in fields, then the run's user fields;
    ``scalars`` names the user fields that hold one value (shown as the value).
    """

    papers: list[PaperInfo]
    mentions: dict[str, dict[str, list[Mention]]]
    summaries: dict[str, str | None] = dataclasses.field(default_factory=dict)
    fields: Sequence[str] = FIELD_NAMES
    scalars: frozenset[str] = frozenset()

    def to_table(self) -> Table:
        """Rows: title, status, summary, then each field; distinct items one per line."""
        table = Table(title="Papers side by side", columns=["", *(p.id for p in self.papers)])
        table.rows.append(["title", *(p.title for p in self.papers)])
        table.rows.append(["status", *(p.status for p in self.papers)])
        table.rows.append(["summary", *((self.summaries.get(p.id) or "") for p in self.papers)])
        for name in self.fields:
            # One line per distinct label: "LLM" and "LLMs" both read as their canonical form.
            cells = [
                "\n".join(dict.fromkeys(m.label() for m in self.mentions[p.id].get(name, [])))
                for p in self.papers
            ]
            table.rows.append([name, *cells])
        return table

    def to_dict(self) -> list[dict[str, Any]]:
        """The JSON form: one object per paper with its items (name as written + canonical)."""
        out: list[dict[str, Any]] = []
        for paper in self.papers:
            entry: dict[str, Any] = {
                "id": paper.id,
                "title": paper.title,
                "status": paper.status,
                "summary": self.summaries.get(paper.id),
            }
            for name in self.fields:
                found = self.mentions[paper.id].get(name, [])
                if name in self.scalars:
                    entry[name] = found[0].scalar if found else None
                else:
                    entry[name] = [_mention_dict(m) for m in found]
            out.append(entry)
        return out


_MENTION_KEYS = ("value", "number", "unit", "value_kind", "dataset", "method", "role", "proposed",
                 "kind")  # fmt: skip


def _mention_dict(mention: Mention) -> dict[str, Any]:
    data: dict[str, Any] = {"name": mention.name, "canonical": mention.canonical}
    for key in _MENTION_KEYS:
        if getattr(mention, key) is not None:
            data[key] = getattr(mention, key)
    return data


def _paper_label(paper: PaperInfo) -> str:
    return f"{paper.id}\n{paper.title}" if paper.title else paper.id
