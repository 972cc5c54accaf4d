"""Turn one :class:`RawRecord` into a clean paper candidate, or say why it cannot be a paper.

This is where the per-record rules live: text cleaning (with a warning when
HTML tags were removed), the empty-title warning, the no-abstract and
abstract-too-long errors, and the choice of the id candidate (arXiv id, else
the input's own id, else a title slug, else a hash of the abstract). Making
the id unique across inputs is :mod:`paperfields.ingest.registry`'s job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..schemas import ErrorEntry, PaperSource
from .cleaning import clean_text, collapse_whitespace
from .ids import abstract_fallback_id, arxiv_id, title_slug
from .records import RawRecord, RecordProblem

__all__ = ["Candidate", "error_entry", "place", "prepare"]


@dataclass(frozen=True)
class Candidate:
    """A cleaned paper waiting for its final id.

    ``id`` is the id candidate; ``explicit`` is False when it is a slug or
    an abstract hash (those may take a ``-2`` suffix on collision).
    """

    id: str
    explicit: bool
    title: str
    abstract: str
    url: str | None
    authors: list[str]
    published: str | None
    source: PaperSource


def error_entry(
    problem: RecordProblem,
    source: PaperSource,
    *,
    paper_id: str | None = None,
    title: str | None = None,
) -> ErrorEntry:
    """Return the ``ErrorEntry`` for ``problem``, its reason prefixed with ``file:line``."""
    return ErrorEntry(
        id=paper_id,
        title=title,
        stage="ingest",
        error_type=problem.error_type,
        reason=f"{place(source)}: {problem.reason}",
        source=source,
    )


def place(source: PaperSource) -> str:
    """Return ``file:line`` (or just ``file`` when the line is unknown)."""
    return source.file if source.line is None else f"{source.file}:{source.line}"


def prepare(
    raw: RawRecord,
    source: PaperSource,
    *,
    max_abstract_chars: int,
    warn: Callable[[str], None],
) -> Candidate | ErrorEntry:
    """Clean ``raw`` and pick its id candidate.

    Args:
        raw: the record as the reader found it.
        source: where it came from (file, line, format).
        max_abstract_chars: longest abstract accepted, after cleaning.
        warn: receives ``"file:line: message"`` warnings.

    Returns:
        A :class:`Candidate`, or an ``ErrorEntry`` when there is no abstract
        or it is longer than ``max_abstract_chars``.
    """
    where = place(source)
    title = clean_text(raw.title or "")
    abstract = clean_text(raw.abstract or "")
    for field, cleaned in (("title", title), ("abstract", abstract)):
        if cleaned.removed_tags:
            warn(f"{where}: removed HTML tags from the {field}")
    explicit_id = collapse_whitespace(raw.id) if raw.id else None
    known_arxiv = arxiv_id(raw.arxiv_id) or arxiv_id(explicit_id) or arxiv_id(raw.url)
    error_id = known_arxiv or explicit_id or None
    if not abstract.text:
        problem = RecordProblem(raw.line, "NoAbstract", "no abstract")
        return error_entry(problem, source, paper_id=error_id, title=title.text or None)
    if len(abstract.text) > max_abstract_chars:
        reason = (
            f"abstract has {len(abstract.text):,} characters, over the limit of "
            f"{max_abstract_chars:,}; raise it with --max-abstract-chars"
        )
        problem = RecordProblem(raw.line, "AbstractTooLong", reason)
        return error_entry(problem, source, paper_id=error_id, title=title.text or None)
    if not title.text:
        warn(f"{where}: no title; the paper is kept with an empty title")
    if known_arxiv or explicit_id:
        candidate, explicit = known_arxiv or explicit_id or "", True
    else:
        slug = title_slug(title.text)
        candidate, explicit = slug or abstract_fallback_id(abstract.text), False
    authors = [name for name in (collapse_whitespace(a) for a in raw.authors) if name]
    return Candidate(
        id=candidate,
        explicit=explicit,
        title=title.text,
        abstract=abstract.text,
        url=collapse_whitespace(raw.url) if raw.url else None,
        authors=authors,
        published=collapse_whitespace(raw.published) if raw.published else None,
        source=source,
    )
