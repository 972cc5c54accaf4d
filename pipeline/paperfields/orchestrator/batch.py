"""``paperfields run --batch``: a run's requests through the OpenAI Batch API, resumable anywhere.

:class:`BatchRun` replaces the worker pool when a run has ``config.batch``.
It routes the ingest stream as a live run does (bad input to ``errors.jsonl``,
papers already done skipped, cache hits recorded at once) and writes every
other paper's request, built by the same request builder as a live request
(same prompt, schema, output mode, cache key; ``--mode auto`` means
``json_schema``), into batch input files split below the API's limits
(:mod:`.batch_spool`). Each file is uploaded (``files.create``, purpose
``batch``) and a batch created over it (``/v1/chat/completions``, 24 h); the
state (:mod:`.batch_state`) is written whole after each of these steps.

Papers in a batch that is not collected yet are never sent again. A batch
that finished is collected (:mod:`.batch_collect`): replies are validated,
grounded and cached like live replies; repair re-asks and retryable failures
go out in a new batch (or live, with ``retry_live``). Without ``wait`` a run
makes one pass (collect what finished, submit what is new) and returns; the
same command collects later. With ``wait`` it polls with a capped exponential
backoff until nothing is left open. A paper that failed in a batch collected
while other batches still run is held in ``batch.json`` and reported again by
each run, not sent again, until no batch is open; then the next run retries it
like any failed paper. So rerunning the same command until the exit code is no
longer 3 always ends.

Recovery after a kill: an entry spooled but not uploaded is uploaded from its
local file (an input file uploaded just before the kill stays unused on the
server); an entry uploaded but without a batch id is looked up among the
server's batches by its input file id and adopted, so a batch is never
created twice for one file.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from ..config import RunConfig, public_base_url
from ..errors import ConfigError, ExtractionError
from ..extract.llm import Exchange, LLMExtractor
from ..io.jsonl import iter_jsonl
from ..io.runfolder import PAPERS_FILE
from ..llm.batch import BatchClient, BatchInfo, input_line
from ..schemas import ErrorEntry, Paper
from ..stats import RunStats
from .batch_collect import RETRIES_KEY, Again, Collected, Collector
from .batch_spool import InputSpool, RequestTooLarge, SpoolFile
from .batch_state import BATCH_DIR, BatchEntry, BatchState, now_iso
from .pool import WorkerPool
from .progress import Progress
from .sink import RecordSink

__all__ = ["BatchReport", "BatchRun"]

Notify = Callable[[str], None]


@dataclass
class BatchReport:
    """What a batch run did, for the summary line and ``run.json``."""

    submitted_papers: int = 0
    submitted_batches: int = 0
    collected_batches: int = 0
    collected_papers: int = 0
    sent_again: int = 0
    waiting_papers: int = 0
    running_batches: int = 0
    running_papers: int = 0
    command: str | None = None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view, with the command that collects while batches run."""
        return {
            "submitted": {"papers": self.submitted_papers, "batches": self.submitted_batches},
            "collected": {"papers": self.collected_papers, "batches": self.collected_batches},
            "sent_again": self.sent_again,
            "already_in_batches": self.waiting_papers,
            "running": {"papers": self.running_papers, "batches": self.running_batches},
            "state": "batch.json",
            "collect_command": self.command if self.running_batches else None,
        }


