"""The names of the files in a run folder, shared by every stage that reads or writes one.

A run folder (``outputs/<name>/`` by default) holds ``papers.jsonl`` (ingest),
``records.jsonl`` (one grounded record per paper), ``errors.jsonl`` (papers and
input lines that did not become records) and ``run.json`` (the manifest).
Records are never deleted: those replaced by ``--reextract`` move to
``superseded.jsonl``, lines of ``records.jsonl`` that do not validate (hand
edits, damage) move to ``rejected.jsonl`` and their papers are extracted again.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

__all__ = [
    "ERRORS_FILE",
    "MANIFEST_FILE",
    "PAPERS_FILE",
    "RECORDS_FILE",
    "REJECTED_FILE",
    "SUPERSEDED_FILE",
    "records_path_for",
]

PAPERS_FILE = "papers.jsonl"
RECORDS_FILE = "records.jsonl"
ERRORS_FILE = "errors.jsonl"
MANIFEST_FILE = "run.json"
SUPERSEDED_FILE = "superseded.jsonl"
REJECTED_FILE = "rejected.jsonl"


def records_path_for(path: str | Path) -> Path:
    """Return the ``records.jsonl`` of a run folder (or ``path`` itself when it is a file).

    Raises:
        InputError: The folder or file does not exist, or the folder has no records.
    """
    path = Path(path)
    if path.is_file():
        return path
    if not path.exists():
        raise InputError("no such run folder or records file", path=str(path))
    records = path / RECORDS_FILE
    if not records.is_file():
        raise InputError(
            "no records.jsonl here (is this a run folder written by `paperfields run`?)",
            path=str(path),
        )
    return records
