"""Progress reporting for a run: a live rich bar on a terminal, a few plain lines otherwise.

The display only reads a :class:`~paperfields.stats.RunStats`; the orchestrator
calls :meth:`Progress.advance` after each paper. On a terminal it shows papers
done, requests in flight, cache hits, retries, tokens and cost; when stderr is
not a TTY (CI logs, pipes) it prints one plain line about every tenth of the
run, or every few seconds, so logs stay short.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress

from ..stats import RunStats

__all__ = ["Progress", "format_tokens", "shows_bar"]

_PLAIN_EVERY_S = 5.0


def format_tokens(n: int) -> str:
    """Render a token count compactly: 950, 12.3k, 4.10M."""
    if n < 1000:
        return str(n)
    if n < 1_000_000:
        return f"{n / 1000:.1f}k"
    return f"{n / 1_000_000:.2f}M"


def shows_bar(enabled: bool | None, stream: TextIO | None = None) -> bool:
    """Whether a live bar is drawn: as asked, or (``None``) when ``stream`` is a terminal."""
    if enabled is not None:
        return enabled
    return (stream if stream is not None else sys.stderr).isatty()


def _details(stats: RunStats, llm: bool) -> str:
    parts = [f"ok {stats.ok}", f"failed {stats.failed}"]
    if stats.skipped:
        parts.append(f"skipped {stats.skipped}")
    if llm:
        usage = stats.usage
        cost = f"${stats.cost_usd:.4f}" if stats.cost_known else "cost n/a"
        parts += [
            f"in flight {stats.in_flight}",
            f"cache {stats.cache_hits}",
            f"retries {stats.retries}",
            f"tokens {format_tokens(usage.prompt_tokens + usage.completion_tokens)}",
            cost,
        ]
    return " · ".join(parts)


class Progress:
    """Show a run's progress on ``stream`` (stderr by default)."""

    def __init__(
        self,
        stats: RunStats,
        *,
        enabled: bool | None = None,
        llm: bool = False,
        stream: TextIO | None = None,
        estimate: Callable[[], int | None] | None = None,
    ) -> None:
        self.stats = stats
        self.estimate = estimate
        self.llm = llm
        self.stream = stream if stream is not None else sys.stderr
        self.live = shows_bar(enabled, self.stream)
        self.plain = enabled is None and not self.live
        self._rich: RichProgress | None = None
        self._task: TaskID | None = None
        self._last_plain = time.perf_counter()
        self._last_plain_done = 0

    def start(self, total: int | None) -> None:
        """Begin showing progress; ``total`` may be None when unknown.

        With an ``estimate`` callable the total is refreshed as papers finish
        (ingest learns how many papers the inputs hold as it reads them).
        """
        self.stats.total = total
        if not self.live:
            return
        self._rich = RichProgress(
            TextColumn("[bold]papers"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[details]}"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=Console(file=self.stream),
            transient=False,
        )
        self._rich.start()
        self._task = self._rich.add_task("papers", total=total, details="")

    def advance(self) -> None:
        """Refresh after a paper finished (or was skipped)."""
        done = self.stats.done + self.stats.skipped
        if self.estimate is not None:
            total = self.estimate()
            self.stats.total = max(total, done) if total is not None else None
        if self._rich is not None and self._task is not None:
            self._rich.update(
                self._task,
                completed=done,
                total=self.stats.total,
                details=_details(self.stats, self.llm),
            )
            return
        if not self.plain:
            return
        now = time.perf_counter()
        step = max(1, (self.stats.total or 0) // 10) if self.stats.total else 100
        if done - self._last_plain_done >= step or now - self._last_plain >= _PLAIN_EVERY_S:
            self._plain_line(done)
            self._last_plain, self._last_plain_done = now, done

    def _plain_line(self, done: int) -> None:
        total = f"/{self.stats.total}" if self.stats.total else ""
        print(
            f"paperfields: {done}{total} papers · {_details(self.stats, self.llm)}"
            f" · {self.stats.elapsed_s:.1f}s",
            file=self.stream,
            flush=True,
        )

    def stop(self) -> None:
        """Stop the live display (leaving its last state on screen)."""
        if self._rich is not None:
            if self._task is not None:
                self._rich.update(self._task, details=_details(self.stats, self.llm))
            self._rich.stop()
            self._rich = None
