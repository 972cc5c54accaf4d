"""What ingest saw, filled in while papers stream: per-input counts, duplicates and warnings.

The orchestrator passes an :class:`IngestReport` to
:func:`~paperfields.ingest.iter_papers` and stores :meth:`IngestReport.to_dict`
in ``run.json``. Message lists are capped (``max_messages``) so a file with a
million bad lines cannot bloat the manifest; the totals stay exact.
``on_warning`` lets a command line print each warning as it happens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["DEFAULT_MAX_MESSAGES", "IngestReport", "InputSummary"]

DEFAULT_MAX_MESSAGES = 200


@dataclass
class InputSummary:
    """Counts for one input file.

    ``bytes`` grows as the file is read and ``sha256`` describes the whole file
    once it has been read to the end; ``sha256`` stays None when iteration
    stopped early.
    """

    path: str
    format: str
    sha256: str | None = None
    bytes: int = 0
    papers: int = 0
    errors: int = 0
    duplicates: int = 0


@dataclass
class IngestReport:
    """Counts and capped messages of one ingest pass.

    Attributes:
        inputs: one :class:`InputSummary` per input file, in reading order.
        duplicates: number of records dropped as duplicates of an earlier one.
        duplicate_messages: the first ``max_messages`` duplicate messages.
        warnings: the first ``max_messages`` warnings, each ``"file:line: message"``.
        warnings_total: number of warnings, including those past the cap.
        on_warning: called with every warning (and duplicate message) as it happens.
        max_messages: cap on each message list.
    """

    inputs: list[InputSummary] = field(default_factory=list)
    duplicates: int = 0
    duplicate_messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    warnings_total: int = 0
    on_warning: Callable[[str], None] | None = None
    max_messages: int = DEFAULT_MAX_MESSAGES
    planned_bytes: int = 0

    @property
    def papers(self) -> int:
        """Papers produced over all inputs."""
        return sum(summary.papers for summary in self.inputs)

    @property
    def errors(self) -> int:
        """Error entries produced over all inputs."""
        return sum(summary.errors for summary in self.inputs)

    def estimated_papers(self) -> int | None:
        """How many papers the inputs hold, extrapolated from the bytes read so far.

        Exact once every input was read; None before the first paper. Costs no
        second pass over the inputs (the progress bar's total).
        """
        papers = self.papers + self.errors + self.duplicates
        read = sum(summary.bytes for summary in self.inputs)
        if not papers or not read:
            return None
        if read >= self.planned_bytes:
            return self.papers
        return max(self.papers, round(self.papers * self.planned_bytes / read))

    def add_input(self, path: str, format: str) -> InputSummary:
        """Start the summary of the next input file and return it."""
        summary = InputSummary(path=path, format=format)
        self.inputs.append(summary)
        return summary

    def warn(self, message: str) -> None:
        """Record one warning and pass it to ``on_warning``."""
        self.warnings_total += 1
        if len(self.warnings) < self.max_messages:
            self.warnings.append(message)
        if self.on_warning is not None:
            self.on_warning(message)

    def add_duplicate(self, message: str) -> None:
        """Record one dropped duplicate; it is also reported as a warning."""
        self.duplicates += 1
        if len(self.duplicate_messages) < self.max_messages:
            self.duplicate_messages.append(message)
        self.warn(message)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready summary for the run manifest."""
        return {
            "inputs": [asdict(summary) for summary in self.inputs],
            "papers": self.papers,
            "errors": self.errors,
            "duplicates": {"count": self.duplicates, "messages": list(self.duplicate_messages)},
            "warnings": {"count": self.warnings_total, "messages": list(self.warnings)},
        }