class BatchRun:
    """One ``run --batch`` over a run folder; see the module docstring.

    Args:
        config: the run configuration (``config.batch`` set).
        extractor: the LLM extractor (request builder, reply handler, cache).
        stats: run counters.
        sink: records and errors of the run folder.
        pool: routes ingest items (errors, papers done, id conflicts) as a live run does.
        progress: advanced once per paper placed.
        client: the Batch API client; default one built from ``config.llm``.
        notify: called with one line per step worth telling (submitted, status, collected).
        sleep: the coroutine that waits between polls.
    """

    def __init__(
        self,
        config: RunConfig,
        extractor: LLMExtractor,
        stats: RunStats,
        sink: RecordSink,
        pool: WorkerPool,
        progress: Progress,
        *,
        client: BatchClient | None = None,
        notify: Notify | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if config.batch is None:
            raise ValueError("BatchRun needs config.batch")
        llm = config.llm
        if llm.record_path is not None or llm.replay_path is not None:
            raise ConfigError("--record and --replay cannot be used with --batch")
        self.settings = config.batch
        self.out_dir = config.out_dir
        self.extractor = extractor
        self.stats = stats
        self.sink = sink
        self.pool = pool
        self.client = client or BatchClient(llm)
        self._own_client = client is None
        self.notify: Notify = notify or (lambda message: None)
        self._sleep = sleep
        self.folder = self.out_dir / BATCH_DIR
        self.collector = Collector(
            extractor,
            self.client,
            sink,
            stats,
            progress,
            retries=self.settings.retries,
            folder=self.folder,
        )
        self.report = BatchReport(command=self.settings.command)
        endpoint = public_base_url(llm.base_url)
        setup = {
            "endpoint": endpoint,
            "model": llm.model,
            "mode": extractor.batch_mode,
            "identity": extractor.identity.model_dump(mode="json"),
        }
        state = BatchState.load(self.out_dir)
        if state is None:
            state = BatchState.model_validate(setup)
        elif state.open_entries() and {k: getattr(state, k) for k in setup} != setup:
            raise ConfigError(
                f"this run folder has batches open at {state.endpoint or 'OpenAI'} for model "
                f"{state.model!r} (and its prompt, schema and mode); collect them with the same "
                "settings, or `paperfields batch cancel` them and rerun"
            )
        else:
            state = state.model_copy(update=setup)
        self.state = state
        self._names = _Namer(state)

    async def run(self, items: Iterable[Paper | ErrorEntry]) -> BatchReport:
        """Route ``items``, submit, collect; poll until done when ``wait`` is set."""
        try:
            self._forget_orphans()
            await self._submit_pending()
            await self._route(items)
            await self._cycle()
            delay = self.settings.poll_s
            while self.settings.wait and self.state.open_entries():
                self.notify(f"waiting {delay:g}s for {self._running_text()}")
                await self._sleep(delay)
                await self._cycle()
                delay = min(self.settings.poll_max_s, delay * 2)
            if not self.state.open_entries() and self.state.failed:
                self.state.failed = {}  # nothing runs any more: the next run retries them
                self.state.save(self.out_dir)
        finally:
            open_entries = self.state.open_entries()
            self.report.running_batches = len(open_entries)
            self.report.running_papers = sum(len(e.papers) for e in open_entries)
            if self._own_client:
                await self.client.aclose()
        return self.report

    # --- routing -----------------------------------------------------------------------

    async def _route(self, items: Iterable[Paper | ErrorEntry]) -> None:
        in_batches = self.state.open_papers()
        if not in_batches and self.state.failed:
            self.state.failed = {}  # no batch open: failed papers are tried again
            self.state.save(self.out_dir)
        held = self.state.failed
        spool = self._spool()
        result = Collected()
        try:
            for item in items:
                paper = self.pool.admit(item)
                if paper is None:
                    continue
                if paper.id in in_batches:
                    self.report.waiting_papers += 1
                    continue
                if paper.id in held:  # failed while other batches run: report, do not resend
                    self.sink.error(ErrorEntry.model_validate(held[paper.id]))
                    self.stats.failed += 1
                    continue
                started = time.perf_counter()
                exchange = self.extractor.begin(paper, mode=self.extractor.batch_mode)
                hit = self.extractor.cached(exchange)
                if hit is not None:
                    self.collector.record(paper, hit, started, result)
                    continue
                self._spool_exchange(spool, exchange, None, result)
                await asyncio.sleep(0)  # let Ctrl-C (task cancellation) through
        except BaseException:
            spool.discard()
            raise
        files = spool.close()
        self.report.submitted_papers += sum(len(f.papers) for f in files)
        self._add_entries(files)

    def _spool(self) -> InputSpool:
        return InputSpool(
            self.folder,
            self._names.next,
            max_requests=self.settings.max_requests,
            max_bytes=self.settings.max_bytes,
        )

    def _spool_exchange(
        self,
        spool: InputSpool,
        exchange: Exchange,
        carry: dict[str, object] | None,
        result: Collected,
    ) -> None:
        line = input_line(
            exchange.paper.id,
            self.extractor.request(exchange),
            model=self.extractor.config.model,
            official=self.client.official,
        )
        try:
            spool.add(exchange.paper.id, line, carry)
        except RequestTooLarge as error:
            failure = ExtractionError(str(error), paper_id=exchange.paper.id, attempts=0)
            self.collector.error(exchange.paper, failure, result)

    def _add_entries(self, files: list[SpoolFile]) -> None:
        for spooled in files:
            self.state.entries.append(
                BatchEntry(
                    name=spooled.name,
                    papers=spooled.papers,
                    carry=spooled.carry,
                    input_path=str(spooled.path.relative_to(self.out_dir)),
                    bytes=spooled.bytes,
                )
            )
        if files:
            self.state.save(self.out_dir)

    def _forget_orphans(self) -> None:
        """Delete spooled files no entry names (left by a run killed while routing)."""
        if not self.folder.is_dir():
            return
        named = {e.input_path for e in self.state.entries if e.input_path}
        for path in self.folder.glob("*.input.jsonl"):
            if str(path.relative_to(self.out_dir)) not in named:
                path.unlink(missing_ok=True)

    # --- submitting ----------------------------------------------------------------------

    async def _submit_pending(self) -> None:
        """Upload and create every entry that has no batch yet (new ones, or a kill's leftovers)."""
        for entry in list(self.state.entries):
            if entry.collected or entry.batch_id is not None:
                continue
            if entry.status == "spooled":
                path = self.out_dir / entry.input_path if entry.input_path else None
                done = all(paper in self.sink.done for paper in entry.papers)
                if path is None or not path.exists() or done:
                    # its papers are in no batch (routed again), or all done meanwhile
                    self.state.entries.remove(entry)
                    self.state.save(self.out_dir)
                    if path is not None:
                        path.unlink(missing_ok=True)
                    continue
                entry.input_file_id = await self.client.upload(path)
                entry.status, entry.uploaded_at, entry.updated_at = "uploaded", now_iso(), now_iso()
                self.state.save(self.out_dir)
                info = await self._create(entry)
            else:  # uploaded before an interruption: the batch may exist already
                found = await self.client.find(
                    entry.input_file_id or "", newer_than=entry.uploaded_epoch() - 300
                )
                info = found if found is not None else await self._create(entry)
            entry.batch_id, entry.submitted_at = info.id, now_iso()
            self._update(entry, info)
            self.state.save(self.out_dir)
            if entry.input_path:
                (self.out_dir / entry.input_path).unlink(missing_ok=True)
                entry.input_path = None
            self.report.submitted_batches += 1
            self.notify(f"submitted {entry.name}: batch {info.id} with {len(entry.papers)} papers")

    async def _create(self, entry: BatchEntry) -> BatchInfo:
        metadata = {"paperfields_batch": entry.name, "paperfields_papers": str(len(entry.papers))}
        return await self.client.create(entry.input_file_id or "", metadata)

    # --- polling and collecting ------------------------------------------------------------

    async def _cycle(self) -> None:
        """Refresh open batches, collect the finished ones, submit what they send again."""
        finished: list[BatchEntry] = []
        for entry in self.state.open_entries():
            if entry.batch_id is None:
                continue
            before = (entry.status, entry.counts)
            info = await self.client.retrieve(entry.batch_id)
            self._update(entry, info)
            if (entry.status, entry.counts) != before:
                self.state.save(self.out_dir)
                done = entry.counts.get("completed", 0) + entry.counts.get("failed", 0)
                self.notify(
                    f"{entry.name} ({entry.batch_id}): {entry.status} "
                    f"{done}/{entry.counts.get('total', len(entry.papers))}"
                )
            if info.finished:
                finished.append(entry)
        if finished:
            await self._collect(finished)
        await self._submit_pending()

    def _update(self, entry: BatchEntry, info: BatchInfo) -> None:
        entry.status = info.status
        entry.counts = {"total": info.total, "completed": info.completed, "failed": info.failed}
        entry.output_file_id, entry.error_file_id = info.output_file_id, info.error_file_id
        entry.errors = list(info.errors)
        entry.updated_at = now_iso()

    async def _collect(self, entries: list[BatchEntry]) -> None:
        papers = self._papers({paper for entry in entries for paper in entry.papers})
        again: list[Again] = []
        for entry in entries:
            result = await self.collector.collect(entry, papers)
            again += result.again
            for failure in result.failures:
                if failure.id is not None:
                    self.state.failed[failure.id] = failure.model_dump(mode="json")
            self.report.collected_batches += 1
            self.report.collected_papers += result.ok + result.failed
            self.notify(
                f"collected {entry.name} ({entry.batch_id}, {entry.status}): {result.ok} ok, "
                f"{result.failed} failed, {len(result.again)} to send again"
            )
        self.report.sent_again += len(again)
        if self.settings.retry_live:
            await self._ask_live(again)
            again = []
        spool = self._spool()
        result = Collected()
        for item in again:
            carry = {**item.exchange.snapshot(), RETRIES_KEY: item.retries}
            self._spool_exchange(spool, item.exchange, carry, result)
        files = spool.close()
        stamp = now_iso()
        for entry in entries:
            entry.collected, entry.collected_at = True, stamp
        self._add_entries(files)  # one save: collected flags and the new entries together
        if not files:
            self.state.save(self.out_dir)

    async def _ask_live(self, again: list[Again]) -> None:
        """Finish papers live (``retry_live``), at most ``concurrency`` at once."""
        limit = asyncio.Semaphore(max(1, self.extractor.concurrency))
        result = Collected()

        async def finish(item: Again) -> None:
            async with limit:
                started = time.perf_counter()
                try:
                    extraction = await self.extractor.converse(item.exchange)
                except Exception as error:  # one broken paper must never stop the run
                    self.collector.error(item.exchange.paper, error, result)
                else:
                    self.collector.record(item.exchange.paper, extraction, started, result)

        await asyncio.gather(*(finish(item) for item in again))
        for failure in result.failures:
            if failure.id is not None:
                self.state.failed[failure.id] = failure.model_dump(mode="json")

    def _papers(self, ids: set[str]) -> dict[str, Paper]:
        """The papers of ``ids`` from this run's ``papers.jsonl``."""
        found: dict[str, Paper] = {}
        path = self.out_dir / PAPERS_FILE
        if not path.exists():
            return found
        for _, obj in iter_jsonl(path, skip_invalid=True):
            if obj.get("id") in ids:
                paper = Paper.model_validate(obj)
                found[paper.id] = paper
        return found

    def _running_text(self) -> str:
        entries = self.state.open_entries()
        papers = sum(len(e.papers) for e in entries)
        return f"{len(entries)} batch(es) with {papers} papers"


class _Namer:
    """Local names for new entries: ``b`` and a number after every name used so far."""

    def __init__(self, state: BatchState) -> None:
        self.state = state
        numbers = [int(e.name[1:]) for e in state.entries if e.name[1:].isdigit()]
        self._last = max(numbers, default=0)

    def next(self) -> str:
        self._last = max(self._last + 1, len(self.state.entries) + 1)
        return f"b{self._last:04d}"
