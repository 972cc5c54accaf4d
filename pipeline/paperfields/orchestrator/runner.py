"""Running the stages over a run folder: ``paperfields run``, ``ingest`` and ``extract``.

:func:`run_pipeline` streams ingest -> selection -> worker pool -> sink in one
pass: nothing is loaded whole, and a rerun of the same command skips every
paper already in ``records.jsonl`` (same id and text, or same text), so a
killed run loses at most the papers that were in flight. A run folder holds
the records of one extraction setup: a run with another extractor, prompt or
schema stops with :class:`~paperfields.errors.RunFolderConflict` unless
``reextract`` is set, which moves the other records to ``superseded.jsonl``
and extracts those papers again. Failed papers and bad input go to
``errors.jsonl`` and are retried by the next run; ``run.json`` is rewritten at
the start and the end of every run. :func:`ingest_stage` and
:func:`extract_stage` run one stage alone over the same folder. Every stage
holds the folder's lock (:mod:`~paperfields.io.runlock`) while it writes, so a
second process on the same folder stops at once instead of doubling records;
a folder this call created is removed again when the run stops on an input or
configuration error before writing any record or error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..config import DEFAULT_MAX_ABSTRACT_CHARS, RunConfig
from ..errors import ConfigError, InputError
from ..extract import Extractor, create_extractor
from ..ingest import IngestReport, iter_papers
from ..io.atomic import replacing
from ..io.jsonl import JsonlAppender, count_lines
from ..io.runfolder import ERRORS_FILE, PAPERS_FILE, RECORDS_FILE, REJECTED_FILE, SUPERSEDED_FILE
from ..io.runlock import HeldRunFolder
from ..llm.pricing import resolve_price
from ..schemas import ErrorEntry, ExtractorIdentity, Paper
from ..stats import RunStats
from .manifest import build_manifest
from .papers_file import read_papers_file
from .pool import WorkerPool
from .progress import Progress, shows_bar
from .resume import DoneIndex, check_run_folder, move_aside, reset_errors
from .selection import select_papers
from .sink import RecordSink
from .summary import RunSummary

__all__ = [
    "RunSummary",
    "arun_pipeline",
    "extract_stage",
    "ingest_stage",
    "run_pipeline",
]


def _prepare_folder(
    out_dir: Path, identity: ExtractorIdentity, *, reextract: bool
) -> tuple[DoneIndex, int, int]:
    """Load the done index; set aside invalid lines, and other setups' records when asked.

    Returns:
        The index, the number of records superseded and of invalid lines moved aside.
    """
    records = out_dir / RECORDS_FILE
    done = DoneIndex.load(records)
    superseded = rejected = 0
    if done.invalid_lines:
        rejected = move_aside(records, set(done.invalid_lines), out_dir / REJECTED_FILE)
    foreign = done.foreign(identity)
    if foreign and reextract:
        lines = done.lines_from(foreign)
        if rejected:  # line numbers moved: read the folder again
            done = DoneIndex.load(records)
            lines = done.lines_from(done.foreign(identity))
        superseded = move_aside(records, lines, out_dir / SUPERSEDED_FILE)
    if rejected or superseded:
        done = DoneIndex.load(records)
    check_run_folder(done, identity, out_dir)
    return done, superseded, rejected


def _write_papers(papers: Iterable[Paper | ErrorEntry], path: Path) -> Iterator[Paper | ErrorEntry]:
    """Pass items through while saving each paper; ``papers.jsonl`` appears only when complete.

    Papers go to a temporary file, moved over ``papers.jsonl`` once every item
    was read, so an interrupted run never leaves a truncated papers file for
    ``paperfields extract`` to mistake for the whole input.
    """
    with replacing(path) as tmp, JsonlAppender(tmp, truncate=True) as out:
        for item in papers:
            if isinstance(item, Paper):
                out.write(item)
            yield item


async def _run(
    items: Iterable[Paper | ErrorEntry],
    config: RunConfig,
    *,
    extractor: Extractor | None,
    stats: RunStats | None,
    estimate: Callable[[], int | None] | None,
    report: IngestReport | None,
    inputs: Sequence[Path],
    keep_error: Callable[[dict[str, object]], bool],
    on_event: Callable[[str], None] | None = None,
) -> RunSummary:
    if extractor is None and config.max_cost_usd is not None and config.uses_llm:
        llm = config.llm
        if resolve_price(llm.model, base_url=llm.base_url, override=llm.price) is None:
            raise ConfigError(
                f"--max-cost needs a price for model {llm.model!r}: OpenAI's endpoint is priced "
                "from paperfields/data/prices.json, any other server needs --price"
            )
    if config.batch is not None and extractor is None and not config.uses_llm:
        raise ConfigError("--batch needs a model: set OPENAI_API_KEY, or pass --base-url")
    with HeldRunFolder(config.out_dir):
        return await _run_locked(
            items,
            config,
            extractor=extractor,
            stats=stats,
            estimate=estimate,
            report=report,
            inputs=inputs,
            keep_error=keep_error,
            on_event=on_event,
        )


async def _run_locked(
    items: Iterable[Paper | ErrorEntry],
    config: RunConfig,
    *,
    extractor: Extractor | None,
    stats: RunStats | None,
    estimate: Callable[[], int | None] | None,
    report: IngestReport | None,
    inputs: Sequence[Path],
    keep_error: Callable[[dict[str, object]], bool],
    on_event: Callable[[str], None] | None,
) -> RunSummary:
    out_dir = config.out_dir
    stats = stats if stats is not None else RunStats()
    own_extractor = extractor is None
    extractor = extractor if extractor is not None else create_extractor(config, stats)
    try:
        done, superseded, rejected = _prepare_folder(
            out_dir, extractor.identity, reextract=config.reextract
        )
    except BaseException:
        if own_extractor:
            await extractor.aclose()
        raise
    reset_errors(out_dir / ERRORS_FILE, keep=keep_error)
    summary = RunSummary(
        out_dir=out_dir,
        extractor=extractor.name,
        stats=stats,
        identity=extractor.identity,
        status="running",
        superseded=superseded,
        invalid_records=rejected,
    )

    def save_manifest() -> dict[str, Any]:
        return build_manifest(summary, config=config, inputs=inputs, report=report, write=True)

    save_manifest()
    progress = Progress(stats, enabled=config.progress, llm=config.uses_llm, estimate=estimate)
    sink = RecordSink(out_dir, done)
    pool = WorkerPool(config, extractor, stats, sink, progress)
    progress.start(estimate() if estimate is not None else None)
    try:
        if config.batch is not None:
            await _run_batches(
                items, config, extractor, stats, sink, pool, progress, summary, on_event
            )
        else:
            await pool.drain(items)
            summary.status = "budget" if pool.pending else "complete"
    except BaseException:
        summary.status = "interrupted"
        raise
    finally:
        if isinstance(items, Generator):
            items.close()  # an unfinished ingest closes its files (and keeps papers.jsonl as was)
        progress.stop()
        sink.close()
        if own_extractor:
            await extractor.aclose()
        summary.ingest_errors = pool.ingest_errors
        summary.pending = pool.pending
        summary.manifest = save_manifest()
    return summary


async def _run_batches(
    items: Iterable[Paper | ErrorEntry],
    config: RunConfig,
    extractor: Extractor,
    stats: RunStats,
    sink: RecordSink,
    pool: WorkerPool,
    progress: Progress,
    summary: RunSummary,
    on_event: Callable[[str], None] | None,
) -> None:
    """Send the run's requests through the Batch API (:mod:`.batch`, imported when used)."""
    from ..extract.llm import LLMExtractor
    from .batch import BatchRun

    if not isinstance(extractor, LLMExtractor):
        raise ConfigError("--batch needs the LLM extractor")
    batch = BatchRun(config, extractor, stats, sink, pool, progress, notify=on_event)
    try:
        await batch.run(items)
    finally:
        summary.batch = batch.report.to_dict()
        summary.running = batch.report.running_papers
    summary.status = "submitted" if summary.running else "complete"


