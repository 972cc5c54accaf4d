"""Compare the papers of a run: groups of canonical values, matrices, side by side, leaderboards.

:func:`open_run` streams a run's ``records.jsonl`` once and keeps a small index:
each paper's id, title, status and line (no abstract, no items), and one
:class:`~paperfields.names.canonical.Normalizer` learnt from every abstract's
acronym definitions and every item name, so each task, method, dataset and
metric name has a canonical form (claims are grouped by their ``kind``). When
a paper id appears on several lines (a resumed run that retried it), the last
line wins. The papers that failed (ingest or extraction) are read from the
``errors.jsonl`` beside the records, so :attr:`RunIndex.failed` counts them
and :attr:`RunIndex.failures` lists them. Lines that are not JSON objects,
valid records or valid error entries are skipped with a warning that names
the file and line. User-defined fields (the spec in ``run.json``, else what
the records hold: :mod:`.userfields`) are fields like the built-in ones: their
list items get canonical names too, their scalars group papers by value.

Every question is then answered by streaming the records again, one at a time
(:meth:`RunIndex.iter_records`, :meth:`RunIndex.iter_mentions`), into small
collectors: :meth:`~RunIndex.groups` (which values, in how many papers, largest
first), :meth:`~RunIndex.matrix` (papers x values), :meth:`~RunIndex.side_by_side`
(one column per paper) and :meth:`~RunIndex.leaderboard` (results by dataset
and metric, best first). Memory stays flat in the number of papers: the index
holds a few short strings per paper, the collectors one entry per canonical
value.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError
from ..fields import FieldSpec
from ..io.jsonl import iter_jsonl
from ..io.runfolder import ERRORS_FILE, records_path_for
from ..names.acronyms import find_acronym_definitions
from ..names.canonical import AliasTable, Normalizer, NormalizerBuilder
from ..schemas import FIELD_NAMES, ErrorEntry, Record
from .groups import GroupCollector
from .leaderboard import UNSPECIFIED, Board, BoardCollector
from .mentions import record_mentions
from .reader import invalid_message, read_records
from .user_mentions import user_mentions
from .userfields import FieldsSeen, run_spec
from .views import FIELD_LABELS, TICK, Group, Matrix, Mention, PaperInfo, SideBySide

__all__ = [
    "FIELD_LABELS",
    "Group",
    "Matrix",
    "Mention",
    "PaperInfo",
    "RunIndex",
    "SideBySide",
    "open_run",
    "records_path_for",
]




class RunIndex:
    """What :func:`open_run` learnt from one pass over ``records.jsonl``; answers by streaming."""

    def __init__(
        self,
        records_path: Path,
        papers: Sequence[PaperInfo],
        normalizer: Normalizer,
        warnings: list[str],
        failures: Sequence[ErrorEntry] = (),
        user_fields: Sequence[FieldSpec] = (),
    ) -> None:
        self.records_path = records_path
        self.papers: list[PaperInfo] = list(papers)
        self.normalizer = normalizer
        self.warnings = warnings
        self.failures: list[ErrorEntry] = list(failures)  # errors.jsonl, in file order
        self.user_fields: tuple[FieldSpec, ...] = tuple(user_fields)
        self.paper_ids: list[str] = [p.id for p in self.papers]
        self._position = {p.id: n for n, p in enumerate(self.papers)}
        self._lines = {p.line for p in self.papers}

    @property
    def run_dir(self) -> Path:
        """The folder holding ``records.jsonl``."""
        return self.records_path.parent

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field a comparison can use: the built-in ones, then the run's user fields."""
        return (*FIELD_NAMES, *(f.name for f in self.user_fields))

    def user_field(self, name: str) -> FieldSpec | None:
        """The user field called ``name``, or None."""
        return next((f for f in self.user_fields if f.name == name), None)

    def check_field(self, name: str) -> None:
        """Make sure ``name`` is a field of this run.

        Raises:
            InputError: It is not; the message lists the fields to choose from.
        """
        if name not in self.fields:
            raise InputError(
                f"{name!r} is not a field of this run; choose one of {', '.join(self.fields)}",
                path=str(self.records_path),
            )

    @property
    def failed(self) -> int:
        """How many papers failed: ``errors.jsonl`` entries plus records with status "failed".

        Entries are counted once per paper id (once per line when they have no id).
        """
        ids = {p.id for p in self.papers if p.status == "failed"}
        ids.update(entry.id for entry in self.failures if entry.id is not None)
        return len(ids) + sum(entry.id is None for entry in self.failures)

    def position(self, paper_id: str) -> int:
        """The 0-based place of a paper in :attr:`papers` (run order)."""
        return self._position[paper_id]

    def paper(self, paper_id: str) -> PaperInfo:
        """Return one paper's info.

        Raises:
            InputError: No paper has that id; the message suggests close ids.
        """
        if paper_id in self._position:
            return self.papers[self._position[paper_id]]
        close = difflib.get_close_matches(paper_id, self.paper_ids, n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise InputError(f"unknown paper id {paper_id!r}{hint}", path=str(self.records_path))

    def iter_records(self, lines: set[int] | None = None) -> Iterator[Record]:
        """Stream the run's records again (last line per id, in file order, invalid lines skipped).

        Args:
            lines: Only these line numbers (a subset of the papers' lines).
        """
        chosen = self._lines if lines is None else lines & self._lines
        for _, record in read_records(self.records_path, lines=chosen):
            yield record

    def mentions_of(self, record: Record) -> dict[str, list[Mention]]:
        """One record's mentions by field (user fields too), with the run's canonical names."""
        mentions = record_mentions(record, self.normalizer)
        if self.user_fields:
            mentions.update(user_mentions(record, self.user_fields, self.normalizer))
        return mentions

    def iter_mentions(self) -> Iterator[tuple[int, Record, dict[str, list[Mention]]]]:
        """Stream ``(position, record, mentions by field)`` for every paper, in file order."""
        for record in self.iter_records():
            yield self._position[record.id], record, self.mentions_of(record)

    def mentions(self, field_name: str) -> Iterator[Mention]:
        """Every mention of one field, in paper order then item order (streamed)."""
        for _, _, mentions in self.iter_mentions():
            yield from mentions[field_name]

    def group_collectors(self, fields: Sequence[str] = FIELD_NAMES) -> dict[str, GroupCollector]:
        """Empty collectors for ``fields``, to fill while streaming (see :meth:`collect`)."""
        return {name: GroupCollector(name, self.paper_ids) for name in fields}

    def groups(
        self, field_name: str, *, min_papers: int = 1, limit: int | None = None
    ) -> list[Group]:
        """Group a field's mentions by canonical value, largest first.

        A user list field groups its items by canonical name, a user scalar
        field its papers by value (papers without a value are in no group).

        Args:
            field_name: ``tasks``, ``methods``, ``datasets``, ``metrics``, ``claims``
                or one of the run's user fields.
            min_papers: Keep groups mentioned by at least this many papers.
            limit: Keep at most this many groups.

        Returns:
            Groups ordered by paper count, then mention count, then value.

        Raises:
            InputError: ``field_name`` is not a field of this run.
        """
        self.check_field(field_name)
        return self.all_groups([field_name])[field_name].groups(min_papers=min_papers, limit=limit)

    def all_groups(self, fields: Sequence[str] = FIELD_NAMES) -> dict[str, GroupCollector]:
        """The groups of several fields from one pass over the records."""
        collectors = self.group_collectors(fields)
        for position, _, mentions in self.iter_mentions():
            for name, collector in collectors.items():
                collector.add(position, mentions[name])
        return collectors

    def matrix(self, field_name: str, *, min_papers: int = 1, limit: int | None = None) -> Matrix:
        """Papers x values of a field; only papers with at least one cell are rows.

        A cell is a tick, the metric value(s) for metrics, "✓ proposed" for a
        paper's own method, the role for datasets and a count for claim kinds.

        Raises:
            InputError: ``field_name`` is not a field of this run.
        """
        self.check_field(field_name)
        collector = GroupCollector(field_name, self.paper_ids)
        cells: dict[str, dict[str, str]] = {}
        for position, record, mentions in self.iter_mentions():
            chosen = mentions[field_name]
            collector.add(position, chosen)
            by_key: dict[str, list[Mention]] = {}
            for mention in chosen:
                by_key.setdefault(mention.key, []).append(mention)
            if by_key:
                cells[record.id] = {key: _cell(field_name, ms) for key, ms in by_key.items()}
        columns = collector.groups(min_papers=min_papers, limit=limit)
        keys = {g.key for g in columns}
        kept = {pid: {k: v for k, v in row.items() if k in keys} for pid, row in cells.items()}
        rows = [p for p in self.papers if kept.get(p.id)]
        full = {p.id: kept.get(p.id, {}) for p in self.papers}
        return Matrix(field=field_name, columns=columns, papers=rows, cells=full)

    def side_by_side(self, paper_ids: Sequence[str]) -> SideBySide:
        """Put the given papers side by side.

        Raises:
            InputError: An id is not in the run.
        """
        papers = [self.paper(pid) for pid in dict.fromkeys(paper_ids)]
        mentions: dict[str, dict[str, list[Mention]]] = {}
        summaries: dict[str, str | None] = {}
        for record in self.iter_records({p.line for p in papers}):
            mentions[record.id] = self.mentions_of(record)
            summaries[record.id] = record.fields.summary
        scalars = frozenset(f.name for f in self.user_fields if not f.is_list)
        return SideBySide(papers, mentions, summaries, fields=self.fields, scalars=scalars)

    def board_collector(
        self, *, dataset: str | None = None, metric: str | None = None
    ) -> BoardCollector:
        """An empty leaderboard collector, optionally for one dataset and/or one metric.

        ``dataset`` and ``metric`` are names in any spelling the run uses (they are
        matched by canonical form); ``dataset="unspecified"`` keeps the values
        reported without a dataset.
        """
        dataset_key = None
        if dataset is not None:
            dataset_key = (
                UNSPECIFIED
                if dataset.strip().casefold() == UNSPECIFIED
                else self.normalizer.canonical(dataset).key
            )
        metric_key = self.normalizer.canonical(metric).key if metric is not None else None
        return BoardCollector(dataset_key=dataset_key, metric_key=metric_key)

    def leaderboard(
        self,
        *,
        dataset: str | None = None,
        metric: str | None = None,
        min_papers: int = 1,
        limit: int | None = None,
    ) -> list[Board]:
        """The results leaderboard: one board per (dataset, metric), entries best first.

        Args:
            dataset: Keep one dataset (any spelling, or ``"unspecified"``).
            metric: Keep one metric (any spelling).
            min_papers: Keep boards with entries from at least this many papers.
            limit: Keep at most this many boards.
        """
        collector = self.board_collector(dataset=dataset, metric=metric)
        for _, record, mentions in self.iter_mentions():
            collector.add(record.title, mentions["metrics"])
        return collector.boards(min_papers=min_papers, limit=limit)


def _cell(field_name: str, mentions: list[Mention]) -> str:
    if field_name == "metrics":
        values = [m.value for m in mentions if m.value]
        return "; ".join(dict.fromkeys(values)) if values else TICK
    if field_name == "methods" and any(m.proposed for m in mentions):
        return f"{TICK} proposed"
    if field_name == "datasets":
        roles = sorted({m.role for m in mentions if m.role and m.role != "unknown"})
        return " ".join([TICK, *roles])
    if field_name == "claims":
        return str(len(mentions))
    return TICK


def _read_failures(path: Path, warnings: list[str]) -> list[ErrorEntry]:
    """The valid entries of an ``errors.jsonl``, in file order (none when it is missing)."""
    if not path.is_file():
        return []
    failures: list[ErrorEntry] = []
    for line, obj in iter_jsonl(path, on_invalid=warnings.append):
        try:
            failures.append(ErrorEntry.model_validate(obj))
        except ValidationError as e:
            warnings.append(invalid_message(path, line, "error entry", e))
    return failures


def _learn(builder: NormalizerBuilder, record: Record) -> None:
    pairs = [(d.short, d.long) for d in find_acronym_definitions(record.abstract)]
    builder.add_definitions(pairs, record.id)
    builder.add_fields(record.fields, record.id)
    for value in (record.fields.model_extra or {}).values():  # user list items
        if isinstance(value, list):
            for item in value:
                builder.add_name(item.name, record.id)


def open_run(path: str | Path, *, aliases: AliasTable | None = None) -> RunIndex:
    """Index a run folder (or a ``records.jsonl`` file) in one streamed pass.

    The run's ``errors.jsonl`` (beside the records file) is read too, for
    :attr:`RunIndex.failed` and :attr:`RunIndex.failures`, and its ``run.json``
    for the user fields spec (:attr:`RunIndex.user_fields`; without one, the
    user fields are those the records hold). Only when a paper id
    appears on several lines are the winning lines read a second time, so the
    canonical names learn from each paper once.

    Args:
        path: The run folder written by ``paperfields run``, or its records file.
        aliases: User aliases that extend or override the learnt canonical names.

    Returns:
        The index; ``warnings`` lists skipped lines ("file:line: reason").

    Raises:
        InputError: The folder or records file is missing.
    """
    records_path = records_path_for(path)
    papers: dict[str, PaperInfo] = {}
    warnings: list[str] = []
    builder = NormalizerBuilder(aliases)
    seen = FieldsSeen(run_spec(records_path.parent))
    repeated = False
    for line, record in read_records(records_path, on_invalid=warnings.append):
        if papers.pop(record.id, None) is not None:  # a later line replaces the earlier one
            repeated = True
        papers[record.id] = PaperInfo(record.id, record.title, record.status, line, record.error)
        _learn(builder, record)
        seen.add(record)
    if repeated:  # learn again from the winning lines only
        builder = NormalizerBuilder(aliases)
        for _, record in read_records(records_path, lines={p.line for p in papers.values()}):
            _learn(builder, record)
    failures = _read_failures(records_path.with_name(ERRORS_FILE), warnings)
    user_fields = seen.fields(warn=warnings.append)
    return RunIndex(
        records_path, list(papers.values()), builder.build(), warnings, failures, user_fields
    )
