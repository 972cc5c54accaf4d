"""Choosing which papers a run extracts: ``--limit N`` and ``--sample N --seed S``.

``--limit N`` takes the first N papers of the inputs and stops reading there.
``--sample N`` takes N papers spread over the whole input: those whose
``sha256(seed, content hash)`` are smallest, yielded in input order. The choice
depends only on the seed and each paper's text, so the same command picks the
same papers again (a rerun resumes), and growing the input keeps every chosen
paper that still ranks. Ingest errors pass through both, so bad input is still
reported. Sampling keeps at most N papers in memory.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Iterator

from ..config import RunConfig
from ..schemas import ErrorEntry, Paper, content_sha256

__all__ = ["limit_papers", "sample_papers", "select_papers"]


def select_papers(
    items: Iterator[Paper | ErrorEntry], config: RunConfig
) -> Iterator[Paper | ErrorEntry]:
    """Apply the run's ``--sample`` or ``--limit`` to an ingest stream (else pass it through)."""
    if config.sample is not None:
        return sample_papers(items, config.sample, seed=config.seed)
    if config.limit is not None:
        return limit_papers(items, config.limit)
    return items


def limit_papers(
    items: Iterator[Paper | ErrorEntry], limit: int
) -> Iterator[Paper | ErrorEntry]:
    """Pass items through until ``limit`` papers have gone by, then stop reading."""
    taken = 0
    if limit <= 0:
        return
    for item in items:
        yield item
        if isinstance(item, Paper):
            taken += 1
            if taken >= limit:
                return


def _rank(paper: Paper, seed: int) -> int:
    text = f"{seed}\x00{content_sha256(paper.title, paper.abstract)}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:16], "big")


def sample_papers(
    items: Iterator[Paper | ErrorEntry], size: int, *, seed: int = 0
) -> Iterator[Paper | ErrorEntry]:
    """Yield ingest errors as they come, then ``size`` sampled papers in input order."""
    if size <= 0:
        return
    # The `size` smallest ranks seen so far, as a max-heap: heapq keeps the smallest
    # first, so ranks are negated and heap[0] is the largest rank kept.
    heap: list[tuple[int, int, Paper]] = []
    for order, item in enumerate(items):
        if not isinstance(item, Paper):
            yield item
            continue
        entry = (-_rank(item, seed), order, item)
        if len(heap) < size:
            heapq.heappush(heap, entry)
        elif entry[0] > heap[0][0]:
            heapq.heapreplace(heap, entry)
    for _, _, paper in sorted(heap, key=lambda e: e[1]):
        yield paper
