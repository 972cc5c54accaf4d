"""The names of the files in a run folder, shared by every stage that reads or writes one.

A run folder (``outputs/<name>/`` by default) holds ``papers.jsonl`` (ingest),
``records.jsonl`` (one grounded record per paper), ``errors.jsonl`` (papers and
input lines that did not become records) and ``run.json`` (the manifest).
Records are never deleted: those replaced by ``--reextract`` move to
``superseded.jsonl``, lines of ``records.jsonl`` that do not validate (hand
edits, damage) move to ``rejected.jsonl`` and their papers are extracted again.
"""

from __future__ import annotations

__all__ = [
    "ERRORS_FILE",
    "MANIFEST_FILE",
    "PAPERS_FILE",
    "RECORDS_FILE",
    "REJECTED_FILE",
    "SUPERSEDED_FILE",
]

PAPERS_FILE = "papers.jsonl"
RECORDS_FILE = "records.jsonl"
ERRORS_FILE = "errors.jsonl"
MANIFEST_FILE = "run.json"
SUPERSEDED_FILE = "superseded.jsonl"
REJECTED_FILE = "rejected.jsonl"
