"""Input format detection: by file extension first, then by sniffing the first few KB.

Extensions that name one format decide (``.csv``, ``.tsv``, ``.xml``/``.atom``);
within the JSON family (``.json``, ``.jsonl``, ``.ndjson``) the first
characters choose: an array is ``json``, or ``hf-daily`` when its first
element wraps a ``"paper"`` object; a first line holding a whole object is
``jsonl``. Any other file is sniffed: an Atom feed, JSON, a table header with
an abstract column, or the Hugging Face papers page layout (a short line,
then a line of 200+ characters). A ``.txt``/``.md`` file that matches
nothing is read as a page. :func:`check_readable` holds the checks every
input passes first."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from ..errors import InputError, UnknownFormatError
from .tabular import ABSTRACT_COLUMNS

__all__ = ["FORMATS", "SNIFF_BYTES", "check_readable", "detect_format"]

FORMATS: tuple[str, ...] = ("hf-page", "jsonl", "json", "csv", "tsv", "arxiv", "hf-daily")
SNIFF_BYTES = 16 * 1024

_JSON_EXTENSIONS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_BY_EXTENSION = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xml": "arxiv",
    ".atom": "arxiv",
}
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_PAGE_EXTENSIONS = {".txt", ".text", ".md"}
_DAILY_PAPER = re.compile(r'^\[\s*\{.{0,2000}?"paper"\s*:\s*\{', re.DOTALL)
_ATOM_FEED = re.compile(r"<(?:\w+:)?feed\b[^>]*http://www\.w3\.org/2005/Atom")
_PAGE_LAYOUT = re.compile(r"(?:^|\n)[^\n]{1,199}\n(?:[ \t\r]*\n)*[^\n]{200,}")


def check_readable(path: Path) -> None:
    """Raise :class:`InputError` naming ``path``: missing, a directory, empty or UTF-16."""
    if not path.exists():
        raise InputError("no such file", path=str(path))
    if path.is_dir():
        raise InputError("is a directory, not a file", path=str(path))
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", path=str(path)) from e
    if size == 0:
        raise InputError("the file is empty", path=str(path))
    if _sniff_bytes(path, 2) in _UTF16_BOMS:
        raise InputError("the file is UTF-16 text; save it as UTF-8", path=str(path))


def detect_format(path: Path) -> str:
    """Return the format name of ``path`` (one of :data:`FORMATS`).

    Raises:
        InputError: the file is missing, a directory, empty or unreadable.
        UnknownFormatError: no format matches; the message lists the accepted ones.
    """
    check_readable(path)
    suffix = path.suffix.lower()
    head = _sniff(path)
    if suffix in _JSON_EXTENSIONS:
        return _json_family(head, default=_JSON_EXTENSIONS[suffix]) or _JSON_EXTENSIONS[suffix]
    if suffix in _BY_EXTENSION:
        return _BY_EXTENSION[suffix]
    found = _sniff_content(head)
    if found is not None:
        return found
    if suffix in _PAGE_EXTENSIONS and "\x00" not in head:
        return "hf-page"
    raise UnknownFormatError(
        "cannot tell the input format from the extension or the content; "
        f"accepted formats: {', '.join(FORMATS)} (force one with --format)",
        path=str(path),
    )


def _sniff(path: Path) -> str:
    head = _sniff_bytes(path, SNIFF_BYTES)
    return head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")


def _sniff_bytes(path: Path, size: int) -> bytes:
    try:
        with open(path, "rb") as fp:
            return fp.read(size)
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", path=str(path)) from e


def _json_family(head: str, *, default: str | None) -> str | None:
    """Tell a JSON array (plain or daily-papers) from JSON lines by the first characters.

    A file starting with ``[`` is an array; one whose first line is a whole
    JSON value is JSON lines; other text starting with ``{`` is a stream of
    (pretty-printed) objects, read as ``json``.
    """
    if head.startswith("["):
        if _DAILY_PAPER.match(head):
            return "hf-daily"
        return "json" if head[1:].lstrip()[:1] in ("{", "]") else default
    if head.startswith("{"):
        first, newline, _ = head.partition("\n")
        if not newline:  # one line, or a first line longer than the sniffed head
            return default or "json"
        try:
            json.loads(first)
        except ValueError:
            return "json"
        return "jsonl"
    return default


def _sniff_content(head: str) -> str | None:
    if "\x00" in head:
        return None
    if head.startswith("<"):
        return "arxiv" if _ATOM_FEED.search(head) else None
    if head.startswith(("[", "{")):
        return _json_family(head, default=None)
    first_line = head.split("\n", 1)[0]
    for delimiter, name in (("\t", "tsv"), (",", "csv")):
        if delimiter in first_line:
            header = next(csv.reader([first_line], delimiter=delimiter), [])
            if ABSTRACT_COLUMNS & {cell.strip().lower() for cell in header}:
                return name
    if _PAGE_LAYOUT.search(head):
        return "hf-page"
    return None