def _estimate(config: RunConfig, report: IngestReport) -> Callable[[], int | None]:
    """The progress bar's total: the papers ingest expects, capped by the selection."""
    cap = config.sample if config.sample is not None else config.limit

    def estimate() -> int | None:
        expected = report.estimated_papers()
        if cap is None:
            return expected
        return cap if expected is None else min(cap, expected)

    return estimate


async def arun_pipeline(
    inputs: Sequence[Path],
    config: RunConfig,
    *,
    extractor: Extractor | None = None,
    stats: RunStats | None = None,
    on_warning: Callable[[str], None] | None = None,
    on_event: Callable[[str], None] | None = None,
) -> RunSummary:
    """Run ingest -> extract -> ground over ``inputs`` into ``config.out_dir`` (async form).

    Args:
        inputs: input files in any supported format.
        config: the run configuration.
        extractor: use this extractor instead of the one ``config`` selects.
        stats: live counters to share with a caller (e.g. a custom display).
        on_warning: called with each ingest warning ("file:line: message").
        on_event: called with one line per Batch API step (``config.batch`` runs).

    Returns:
        A :class:`RunSummary`; ``exit_code`` tells whether every paper is ok.

    Raises:
        InputError: an input file cannot be read at all (nothing is extracted).
        RunFolderConflict: the folder holds records of another extraction setup.
    """
    inputs = [Path(p) for p in inputs]
    report = IngestReport(on_warning=on_warning)
    ingest = iter_papers(
        inputs,
        format=config.input_format,
        max_abstract_chars=config.max_abstract_chars,
        report=report,
    )
    items = _write_papers(select_papers(ingest, config), config.out_dir / PAPERS_FILE)
    return await _run(
        items,
        config,
        extractor=extractor,
        stats=stats,
        estimate=_estimate(config, report) if shows_bar(config.progress) else None,
        report=report,
        inputs=inputs,
        keep_error=lambda entry: False,
        on_event=on_event,
    )


