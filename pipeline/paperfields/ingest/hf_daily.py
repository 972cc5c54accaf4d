"""Reader for the Hugging Face daily-papers API JSON (format ``hf-daily``).

The API returns an array of ``{"paper": {"id", "title", "summary",
"authors": [{"name"}], "publishedAt", ...}, "title", "publishedAt", ...}``.
The paper's ``id`` is its arXiv id and is kept; ``url`` points at the arXiv
abstract page. An element without a ``paper`` object is read like a plain
JSON paper object. The array is streamed by
:func:`~paperfields.ingest.json_array.iter_json_items`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .ids import arxiv_id
from .json_array import iter_json_items, not_an_object
from .records import RawRecord, RecordProblem, record_from_mapping, split_authors, text_value
from .source import InputFile

__all__ = ["read_hf_daily"]


def read_hf_daily(source: InputFile) -> Iterator[RawRecord | RecordProblem]:
    """Yield one record per element of a daily-papers API response."""
    for line, value in iter_json_items(source):
        if not isinstance(value, Mapping):
            yield not_an_object(line, value)
            continue
        paper = value.get("paper")
        if isinstance(paper, Mapping):
            yield _record(paper, value, line)
        else:
            yield record_from_mapping(value, line)


def _record(paper: Mapping[str, Any], item: Mapping[str, Any], line: int) -> RawRecord:
    def pick(key: str) -> str | None:
        for holder in (paper, item):
            text = text_value(holder.get(key))
            if text is not None and text.strip():
                return text
        return None

    paper_id = pick("id")
    known = arxiv_id(paper_id)
    return RawRecord(
        line=line,
        title=pick("title"),
        abstract=pick("summary") or pick("abstract"),
        id=paper_id,
        arxiv_id=known,
        url=f"https://arxiv.org/abs/{known}" if known else None,
        authors=split_authors(paper.get("authors")),
        published=pick("publishedAt"),
    )
