"""How long the event loop was kept from running: the worst stall of a run.

Every request, retry and progress update of an LLM run shares one event loop,
so CPU work that holds it (validating a reply, grounding quotes, writing a
record) delays everything else in flight. :class:`LoopWatch` asks the loop to
call it back every few milliseconds and keeps the largest lateness it sees:
the longest time anything kept the loop busy. The run stores it in
``run.json`` (``timings.loop_max_stall_ms``) and the benchmark reports it.
"""

from __future__ import annotations

import asyncio

__all__ = ["LoopWatch"]

DEFAULT_INTERVAL_S = 0.01


class LoopWatch:
    """Measure the event loop's worst stall between :meth:`start` and :meth:`stop`.

    Args:
        interval_s: how often the loop is asked to call back (the resolution).
    """

    def __init__(self, interval_s: float = DEFAULT_INTERVAL_S) -> None:
        self.interval_s = interval_s
        self.max_stall_s = 0.0
        self._handle: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        """Start watching the running loop."""
        self._loop = asyncio.get_running_loop()
        self._schedule()

    def stop(self) -> None:
        """Stop watching; :attr:`max_stall_s` keeps the worst stall seen."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _schedule(self) -> None:
        assert self._loop is not None
        due = self._loop.time() + self.interval_s
        self._handle = self._loop.call_at(due, self._tick, due)

    def _tick(self, due: float) -> None:
        assert self._loop is not None
        stall = self._loop.time() - due
        if stall > self.max_stall_s:
            self.max_stall_s = stall
        self._schedule()
