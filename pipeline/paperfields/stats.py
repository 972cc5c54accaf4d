"""Live counters of one run, shared by the orchestrator, the extractors and the progress display.

A single :class:`RunStats` object is created per run. The LLM backend bumps the
request-level counters (``requests`` counts every HTTP attempt, failed ones
included; ``in_flight``; ``retries``) and the extractor ``repairs``; the
orchestrator bumps the paper-level ones and adds each paper's tokens, cost and
cache hit when it finishes. ``notices`` collects the run-level problems worth
one line to the user (a damaged cache set aside, say), each once. Everything
runs on one event loop, so plain integer updates are safe.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .schemas import GroundingSummary, Usage

__all__ = ["RunStats"]


@dataclass
class RunStats:
    """Counters for the progress display and the ``run.json`` manifest."""

    total: int | None = None
    done: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    in_flight: int = 0
    requests: int = 0
    retries: int = 0
    repairs: int = 0
    cache_hits: int = 0
    items_dropped: int = 0
    papers_capped: int = 0
    fuzzy_skipped: int = 0
    loop_max_stall_s: float = 0.0
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0
    cost_known: bool = True
    started: float = field(default_factory=time.perf_counter)
    notices: list[str] = field(default_factory=list)

    def notice(self, message: str) -> None:
        """Keep ``message`` for the end-of-run report, unless it was already noted."""
        if message not in self.notices:
            self.notices.append(message)

    def add_usage(self, usage: Usage, cost_usd: float | None) -> None:
        """Add one request's (or one paper's) tokens and cost."""
        self.usage = self.usage + usage
        if cost_usd is None:
            if usage.prompt_tokens or usage.completion_tokens:
                self.cost_known = False
        else:
            self.cost_usd += cost_usd

    def add_grounding(self, summary: GroundingSummary) -> None:
        """Count what the per-field cap and the grounding time budget cut from one record."""
        if summary.dropped:
            self.items_dropped += summary.dropped
            self.papers_capped += 1
        self.fuzzy_skipped += summary.fuzzy_skipped

    @property
    def elapsed_s(self) -> float:
        """Seconds since the run started."""
        return time.perf_counter() - self.started
