"""Compare the papers of a run: groups of canonical values, paper x value matrices, side by side.

:func:`open_run` streams a run's ``records.jsonl`` once and keeps a small index:
each paper's id, title, status and extracted items (not the abstract), plus the
acronym definitions its abstract makes. From that it builds one
:class:`~paperfields.names.canonical.Normalizer`, so every task, method, dataset and
metric name has a canonical form (claims are grouped by their ``kind``). When
a paper id appears on several lines (a resumed run that retried it), the last
line wins. The papers that failed (ingest or extraction) are read from the
``errors.jsonl`` beside the records, so :attr:`RunIndex.failed` counts them
too. Lines that are not JSON objects, valid records or valid error entries
are skipped with a warning that names the file and line.

The :class:`RunIndex` answers the three questions of ``paperfields compare``:
:meth:`~RunIndex.groups` (which values, in how many papers, largest first),
:meth:`~RunIndex.matrix` (papers x values) and :meth:`~RunIndex.side_by_side`
(one column per paper, one row per field), with the result shapes of
:mod:`paperfields.compare.views`. :meth:`~RunIndex.iter_records` streams the full
records again for the exporters.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError
from ..io.jsonl import iter_jsonl
from ..io.runfolder import ERRORS_FILE, records_path_for
from ..names.acronyms import find_acronym_definitions
from ..names.canonical import AliasTable, Normalizer, NormalizerBuilder
from ..schemas import (
    FIELD_NAMES,
    ErrorEntry,
    GroundedClaim,
    GroundedDataset,
    GroundedFields,
    GroundedMethod,
    GroundedMetric,
    GroundedTask,
    Record,
)
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


_Item = GroundedTask | GroundedMethod | GroundedDataset | GroundedMetric | GroundedClaim


class RunIndex:
    """What :func:`open_run` learnt from one pass over ``records.jsonl``.

    The constructor turns each paper's ``fields`` into mentions and empties
    the ``fields`` mapping as it goes, so the items are not held twice.
    """

    def __init__(
        self,
        records_path: Path,
        papers: dict[str, PaperInfo],
        fields: dict[str, GroundedFields],
        normalizer: Normalizer,
        warnings: list[str],
        failures: Sequence[ErrorEntry] = (),
    ) -> None:
        self.records_path = records_path
        self.papers: list[PaperInfo] = list(papers.values())
        self.normalizer = normalizer
        self.warnings = warnings
        self.failures: list[ErrorEntry] = list(failures)  # errors.jsonl, in file order
        self._by_id = papers
        self._per_paper: dict[str, dict[str, list[Mention]]] = {}
        for paper in self.papers:
            paper_fields = fields.pop(paper.id)  # consumed: each paper's items become mentions
            self._per_paper[paper.id] = {
                name: list(_mentions(paper.id, paper_fields, name, normalizer))
                for name in FIELD_NAMES
            }
        self._mentions = {
            name: [m for paper in self.papers for m in self._per_paper[paper.id][name]]
            for name in FIELD_NAMES
        }

    @property
    def run_dir(self) -> Path:
        """The folder holding ``records.jsonl``."""
        return self.records_path.parent

    @property
    def failed(self) -> int:
        """How many papers failed: ``errors.jsonl`` entries plus records with status "failed".

        Entries are counted once per paper id (once per line when they have no id).
        """
        ids = {p.id for p in self.papers if p.status == "failed"}
        ids.update(entry.id for entry in self.failures if entry.id is not None)
        return len(ids) + sum(entry.id is None for entry in self.failures)

    def paper(self, paper_id: str) -> PaperInfo:
        """Return one paper's info.

        Raises:
            InputError: No paper has that id; the message suggests close ids.
        """
        if paper_id in self._by_id:
            return self._by_id[paper_id]
        close = difflib.get_close_matches(paper_id, list(self._by_id), n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise InputError(f"unknown paper id {paper_id!r}{hint}", path=str(self.records_path))

    def mentions(self, field_name: str) -> list[Mention]:
        """Every mention of one field, in paper order then item order."""
        return self._mentions[field_name]

    def paper_mentions(self, paper_id: str) -> dict[str, list[Mention]]:
        """One paper's mentions by field (empty lists for a failed paper).

        Raises:
            InputError: No paper has that id.
        """
        return self._per_paper[self.paper(paper_id).id]

    def groups(
        self, field_name: str, *, min_papers: int = 1, limit: int | None = None
    ) -> list[Group]:
        """Group a field's mentions by canonical value, largest first.

        Args:
            field_name: One of ``tasks``, ``methods``, ``datasets``, ``metrics``, ``claims``.
            min_papers: Keep groups mentioned by at least this many papers.
            limit: Keep at most this many groups.

        Returns:
            Groups ordered by paper count, then mention count, then value.
        """
        by_key: dict[str, Group] = {}
        for mention in self._mentions[field_name]:
            group = by_key.setdefault(
                mention.key, Group(field=field_name, key=mention.key, value=mention.canonical)
            )
            group.mentions.append(mention)
        groups = [g for g in by_key.values() if len(g.papers) >= min_papers]
        groups.sort(key=lambda g: (-len(g.papers), -len(g.mentions), g.value.casefold(), g.key))
        return groups[:limit] if limit is not None else groups

    def matrix(self, field_name: str, *, min_papers: int = 1, limit: int | None = None) -> Matrix:
        """Papers x values of a field; only papers with at least one cell are rows.

        A cell is a tick, the metric value(s) for metrics, "✓ proposed" for a
        paper's own method, the role for datasets and a count for claim kinds.
        """
        columns = self.groups(field_name, min_papers=min_papers, limit=limit)
        cells: dict[str, dict[str, str]] = {p.id: {} for p in self.papers}
        for group in columns:
            per_paper: dict[str, list[Mention]] = {}
            for mention in group.mentions:
                per_paper.setdefault(mention.paper_id, []).append(mention)
            for paper_id, mentions in per_paper.items():
                cells[paper_id][group.key] = _cell(field_name, mentions)
        rows = [p for p in self.papers if cells[p.id]]
        return Matrix(field=field_name, columns=columns, papers=rows, cells=cells)

    def side_by_side(self, paper_ids: Sequence[str]) -> SideBySide:
        """Put the given papers side by side.

        Raises:
            InputError: An id is not in the run.
        """
        papers = [self.paper(pid) for pid in dict.fromkeys(paper_ids)]
        chosen = {p.id: self._per_paper[p.id] for p in papers}
        return SideBySide(papers=papers, mentions=chosen)

    def iter_records(self) -> Iterator[Record]:
        """Stream the run's records again (last line per id, invalid lines skipped)."""
        for line, obj in iter_jsonl(self.records_path, skip_invalid=True):
            paper = self._by_id.get(str(obj.get("id")))
            if paper is not None and paper.line == line:
                yield Record.model_validate(obj)


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


