"""Collecting a finished batch: every reply through the live reply handler, every paper placed once.

:class:`Collector` reads a finished batch's output and error files line by
line. A reply goes through the same handler as a live reply
(:meth:`~paperfields.extract.llm.LLMExtractor.take`: parse, validate, cache)
and then through :func:`~.records.build_record` (grounding), priced at the
Batch API price. What cannot be finished here is sent again: a reply that
needs a repair re-ask or a longer token limit, and a request that failed
for a reason worth retrying (429, 5xx, ``batch_expired``, no line at all),
at most ``retries`` times. Everything else becomes an ``errors.jsonl``
entry with the reason: refusals, replies that never validate, 4xx answers,
requests of a cancelled or failed batch (a later run sends those papers
again, like any failed paper). A paper already in ``records.jsonl`` (a
collection interrupted half-way and done again) is skipped, so every paper
lands exactly once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExtractionError
from ..extract import Extraction
from ..extract.llm import Exchange, LLMExtractor
from ..io.jsonl import iter_jsonl
from ..llm.batch import BatchClient, LineError, read_output_line
from ..llm.chat import ChatResult
from ..schemas import ErrorEntry, Paper
from ..stats import RunStats
from .batch_state import BatchEntry
from .progress import Progress
from .records import build_record, failure_entry
from .sink import RecordSink

__all__ = ["Again", "Collected", "Collector"]

RETRIES_KEY = "retries"


@dataclass(slots=True)
class Again:
    """A paper to ask again: its exchange as it stands and the retries it has used."""

    exchange: Exchange
    retries: int


@dataclass
class Collected:
    """What collecting one batch did."""

    ok: int = 0
    failed: int = 0
    skipped: int = 0
    again: list[Again] = field(default_factory=list)
    failures: list[ErrorEntry] = field(default_factory=list)


class Collector:
    """Turns finished batches into records, errors and papers to ask again.

    Args:
        extractor: the request builder and reply handler shared with live runs.
        client: downloads the output and error files.
        sink: where records and errors go (refuses a second record per id).
        stats: run counters (ok, failed, done, tokens, cost).
        progress: advanced once per paper placed.
        retries: how often a request that failed inside a batch may be sent again.
        folder: where downloaded files are kept while they are read.
    """

    def __init__(
        self,
        extractor: LLMExtractor,
        client: BatchClient,
        sink: RecordSink,
        stats: RunStats,
        progress: Progress,
        *,
        retries: int,
        folder: Path,
    ) -> None:
        self.extractor = extractor
        self.client = client
        self.sink = sink
        self.stats = stats
        self.progress = progress
        self.retries = retries
        self.folder = folder

    async def collect(self, entry: BatchEntry, papers: dict[str, Paper]) -> Collected:
        """Place every paper of the finished ``entry``; see the module docstring.

        Args:
            entry: a batch whose status will not change any more.
            papers: the run's papers by id (at least those of ``entry``).
        """
        result = Collected()
        wanted = set(entry.papers)
        seen: set[str] = set()
        for file_id, kind in ((entry.output_file_id, "output"), (entry.error_file_id, "error")):
            if not file_id:
                continue
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{entry.name}.{kind}.jsonl"
            await self.client.download(file_id, path)
            try:
                for line in self._lines(path):
                    outcome = read_output_line(
                        line, self.extractor.batch_mode, redact=self.client.redact
                    )
                    paper_id = outcome.custom_id if isinstance(outcome, LineError) else None
                    paper_id = paper_id or str(line.get("custom_id"))
                    if paper_id not in wanted or paper_id in seen:
                        continue  # a line for no paper of ours, or a second line for one
                    seen.add(paper_id)
                    self._settle(entry, papers.get(paper_id), paper_id, outcome, result)
            finally:
                path.unlink(missing_ok=True)
        for paper_id in entry.papers:
            if paper_id not in seen:
                self._settle(entry, papers.get(paper_id), paper_id, _missing(entry), result)
        return result

    def _lines(self, path: Path) -> Iterable[dict[str, object]]:
        for _number, obj in iter_jsonl(path, skip_invalid=True):
            if isinstance(obj.get("custom_id"), str):
                yield obj

    # --- one paper ---------------------------------------------------------------------

    def _settle(
        self,
        entry: BatchEntry,
        paper: Paper | None,
        paper_id: str,
        outcome: ChatResult | LineError,
        result: Collected,
    ) -> None:
        if paper_id in self.sink.done:
            result.skipped += 1
            return
        if paper is None:
            self._error(result, _not_in_input(entry, paper_id))
            return
        started = time.perf_counter()
        carry = entry.carry.get(paper_id)
        if carry is not None:
            exchange = self.extractor.resume(paper, carry)
            retries = int(carry.get(RETRIES_KEY, 0))
        else:
            exchange = self.extractor.begin(paper, mode=self.extractor.batch_mode)
            retries = 0
        if isinstance(outcome, LineError):
            exchange.attempts += 1
            if outcome.retryable and retries < self.retries:
                result.again.append(Again(exchange, retries + 1))
                return
            self._error(result, _line_failure(entry, paper, exchange, outcome, retries))
            return
        try:
            extraction = self.extractor.take(exchange, outcome, batch=True)
        except ExtractionError as error:
            self._error(result, failure_entry(paper, error), error)
            return
        if extraction is None:
            result.again.append(Again(exchange, retries))
            return
        self.record(paper, extraction, started, result)

    def record(
        self, paper: Paper, extraction: Extraction, started: float, result: Collected
    ) -> None:
        """Ground and store one finished extraction (also used for cache hits and live retries)."""
        record = build_record(paper, extraction, extract_s=time.perf_counter() - started)
        self.stats.add_usage(extraction.usage, extraction.cost_usd)
        if extraction.cache_hit:
            self.stats.cache_hits += 1
        if self.sink.record(record):
            self.stats.ok += 1
            result.ok += 1
        self.stats.done += 1
        self.progress.advance()

    def error(self, paper: Paper, error: Exception, result: Collected) -> None:
        """Store one failed paper (also used for live retries)."""
        self._error(result, failure_entry(paper, error), error)

    def _error(self, result: Collected, entry: ErrorEntry, error: Exception | None = None) -> None:
        self.sink.error(entry)
        result.failures.append(entry)
        if entry.usage is not None:
            self.stats.add_usage(entry.usage, getattr(error, "cost_usd", None))
        self.stats.failed += 1
        self.stats.done += 1
        result.failed += 1
        self.progress.advance()


def _missing(entry: BatchEntry) -> LineError:
    """What a paper with no line in either file means, by the batch's final status."""
    if entry.status == "failed":
        reasons = "; ".join(entry.errors) or "no reason given"
        return LineError("", f"the batch failed: {reasons}", retryable=False, code="batch_failed")
    if entry.status == "cancelled":
        return LineError("", "the batch was cancelled", retryable=False, code="batch_cancelled")
    return LineError("", f"no reply in the {entry.status} batch", retryable=True, code="missing")


