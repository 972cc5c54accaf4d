"""What an export wrote: :class:`ExportResult`, shared by every format writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ExportResult"]


@dataclass(slots=True)
class ExportResult:
    """What an export wrote: the files, the number of papers, rows per table, what it left out."""

    format: str
    paths: list[Path] = field(default_factory=list)
    papers: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
