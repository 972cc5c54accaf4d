"""Batch input files, written as papers are routed and split before they pass the API's limits.

:class:`InputSpool` appends one request line per paper to ``batches/<name>.input.jsonl``
and starts a new file before one would hold more than ``max_requests`` lines
or ``max_bytes`` bytes (the Batch API takes at most 50,000 requests and 200 MB
a file), so any number of papers streams to disk without being held in
memory. Each finished file becomes one :class:`SpoolFile`: its path, its
paper ids and the exchange state of papers sent again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

__all__ = ["InputSpool", "RequestTooLarge", "SpoolFile"]


class RequestTooLarge(ValueError):
    """One request line is larger than a whole batch input file may be."""


@dataclass
class SpoolFile:
    """One finished batch input file."""

    name: str
    path: Path
    papers: list[str] = field(default_factory=list)
    carry: dict[str, dict[str, Any]] = field(default_factory=dict)
    bytes: int = 0


class InputSpool:
    """Writes request lines into batch input files under ``folder``; see the module docstring.

    Args:
        folder: where the files go (created when the first line comes).
        namer: gives the name of each new file (``b0001`` ...).
        max_requests: most lines in one file.
        max_bytes: most bytes in one file.
    """

    def __init__(
        self, folder: Path, namer: Callable[[], str], *, max_requests: int, max_bytes: int
    ) -> None:
        self.folder = folder
        self.namer = namer
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self.files: list[SpoolFile] = []
        self._current: SpoolFile | None = None
        self._fp: IO[bytes] | None = None

    def add(self, paper_id: str, line: str, carry: dict[str, Any] | None = None) -> None:
        """Append one request line (ending in a newline) for ``paper_id``.

        Raises:
            RequestTooLarge: the line alone is larger than ``max_bytes``.
        """
        data = line.encode("utf-8")
        if len(data) > self.max_bytes:
            raise RequestTooLarge(
                f"the request is {len(data)} bytes, more than a batch file may hold "
                f"({self.max_bytes})"
            )
        current = self._current
        if (
            current is None
            or len(current.papers) >= self.max_requests
            or current.bytes + len(data) > self.max_bytes
        ):
            current = self._start()
        assert self._fp is not None
        self._fp.write(data)
        current.papers.append(paper_id)
        current.bytes += len(data)
        if carry is not None:
            current.carry[paper_id] = carry

    def close(self) -> list[SpoolFile]:
        """Finish the last file; return every file written, in order."""
        self._finish()
        return self.files

    def discard(self) -> None:
        """Close and delete every file written (an interrupted routing pass)."""
        self._finish()
        for spooled in self.files:
            spooled.path.unlink(missing_ok=True)
        self.files = []

    def _start(self) -> SpoolFile:
        self._finish()
        self.folder.mkdir(parents=True, exist_ok=True)
        name = self.namer()
        current = SpoolFile(name=name, path=self.folder / f"{name}.input.jsonl")
        self._fp = open(current.path, "wb")
        self._current = current
        return current

    def _finish(self) -> None:
        if self._fp is not None:
            self._fp.close()
            self._fp = None
        if self._current is not None:
            self.files.append(self._current)
            self._current = None
