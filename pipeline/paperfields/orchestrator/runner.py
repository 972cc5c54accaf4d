"""The orchestrator: the only module that knows the order of the stages.

``ingest -> extract -> ground -> records.jsonl`` runs as one stream: papers are
read from the inputs one at a time, handed to a bounded pool of workers (as
many as the extractor allows in flight), grounded, and appended to
``records.jsonl`` as each finishes. Nothing is loaded whole, and a rerun of the
same command skips every id already in ``records.jsonl``, so a killed run
loses at most the papers that were in flight. Failed papers and bad input lines
go to ``errors.jsonl`` and are retried by the next run; ``run.json`` is the
manifest (inputs with sha256, counts, extractor, versions, usage, cost,
timings), rewritten at the start and the end of every run.

:func:`run_pipeline` is ``paperfields run``; :func:`ingest_stage` and
:func:`extract_stage` run one stage alone over the same run folder.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import DEFAULT_MAX_ABSTRACT_CHARS, RunConfig
from ..errors import BackendError, ConfigError, ExtractionError, InputError, PipelineError
from ..extract import Extraction, Extractor, create_extractor
from ..ground import ground_fields
from ..ingest import IngestReport, iter_papers
from ..io.atomic import replacing
from ..io.jsonl import JsonlAppender, iter_jsonl, repair_tail
from ..io.runfolder import ERRORS_FILE, MANIFEST_FILE, PAPERS_FILE, RECORDS_FILE
from ..llm.pricing import price_for
from ..schemas import ErrorEntry, Paper, Provenance, Record, Timings, fields_schema_sha256
from ..stats import RunStats
from .manifest import build_manifest
from .progress import Progress, shows_bar

__all__ = [
    "ERRORS_FILE",
    "DoneIndex",
    "MANIFEST_FILE",
    "PAPERS_FILE",
    "RECORDS_FILE",
    "RunSummary",
    "arun_pipeline",
    "extract_stage",
    "ingest_stage",
    "run_pipeline",
]


@dataclass
class RunSummary:
    """What a run did; ``exit_code`` is 0 (all ok), 1 (some papers failed or left undone)."""

    out_dir: Path
    extractor: str
    stats: RunStats
    ingest_errors: int = 0
    pending: int = 0
    status: str = "complete"
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
        """0 when every paper is ok, 1 when some failed, were bad input or were left undone."""
        return 0 if not (self.stats.failed or self.ingest_errors or self.pending) else 1


def input_sha256(paper: Paper) -> str:
    """Hash of exactly what an extractor sees: title and abstract."""
    return hashlib.sha256(f"{paper.title}\n\n{paper.abstract}".encode()).hexdigest()


class DoneIndex:
    """What ``records.jsonl`` already holds: each id with the hash of the text it was made from.

    A paper is done when its id is here with the same input hash, or when its text is
    here under another id (an id that moved because the inputs were reordered).
    """

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.hashes: set[str] = set()

    @classmethod
    def load(cls, records_path: Path, *, repair: bool = True) -> DoneIndex:
        """Read a records file (cutting a half-written last line first when ``repair``)."""
        index = cls()
        if repair:
            repair_tail(records_path)
        if records_path.exists():
            for _, obj in iter_jsonl(records_path, skip_invalid=True):
                if "id" in obj:
                    digest = str(obj.get("provenance", {}).get("input_sha256", ""))
                    index.add(str(obj["id"]), digest)
        return index

    def add(self, paper_id: str, digest: str) -> None:
        """Note one written record."""
        self.ids[paper_id] = digest
        self.hashes.add(digest)

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self.ids


def _reset_errors(errors_path: Path, *, keep_stages: frozenset[str]) -> None:
    """Drop error entries that this run will retry; keep those of stages it does not rerun."""
    if not errors_path.exists():
        return
    kept = [
        obj
        for _, obj in iter_jsonl(errors_path, skip_invalid=True)
        if obj.get("stage") in keep_stages
    ]
    with JsonlAppender(errors_path, truncate=True) as out:
        for obj in kept:
            out.write(obj)


class _Sink:
    """Appends records and errors; refuses to write an id twice."""

    def __init__(self, out_dir: Path, done: DoneIndex) -> None:
        self.done = done
        self.records = JsonlAppender(out_dir / RECORDS_FILE)
        self.errors = JsonlAppender(out_dir / ERRORS_FILE)

    def record(self, record: Record) -> bool:
        if record.id in self.done:
            return False
        self.records.write(record)
        self.done.add(record.id, record.provenance.input_sha256)
        return True

    def error(self, entry: ErrorEntry) -> None:
        self.errors.write(entry)

    def close(self) -> None:
        self.records.close()
        self.errors.close()


def _failure(paper: Paper, error: Exception) -> ErrorEntry:
    expected = isinstance(error, (ExtractionError, BackendError))
    reason = str(error) if expected else f"internal error: {type(error).__name__}: {error}"
    return ErrorEntry(
        id=paper.id,
        title=paper.title,
        stage="extract",
        error_type=type(error).__name__,
        reason=reason or type(error).__name__,
        attempts=int(getattr(error, "attempts", 1)),
        source=paper.source,
        usage=error.usage if isinstance(error, PipelineError) else None,
        raw_output=error.raw_output if isinstance(error, ExtractionError) else None,
    )


def _id_conflict(paper: Paper, digest: str) -> ErrorEntry:
    return ErrorEntry(
        id=paper.id,
        title=paper.title,
        stage="extract",
        error_type="IdConflict",
        reason=(
            f"id {paper.id!r} is already in records.jsonl for a paper with different text "
            "(ids from titles depend on input order); use a new run folder or give explicit ids"
        ),
        attempts=0,
        source=paper.source,
    )


def build_record(paper: Paper, extraction: Extraction, *, extract_s: float) -> Record:
    """Ground an extraction and wrap it, with provenance, into a stored :class:`Record`."""
    started = time.perf_counter()
    fields, grounding = ground_fields(paper.abstract, extraction.fields)
    ground_s = time.perf_counter() - started
    return Record(
        id=paper.id,
        title=paper.title,
        abstract=paper.abstract,
        status="ok",
        fields=fields,
        grounding=grounding,
        provenance=Provenance(
            extractor=extraction.extractor,
            mode=extraction.mode,
            prompt=extraction.prompt,
            schema_sha256=fields_schema_sha256(),
            input_sha256=input_sha256(paper),
            timings=Timings(extract_s=round(extract_s, 6), ground_s=round(ground_s, 6)),
            cache_hit=extraction.cache_hit,
            attempts=extraction.attempts,
            usage=extraction.usage,
            cost_usd=extraction.cost_usd,
        ),
    )


class _Orchestrator:
    """One run over a stream of papers: workers, budget, sink, progress."""

    def __init__(
        self,
        config: RunConfig,
        extractor: Extractor,
        stats: RunStats,
        sink: _Sink,
        progress: Progress,
    ) -> None:
        self.config = config
        self.extractor = extractor
        self.stats = stats
        self.sink = sink
        self.progress = progress
        self.ingest_errors = 0
        self.pending = 0

    def budget_reached(self) -> bool:
        limit = self.config.max_cost_usd
        return limit is not None and self.stats.cost_usd >= limit

    async def process(self, paper: Paper) -> None:
        started = time.perf_counter()
        try:
            extraction = await self.extractor.extract(paper)
            record = build_record(paper, extraction, extract_s=time.perf_counter() - started)
        except Exception as error:  # one broken paper must never stop the batch
            entry = _failure(paper, error)
            self.sink.error(entry)
            if entry.usage is not None:
                self.stats.add_usage(entry.usage, getattr(error, "cost_usd", None))
            self.stats.failed += 1
        else:
            self.stats.add_usage(extraction.usage, extraction.cost_usd)
            if extraction.cache_hit:
                self.stats.cache_hits += 1
            if self.sink.record(record):
                self.stats.ok += 1
        self.stats.done += 1
        self.progress.advance()

    def admit(self, item: Paper | ErrorEntry) -> Paper | None:
        """Route one ingest item: errors to the sink, done or over-budget papers counted."""
        if isinstance(item, ErrorEntry):
            self.sink.error(item)
            self.ingest_errors += 1
            return None
        done = self.sink.done
        digest = input_sha256(item)
        if item.id in done and done.ids[item.id] != digest:
            self.sink.error(_id_conflict(item, digest))
            self.ingest_errors += 1
            return None
        if item.id in done or digest in done.hashes:
            self.stats.skipped += 1
            self.progress.advance()
            return None
        if self.budget_reached():
            self.pending += 1
            return None
        return item

    async def start(self, paper: Paper) -> None:
        """Process ``paper`` unless the budget ran out while it waited in the queue."""
        if self.budget_reached():
            self.pending += 1
            return
        await self.process(paper)

    async def drain(self, items: Iterable[Paper | ErrorEntry]) -> None:
        """Feed every item through ``width`` workers; re-raise the first failure of a worker."""
        width = max(1, self.extractor.concurrency)
        if width == 1:
            for item in items:
                paper = self.admit(item)
                if paper is not None:
                    await self.start(paper)
                    await asyncio.sleep(0)  # let Ctrl-C (task cancellation) through
            return
        queue: asyncio.Queue[Paper | None] = asyncio.Queue(maxsize=width * 2)
        failures: list[BaseException] = []

        async def worker() -> None:
            while (paper := await queue.get()) is not None:
                if failures:
                    continue  # keep draining so the producer never blocks on a full queue
                try:
                    await self.start(paper)
                except Exception as error:  # a sink write failed: stop the run
                    failures.append(error)

        workers = [asyncio.create_task(worker()) for _ in range(width)]
        try:
            for item in items:
                if failures:
                    break
                paper = self.admit(item)
                if paper is not None:
                    await queue.put(paper)
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers)
        finally:
            for task in workers:
                task.cancel()
        if failures:
            raise failures[0]


def _write_papers(papers: Iterable[Paper | ErrorEntry], path: Path) -> Iterator[Paper | ErrorEntry]:
    """Pass items through while saving each paper; ``papers.jsonl`` appears only when complete.

    Papers go to a temporary file, moved over ``papers.jsonl`` once ingest has
    read every input, so an interrupted run never leaves a truncated papers file for
    ``paperfields extract`` to mistake for the whole input.
    """
    with replacing(path) as tmp, JsonlAppender(tmp, truncate=True) as out:
        for item in papers:
            if isinstance(item, Paper):
                out.write(item)
            yield item


def _read_papers(path: Path) -> Iterator[Paper]:
    for _, obj in iter_jsonl(path):
        yield Paper.model_validate(obj)


def _count(items: Iterable[Paper | ErrorEntry]) -> int:
    return sum(1 for item in items if isinstance(item, Paper))


async def _run(
    items: Iterable[Paper | ErrorEntry],
    config: RunConfig,
    *,
    extractor: Extractor | None,
    stats: RunStats | None,
    total: int | None,
    report: IngestReport | None,
    inputs: Sequence[Path],
    keep_error_stages: frozenset[str],
) -> RunSummary:
    out_dir = config.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    stats = stats if stats is not None else RunStats()
    own_extractor = extractor is None
    if own_extractor and config.max_cost_usd is not None and config.uses_llm:
        if price_for(config.llm.model) is None:
            raise ConfigError(
                f"--max-cost needs a price for model {config.llm.model!r}; add it to "
                "paperfields/data/prices.json or run without --max-cost"
            )
    extractor = extractor if extractor is not None else create_extractor(config, stats)
    done = DoneIndex.load(out_dir / RECORDS_FILE)
    _reset_errors(out_dir / ERRORS_FILE, keep_stages=keep_error_stages)
    summary = RunSummary(out_dir=out_dir, extractor=extractor.name, stats=stats, status="running")

    def save_manifest() -> dict[str, Any]:
        return build_manifest(summary, config=config, inputs=inputs, report=report, write=True)

    save_manifest()
    progress = Progress(stats, enabled=config.progress, llm=config.uses_llm)
    sink = _Sink(out_dir, done)
    orchestrator = _Orchestrator(config, extractor, stats, sink, progress)
    progress.start(total)
    try:
        await orchestrator.drain(items)
        summary.status = "budget" if orchestrator.pending else "complete"
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
        summary.ingest_errors = orchestrator.ingest_errors
        summary.pending = orchestrator.pending
        summary.manifest = save_manifest()
    return summary


def _ingest_items(
    inputs: Sequence[Path], config: RunConfig, report: IngestReport
) -> Iterator[Paper | ErrorEntry]:
    return iter_papers(
        inputs,
        format=config.input_format,
        max_abstract_chars=config.max_abstract_chars,
        report=report,
    )


async def arun_pipeline(
    inputs: Sequence[Path],
    config: RunConfig,
    *,
    extractor: Extractor | None = None,
    stats: RunStats | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> RunSummary:
    """Run ingest -> extract -> ground over ``inputs`` into ``config.out_dir`` (async form).

    Args:
        inputs: input files in any supported format.
        config: the run configuration.
        extractor: use this extractor instead of the one ``config`` selects.
        stats: live counters to share with a caller (e.g. a custom display).
        on_warning: called with each ingest warning ("file:line: message").

    Returns:
        A :class:`RunSummary`; ``exit_code`` tells whether every paper is ok.

    Raises:
        InputError: an input file cannot be read at all (nothing is extracted).
    """
    inputs = [Path(p) for p in inputs]
    total = None
    if shows_bar(config.progress):
        # A first cheap pass gives the progress bar its total (ingest runs at >10k papers/s).
        total = _count(_ingest_items(inputs, config, IngestReport()))
    report = IngestReport(on_warning=on_warning)
    items = _write_papers(_ingest_items(inputs, config, report), config.out_dir / PAPERS_FILE)
    return await _run(
        items,
        config,
        extractor=extractor,
        stats=stats,
        total=total,
        report=report,
        inputs=inputs,
        keep_error_stages=frozenset(),
    )


def run_pipeline(
    inputs: Sequence[Path],
    config: RunConfig,
    *,
    extractor: Extractor | None = None,
    stats: RunStats | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> RunSummary:
    """Run ingest -> extract -> ground over ``inputs`` into ``config.out_dir``.

    The synchronous wrapper of :func:`arun_pipeline`; see it for arguments.
    """
    return asyncio.run(
        arun_pipeline(inputs, config, extractor=extractor, stats=stats, on_warning=on_warning)
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
    out_dir.mkdir(parents=True, exist_ok=True)
    report = IngestReport(on_warning=on_warning)
    limit = DEFAULT_MAX_ABSTRACT_CHARS if max_abstract_chars is None else max_abstract_chars
    items = iter_papers(
        [Path(p) for p in inputs], format=input_format, max_abstract_chars=limit, report=report
    )
    with JsonlAppender(out_dir / ERRORS_FILE, truncate=True) as errors:
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
    """
    papers_path = config.out_dir / PAPERS_FILE
    if not papers_path.exists():
        raise InputError(
            f"no {PAPERS_FILE} here; run `paperfields ingest` first", path=str(papers_path)
        )
    total = _count(_read_papers(papers_path)) if shows_bar(config.progress) else None

    async def go() -> RunSummary:
        return await _run(
            _read_papers(papers_path),
            config,
            extractor=extractor,
            stats=stats,
            total=total,
            report=None,
            inputs=[papers_path],
            keep_error_stages=frozenset({"ingest"}),
        )

    return asyncio.run(go())
