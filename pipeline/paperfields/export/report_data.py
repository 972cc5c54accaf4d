"""The data of the HTML report: compact JSON for papers, groups, leaderboard and failures.

The report embeds its data once, as JSON, and a small script renders it
(:mod:`paperfields.export.html_report`). A paper is one array (see
:func:`encode_paper`); canonical names are shared through one string table
(:class:`NameTable`) so "MTEB" is stored once however many papers use it.
Each paper's highlights are computed here (:func:`highlight_segments`), so the
script only slices the abstract. User-defined fields are fields like the
built-in ones, numbered after them (:func:`report_fields`): a list field's items
and a scalar's value (with its quote, when it has one) are items of the paper,
highlighted and searchable; list, enum and boolean fields get filters.

:func:`script_json` makes JSON safe inside ``<script>``: every ``<``, ``>`` and
``&`` is written as a ``\\u`` escape (so ``</script>`` or ``<!--`` in a title
cannot end or change the block), and so are U+2028 and U+2029.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ..compare.groups import GroupCollector
from ..compare.leaderboard import Board
from ..compare.views import Mention
from ..fields import FieldSpec
from ..schemas import FIELD_NAMES, ErrorEntry, Record
from .rows import paper_url

__all__ = [
    "NameTable",
    "Note",
    "Segment",
    "encode_boards",
    "encode_failures",
    "encode_groups",
    "encode_paper",
    "encode_user_fields",
    "highlight_segments",
    "report_fields",
    "script_json",
]

# Where items overlap, the lowest number leads; user fields come between tasks and claims.
_PRIORITY = {"datasets": 0, "metrics": 1, "methods": 2, "tasks": 3, "claims": 5}
_USER_PRIORITY = 4
_FILTERED_TYPES = ("list", "enum", "boolean")  # user fields offered as filters
SHARED_GROUPS = 300  # per field, the most shared values listed with their papers
SINGLE_GROUPS = 500  # per field, values of one paper listed by name
FILTER_VALUES = 200  # per field, the values offered as filters
REASON_CHARS = 300


def script_json(data: Any) -> str:
    """Compact JSON that is safe as the content of a ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class NameTable:
    """Canonical names and claim kinds as indexes into one shared list."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, name: str) -> int:
        """The index of ``name``, added when new."""
        found = self._index.get(name)
        if found is None:
            found = self._index[name] = len(self.names)
            self.names.append(name)
        return found


@dataclass(frozen=True, slots=True)
class Note:
    """An extracted item numbered within its paper (from 1), for highlights and side notes."""

    number: int
    mention: Mention

    @property
    def span(self) -> tuple[int, int] | None:
        """The evidence span in the abstract, if grounded."""
        return self.mention.span


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the abstract covered by the same items.

    ``named`` is true where an item's name sits (a filled highlight; else the
    evidence is underlined); ``lead`` is the field that gives the colour (the
    most specific of the covering items); ``items`` are the covering notes'
    numbers, ``refs`` those whose name ends here (a reference mark follows).
    """

    start: int
    end: int
    named: bool
    lead: str
    items: tuple[int, ...]
    refs: tuple[int, ...]


def _name_span(abstract: str, note: Note) -> tuple[int, int] | None:
    """Where the item's name occurs inside its evidence span: the record's, else searched."""
    span, name = note.span, note.mention.name
    if span is None or note.mention.field == "claims" or not name.strip():
        return None
    given = note.mention.name_span
    if given is not None and span[0] <= given[0] < given[1] <= span[1]:
        return given
    at = abstract.casefold().find(name.casefold(), span[0], span[1])
    if at < 0 or len(abstract.casefold()) != len(abstract):
        return None
    return at, at + len(name)


def highlight_segments(abstract: str, notes: Iterable[Note]) -> list[Segment]:
    """Split the abstract at every span boundary and say what covers each highlighted stretch.

    Each item's name, where it occurs inside its evidence, is ``named``; the
    rest of its evidence is not. Items whose name is not in the evidence, and
    claims, make their whole evidence ``named``. Where items overlap, the most
    specific field (datasets, metrics, methods, tasks, user fields, claims)
    leads. Spans outside the abstract are ignored.
    """
    valid = [n for n in notes if n.span is not None and 0 <= n.span[0] < n.span[1] <= len(abstract)]
    spans = {n.number: n.span for n in valid if n.span is not None}
    cores = {n.number: _name_span(abstract, n) or spans[n.number] for n in valid}
    bounds = sorted({0, len(abstract), *(b for s in (*spans.values(), *cores.values()) for b in s)})
    segments: list[Segment] = []
    for start, end in pairwise(bounds):
        covering = [n for n in valid if spans[n.number][0] <= start and end <= spans[n.number][1]]
        if not covering:
            continue
        named = [n for n in covering if cores[n.number][0] <= start and end <= cores[n.number][1]]
        lead = min(
            named or covering, key=lambda n: _PRIORITY.get(n.mention.field, _USER_PRIORITY)
        )
        refs = tuple(n.number for n in valid if cores[n.number][1] == end)
        items = tuple(n.number for n in covering)
        segments.append(Segment(start, end, bool(named), lead.mention.field, items, refs))
    return segments


def _extra(m: Mention, names: NameTable) -> Any:
    if m.field == "methods":
        return [1 if m.proposed else 0, m.description]
    if m.field == "datasets":
        return m.role
    if m.field == "metrics":
        dataset = names(m.dataset) if m.dataset else None
        return [m.value, m.number, m.unit, m.value_kind, dataset, m.method]
    return m.scalar  # a user scalar's typed value; None for the other fields


