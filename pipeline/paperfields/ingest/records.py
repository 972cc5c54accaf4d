"""The format-neutral record every reader yields, and the mapping from key/value rows to it.

Readers only locate records and pull out raw field values; they never clean
text, build ids or decide about duplicates. A reader yields either a
:class:`RawRecord` or, for a record it can see but not read (invalid JSON
line, a value that is not an object), a :class:`RecordProblem`.
:func:`record_from_mapping` turns a JSON object or a CSV row into a
:class:`RawRecord`, matching keys case-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["RawRecord", "RecordProblem", "record_from_mapping", "split_authors", "text_value"]

_TITLE_KEYS = ("title",)
_ABSTRACT_KEYS = ("abstract", "summary")
_ID_KEYS = ("id",)
_ARXIV_KEYS = ("arxiv_id", "arxivid", "arxiv")
_URL_KEYS = ("url", "link")
_AUTHOR_KEYS = ("authors", "author")
_PUBLISHED_KEYS = ("published", "published_at", "publishedat", "date", "year")


@dataclass(frozen=True)
class RawRecord:
    """One record as found in an input, before cleaning and id assignment.

    ``arxiv_id`` holds an id the input itself labels as arXiv's (the Atom
    entry id, the daily-papers id, an ``arxiv_id`` column). Every id is
    checked and canonicalised later, when the paper's id is chosen.
    """

    line: int | None
    title: str | None
    abstract: str | None
    id: str | None = None
    arxiv_id: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None


@dataclass(frozen=True)
class RecordProblem:
    """A record a reader found but could not read; it becomes an ``ErrorEntry``."""

    line: int | None
    error_type: str
    reason: str


def text_value(value: Any) -> str | None:
    """Return ``value`` as text: strings as they are, numbers via ``str``, anything else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def split_authors(value: Any) -> tuple[str, ...]:
    """Return author names from a list of strings, a list of ``{"name": ...}`` or one string.

    A single string is split on ``;`` when it has one, else on ``,`` and
    `` and ``. Empty names are dropped.
    """
    names: list[str] = []
    if isinstance(value, str):
        separator = r";" if ";" in value else r",|\band\b"
        names = re.split(separator, value)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping):
                item = item.get("name")
            text = text_value(item)
            if text is not None:
                names.append(text)
    return tuple(name.strip() for name in names if name and name.strip())


def record_from_mapping(row: Mapping[str, Any], line: int | None) -> RawRecord:
    """Build a :class:`RawRecord` from a JSON object or a CSV row (keys matched case-insensitively).

    Accepted keys: ``title``; ``abstract`` or ``summary``; ``id``; ``arxiv_id``;
    ``url`` or ``link``; ``authors``; ``published`` (or ``publishedAt``,
    ``date``, ``year``). Other keys are ignored.
    """
    lowered: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(key, str):
            lowered.setdefault(key.strip().lower(), value)

    def first(keys: tuple[str, ...]) -> str | None:
        for key in keys:
            text = text_value(lowered.get(key))
            if text is not None and text.strip():
                return text
        return None

    authors: Any = None
    for key in _AUTHOR_KEYS:
        if lowered.get(key):
            authors = lowered[key]
            break
    return RawRecord(
        line=line,
        title=first(_TITLE_KEYS),
        abstract=first(_ABSTRACT_KEYS),
        id=first(_ID_KEYS),
        url=first(_URL_KEYS),
        authors=split_authors(authors),
        published=first(_PUBLISHED_KEYS),
        arxiv_id=first(_ARXIV_KEYS),
    )
