"""Reading a run folder's ``papers.jsonl`` back for ``paperfields extract``, damage included.

``papers.jsonl`` is written whole by ingest, but a person can edit it, and a
disk can damage it. :func:`read_papers_file` yields every line that is a
paper, and turns each line that is not (invalid JSON, a missing field, text
that is not valid Unicode) into an ``InvalidPaper`` error entry of the
extract stage, so one bad line never stops the others, and since extract
errors are cleared at the start of every run, each is reported once per run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from ..io.jsonl import iter_jsonl
from ..schemas import ErrorEntry, Paper, PaperSource

__all__ = ["read_papers_file"]


def read_papers_file(path: Path) -> Iterator[Paper | ErrorEntry]:
    """Yield the papers of ``path``; a line that is not one is yielded as an error entry.

    Args:
        path: a run folder's ``papers.jsonl``.

    Returns:
        An iterator of ``Paper`` and ``ErrorEntry(stage="extract", error_type="InvalidPaper")``.
    """
    problems: list[tuple[int, str]] = []

    def note(message: str) -> None:  # "path:line: reason"
        line, _, reason = message[len(f"{path}:") :].partition(": ")
        problems.append((int(line), reason))

    for number, obj in iter_jsonl(path, on_invalid=note):
        while problems:
            yield _invalid_paper(path, *problems.pop(0))
        try:
            json.dumps(obj, ensure_ascii=False).encode("utf-8")
            yield Paper.model_validate(obj)
        except (ValidationError, UnicodeEncodeError) as e:
            reason = (
                "text that is not valid Unicode"
                if isinstance(e, UnicodeError)
                else (f"not a paper ({e.error_count()} problem(s): {e.errors()[0]['msg']})")
            )
            yield _invalid_paper(path, number, reason)
    for number, reason in problems:
        yield _invalid_paper(path, number, reason)


def _invalid_paper(path: Path, line: int, reason: str) -> ErrorEntry:
    return ErrorEntry(
        stage="extract",
        error_type="InvalidPaper",
        reason=f"{path}:{line}: {reason}",
        source=PaperSource(file=str(path), line=line, format="jsonl"),
    )
