"""``paperfields batch status|cancel RUN_DIR``: look at a run folder's batches, or stop them.

Both read ``batch.json`` and ask the server about every batch not collected
yet; neither writes the run folder, so they are safe beside a running
``paperfields run --batch --wait`` (which sees the new statuses on its next
poll). :func:`batch_status` returns one :class:`BatchView` per batch;
:func:`cancel_batches` asks the server to cancel every batch still running.
Requests a cancelled batch finished are collected by the next run; the others
go to ``errors.jsonl`` as ``BatchCancelled`` and a later run sends them again.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..config import LLMConfig
from ..errors import BackendError, ConfigError
from ..io.runfolder import MANIFEST_FILE
from ..llm.batch import FINISHED, BatchClient
from .batch_state import BATCH_STATE_FILE, BatchEntry, BatchState

__all__ = ["BatchView", "batch_status", "cancel_batches", "collect_command", "load_state"]


@dataclass(frozen=True)
class BatchView:
    """One batch of a run folder as ``batch status`` shows it."""

    name: str
    batch_id: str | None
    status: str
    papers: int
    total: int
    completed: int
    failed: int
    submitted_at: str | None
    collected: bool
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def load_state(run_dir: Path) -> BatchState:
    """The batch state of ``run_dir``.

    Raises:
        ConfigError: the folder has no ``batch.json`` (it never ran with ``--batch``).
    """
    state = BatchState.load(run_dir)
    if state is None:
        raise ConfigError(f"{run_dir / BATCH_STATE_FILE}: no batches here (run with --batch first)")
    return state


def collect_command(run_dir: Path) -> str | None:
    """The command that collects the run folder's batches, as its ``run.json`` says."""
    path = run_dir / MANIFEST_FILE
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    batch = manifest.get("batch") if isinstance(manifest, dict) else None
    command = batch.get("collect_command") if isinstance(batch, dict) else None
    return command if isinstance(command, str) else None


def batch_status(run_dir: Path, llm: LLMConfig, *, refresh: bool = True) -> list[BatchView]:
    """Every batch of ``run_dir``, with the server's current status for those not collected.

    Args:
        run_dir: the run folder.
        llm: where the batches are (base URL, key).
        refresh: ask the server; False shows what ``batch.json`` last recorded.

    Raises:
        ConfigError: no ``batch.json``.
        BackendError: the server could not be asked.
    """
    state = load_state(run_dir)

    async def go() -> list[BatchView]:
        async with BatchClient(llm) as client:
            return [await _view(entry, client if refresh else None) for entry in state.entries]

    return asyncio.run(go())


def cancel_batches(run_dir: Path, llm: LLMConfig) -> list[BatchView]:
    """Ask the server to cancel every batch of ``run_dir`` that is still running.

    Returns:
        The batches it asked to cancel, with the status the server answered.

    Raises:
        ConfigError: no ``batch.json``.
        BackendError: the server could not be asked.
    """
    state = load_state(run_dir)

    async def go() -> list[BatchView]:
        cancelled = []
        async with BatchClient(llm) as client:
            for entry in state.open_entries():
                if entry.batch_id is None or entry.status in FINISHED:
                    continue
                info = await client.retrieve(entry.batch_id)
                if info.finished or info.status == "cancelling":
                    continue
                try:
                    info = await client.cancel(entry.batch_id)
                except BackendError as e:
                    if e.status != 409:  # it finished meanwhile
                        raise
                    continue
                cancelled.append(_from_info(entry, info.status, info.total, info.completed))
        return cancelled

    return asyncio.run(go())


async def _view(entry: BatchEntry, client: BatchClient | None) -> BatchView:
    counts = entry.counts
    status, total = entry.status, counts.get("total", 0)
    completed, failed = counts.get("completed", 0), counts.get("failed", 0)
    note = None
    if entry.batch_id is None:
        note = "next run submits"
    elif client is not None and not entry.collected:
        info = await client.retrieve(entry.batch_id)
        status, total, completed, failed = info.status, info.total, info.completed, info.failed
        if info.finished:
            note = "next run collects"
    return BatchView(
        name=entry.name,
        batch_id=entry.batch_id,
        status=status,
        papers=len(entry.papers),
        total=total,
        completed=completed,
        failed=failed,
        submitted_at=entry.submitted_at,
        collected=entry.collected,
        note=note,
    )


def _from_info(entry: BatchEntry, status: str, total: int, completed: int) -> BatchView:
    return BatchView(
        name=entry.name,
        batch_id=entry.batch_id,
        status=status,
        papers=len(entry.papers),
        total=total,
        completed=completed,
        failed=0,
        submitted_at=entry.submitted_at,
        collected=False,
    )
