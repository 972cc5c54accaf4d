"""The worker pool: papers through the extractor, at most ``concurrency`` in flight.

:class:`WorkerPool` takes the stream of ingest items, routes errors and papers
already done straight to the sink or the counters (:meth:`~WorkerPool.admit`),
and feeds the rest through a bounded queue to as many workers as the
extractor allows. One broken paper becomes an error entry and the batch goes
on; a failure of the sink itself (a disk error) stops the run. The budget
(``--max-cost``) is checked when a paper is admitted and again when a worker
starts it, so papers queued before the limit was reached are left for later.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Iterable

from ..config import RunConfig
from ..extract import Extraction, Extractor
from ..schemas import ErrorEntry, Paper, content_sha256
from ..stats import RunStats
from .loopwatch import LoopWatch
from .progress import Progress
from .records import build_record, failure_entry, id_conflict_entry
from .sink import RecordSink

__all__ = ["WorkerPool"]


LONG_REPLY_ITEMS = 60
"""Replies with more items than this are grounded off the event loop."""


def _is_long(extraction: Extraction) -> bool:
    fields = extraction.fields
    items = len(fields.tasks) + len(fields.methods) + len(fields.datasets)
    return items + len(fields.metrics) + len(fields.claims) > LONG_REPLY_ITEMS


class WorkerPool:
    """One run over a stream of papers: workers, budget, sink, progress."""

    def __init__(
        self,
        config: RunConfig,
        extractor: Extractor,
        stats: RunStats,
        sink: RecordSink,
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
        """True once ``--max-cost`` is spent."""
        limit = self.config.max_cost_usd
        return limit is not None and self.stats.cost_usd >= limit

    async def process(self, paper: Paper) -> None:
        """Extract, ground and store one paper; a failure becomes an error entry."""
        started = time.perf_counter()
        try:
            extraction = await self.extractor.extract(paper)
            build = functools.partial(
                build_record,
                paper,
                extraction,
                extract_s=time.perf_counter() - started,
                max_items=self.config.max_items_per_field,
            )
            # A long reply is grounded in a thread, so requests in flight keep moving.
            record = await asyncio.to_thread(build) if _is_long(extraction) else build()
        except Exception as error:  # one broken paper must never stop the batch
            entry = failure_entry(paper, error)
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
                self.stats.add_grounding(record.grounding)
        self.stats.done += 1
        self.progress.advance()

    def admit(self, item: Paper | ErrorEntry) -> Paper | None:
        """Route one ingest item: errors to the sink, done or over-budget papers counted."""
        if isinstance(item, ErrorEntry):
            self.sink.error(item)
            self.ingest_errors += 1
            return None
        done = self.sink.done
        digest = content_sha256(item.title, item.abstract)
        if done.is_done(item.id, digest):
            self.stats.skipped += 1
            self.progress.advance()
            return None
        if done.conflicts(item.id, digest):
            self.sink.error(id_conflict_entry(item))
            self.ingest_errors += 1
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
        """Feed every item through the workers; re-raise the first failure of a worker.

        The event loop's worst stall meanwhile goes to ``stats.loop_max_stall_s``.
        """
        watch = LoopWatch()
        watch.start()
        try:
            workers = self.config.resolved_workers
            if workers > 1 and self._is_offline():
                from .parallel import drain_in_processes  # the offline rules load only here

                await drain_in_processes(self, items, workers)
            else:
                await self._drain(items)
        finally:
            watch.stop()
            self.stats.loop_max_stall_s = max(self.stats.loop_max_stall_s, watch.max_stall_s)

    def _is_offline(self) -> bool:
        """True when the extractor is the offline rules one (pure CPU: worth processes)."""
        if self.config.uses_llm:
            return False
        from ..extract.offline.extractor import OfflineExtractor

        return isinstance(self.extractor, OfflineExtractor)

    async def _drain(self, items: Iterable[Paper | ErrorEntry]) -> None:
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
