"""The results leaderboard: reported values grouped by (dataset, metric), best first.

Every metric mention with a value becomes an :class:`Entry` (paper, the method
the value belongs to, the value as written, its number, unit and kind). Entries
are grouped into a :class:`Board` per canonical dataset and canonical metric;
values reported without a dataset go to the board whose dataset is None
("unspecified"), never dropped.

A board is sorted best first when its metric's direction is known
(:func:`~paperfields.names.direction.metric_direction`): absolute values in the
board's most common unit are ranked (1 = best), higher or lower first as the
metric wants; deltas, relative values, multipliers, other units and values
without a number follow, in paper order, unranked (a change and a score do not
rank against each other). When the direction is unknown every entry keeps
paper order and the board's ``note`` says so.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..names.direction import Direction, metric_direction
from .tables import Table
from .views import Mention

__all__ = ["UNSPECIFIED", "Board", "BoardCollector", "Entry", "boards_table"]

UNSPECIFIED = "unspecified"


@dataclass(slots=True)
class Entry:
    """One reported value in a board."""

    paper: str
    title: str
    method: str | None
    method_source: str | None
    value: str
    number: float | None
    unit: str | None
    kind: str | None
    metric_as_written: str
    dataset_as_written: str | None
    evidence: str
    span: tuple[int, int] | None
    rank: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        data = dataclasses.asdict(self)
        data["span"] = list(self.span) if self.span else None
        return data


@dataclass(slots=True)
class Board:
    """One (dataset, metric) pair and the values papers report for it."""

    dataset: str | None
    metric: str
    dataset_key: str | None
    metric_key: str
    direction: Direction | None
    entries: list[Entry] = dataclasses.field(default_factory=list)

    @property
    def papers(self) -> list[str]:
        """The ids of the papers with an entry, in paper order."""
        return list(dict.fromkeys(e.paper for e in self.entries))

    @property
    def note(self) -> str:
        """How the entries are ordered, in words."""
        if self.direction is None:
            return "direction unknown: paper order"
        better = "higher" if self.direction == "higher" else "lower"
        return f"{better} is better: ranked best first"

    def finish(self) -> None:
        """Rank the comparable entries best first; the rest follow in paper order."""
        absolute = [e for e in self.entries if e.kind == "absolute" and e.number is not None]
        if self.direction is None or not absolute:
            return
        unit = Counter(e.unit for e in absolute).most_common(1)[0][0]
        ranked = [e for e in absolute if e.unit == unit]
        sign = -1.0 if self.direction == "higher" else 1.0
        ranked.sort(key=lambda e: sign * (e.number or 0.0))  # stable: ties keep paper order
        previous: float | None = None
        for position, entry in enumerate(ranked, 1):
            entry.rank = position if entry.number != previous else ranked[position - 2].rank
            previous = entry.number
        chosen = {id(e) for e in ranked}
        self.entries = ranked + [e for e in self.entries if id(e) not in chosen]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``{dataset, metric, direction, note, entries: [...]}``."""
        return {
            "dataset": self.dataset,
            "metric": self.metric,
            "direction": self.direction,
            "sorted": self.direction is not None,
            "note": self.note,
            "papers": len(self.papers),
            "entries": [e.to_dict() for e in self.entries],
        }


