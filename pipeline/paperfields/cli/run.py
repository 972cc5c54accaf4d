"""Commands that make run folders: ``run`` (all stages), ``ingest``, ``extract``, and ``schema``.

``paperfields run INPUT...`` is the main job: it writes ``papers.jsonl``,
``records.jsonl``, ``errors.jsonl`` and ``run.json`` into
``outputs/<first-input-stem>/`` (or ``-o DIR``), resumes where a previous run
stopped, and exits 0 when every paper is ok, 1 when some failed, 2 on a usage
or input error. When neither ``OPENAI_API_KEY`` nor a base URL is set it uses
the offline extractor and says so in one line.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

import click

from ..config import (
    BATCH_MAX_BYTES,
    BATCH_MAX_REQUESTS,
    DEFAULT_BATCH_POLL_MAX_S,
    DEFAULT_BATCH_POLL_S,
    DEFAULT_BATCH_RETRIES,
    BatchSettings,
    RunConfig,
)
from ..ingest import FORMATS
from ..orchestrator.dryrun import estimate_run
from ..orchestrator.runner import extract_stage, ingest_stage, run_pipeline
from ..orchestrator.summary import RunSummary
from ..schemas import Record
from .common import (
    config_from_flags,
    err_console,
    extractor_options,
    handle_errors,
    out_console,
    pop_extractor_flags,
)

__all__ = ["commands"]

_FORMATS = click.Choice(list(FORMATS))

OFFLINE_NOTICE = (
    "paperfields: no OPENAI_API_KEY or base URL set, so the offline extractor (rules) is used. "
    "For an LLM, set OPENAI_API_KEY, or pass --base-url http://localhost:11434/v1 for a local "
    "server; --offline silences this notice."
)

_inputs = click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False)
)
_out = click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Run folder (default outputs/<first-input-stem>/).",
)
_format = click.option("--format", "input_format", type=_FORMATS, help="Force the input format.")
_max_chars = click.option(
    "--max-abstract-chars", type=int, help="Longest abstract accepted (default 20000)."
)
_progress = click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: on a terminal)."
)
_reextract = click.option(
    "--reextract",
    is_flag=True,
    help="Replace records another extractor, prompt or schema left in the run folder "
    "(they move to superseded.jsonl).",
)


def default_out_dir(inputs: tuple[Path, ...]) -> Path:
    """``outputs/<stem of the first input>``."""
    return Path("outputs") / inputs[0].stem


def _warn(message: str) -> None:
    err_console.print(f"[yellow]warning:[/] {message}", soft_wrap=True)


def _notice_offline(config: RunConfig, flags: dict[str, Any]) -> None:
    if not config.uses_llm and not flags.get("offline"):
        err_console.print(OFFLINE_NOTICE, soft_wrap=True)


def _print_summary(summary: RunSummary) -> None:
    if summary.batch is not None:
        _print_batch(summary.batch)
    stats = summary.stats
    this_run = summary.manifest.get("counts", {}).get("this_run", {})
    parts = [f"{stats.ok} ok", f"{stats.failed} failed"]
    if stats.skipped:
        parts.append(f"{stats.skipped} already done")
    if summary.ingest_errors:
        parts.append(f"{summary.ingest_errors} bad input")
    if summary.pending:
        parts.append(f"{summary.pending} not started (--max-cost reached)")
    if stats.papers_capped:
        parts.append(
            f"{stats.items_dropped} items over --max-items-per-field dropped"
            f" in {stats.papers_capped} papers"
        )
    if summary.superseded:
        parts.append(f"{summary.superseded} old records moved to superseded.jsonl")
    if summary.invalid_records:
        parts.append(f"{summary.invalid_records} invalid record lines moved to rejected.jsonl")
    for notice in stats.notices:
        _warn(notice)
    cost = summary.manifest.get("cost_usd")
    tail = f" · ${cost:.4f}" if cost else ""
    out_console.print(
        f"[bold]{this_run.get('extracted', stats.done)} papers extracted[/] ({', '.join(parts)}) "
        f"in {stats.elapsed_s:.2f}s with {summary.extractor}{tail}",
        soft_wrap=True,
    )
    out_console.print(f"records: {summary.records_path}", soft_wrap=True)
    if stats.failed or summary.ingest_errors:
        out_console.print(f"errors:  {summary.errors_path}", soft_wrap=True)


def _print_batch(report: dict[str, Any]) -> None:
    submitted, collected = report["submitted"], report["collected"]
    running = report["running"]
    out_console.print(
        f"[bold]batch:[/] submitted {submitted['papers']} papers in {submitted['batches']} "
        f"batch(es); collected {collected['batches']} batch(es) ({collected['papers']} papers); "
        f"{running['papers']} papers in {running['batches']} batch(es) still running",
        soft_wrap=True,
    )
    if running["batches"]:
        again = report.get("collect_command") or "the same paperfields run command again"
        out_console.print(f"collect them later (exit code 3 until then): {again}", soft_wrap=True)


def _batch_settings(flags: dict[str, Any]) -> BatchSettings | None:
    """The Batch API settings from the ``run`` flags, or None without ``--batch``."""
    names = "wait poll_s batch_retries batch_retry_live batch_max_requests batch_max_bytes"
    values = {name: flags.pop(name) for name in names.split()}
    if not flags.pop("batch"):
        if values["wait"]:
            raise click.UsageError("--wait needs --batch")
        return None
    return BatchSettings(
        wait=values["wait"],
        poll_s=values["poll_s"],
        poll_max_s=max(values["poll_s"], DEFAULT_BATCH_POLL_MAX_S),
        retries=values["batch_retries"],
        retry_live=values["batch_retry_live"],
        max_requests=values["batch_max_requests"],
        max_bytes=values["batch_max_bytes"],
        command=_invocation(),
    )


def _invocation() -> str | None:
    """This command line as typed, when the process is the ``paperfields`` command itself.

    Called as a library (or under a test runner) the process's arguments are someone
    else's, so there is no command to repeat.
    """
    program = Path(sys.argv[0]).as_posix() if sys.argv else ""
    if "paperfields" not in program or not sys.argv[1:]:
        return None
    return shlex.join(["paperfields", *sys.argv[1:]])


def _event(message: str) -> None:
    err_console.print(f"paperfields: {message}", soft_wrap=True, highlight=False)


def _print_dry_run(inputs: tuple[Path, ...], config: RunConfig) -> None:
    estimate = estimate_run(inputs, config)
    out_console.print_json(json.dumps(estimate.to_dict()))


@click.command("run")
@_inputs
@_out
@_format
@extractor_options
@_max_chars
@click.option("--limit", type=int, help="Only the first N papers of the inputs (try it first).")
@click.option("--sample", type=int, help="N papers spread over the inputs, chosen by --seed.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for --sample.")
@_reextract
@click.option("--dry-run", is_flag=True, help="Count papers, tokens and cost; send nothing.")
@_progress
@click.option(
    "--batch",
    is_flag=True,
    help="Send the requests through the OpenAI Batch API (half price, done within 24 h); "
    "rerun the same command to collect.",
)
@click.option("--wait", is_flag=True, help="With --batch: poll until every batch is collected.")
@click.option(
    "--poll-interval",
    "poll_s",
    type=float,
    default=DEFAULT_BATCH_POLL_S,
    show_default=True,
    help="With --batch --wait: first pause between polls in seconds (doubles up to 300).",
)
@click.option(
    "--batch-retries",
    type=int,
    default=DEFAULT_BATCH_RETRIES,
    show_default=True,
    help="Times a request that failed inside a batch (429, 5xx, expired) is sent again.",
)
@click.option(
    "--batch-retry-live",
    is_flag=True,
    help="Send batch retries and repair re-asks live (standard price) instead of in a new batch.",
)
@click.option(
    "--batch-max-requests",
    type=int,
    default=BATCH_MAX_REQUESTS,
    show_default=True,
    help="Split batch input files above this many requests.",
)
@click.option(
    "--batch-max-bytes",
    type=int,
    default=BATCH_MAX_BYTES,
    show_default=True,
    help="Split batch input files above this many bytes.",
)
@handle_errors
def run_command(
    inputs: tuple[Path, ...],
    out_dir: Path | None,
    input_format: str | None,
    max_abstract_chars: int | None,
    limit: int | None,
    sample: int | None,
    seed: int,
    reextract: bool,
    dry_run: bool,
    progress: bool | None,
    **flags: Any,
) -> None:
    """Ingest INPUT files, extract fields from every paper and ground them (the main job).

    Formats (auto-detected): a saved Hugging Face papers page (.txt), JSONL or JSON with
    title/abstract, CSV/TSV, arXiv API Atom XML, Hugging Face daily-papers JSON.
    Rerunning the same command resumes: papers already in records.jsonl are skipped.
    With --batch it submits and exits 3 while batches run; the same command collects.
    """
    batch = _batch_settings(flags)
    extractor_flags = pop_extractor_flags(flags)
    config = config_from_flags(
        out_dir or default_out_dir(inputs),
        extractor_flags,
        input_format=input_format,
        max_abstract_chars=max_abstract_chars,
        progress=progress,
        limit=limit,
        sample=sample,
        seed=seed,
        reextract=reextract,
        batch=batch,
    )
    if dry_run:
        _print_dry_run(inputs, config)
        return
    _notice_offline(config, extractor_flags)
    summary = run_pipeline(inputs, config, on_warning=_warn, on_event=_event)
    _print_summary(summary)
    raise SystemExit(summary.exit_code)


@click.command("ingest")
@_inputs
@_out
@_format
@_max_chars
@handle_errors
def ingest_command(
    inputs: tuple[Path, ...],
    out_dir: Path | None,
    input_format: str | None,
    max_abstract_chars: int | None,
) -> None:
    """Only read INPUT files into RUN_DIR/papers.jsonl (bad entries go to errors.jsonl)."""
    target = out_dir or default_out_dir(inputs)
    report = ingest_stage(
        inputs,
        target,
        input_format=input_format,
        max_abstract_chars=max_abstract_chars,
        on_warning=_warn,
    )
    counts = report.to_dict()
    papers = sum(int(i.get("papers", 0)) for i in counts.get("inputs", []))
    errors = sum(int(i.get("errors", 0)) for i in counts.get("inputs", []))
    out_console.print(f"{papers} papers, {errors} errors -> {target / 'papers.jsonl'}")
    raise SystemExit(1 if errors else 0)


@click.command("extract")
@click.argument("run_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@extractor_options
@_reextract
@_progress
@handle_errors
def extract_command(run_dir: Path, reextract: bool, progress: bool | None, **flags: Any) -> None:
    """Only extract and ground RUN_DIR/papers.jsonl into RUN_DIR/records.jsonl (resumable)."""
    extractor_flags = pop_extractor_flags(flags)
    config = config_from_flags(run_dir, extractor_flags, progress=progress, reextract=reextract)
    _notice_offline(config, extractor_flags)
    summary = extract_stage(config)
    _print_summary(summary)
    raise SystemExit(summary.exit_code)


@click.command("schema")
@click.option("--fields", is_flag=True, help="Print the LLM-facing fields schema instead.")
@click.option(
    "--spec",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The LLM-facing schema generated for this user-defined fields spec (TOML; "
    "implies --fields).",
)
@handle_errors
def schema_command(fields: bool, spec: Path | None) -> None:
    """Print the JSON Schema of a stored record (one line of records.jsonl).

    With --fields, the schema sent to the model instead; with --spec SPEC too, the one
    generated for that fields spec (built-in fields plus the spec's, as the model sees it).
    """
    from ..fields import reply_schema, resolve_spec

    if fields or spec is not None:
        schema = reply_schema(resolve_spec(spec)).json_schema
    else:
        schema = Record.model_json_schema()
    click.echo(json.dumps(schema, indent=2))


commands: list[click.Command] = [run_command, ingest_command, extract_command, schema_command]
