"""The record sink: appends records and errors to the run folder, each id at most once.

Every record and error goes through one :class:`RecordSink`, which writes one
flushed line per item (a killed run loses at most the line being written) and
refuses a second record for an id that :class:`~.resume.DoneIndex` already
holds, so a run never doubles a paper.
"""

from __future__ import annotations

from pathlib import Path

from ..io.jsonl import JsonlAppender
from ..io.runfolder import ERRORS_FILE, RECORDS_FILE
from ..schemas import ErrorEntry, Record
from .resume import DoneIndex

__all__ = ["RecordSink"]


class RecordSink:
    """Appends records and errors to ``out_dir``; refuses to write an id twice."""

    def __init__(self, out_dir: Path, done: DoneIndex) -> None:
        self.done = done
        self.records = JsonlAppender(out_dir / RECORDS_FILE)
        self.errors = JsonlAppender(out_dir / ERRORS_FILE)

    def record(self, record: Record) -> bool:
        """Append ``record`` unless its id is already there; return whether it was written."""
        if record.id in self.done:
            return False
        self.records.write(record)
        self.done.add(record.id, record.provenance.input_sha256)
        return True

    def record_line(self, paper_id: str, line: str, digest: str) -> bool:
        """Append a record already serialised (by a worker process); as :meth:`record`."""
        if paper_id in self.done:
            return False
        self.records.write_line(line)
        self.done.add(paper_id, digest)
        return True

    def error(self, entry: ErrorEntry) -> None:
        """Append one ``errors.jsonl`` line."""
        self.errors.write(entry)

    def error_line(self, line: str) -> None:
        """Append one ``errors.jsonl`` line already serialised."""
        self.errors.write_line(line)

    def close(self) -> None:
        """Close both files."""
        self.records.close()
        self.errors.close()
