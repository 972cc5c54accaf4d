"""The event loop's worst stall is measured, and reported in run.json."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from paperfields.config import RunConfig
from paperfields.orchestrator.loopwatch import LoopWatch
from paperfields.orchestrator.runner import run_pipeline


def test_a_blocking_call_shows_as_a_stall() -> None:
    async def go() -> float:
        watch = LoopWatch(interval_s=0.005)
        watch.start()
        await asyncio.sleep(0.02)
        time.sleep(0.06)  # CPU work holding the loop
        await asyncio.sleep(0.02)
        watch.stop()
        return watch.max_stall_s

    assert asyncio.run(go()) >= 0.05


def test_run_json_reports_the_worst_stall_and_peak_memory(tmp_path: Path) -> None:
    inputs = tmp_path / "papers.jsonl"
    inputs.write_text(json.dumps({"title": "T", "abstract": "We propose X. It works."}) + "\n")
    config = RunConfig(out_dir=tmp_path / "run", extractor="offline", progress=False)
    run_pipeline([inputs], config)
    timings = json.loads((tmp_path / "run" / "run.json").read_text())["timings"]
    assert timings["loop_max_stall_ms"] >= 0.0
    assert timings["peak_rss_mb"] > 10
