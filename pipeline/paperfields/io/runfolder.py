"""The names of the files in a run folder, shared by every stage that reads or writes one.

A run folder (``outputs/<name>/`` by default) holds ``papers.jsonl`` (ingest),
``records.jsonl`` (one grounded record per paper), ``errors.jsonl`` (papers and
input lines that did not become records) and ``run.json`` (the manifest).
"""

from __future__ import annotations

__all__ = ["ERRORS_FILE", "MANIFEST_FILE", "PAPERS_FILE", "RECORDS_FILE"]

PAPERS_FILE = "papers.jsonl"
RECORDS_FILE = "records.jsonl"
ERRORS_FILE = "errors.jsonl"
MANIFEST_FILE = "run.json"