_ERROR_TYPES: dict[str | None, str] = {
    "batch_cancelled": "BatchCancelled",
    "batch_failed": "BatchFailed",
    "batch_expired": "BatchExpired",
}


def _line_failure(
    entry: BatchEntry, paper: Paper, exchange: Exchange, outcome: LineError, retries: int
) -> ErrorEntry:
    reason = f"batch {entry.batch_id} ({entry.name}): {outcome.reason}"
    if outcome.retryable:
        reason += f" (sent {retries + 1} time(s); rerun to try again)"
    elif outcome.code in ("batch_cancelled", "batch_failed"):
        reason += " (rerun to send it again)"
    return ErrorEntry(
        id=paper.id,
        title=paper.title,
        stage="extract",
        error_type=_ERROR_TYPES.get(outcome.code, "BatchRequestFailed"),
        reason=reason,
        attempts=exchange.attempts,
        source=paper.source,
        usage=exchange.usage if exchange.usage.requests else None,
    )


def _not_in_input(entry: BatchEntry, paper_id: str) -> ErrorEntry:
    return ErrorEntry(
        id=paper_id,
        stage="extract",
        error_type="NotInInput",
        reason=(
            f"batch {entry.batch_id} ({entry.name}) answered for this paper, but it is not "
            "among this run's inputs; run the command that submitted it to collect it"
        ),
        attempts=1,
    )
