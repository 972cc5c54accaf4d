"""Reader for JSON inputs (format ``json``): an array of paper objects, read incrementally.

:func:`iter_json_items` walks a top-level array (or a stream of
concatenated objects) with ``json.JSONDecoder.raw_decode`` over text chunks
of :data:`~paperfields.ingest.source.READ_CHUNK_BYTES`, so only the current
element and one chunk are in memory. An element that is not an object is a
:class:`RecordProblem`; so is one that is well formed but cannot be read
(nested too deeply, a number over 4,300 digits, longer than
:data:`MAX_ITEM_CHARS`): it is skipped by a bracket-matching scan and the
next element is read. A file whose top level is not an array or objects, or
whose array is broken, raises :class:`InputError` naming the line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from . import jsontext
from .records import RawRecord, RecordProblem, record_from_mapping
from .source import InputFile

__all__ = ["MAX_ITEM_CHARS", "Unreadable", "iter_json_items", "not_an_object", "read_json"]

MAX_ITEM_CHARS = 16 * 1024 * 1024
"""Largest single array element accepted (a guard against unbounded buffering)."""

_WHITESPACE = " \t\r\n"
_STRING_STOP = re.compile(r'["\\]')
_STRUCTURE = re.compile(r'["\[\]{}]')
_SCALAR_END = re.compile(r"[,\]}\s]")


@dataclass(frozen=True)
class Unreadable:
    """An array element that is well-formed JSON but could not be read, and why."""

    reason: str


def read_json(source: InputFile) -> Iterator[RawRecord | RecordProblem]:
    """Yield one record per object of a JSON array (or object stream)."""
    for line, value in iter_json_items(source):
        if isinstance(value, Mapping):
            yield record_from_mapping(value, line)
        else:
            yield not_an_object(line, value)


def not_an_object(line: int, value: Any) -> RecordProblem:
    """Return the problem for an array element that is not a JSON object (or is unreadable)."""
    if isinstance(value, Unreadable):
        return RecordProblem(line, "UnreadableRecord", f"unreadable JSON value ({value.reason})")
    found = "null" if value is None else type(value).__name__
    return RecordProblem(line, "NotAnObject", f"expected a JSON object, found {found}")


def iter_json_items(source: InputFile) -> Iterator[tuple[int, Any]]:
    """Yield ``(line, value)`` for each element of the top-level array (or each top-level object).

    An element that is well formed but cannot be decoded is yielded as an
    :class:`Unreadable` value.

    Raises:
        InputError: the top level is not an array or objects, or the JSON is broken.
    """
    yield from _JsonStream(source).items()


class _JsonStream:
    """A text buffer over the file's chunks with a read position and line tracking."""

    def __init__(self, source: InputFile) -> None:
        self._source = source
        self._chunks = source.chunks()
        self._decoder = json.JSONDecoder()
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._line = 1  # line number at index self._counted of the buffer
        self._counted = 0

    def items(self) -> Iterator[tuple[int, Any]]:
        first = self._peek()
        if first == "[":
            self._pos += 1
            yield from self._array()
        elif first == "{":
            while self._peek() is not None:
                yield self._value()
        else:
            found = "nothing" if first is None else repr(first)
            raise self._error("expected a JSON array of objects (or JSON objects), found " + found)

    def _array(self) -> Iterator[tuple[int, Any]]:
        if self._peek() == "]":
            self._pos += 1
        else:
            while True:
                yield self._value()
                after = self._peek()
                self._pos += 1
                if after == "]":
                    break
                if after != ",":
                    self._pos -= 1
                    raise self._error("expected ',' or ']' after an array element")
        if self._peek() is not None:
            raise self._error("unexpected data after the JSON array")

    def _value(self) -> tuple[int, Any]:
        if self._peek() is None:
            raise self._error("the JSON ends too early")
        line = self._line_at(self._pos)
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as e:
                if self._eof:
                    raise self._error(f"invalid JSON ({e.msg})", at=e.pos) from e
                if len(self._buf) - self._pos > MAX_ITEM_CHARS:
                    self._skip_value()
                    return line, Unreadable(f"longer than {MAX_ITEM_CHARS:,} characters")
                self._fill()
                continue
            except (ValueError, RecursionError) as e:  # deep nesting, a huge integer
                self._skip_value()
                return line, Unreadable(jsontext.describe(e))
            if end == len(self._buf) and not self._eof:
                self._fill()  # a number could go on in the next chunk
                continue
            self._pos = end
            return line, value

    def _skip_value(self) -> None:
        """Move past one well-formed value without decoding it (strings and brackets matched).

        Raises:
            InputError: the file ends inside the value.
        """
        first = self._peek()
        if first not in ("[", "{", '"'):
            self._skip_to(_SCALAR_END, allow_eof=True)
            return
        depth = 0
        while True:
            if self._buf[self._pos] == '"':
                self._pos += 1
                self._skip_string()
            else:
                depth += 1 if self._buf[self._pos] in "[{" else -1
                self._pos += 1
            if depth == 0:
                return
            self._skip_to(_STRUCTURE, allow_eof=False)

    def _skip_string(self) -> None:
        """Move past the rest of a string whose opening quote was consumed."""
        while True:
            self._skip_to(_STRING_STOP, allow_eof=False)
            if self._buf[self._pos] == '"':
                self._pos += 1
                return
            while self._pos + 1 >= len(self._buf) and not self._eof:
                self._fill()  # the escaped character is in the next chunk
            self._pos += 2

    def _skip_to(self, pattern: re.Pattern[str], *, allow_eof: bool) -> None:
        """Advance to the next match of ``pattern`` (reading on as needed)."""
        while True:
            found = pattern.search(self._buf, self._pos)
            if found is not None:
                self._pos = found.start()
                return
            self._pos = len(self._buf)
            if self._eof:
                if allow_eof:
                    return
                raise self._error("the JSON ends too early")
            self._fill()

    def _peek(self) -> str | None:
        """Skip whitespace; return the next character without consuming it (None at the end)."""
        while True:
            while self._pos < len(self._buf) and self._buf[self._pos] in _WHITESPACE:
                self._pos += 1
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if self._eof:
                return None
            self._fill()

    def _fill(self) -> None:
        self._line_at(self._pos)
        self._buf = self._buf[self._pos :]
        self._counted -= self._pos
        self._pos = 0
        chunk = next(self._chunks, None)
        if chunk is None:
            self._eof = True
        else:
            self._buf += chunk

    def _line_at(self, index: int) -> int:
        if index > self._counted:
            self._line += self._buf.count("\n", self._counted, index)
            self._counted = index
        return self._line

    def _error(self, message: str, *, at: int | None = None) -> InputError:
        index = self._pos if at is None else at
        line = self._line_at(self._pos) + self._buf.count("\n", self._pos, max(index, self._pos))
        return InputError(message, path=self._source.name, line=line)