def report_fields(user_fields: Sequence[FieldSpec] = ()) -> tuple[str, ...]:
    """The fields of a report, in their numbering: the built-in ones, then the user fields."""
    return (*FIELD_NAMES, *(f.name for f in user_fields))


def encode_user_fields(user_fields: Sequence[FieldSpec]) -> list[list[Any]]:
    """The user fields for the script: ``[name, type, filtered (0/1)]`` each, in field order."""
    return [[f.name, f.type, 1 if f.type in _FILTERED_TYPES else 0] for f in user_fields]


def encode_paper(
    record: Record,
    mentions: dict[str, list[Mention]],
    names: NameTable,
    *,
    details: bool,
    fields: Sequence[str] = FIELD_NAMES,
) -> tuple[list[Any], int]:
    """One paper as an array, and how many of its items are highlighted.

    ``[id, title, status, url, summary, extractor, abstract, items, segments, error]``;
    each item is ``[field, canonical, as written (null when the same), start, end,
    extra, evidence (only when not found in the abstract)]``, ``field`` its place in
    ``fields`` (:func:`report_fields`), ``extra`` a user scalar's typed value. Items
    come in field order, except user scalars without a quote, which come last (they
    have no note to number). Without ``details`` the abstract and the segments are
    null (the report's size limit).
    """
    number = {name: n for n, name in enumerate(fields)}
    chosen = [m for name in fields for m in mentions.get(name, ())]
    chosen = [m for m in chosen if m.evidence] + [m for m in chosen if not m.evidence]
    notes = [Note(n, m) for n, m in enumerate(chosen, 1)]
    size = len(record.abstract)
    items = []
    for note in notes:
        m = note.mention
        inside = m.span is not None and 0 <= m.span[0] < m.span[1] <= size
        start, end = m.span if inside and m.span is not None else (None, None)
        as_written = m.name if m.name != m.canonical else None
        evidence = None if inside or not m.evidence else m.evidence
        items.append([number[m.field], names(m.canonical), as_written, start, end,
                      _extra(m, names), evidence])  # fmt: skip
    segments = highlight_segments(record.abstract, notes)
    encoded = [
        [s.start, s.end, 1 if s.named else 0, number[s.lead],
         [n - 1 for n in s.items], [n - 1 for n in s.refs]]
        for s in segments
    ]  # fmt: skip
    highlighted = sum(1 for it in items if it[3] is not None)
    return [
        record.id,
        record.title,
        record.status,
        paper_url(record.id),
        record.fields.summary,
        record.provenance.extractor,
        record.abstract if details else None,
        items,
        encoded if details else None,
        record.error,
    ], highlighted


def encode_groups(
    collectors: dict[str, GroupCollector],
    names: NameTable,
    position: dict[str, int],
    filtered: Sequence[str] = ("tasks", "methods", "datasets", "metrics"),
) -> tuple[dict[str, Any], dict[str, list[list[int]]]]:
    """The comparison groups per field, and the filter values of the ``filtered`` fields.

    Returns:
        ``{field: {"shared": [[name, [positions], [variants], [[pos, value, dataset]]]],
        "single": [[name, pos]], "single_count": n}}`` and
        ``{field: [[name, papers], ...]}``.
    """
    groups: dict[str, Any] = {}
    filters: dict[str, list[list[int]]] = {}
    for field, collector in collectors.items():
        ordered = collector.groups()
        shared = [g for g in ordered if g.paper_count > 1]
        single = [g for g in ordered if g.paper_count == 1]
        groups[field] = {
            "shared": [
                [names(g.value), list(g.positions), g.variants[:8],
                 [[position.get(v.paper, -1), v.value, v.dataset] for v in g.values[:50]]]
                for g in shared[:SHARED_GROUPS]
            ],  # fmt: skip
            "shared_count": len(shared),
            "single": [[names(g.value), g.positions[0]] for g in single[:SINGLE_GROUPS]],
            "single_count": len(single),
        }
        if field in filtered:
            filters[field] = [[names(g.value), g.paper_count] for g in ordered[:FILTER_VALUES]]
    return groups, filters


def encode_boards(
    boards: Sequence[Board], position: dict[str, int], limit: int
) -> tuple[list[Any], int]:
    """The leaderboard as arrays, at most ``limit`` entries in all; and the entries left out."""
    out: list[Any] = []
    kept = left = 0
    for board in boards:
        entries = []
        for e in board.entries:
            if kept >= limit:
                left += 1
                continue
            kept += 1
            entries.append([position[e.paper], e.method, e.method_source, e.value, e.number,
                            e.unit, e.kind, e.rank])  # fmt: skip
        if entries:
            out.append([board.dataset, board.metric, board.direction, board.note, entries])
    return out, left


def encode_failures(failures: Sequence[ErrorEntry], failed_records: Sequence[Record]) -> list[Any]:
    """Failed papers: ``[id, title, stage, error type, reason]``, errors.jsonl first."""
    out: list[Any] = [
        [f.id, f.title, f.stage, f.error_type, f.reason[:REASON_CHARS]] for f in failures
    ]
    out += [[r.id, r.title, "extract", "failed", (r.error or "")[:REASON_CHARS]]
            for r in failed_records]  # fmt: skip
    return out