def _items(fields: GroundedFields, field_name: str) -> Sequence[_Item]:
    items: Sequence[_Item] = getattr(fields, field_name)
    return items


def _mentions(
    paper_id: str, fields: GroundedFields, field_name: str, normalizer: Normalizer
) -> Iterator[Mention]:
    for item in _items(fields, field_name):
        common: dict[str, Any] = {
            "paper_id": paper_id,
            "field": field_name,
            "evidence": item.evidence,
            "span": item.span,
            "grounded": item.grounded,
            "name_span": item.name_span,
        }
        if isinstance(item, GroundedClaim):
            yield Mention(
                name=item.text, canonical=item.kind, key=item.kind, kind=item.kind, **common
            )
            continue
        canonical = normalizer.canonical(item.name, paper_id)
        extra: dict[str, Any] = {}
        if isinstance(item, GroundedMetric):
            dataset = item.dataset and normalizer.canonical(item.dataset, paper_id).display
            extra = {"value": item.value, "dataset": dataset}
        elif isinstance(item, GroundedMethod):
            extra = {"proposed": item.proposed, "description": item.description}
        elif isinstance(item, GroundedDataset):
            extra = {"role": item.role}
        yield Mention(
            name=item.name, canonical=canonical.display, key=canonical.key, **common, **extra
        )


def _invalid(path: Path, line: int, what: str, error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{path}:{line}: not a valid {what} ({where}: {first['msg']})"


def _read_failures(path: Path, warnings: list[str]) -> list[ErrorEntry]:
    """The valid entries of an ``errors.jsonl``, in file order (none when it is missing)."""
    if not path.is_file():
        return []
    failures: list[ErrorEntry] = []
    for line, obj in iter_jsonl(path, on_invalid=warnings.append):
        try:
            failures.append(ErrorEntry.model_validate(obj))
        except ValidationError as e:
            warnings.append(_invalid(path, line, "error entry", e))
    return failures


def open_run(path: str | Path, *, aliases: AliasTable | None = None) -> RunIndex:
    """Index a run folder (or a ``records.jsonl`` file) in one streamed pass.

    The run's ``errors.jsonl`` (beside the records file) is read too, for
    :attr:`RunIndex.failed`.

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
    fields: dict[str, GroundedFields] = {}
    definitions: dict[str, list[tuple[str, str]]] = {}
    warnings: list[str] = []
    for line, obj in iter_jsonl(records_path, on_invalid=warnings.append):
        try:
            record = Record.model_validate(obj)
        except ValidationError as e:
            warnings.append(_invalid(records_path, line, "record", e))
            continue
        papers.pop(record.id, None)  # a later line for the same id replaces the earlier one
        papers[record.id] = PaperInfo(
            id=record.id,
            title=record.title,
            status=record.status,
            line=line,
            summary=record.fields.summary,
            error=record.error,
        )
        fields[record.id] = record.fields
        definitions[record.id] = [
            (d.short, d.long) for d in find_acronym_definitions(record.abstract)
        ]
    failures = _read_failures(records_path.with_name(ERRORS_FILE), warnings)
    builder = NormalizerBuilder(aliases)
    for paper_id in papers:
        builder.add_definitions(definitions[paper_id], paper_id)
        builder.add_fields(fields[paper_id], paper_id)
    return RunIndex(records_path, papers, fields, builder.build(), warnings, failures)
