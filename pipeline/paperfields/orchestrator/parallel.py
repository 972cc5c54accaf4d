"""Every core for offline runs: extraction and grounding spread over worker processes.

The offline extractor is pure CPU, so one event loop uses one core.
:func:`drain_in_processes` keeps ingest, resume checks and writing in this
process and sends papers in chunks to a pool of ``workers`` processes, each of
which extracts, grounds and serialises whole records (:func:`_extract_chunk`).
Chunks are collected in the order they were sent, so ``records.jsonl`` lists
papers in input order, exactly as a one-process run does, and a killed run
loses at most the chunks in flight; a rerun skips what was written. A run of
fewer than :data:`MIN_PAPERS_FOR_PROCESSES` papers is done in this process:
starting workers would cost more than it saves.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Protocol

from ..config import RunConfig
from ..extract import Extraction
from ..extract.offline.extractor import OfflineExtractor
from ..schemas import ErrorEntry, Paper
from ..stats import RunStats
from .progress import Progress
from .records import build_record, failure_entry
from .sink import RecordSink

__all__ = ["CHUNK_PAPERS", "MIN_PAPERS_FOR_PROCESSES", "PoolHooks", "drain_in_processes"]

CHUNK_PAPERS = 64
"""Papers sent to a worker process at once."""

MIN_PAPERS_FOR_PROCESSES = 256
"""Below this many papers to extract, a run stays in one process."""

_Result = tuple[str, str, str | None, str | None, int, int]
"""Per paper: id, text hash, record line or None, error line or None, items dropped by the
cap, quotes that skipped the fuzzy step."""


class PoolHooks(Protocol):
    """What this module needs of the run's :class:`~paperfields.orchestrator.pool.WorkerPool`."""

    config: RunConfig
    stats: RunStats
    sink: RecordSink
    progress: Progress

    def admit(self, item: Paper | ErrorEntry) -> Paper | None:
        """Route one ingest item; return it when it is a paper to extract."""
        ...

    async def start(self, paper: Paper) -> None:
        """Extract, ground and store one paper in this process."""
        ...


def _extract(extractor: OfflineExtractor, paper: Paper) -> Extraction:
    """``extractor.extract(paper)`` without an event loop (it never waits for anything)."""
    coroutine = extractor.extract(paper)
    try:
        coroutine.send(None)
    except StopIteration as finished:
        result: Extraction = finished.value
        return result
    coroutine.close()  # it did wait: run it properly
    return asyncio.run(extractor.extract(paper))


def _extract_chunk(papers: list[str], max_items: int) -> list[_Result]:
    """In a worker process: extract, ground and serialise each paper (given as JSON)."""
    extractor = OfflineExtractor()
    results: list[_Result] = []
    for text in papers:
        paper = Paper.model_validate_json(text)
        try:
            started = time.perf_counter()
            extraction = _extract(extractor, paper)
            extract_s = time.perf_counter() - started
            record = build_record(paper, extraction, extract_s=extract_s, max_items=max_items)
        except Exception as error:  # one broken paper must never stop the batch
            error_line = failure_entry(paper, error).model_dump_json()
            results.append((paper.id, "", None, error_line, 0, 0))
            continue
        grounding = record.grounding
        line = record.model_dump_json()
        digest = record.provenance.input_sha256
        results.append((paper.id, digest, line, None, grounding.dropped, grounding.fuzzy_skipped))
    return results


def _context() -> multiprocessing.context.BaseContext:
    """A fork server where there is one (a clean process to fork from), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def _admitted(pool: PoolHooks, items: Iterable[Paper | ErrorEntry]) -> Iterator[Paper]:
    for item in items:
        paper = pool.admit(item)
        if paper is not None:
            yield paper


async def drain_in_processes(
    pool: PoolHooks, items: Iterable[Paper | ErrorEntry], workers: int
) -> None:
    """Run ``items`` through ``pool``'s offline extractor on ``workers`` processes.

    Admission (errors, papers already done), writing and counting stay with
    ``pool``; records are written in input order.
    """
    papers = _admitted(pool, items)
    first: list[Paper] = []
    for paper in papers:
        first.append(paper)
        if len(first) >= MIN_PAPERS_FOR_PROCESSES:
            break
    if len(first) < MIN_PAPERS_FOR_PROCESSES:  # a small run: not worth starting processes
        for paper in first:
            await pool.start(paper)
            await asyncio.sleep(0)
        return
    loop = asyncio.get_running_loop()
    max_items = pool.config.max_items_per_field
    executor = ProcessPoolExecutor(workers, mp_context=_context())
    in_flight: deque[asyncio.Future[list[_Result]]] = deque()
    try:

        def send(chunk: list[Paper]) -> None:
            texts = [paper.model_dump_json() for paper in chunk]
            in_flight.append(loop.run_in_executor(executor, _extract_chunk, texts, max_items))

        chunk: list[Paper] = []
        for paper in _chain(first, papers):
            chunk.append(paper)
            if len(chunk) >= CHUNK_PAPERS:
                send(chunk)
                chunk = []
                while len(in_flight) >= 2 * workers:
                    _write(pool, await in_flight.popleft())
        if chunk:
            send(chunk)
        while in_flight:
            _write(pool, await in_flight.popleft())
    finally:
        for future in in_flight:
            future.cancel()
        executor.shutdown(wait=True, cancel_futures=True)


def _chain(first: list[Paper], rest: Iterator[Paper]) -> Iterator[Paper]:
    yield from first
    yield from rest


def _write(pool: PoolHooks, results: list[_Result]) -> None:
    stats = pool.stats
    for paper_id, digest, line, error, dropped, fuzzy_skipped in results:
        if line is not None:
            if pool.sink.record_line(paper_id, line, digest):
                stats.ok += 1
                stats.items_dropped += dropped
                stats.papers_capped += 1 if dropped else 0
                stats.fuzzy_skipped += fuzzy_skipped
        elif error is not None:
            pool.sink.error_line(error)
            stats.failed += 1
        stats.done += 1
        pool.progress.advance()