def run_pipeline(
    inputs: Sequence[Path],
    config: RunConfig,
    *,
    extractor: Extractor | None = None,
    stats: RunStats | None = None,
    on_warning: Callable[[str], None] | None = None,
    on_event: Callable[[str], None] | None = None,
) -> RunSummary:
    """Run ingest -> extract -> ground over ``inputs`` into ``config.out_dir``.

    The synchronous wrapper of :func:`arun_pipeline`; see it for arguments.
    """
    return asyncio.run(
        arun_pipeline(
            inputs,
            config,
            extractor=extractor,
            stats=stats,
            on_warning=on_warning,
            on_event=on_event,
        )
    )


def ingest_stage(
    inputs: Sequence[Path],
    out_dir: Path,
    *,
    input_format: str | None = None,
    max_abstract_chars: int | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> IngestReport:
    """Run only ingest: write ``papers.jsonl`` (and ingest errors to ``errors.jsonl``).

    Returns:
        The ingest report (inputs with sha256, counts, duplicates, warnings).
    """
    report = IngestReport(on_warning=on_warning)
    limit = DEFAULT_MAX_ABSTRACT_CHARS if max_abstract_chars is None else max_abstract_chars
    items = iter_papers(
        [Path(p) for p in inputs], format=input_format, max_abstract_chars=limit, report=report
    )
    with HeldRunFolder(out_dir), JsonlAppender(out_dir / ERRORS_FILE, truncate=True) as errors:
        for item in _write_papers(items, out_dir / PAPERS_FILE):
            if isinstance(item, ErrorEntry):
                errors.write(item)
    return report


def extract_stage(
    config: RunConfig,
    *,
    extractor: Extractor | None = None,
    stats: RunStats | None = None,
) -> RunSummary:
    """Run only extract + ground over ``config.out_dir/papers.jsonl`` (resumable).

    Ingest errors already in ``errors.jsonl`` are kept; extraction errors are retried.

    Raises:
        InputError: there is no ``papers.jsonl`` (run ``paperfields ingest`` first).
        RunFolderConflict: the folder holds records of another extraction setup.
    """
    papers_path = config.out_dir / PAPERS_FILE
    if not papers_path.exists():
        raise InputError(
            f"no {PAPERS_FILE} here; run `paperfields ingest` first", path=str(papers_path)
        )
    total = count_lines(papers_path) if shows_bar(config.progress) else None

    async def go() -> RunSummary:
        return await _run(
            read_papers_file(papers_path),
            config,
            extractor=extractor,
            stats=stats,
            estimate=(lambda: total) if total is not None else None,
            report=None,
            inputs=[papers_path],
            keep_error=lambda entry: entry.get("stage") == "ingest",
        )

    return asyncio.run(go())