class BoardCollector:
    """Builds boards from streamed metric mentions (one paper at a time)."""

    def __init__(self, dataset_key: str | None = None, metric_key: str | None = None) -> None:
        self._boards: dict[tuple[str | None, str], Board] = {}
        self._dataset_key = dataset_key
        self._metric_key = metric_key

    def add(self, title: str, mentions: Iterable[Mention]) -> None:
        """Add one paper's metric mentions (those without a value are skipped).

        A paper reports a figure once per board: the same method and value written
        twice for one canonical dataset ("Massive Text Embedding Benchmark (MTEB)",
        then "MTEB") is one entry.
        """
        seen: set[tuple[str | None, str, str | None, str]] = set()
        for m in mentions:
            if not m.value:
                continue
            same = (m.dataset_key, m.key, m.method, m.value.strip())
            if same in seen:
                continue
            seen.add(same)
            if self._metric_key is not None and m.key != self._metric_key:
                continue
            dataset_key = m.dataset_key or UNSPECIFIED
            if self._dataset_key is not None and dataset_key != self._dataset_key:
                continue
            board = self._boards.get((m.dataset_key, m.key))
            if board is None:
                direction = metric_direction(m.canonical)
                board = Board(m.dataset, m.canonical, m.dataset_key, m.key, direction)
                self._boards[(m.dataset_key, m.key)] = board
            board.entries.append(
                Entry(
                    paper=m.paper_id,
                    title=title,
                    method=m.method,
                    method_source=m.method_source,
                    value=m.value,
                    number=m.number,
                    unit=m.unit,
                    kind=m.value_kind,
                    metric_as_written=m.name,
                    dataset_as_written=m.dataset_written,
                    evidence=m.evidence,
                    span=m.span,
                )
            )

    def boards(self, *, min_papers: int = 1, limit: int | None = None) -> list[Board]:
        """The finished boards: named datasets first, then most papers, then names."""
        boards = [b for b in self._boards.values() if len(b.papers) >= min_papers]
        for board in boards:
            board.finish()
        boards.sort(
            key=lambda b: (
                b.dataset_key is None,
                -len(b.papers),
                -len(b.entries),
                (b.dataset or "").casefold(),
                b.metric.casefold(),
            )
        )
        return boards[:limit] if limit is not None else boards

    def __iter__(self) -> Iterator[Board]:
        return iter(self.boards())


def _number_text(entry: Entry) -> str:
    if entry.number is None:
        return ""
    return f"{entry.number:g}" + (f" {entry.unit}" if entry.unit else "")


def _method_text(entry: Entry) -> str:
    if entry.method and entry.method_source == "proposed":
        return f"{entry.method} (paper's own)"
    return entry.method or ""


_ARROWS = {"higher": "↑", "lower": "↓", None: "?"}


def boards_table(boards: list[Board], layout: str = "compact") -> list[Table]:
    """The boards as tables.

    Args:
        boards: The boards, in order.
        layout: ``"compact"`` (one table, a board's dataset and metric on its first
            row, ↑/↓ for the direction, ? when unknown), ``"long"`` (one table, every
            column on every row: for CSV) or ``"boards"`` (one titled table per board:
            for Markdown).
    """
    columns = ["rank", "paper", "method", "value", "number", "kind"]
    if layout == "long":
        table = Table(
            title="Results leaderboard",
            columns=["dataset", "metric", "direction", *columns[:5], "unit", "kind", "title"],
        )
        for board in boards:
            for e in board.entries:
                number = "" if e.number is None else f"{e.number:g}"
                table.rows.append(
                    [board.dataset or UNSPECIFIED, board.metric, board.direction or "",
                     str(e.rank or ""), e.paper, _method_text(e), e.value, number,
                     e.unit or "", e.kind or "", e.title]  # fmt: skip
                )
        return [table]
    if layout == "compact":
        table = Table(
            title=f"Results: {len(boards)} (dataset, metric) pairs; ↑ higher is better, "
            "↓ lower, ? unknown (paper order)",
            columns=["dataset", "metric", *columns],
        )
        for board in boards:
            for n, e in enumerate(board.entries):
                head = [board.dataset or UNSPECIFIED, f"{board.metric} {_ARROWS[board.direction]}"]
                table.rows.append(
                    [*(head if n == 0 else ["", ""]), str(e.rank or ""), e.paper,
                     _method_text(e), e.value, _number_text(e), e.kind or ""]  # fmt: skip
                )
        return [table]
    tables = []
    for board in boards:
        title = f"{board.dataset or UNSPECIFIED} · {board.metric} ({board.note})"
        table = Table(title=title, columns=columns)
        for e in board.entries:
            table.rows.append(
                [str(e.rank or ""), e.paper, _method_text(e), e.value, _number_text(e),
                 e.kind or ""]  # fmt: skip
            )
        tables.append(table)
    return tables
