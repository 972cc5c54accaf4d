"""One open input file: streamed bytes, a running sha256, and UTF-8 text with located warnings.

Every format reader gets an :class:`InputFile` and pulls text from it either
line by line (:meth:`InputFile.lines`) or in bounded chunks
(:meth:`InputFile.chunks`); nothing reads a file whole. The bytes are hashed
as they pass, so the manifest's sha256 costs no second read. Text is decoded
as UTF-8 (a leading BOM is dropped); invalid bytes become U+FFFD and produce
one warning per affected line, so a stray Latin-1 byte never drops a paper.
Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r`` (old Mac files), and are read
in bounded pieces, so a file without any line end is never held whole unless
one of its lines is that long.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from ..errors import InputError

__all__ = ["LINE_PIECE_BYTES", "READ_CHUNK_BYTES", "InputFile", "Utf8Decoder", "WarnAt"]

READ_CHUNK_BYTES = 64 * 1024
"""Size of each read in chunked mode (JSON arrays) and of the final drain."""

LINE_PIECE_BYTES = 1024 * 1024
"""Longest piece read at once in line mode (a longer line is joined from pieces)."""

_AFTER_LONE_CR = re.compile(rb"(?<=\r)(?!\n)")

WarnAt = Callable[[int | None, str], None]
"""Callback taking a 1-based line number (or None) and a warning message."""

_BOM = "\ufeff"
_INVALID_UTF8 = "invalid UTF-8 bytes replaced with U+FFFD"


class Utf8Decoder:
    """Incremental UTF-8 decoder that replaces invalid bytes and reports their line.

    A multi-byte character split across two chunks is held back until the
    next call. ``on_invalid`` is called at most once per line.
    """

    def __init__(self, on_invalid: Callable[[int], None]) -> None:
        self._on_invalid = on_invalid
        self._pending = b""
        self._line = 1
        self._last_reported = 0
        self._started = False

    def decode(self, data: bytes, *, final: bool = False) -> str:
        """Decode the next piece of the byte stream; ``final`` flushes a held-back tail."""
        data = self._pending + data
        self._pending = b""
        parts: list[str] = []
        start = 0
        while True:
            try:
                parts.append(data[start:].decode("utf-8"))
                break
            except UnicodeDecodeError as e:
                bad_start, bad_end = start + e.start, start + e.end
                parts.append(data[start:bad_start].decode("utf-8"))
                if not final and bad_end == len(data) and e.reason == "unexpected end of data":
                    self._pending = data[bad_start:]
                    break
                parts.append("\ufffd")
                self._report(self._line + data.count(b"\n", 0, bad_start))
                start = bad_end
        self._line += data.count(b"\n", 0, len(data) - len(self._pending))
        text = "".join(parts)
        if not self._started and text:
            self._started = True
            if text.startswith(_BOM):
                text = text[1:]
        return text

    def _report(self, line: int) -> None:
        if line != self._last_reported:
            self._last_reported = line
            self._on_invalid(line)


class InputFile:
    """An input opened for streaming; use as a context manager.

    Attributes:
        path: the file as given by the caller.
        format: the format name the file is read as.
        warn: callback for located warnings (``warn(line, message)``).
    """

    def __init__(self, path: Path, format: str, *, warn: WarnAt) -> None:
        self.path = path
        self.format = format
        self.warn = warn
        self._hash = hashlib.sha256()
        self._size = 0
        try:
            self._fp: IO[bytes] = open(path, "rb")
        except OSError as e:
            raise InputError(f"cannot read the file ({e.strerror})", path=str(path)) from e
        self._decoder = Utf8Decoder(lambda line: warn(line, _INVALID_UTF8))

    @property
    def name(self) -> str:
        """The path as text, for messages and provenance."""
        return str(self.path)

    def lines(self, *, keepends: bool = False) -> Iterator[tuple[int, str]]:
        """Yield ``(line_number, text)`` for every line, blank ones included.

        Line endings (``\\n``, ``\\r\\n`` or a lone ``\\r``) are removed unless
        ``keepends``; a lone ``\\r`` is given back as ``\\n``.
        """
        number = 0
        for raw in self._raw_lines():
            number += 1
            if raw.endswith(b"\r"):
                raw = raw[:-1] + b"\n"
            text = self._decoder.decode(raw, final=True)
            if not keepends:
                text = text.rstrip("\r\n")
            yield number, text

    def _raw_lines(self) -> Iterator[bytes]:
        """Yield the raw bytes of each line with its ending, splitting at lone ``\\r`` too."""
        carry = b""
        while True:
            piece = self._read_line(LINE_PIECE_BYTES)
            if not piece:
                if carry:
                    yield carry
                return
            data = carry + piece
            carry = b""
            ended = data.endswith(b"\n")
            cr = data.find(b"\r")
            if cr == -1 or (ended and cr == len(data) - 2):
                if ended:
                    yield data
                else:
                    carry = data  # a piece of a longer line
                continue
            parts = _AFTER_LONE_CR.split(data)
            if not ended:
                carry = parts.pop()
                if not carry and parts and parts[-1].endswith(b"\r"):
                    carry = parts.pop()  # a \r that the next piece may pair with \n
            yield from (part for part in parts if part)

    def chunks(self, size: int | None = None) -> Iterator[str]:
        """Yield decoded text in pieces of at most ``size`` bytes of input each.

        ``size`` defaults to :data:`READ_CHUNK_BYTES` (looked up at call time).
        """
        step = size if size is not None else READ_CHUNK_BYTES
        while True:
            raw = self._read(step)
            if not raw:
                tail = self._decoder.decode(b"", final=True)
                if tail:
                    yield tail
                return
            text = self._decoder.decode(raw)
            if text:
                yield text

    def finish(self) -> None:
        """Hash whatever the reader left unread, so :attr:`sha256` covers the whole file."""
        while self._read(READ_CHUNK_BYTES):
            pass

    @property
    def sha256(self) -> str:
        """Hex sha256 of the bytes read so far (the whole file after :meth:`finish`)."""
        return self._hash.hexdigest()

    @property
    def size(self) -> int:
        """Number of bytes read so far."""
        return self._size

    def close(self) -> None:
        """Close the file."""
        self._fp.close()

    def __enter__(self) -> InputFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self, size: int) -> bytes:
        data = self._fp.read(size)
        self._account(data)
        return data

    def _read_line(self, limit: int) -> bytes:
        data = self._fp.readline(limit)
        self._account(data)
        return data

    def _account(self, data: bytes) -> None:
        self._hash.update(data)
        self._size += len(data)
