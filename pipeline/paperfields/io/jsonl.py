"""JSON Lines I/O for run folders: streamed reads with line numbers, crash-safe appends.

Run folders are written one line per finished item, flushed at once, so a
killed process loses at most the line it was writing. :func:`repair_tail`
cuts such a half-written last line before a resumed run appends to the file.
Reads are generators: no file is loaded whole.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel

from ..errors import InputError
from .atomic import replacing

__all__ = ["JsonlAppender", "count_lines", "iter_jsonl", "repair_tail", "write_json_atomic"]


def iter_jsonl(
    path: Path,
    *,
    skip_invalid: bool = False,
    on_invalid: Callable[[str], None] | None = None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, object)`` for each non-empty line of a JSONL file.

    A line that is not a JSON object raises :class:`InputError` naming the file
    and line, unless ``skip_invalid`` is set (used for a run's own files, whose
    only possible damage is a half-written last line) or ``on_invalid`` is given,
    which is then called with ``"file:line: reason"`` and reading goes on.
    """
    with open(path, encoding="utf-8", errors="replace") as fp:
        for number, line in enumerate(fp, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                problem = f"invalid JSON ({e.msg})"
            else:
                if isinstance(obj, dict):
                    yield number, obj
                    continue
                problem = "expected a JSON object"
            if on_invalid is not None:
                on_invalid(f"{path}:{number}: {problem}")
            elif not skip_invalid:
                raise InputError(problem, path=str(path), line=number)


def count_lines(path: Path) -> int:
    """Count the lines of a run-folder file (which has no blank lines) without decoding it.

    A last line without its newline counts; a missing file has 0 lines.
    """
    if not path.exists():
        return 0
    count = 0
    with open(path, "rb") as fp:
        while chunk := fp.read(1 << 20):
            count += chunk.count(b"\n")
        if fp.tell():
            fp.seek(-1, os.SEEK_END)
            count += fp.read(1) != b"\n"  # a last line without its newline
    return count


def repair_tail(path: Path) -> int:
    """Truncate a half-written last line (no trailing newline); return bytes removed."""
    if not path.exists():
        return 0
    with open(path, "rb+") as fp:
        fp.seek(0, os.SEEK_END)
        size = fp.tell()
        if size == 0:
            return 0
        fp.seek(size - 1)
        if fp.read(1) == b"\n":
            return 0
        # Walk back to the previous newline in chunks.
        pos = size
        while pos > 0:
            step = min(65536, pos)
            fp.seek(pos - step)
            chunk = fp.read(step)
            idx = chunk.rfind(b"\n")
            if idx != -1:
                cut = pos - step + idx + 1
                break
            pos -= step
        else:
            cut = 0
        fp.truncate(cut)
        return size - cut


class JsonlAppender:
    """Append JSON lines to a file, one ``write`` + ``flush`` per line.

    Accepts pydantic models (dumped with ``model_dump_json``) or plain dicts.
    Use as a context manager.
    """

    def __init__(self, path: Path, *, truncate: bool = False) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if not truncate:
            repair_tail(path)
        self._fp: IO[str] = open(path, "w" if truncate else "a", encoding="utf-8")
        self.count = 0

    def write(self, item: BaseModel | dict[str, Any]) -> None:
        """Write one item as one line and flush it."""
        if isinstance(item, BaseModel):
            line = item.model_dump_json(exclude_none=False)
        else:
            line = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
        self.write_line(line)

    def write_line(self, line: str) -> None:
        """Write one line of JSON text already serialised (no newline inside) and flush it."""
        self._fp.write(line + "\n")
        self._fp.flush()
        self.count += 1

    def close(self) -> None:
        """Close the file."""
        self._fp.close()

    def __enter__(self) -> JsonlAppender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as pretty JSON via a temporary file and ``os.replace``."""
    with replacing(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
