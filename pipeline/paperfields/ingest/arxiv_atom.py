"""Reader for arXiv API Atom XML (format ``arxiv``), what ``export.arxiv.org/api/query`` returns.

Each ``<entry>`` gives a record: ``id`` (``http://arxiv.org/abs/2403.12345v2``,
kept as the arXiv id without its version), ``title``, ``summary``,
``author/name``, ``published`` and the ``alternate`` link (the abstract page)
as ``url``. The feed is streamed with ElementTree's pull parser, fed one line
at a time so each entry knows the line it starts on; finished entries are
dropped from the tree. An error entry of the API (its id under
``/api/errors``) becomes a :class:`RecordProblem`. A root element other
than an Atom ``<feed>``, or XML that is not well formed, raises
:class:`InputError` naming the line.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from .ids import arxiv_id
from .records import RawRecord, RecordProblem
from .source import InputFile

__all__ = ["ATOM_NS", "read_arxiv"]

ATOM_NS = "http://www.w3.org/2005/Atom"
_FEED = f"{{{ATOM_NS}}}feed"
_ENTRY = f"{{{ATOM_NS}}}entry"
_NS = {"atom": ATOM_NS}


def read_arxiv(source: InputFile) -> Iterator[RawRecord | RecordProblem]:
    """Yield one record per ``<entry>`` of an arXiv API Atom feed."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    root: ET.Element | None = None
    entry_line = 0
    number = 0
    for number, text in source.lines(keepends=True):
        for event in _events(parser, text, source, number):
            kind, element = event[0], event[-1]
            if not isinstance(element, ET.Element):
                continue
            if kind == "start":
                if root is None:
                    root = element
                    if element.tag != _FEED:
                        raise InputError(
                            f"not an Atom feed (the root element is <{_local(element.tag)}>)",
                            path=source.name,
                            line=number,
                        )
                elif element.tag == _ENTRY:
                    entry_line = number
            elif element.tag == _ENTRY:
                yield _entry_record(element, entry_line)
                element.clear()
                if root is not None and len(root) and root[-1] is element:
                    root.remove(element)
    try:
        parser.close()
    except ET.ParseError as e:
        raise InputError(f"the XML ends too early ({e})", path=source.name, line=number) from e
    if root is None:
        raise InputError("no XML element found", path=source.name, line=number)


def _events(
    parser: ET.XMLPullParser[ET.Element], text: str, source: InputFile, number: int
) -> list[Any]:
    """Feed one line; return the events it completed (ParseError becomes InputError)."""
    try:
        parser.feed(text)
        return list(parser.read_events())
    except ET.ParseError as e:
        line = e.position[0] if getattr(e, "position", None) else number
        raise InputError(f"not well-formed XML ({e})", path=source.name, line=line) from e


def _entry_record(entry: ET.Element, line: int) -> RawRecord | RecordProblem:
    entry_id = _text(entry, "atom:id")
    if entry_id and "/api/errors" in entry_id:
        message = _text(entry, "atom:summary") or entry_id
        return RecordProblem(line, "ArxivApiError", f"arXiv API error: {message.strip()}")
    authors = tuple(
        name.text.strip()
        for name in entry.iterfind("atom:author/atom:name", _NS)
        if name.text and name.text.strip()
    )
    url = None
    for link in entry.iterfind("atom:link", _NS):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            url = link.get("href")
            break
    return RawRecord(
        line=line,
        title=_text(entry, "atom:title"),
        abstract=_text(entry, "atom:summary"),
        id=entry_id,
        arxiv_id=arxiv_id(entry_id),
        url=url or entry_id,
        authors=authors,
        published=_text(entry, "atom:published"),
    )


def _text(element: ET.Element, path: str) -> str | None:
    found = element.find(path, _NS)
    if found is None:
        return None
    return "".join(found.itertext())


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
