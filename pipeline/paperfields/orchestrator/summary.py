"""What a run did: :class:`RunSummary`, returned by every run and written into ``run.json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..io.runfolder import ERRORS_FILE, RECORDS_FILE
from ..schemas import ExtractorIdentity
from ..stats import RunStats

__all__ = ["EXIT_RUNNING", "RunSummary"]

EXIT_RUNNING = 3
"""Exit code of a ``--batch`` run that returned while its batches still run."""


@dataclass
class RunSummary:
    """What a run did; ``exit_code`` is 0 (all ok), 1 (some papers failed or left undone) or 3.

    ``pending`` counts papers left for a later run by ``--max-cost``;
    ``running`` counts papers in Batch API batches still running (exit code 3:
    nothing is wrong, the same command collects them later), and ``batch``
    says what a ``--batch`` run submitted and collected;
    ``superseded`` counts records of another extractor moved aside by
    ``--reextract``; ``invalid_records`` counts lines of ``records.jsonl`` that
    did not validate and were moved aside to be redone.
    """

    out_dir: Path
    extractor: str
    stats: RunStats
    identity: ExtractorIdentity | None = None
    ingest_errors: int = 0
    pending: int = 0
    superseded: int = 0
    invalid_records: int = 0
    status: str = "complete"
    running: int = 0
    batch: dict[str, Any] | None = None
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def records_path(self) -> Path:
        """The run's ``records.jsonl``."""
        return self.out_dir / RECORDS_FILE

    @property
    def errors_path(self) -> Path:
        """The run's ``errors.jsonl``."""
        return self.out_dir / ERRORS_FILE

    @property
    def exit_code(self) -> int:
        """0 when every paper is ok, 1 when some failed, were bad input or were left undone.

        3 while papers are in batches still running, whatever else happened: the run
        is not over, and rerunning the same command collects them (and sends the
        failed papers again).
        """
        if self.running:
            return EXIT_RUNNING
        return 0 if not (self.stats.failed or self.ingest_errors or self.pending) else 1
