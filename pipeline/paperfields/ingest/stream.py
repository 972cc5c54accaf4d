"""The ingest stage's entry point: stream papers from every input, in order, as :class:`Paper`.

:func:`iter_papers` checks every input before the first paper (missing,
empty, directory, unknown format all raise :class:`InputError` at call
time), then reads each file with its format's reader, cleans each record
(:mod:`~paperfields.ingest.build`), gives it a unique stable id
(:mod:`~paperfields.ingest.registry`) and yields it. A record that cannot be a
paper is yielded as an ``ErrorEntry``, and so is one that cannot be read at
all (text with a lone UTF-16 surrogate, or any unexpected failure while
preparing it): one bad record never stops the others. Duplicates are dropped
and reported. A file whose structure breaks (invalid JSON array, malformed
XML) raises :class:`InputError` when nothing was read from it yet; after some
records it yields an ``ErrorEntry`` of type ``MalformedInput`` for the break
instead, keeps the records already read and goes on with the next file. A
file that gives no record at all raises :class:`InputError` naming the format
it was read as.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..config import DEFAULT_MAX_ABSTRACT_CHARS
from ..errors import ConfigError, InputError
from ..schemas import ErrorEntry, Paper, PaperSource
from . import jsontext
from .arxiv_atom import read_arxiv
from .build import Candidate, error_entry, place, prepare
from .detect import FORMATS, check_readable, detect_format
from .hf_daily import read_hf_daily
from .hf_page import read_hf_page
from .json_array import read_json
from .jsonl import read_jsonl
from .records import RawRecord, RecordProblem
from .registry import Assigned, Conflict, Duplicate, IdRegistry, content_digest
from .report import IngestReport, InputSummary
from .source import InputFile
from .tabular import read_csv, read_tsv

__all__ = ["iter_papers"]

Reader = Callable[[InputFile], Iterator[RawRecord | RecordProblem]]

_READERS: dict[str, Reader] = {
    "hf-page": read_hf_page,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "tsv": read_tsv,
    "arxiv": read_arxiv,
    "hf-daily": read_hf_daily,
}


def iter_papers(
    paths: Sequence[Path],
    *,
    format: str | None = None,
    max_abstract_chars: int = DEFAULT_MAX_ABSTRACT_CHARS,
    report: IngestReport | None = None,
) -> Iterator[Paper | ErrorEntry]:
    """Stream the papers of every input, in order, with stable unique ids.

    Args:
        paths: input files, read in this order.
        format: read every input as this format (one of ``FORMATS``) instead of detecting it.
        max_abstract_chars: longest abstract accepted; longer ones become ``ErrorEntry``.
        report: filled in while iterating (per-input counts, duplicates, warnings).

    Returns:
        An iterator of ``Paper`` and ``ErrorEntry(stage="ingest")`` objects.

    Raises:
        ConfigError: ``format`` is not a known format, or ``max_abstract_chars`` < 1.
        InputError: an input is missing, empty, a directory or of unknown format
            (raised by this call); or its content is unreadable as a whole
            (raised while iterating).
    """
    if format is not None and format not in FORMATS:
        raise ConfigError(f"unknown input format {format!r}; choose one of {', '.join(FORMATS)}")
    if max_abstract_chars < 1:
        raise ConfigError(f"--max-abstract-chars must be positive, got {max_abstract_chars}")
    plan: list[tuple[Path, str]] = []
    for raw_path in paths:
        path = Path(raw_path)
        if format is None:
            plan.append((path, detect_format(path)))
        else:
            check_readable(path)
            plan.append((path, format))
    report = report if report is not None else IngestReport()
    report.planned_bytes = sum(_size(path) for path, _ in plan)
    return _stream(plan, max_abstract_chars, report)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _stream(
    plan: list[tuple[Path, str]], max_abstract_chars: int, report: IngestReport
) -> Iterator[Paper | ErrorEntry]:
    registry = IdRegistry()
    for path, fmt in plan:
        summary = report.add_input(str(path), fmt)
        yield from _read_file(path, fmt, summary, registry, max_abstract_chars, report)


def _read_file(
    path: Path,
    fmt: str,
    summary: InputSummary,
    registry: IdRegistry,
    max_abstract_chars: int,
    report: IngestReport,
) -> Iterator[Paper | ErrorEntry]:
    name = str(path)

    def warn_at(line: int | None, message: str) -> None:
        report.warn(f"{name}: {message}" if line is None else f"{name}:{line}: {message}")

    with InputFile(path, fmt, warn=warn_at) as source:
        seen = 0
        records = _READERS[fmt](source)
        while True:
            try:
                found = next(records)
            except StopIteration:
                break
            except (InputError, ValueError, RecursionError) as e:
                if seen == 0:
                    if isinstance(e, InputError):
                        raise
                    raise InputError(f"unreadable ({_reason(e)})", path=name) from e
                line = e.line if isinstance(e, InputError) else None
                problem = RecordProblem(line, "MalformedInput", f"{_reason(e)}; stopped reading")
                summary.errors += 1
                yield error_entry(problem, PaperSource(file=name, line=line, format=fmt))
                break
            seen += 1
            summary.bytes = source.size
            try:
                item = _accept(found, name, fmt, registry, max_abstract_chars, report, summary)
            except (ValueError, RecursionError) as e:  # never let one record stop the rest
                summary.errors += 1
                reason = f"unreadable ({_reason(e)})"
                problem = RecordProblem(found.line, "UnreadableRecord", reason)
                item = error_entry(problem, PaperSource(file=name, line=found.line, format=fmt))
            if item is not None:
                yield item
        if seen == 0:
            raise InputError(_nothing_found(fmt), path=name)
        source.finish()
        summary.sha256 = source.sha256
        summary.bytes = source.size


def _nothing_found(fmt: str) -> str:
    """Why a file gave no record at all, in the terms of the format it was read as."""
    if fmt == "hf-page":
        return (
            "no papers found (read as hf-page: no line has the 200+ characters of an abstract; "
            "a hard-wrapped page, whose lines are all shorter, is not recognised); "
            f"other formats: {', '.join(f for f in FORMATS if f != fmt)} (force one with --format)"
        )
    return f"no papers found (read as {fmt}: it holds no record)"


def _reason(error: BaseException) -> str:
    if isinstance(error, InputError):
        return _bare(error)
    return jsontext.describe(error)


def _accept(
    found: RawRecord | RecordProblem,
    name: str,
    fmt: str,
    registry: IdRegistry,
    max_abstract_chars: int,
    report: IngestReport,
    summary: InputSummary,
) -> Paper | ErrorEntry | None:
    source = PaperSource(file=name, line=found.line, format=fmt)
    if isinstance(found, RecordProblem):
        summary.errors += 1
        return error_entry(found, source)
    surrogate = _field_with_surrogate(found)
    if surrogate is not None:
        summary.errors += 1
        problem = RecordProblem(
            found.line,
            "InvalidText",
            f"the {surrogate} holds a lone UTF-16 surrogate (such as \\ud800), which is not "
            "valid Unicode text",
        )
        return error_entry(problem, source)
    prepared = prepare(found, source, max_abstract_chars=max_abstract_chars, warn=report.warn)
    if isinstance(prepared, ErrorEntry):
        summary.errors += 1
        return prepared
    outcome = registry.assign(
        prepared.id,
        explicit=prepared.explicit,
        digest=content_digest(prepared.title, prepared.abstract),
        place=place(source),
    )
    if isinstance(outcome, Duplicate):
        summary.duplicates += 1
        report.add_duplicate(
            f"{place(source)}: duplicate of {outcome.id} ({outcome.place}); kept once"
        )
        return None
    if isinstance(outcome, Conflict):
        summary.errors += 1
        problem = RecordProblem(
            found.line,
            "DuplicateId",
            f"id {outcome.id} is already used by a different paper at {outcome.place}; "
            "the first one is kept",
        )
        return error_entry(problem, source, paper_id=outcome.id, title=prepared.title or None)
    summary.papers += 1
    return _paper(prepared, outcome)


def _field_with_surrogate(raw: RawRecord) -> str | None:
    """The name of the first field of ``raw`` whose text cannot be encoded as UTF-8, if any."""
    for field in dataclasses.fields(raw):
        value = getattr(raw, field.name)
        texts = value if isinstance(value, tuple) else (value,)
        for text in texts:
            if isinstance(text, str) and not text.isascii():
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    return field.name
    return None


def _paper(candidate: Candidate, outcome: Assigned) -> Paper:
    return Paper(
        id=outcome.id,
        title=candidate.title,
        abstract=candidate.abstract,
        url=candidate.url,
        authors=candidate.authors,
        published=candidate.published,
        source=candidate.source,
    )


def _bare(error: InputError) -> str:
    """The message of ``error`` without the ``file:line:`` prefix it was built with."""
    text = str(error)
    where = error.path if error.line is None else f"{error.path}:{error.line}"
    prefix = f"{where}: "
    return text[len(prefix) :] if where and text.startswith(prefix) else text
