"""``batch.json``: what a run folder has sent to the Batch API, written whole after every step.

One :class:`BatchEntry` per batch input file: the papers in it, the state of
those that are mid-conversation (a repair re-ask, a retry), the local input
file until it is uploaded, the input file id once uploaded, the batch id once
created, the last status the server gave, and whether its replies were
collected; and the papers that failed in a batch collected while others still
ran (held back until no batch is open). :meth:`BatchState.save` writes the whole file at once
(:mod:`paperfields.io.atomic`) after each upload, each create, each status
change and each collection, so a process killed at any point leaves a file
that says exactly which papers are in a batch: a rerun never sends them again
while that batch runs. The spooled input files live in ``batches/`` beside it.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import ConfigError
from ..io.jsonl import write_json_atomic

__all__ = ["BATCH_DIR", "BATCH_STATE_FILE", "BatchEntry", "BatchState", "now_iso"]

BATCH_STATE_FILE = "batch.json"
BATCH_DIR = "batches"
STATE_VERSION = 1


def now_iso() -> str:
    """The current UTC time, to the second, as ISO 8601."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


class BatchEntry(BaseModel):
    """One batch input file and the batch made from it.

    ``status`` is ``spooled`` (written locally), ``uploaded`` (input file id
    known, batch not yet created) or the server's status (``validating``,
    ``in_progress``, ``finalizing``, ``completed``, ``failed``, ``expired``,
    ``cancelling``, ``cancelled``). ``carry`` holds, per paper id, the exchange
    snapshot of papers sent again (a repair re-ask or a retry), with
    ``retries`` used so far; fresh papers have none.
    """

    model_config = ConfigDict(extra="ignore")

    name: str
    papers: list[str]
    carry: dict[str, dict[str, Any]] = Field(default_factory=dict)
    input_path: str | None = None
    bytes: int = 0
    input_file_id: str | None = None
    batch_id: str | None = None
    status: str = "spooled"
    collected: bool = False
    counts: dict[str, int] = Field(default_factory=dict)
    output_file_id: str | None = None
    error_file_id: str | None = None
    errors: list[str] = Field(default_factory=list)
    created_at: str = Field(default_factory=now_iso)
    uploaded_at: str | None = None
    submitted_at: str | None = None
    updated_at: str = Field(default_factory=now_iso)
    collected_at: str | None = None

    @property
    def open(self) -> bool:
        """True until the entry's replies are collected."""
        return not self.collected

    def uploaded_epoch(self) -> int:
        """When the input file was uploaded, in Unix seconds (0 when unknown)."""
        if self.uploaded_at is None:
            return 0
        return int(_dt.datetime.fromisoformat(self.uploaded_at).timestamp())


class BatchState(BaseModel):
    """Every batch a run folder sent; see the module docstring."""

    model_config = ConfigDict(extra="ignore")

    version: int = STATE_VERSION
    endpoint: str | None = None
    model: str
    mode: str
    identity: dict[str, Any] = Field(default_factory=dict)
    entries: list[BatchEntry] = Field(default_factory=list)
    failed: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """``errors.jsonl`` entries of papers that failed in batches collected while other
    batches still ran: not sent again until no batch is open, so a run that only
    collects finishes instead of resubmitting the same failures forever."""

    @classmethod
    def load(cls, out_dir: Path) -> BatchState | None:
        """The state of ``out_dir``, or None when it never sent a batch.

        Raises:
            ConfigError: ``batch.json`` exists but cannot be read.
        """
        path = out_dir / BATCH_STATE_FILE
        if not path.exists():
            return None
        try:
            return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, ValidationError) as e:
            raise ConfigError(f"{path}: cannot read the batch state ({e})") from e

    def save(self, out_dir: Path) -> None:
        """Write ``batch.json`` whole (a reader or a crash never sees half of it)."""
        write_json_atomic(out_dir / BATCH_STATE_FILE, self.model_dump(mode="json"))

    def new_name(self) -> str:
        """The local name of the next entry (``b0001``, ``b0002`` ...)."""
        return f"b{len(self.entries) + 1:04d}"

    def open_entries(self) -> list[BatchEntry]:
        """Entries whose replies are not collected yet."""
        return [entry for entry in self.entries if entry.open]

    def open_papers(self) -> set[str]:
        """Ids of the papers in entries not collected yet (never to be sent again meanwhile)."""
        return {paper for entry in self.entries if entry.open for paper in entry.papers}
