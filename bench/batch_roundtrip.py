"""Batch API round trip: the client cost of ``run --batch --wait`` against a live run.

Synthesises N distinct abstracts (default 2000) from the example page (each
abstract with its sentences rotated and a numbered title), starts a fresh
stand-in server process (``bench/standin_server.py``, zero latency, batches
stepping every ``--batch-step`` seconds) primed with their replies, and runs
in the same script:

1. ``live``: ``run_pipeline`` with ``--concurrency`` requests in flight;
2. ``batch``: ``run_pipeline`` with ``--batch --wait`` (input files split at
   ``--max-requests``), polling every 10 ms.

Each run has a fresh run folder and cache. It reports wall time, client CPU
time per paper (``time.process_time``: this process only, the server runs in
its own) and the ratio batch/live of CPU per paper; the batch wall time is
mostly the stand-in's clock (three steps per batch), not work::

    .venv/bin/python bench/batch_roundtrip.py
    .venv/bin/python bench/batch_roundtrip.py --papers 500 --max-requests 100
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from paperfields.api import read_papers
from paperfields.config import BatchSettings, LLMConfig, RunConfig
from paperfields.orchestrator.runner import run_pipeline

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PAGE = ROOT / "examples" / "hf-papers-page.txt"


def synthesise(count: int) -> list[dict[str, str]]:
    """``count`` distinct papers: the page's abstracts, then their sentence rotations."""
    bases = [(p.title, p.abstract) for p in read_papers([EXAMPLE_PAGE])]
    papers: list[dict[str, str]] = []
    turn = 0
    while len(papers) < count:
        for title, abstract in bases:
            sentences = abstract.split(". ")
            shift = turn % len(sentences)
            rotated = ". ".join(sentences[shift:] + sentences[:shift])
            suffix = f" (variant {turn})" if turn else ""
            papers.append(
                {"id": f"rt-{len(papers):05d}", "title": title + suffix, "abstract": rotated}
            )
            if len(papers) == count:
                break
        turn += 1
    return papers


@contextmanager
def standin(prime: Path, step: float) -> Iterator[str]:
    """A fresh stand-in server process primed with the papers' replies; yields its URL."""
    command = [sys.executable, str(ROOT / "bench" / "standin_server.py"), "--port", "0"]
    command += ["--prime", str(prime), "--batch-step", str(step)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        match = re.search(r"listening on (\S+)", proc.stdout.readline())
        if not match:
            raise RuntimeError("the stand-in server did not start")
        yield match.group(1)
    finally:
        proc.terminate()
        proc.wait(10)


def measure(
    inputs: Path, work: Path, url: str, batch: BatchSettings | None, width: int
) -> dict[str, Any]:
    """One run with a fresh folder and cache: wall, CPU, outcome."""
    llm = LLMConfig(base_url=url, concurrency=width, cache_dir=work / "cache")
    config = RunConfig(
        out_dir=work / "run", extractor="openai", llm=llm, progress=False, batch=batch
    )
    wall, cpu = time.perf_counter(), time.process_time()
    summary = run_pipeline([inputs], config)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "cpu_ms_per_paper": round(1000 * cpu / max(1, summary.stats.done), 2),
        "ok": summary.stats.ok,
        "failed": summary.stats.failed,
        "batches": (summary.batch or {}).get("submitted", {}).get("batches"),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run both halves and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--max-requests", type=int, default=500, help="split batches above this")
    parser.add_argument("--batch-step", type=float, default=0.05, help="stand-in seconds per phase")
    parser.add_argument("--concurrency", type=int, default=32, help="live requests in flight")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="paperfields-batch-bench-") as tmp:
        folder = Path(tmp)
        inputs = folder / "papers.jsonl"
        inputs.write_text("".join(json.dumps(p) + "\n" for p in synthesise(args.papers)))
        settings = BatchSettings(
            wait=True, poll_s=0.01, poll_max_s=0.2, max_requests=args.max_requests
        )
        with standin(inputs, args.batch_step) as url:
            live = measure(inputs, folder / "live", url, None, args.concurrency)
            batch = measure(inputs, folder / "batch", url, settings, args.concurrency)
    ratio = batch["cpu_ms_per_paper"] / live["cpu_ms_per_paper"]
    result = {
        "papers": args.papers,
        "live": live,
        "batch": batch,
        "cpu_ratio_batch_live": round(ratio, 2),
    }
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
