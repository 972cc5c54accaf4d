"""``paperfields batch status|cancel RUN_DIR``: the batches a ``run --batch`` left running.

``status`` asks the server about every batch of the run folder that is not
collected yet and prints one row per batch (``--json`` for a list of
objects); ``cancel`` asks the server to cancel every batch still running.
The server is the one the batches were sent to (recorded in ``batch.json``)
unless ``--base-url`` says otherwise; the key comes from ``OPENAI_API_KEY``.
Neither command writes the run folder: the next ``paperfields run --batch``
collects what finished. The Batch API code (and the openai SDK) is imported
only when a command runs, so ``paperfields --help`` stays quick.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from ..config import LLMConfig, RunConfig
from .common import handle_errors, out_console

if TYPE_CHECKING:
    from ..orchestrator.batch_control import BatchView

__all__ = ["commands"]

_run_dir = click.argument("run_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
_base_url = click.option(
    "--base-url", help="Server of the batches (default: the one recorded in batch.json)."
)


def _llm(run_dir: Path, base_url: str | None) -> LLMConfig:
    from ..orchestrator.batch_control import load_state

    state = load_state(run_dir)
    llm = {"base_url": base_url or state.endpoint, "model": state.model}
    return RunConfig.from_env(run_dir, llm=llm).llm


@click.group("batch")
def batch_group() -> None:
    """Look at or cancel the Batch API batches of a run folder (see `run --batch`)."""


@batch_group.command("status")
@_run_dir
@_base_url
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option("--no-refresh", is_flag=True, help="Show batch.json as recorded; ask no server.")
@handle_errors
def status_command(run_dir: Path, base_url: str | None, as_json: bool, no_refresh: bool) -> None:
    """Show every batch of RUN_DIR with the server's current status."""
    from ..orchestrator.batch_control import batch_status, collect_command

    views = batch_status(run_dir, _llm(run_dir, base_url), refresh=not no_refresh)
    if as_json:
        click.echo(json.dumps([view.to_dict() for view in views], indent=2))
        return
    out_console.print(_table(views))
    running = [v for v in views if not v.collected]
    papers = sum(v.papers for v in running)
    out_console.print(f"{len(running)} batch(es) not collected yet, with {papers} papers")
    command = collect_command(run_dir)
    if running and command:
        out_console.print(f"collect with: {command}", soft_wrap=True)


@batch_group.command("cancel")
@_run_dir
@_base_url
@handle_errors
def cancel_command(run_dir: Path, base_url: str | None) -> None:
    """Cancel every batch of RUN_DIR that is still running.

    Requests a batch finished before it stopped are collected by the next run;
    the others go to errors.jsonl (BatchCancelled) and a later run sends them again.
    """
    from ..orchestrator.batch_control import cancel_batches

    views = cancel_batches(run_dir, _llm(run_dir, base_url))
    for view in views:
        out_console.print(f"{view.name} ({view.batch_id}): {view.status}", soft_wrap=True)
    out_console.print(
        f"asked to cancel {len(views)} batch(es); rerun the command that submitted them "
        "to collect what finished",
        soft_wrap=True,
    )


def _table(views: list[BatchView]) -> Table:
    table = Table("batch")
    table.add_column("status", no_wrap=True)
    for name in ("papers", "done", "failed"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("id", no_wrap=True)
    table.add_column("note", min_width=9)
    for view in views:
        note = "collected" if view.collected else (view.note or "")
        table.add_row(
            view.name,
            view.status,
            str(view.papers),
            f"{view.completed}/{view.total}",
            str(view.failed),
            view.batch_id or "-",
            note,
        )
    return table


commands: list[click.Command] = [batch_group]
