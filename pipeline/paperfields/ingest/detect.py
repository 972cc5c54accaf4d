"""Input format detection: by file extension first, then by sniffing the first few KB.

Extensions that name one format decide (``.csv``, ``.tsv``, ``.xml``/``.atom``).
Within the JSON family (``.json``, ``.jsonl``, ``.ndjson``) the content
chooses: an array is ``json``, or ``hf-daily`` when its first element wraps a
``"paper"`` object; a file whose good lines are whole objects is ``jsonl``,
however damaged its first line is (a ``.jsonl`` file is JSON lines unless it
is an array or pretty-printed JSON). Any other file is sniffed: an Atom feed,
JSON, a table header with an abstract column, or the Hugging Face papers page
layout (a short line, then a line of 200+ characters). A ``.txt``/``.md``
file that matches nothing is read as a page only when some line is long
enough to be an abstract: prose, a list of ids or a hard-wrapped page stops
with a message naming the formats tried. :func:`check_readable` holds the
checks every input passes first."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from ..errors import InputError, UnknownFormatError
from .hf_page import ABSTRACT_MIN_CHARS
from .tabular import ABSTRACT_COLUMNS

__all__ = ["FORMATS", "SNIFF_BYTES", "check_readable", "detect_format", "has_abstract_line"]

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
    """Raise :class:`InputError` naming ``path``: missing, a directory, empty, UTF-16 or binary."""
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
    head = _sniff_bytes(path, 4096)
    if head[:2] in _UTF16_BOMS:
        raise InputError("the file is UTF-16 text; save it as UTF-8", path=str(path))
    if b"\x00" in head:
        raise UnknownFormatError(
            "the file holds NUL bytes: it is binary, or UTF-16/32 text without a byte-order "
            f"mark (save it as UTF-8); accepted formats: {', '.join(FORMATS)}",
            path=str(path),
        )


def detect_format(path: Path) -> str:
    """Return the format name of ``path`` (one of :data:`FORMATS`).

    Raises:
        InputError: the file is missing, a directory, empty or unreadable.
        UnknownFormatError: no format matches (the message lists the accepted ones),
            or a ``.txt``/``.md`` file has no line long enough to be an abstract.
    """
    check_readable(path)
    suffix = path.suffix.lower()
    head, complete = _sniff(path)
    if suffix in _JSON_EXTENSIONS:
        default = _JSON_EXTENSIONS[suffix]
        return _json_family(head, default=default, complete=complete) or default
    if suffix in _BY_EXTENSION:
        return _BY_EXTENSION[suffix]
    found = _sniff_content(head, complete=complete)
    if found is not None:
        return found
    if suffix in _PAGE_EXTENSIONS and "\x00" not in head:
        if has_abstract_line(path):
            return "hf-page"
        raise UnknownFormatError(
            "no papers found: not a Hugging Face papers page (no line has the "
            f"{ABSTRACT_MIN_CHARS}+ characters of an abstract; a hard-wrapped page, whose lines "
            "are all shorter, is not recognised) and not JSON, a table with an abstract column "
            f"or an Atom feed; formats tried: {', '.join(FORMATS)} (force one with --format)",
            path=str(path),
        )
    raise UnknownFormatError(
        "cannot tell the input format from the extension or the content; "
        f"accepted formats: {', '.join(FORMATS)} (force one with --format)",
        path=str(path),
    )


def has_abstract_line(path: Path) -> bool:
    """True when some line of ``path`` (any of the three line ends) is abstract-long."""
    try:
        with open(path, encoding="utf-8", errors="replace", newline=None) as fp:
            return any(len(line.strip()) >= ABSTRACT_MIN_CHARS for line in fp)
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", path=str(path)) from e


def _sniff(path: Path) -> tuple[str, bool]:
    """The first :data:`SNIFF_BYTES` as text with ``\\n`` line ends, and whether that is all."""
    raw = _sniff_bytes(path, SNIFF_BYTES)
    head = raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    return head.lstrip("\ufeff \t\n"), len(raw) < SNIFF_BYTES


def _sniff_bytes(path: Path, size: int) -> bytes:
    try:
        with open(path, "rb") as fp:
            return fp.read(size)
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", path=str(path)) from e


def _json_family(head: str, *, default: str | None, complete: bool) -> str | None:
    """Tell a JSON array (plain or daily-papers) from JSON lines by the content.

    A file starting with ``[`` is an array. Text starting with ``{`` is JSON
    lines when its good lines are whole objects (:func:`_looks_like_json_lines`),
    whatever the first line holds; otherwise it is a stream of (pretty-printed)
    objects, read as ``json``, unless the extension said ``jsonl``.
    """
    if head.startswith("["):
        if _DAILY_PAPER.match(head):
            return "hf-daily"
        return "json" if head[1:].lstrip()[:1] in ("{", "]") else default
    if head.startswith("{"):
        shape = _looks_like_json_lines(head, complete=complete)
        if shape is None:  # one line, or a first line longer than the sniffed head
            return default or "json"
        if shape:
            return "jsonl"
        return default if default == "jsonl" and not _pretty_printed(head) else "json"
    return default


def _looks_like_json_lines(head: str, *, complete: bool) -> bool | None:
    """True when at least half the whole lines of ``head`` are one-line JSON objects.

    Only lines that start at column 0 count as objects (a pretty-printed
    file indents its nested objects). None when ``head`` holds no whole line.
    """
    lines = head.split("\n")
    if not complete:
        lines = lines[:-1]  # the last one may be cut by the sniff
    lines = [line for line in lines if line.strip()]
    if not lines or (len(lines) == 1 and not complete):
        return None
    objects = 0
    for line in lines:
        if not line.startswith("{"):
            continue
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):
            continue
        objects += isinstance(value, dict)
    return objects > 0 and objects * 2 >= len(lines)


def _pretty_printed(head: str) -> bool:
    """True when the first line is a lone ``{`` and an indented key follows (``indent=``)."""
    first, _, rest = head.partition("\n")
    return first.strip() == "{" and rest[:1] in (" ", "\t", '"')


def _sniff_content(head: str, *, complete: bool) -> str | None:
    if "\x00" in head:
        return None
    if head.startswith("<"):
        return "arxiv" if _ATOM_FEED.search(head) else None
    if head.startswith(("[", "{")):
        return _json_family(head, default=None, complete=complete)
    first_line = head.split("\n", 1)[0]
    for delimiter, name in (("\t", "tsv"), (",", "csv")):
        if delimiter in first_line:
            header = next(csv.reader([first_line], delimiter=delimiter), [])
            if ABSTRACT_COLUMNS & {cell.strip().lower() for cell in header}:
                return name
    if _PAGE_LAYOUT.search(head):
        return "hf-page"
    return None
