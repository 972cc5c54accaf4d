"""Warm reruns: ``paperfields run`` into a new run folder when every answer is already cached.

Builds N distinct papers (default 10,000) as ``bench/llm_throughput.py`` does,
runs ``paperfields run`` once against the stand-in server (no latency,
realistic quotes: 15% paraphrased, 5% absent) to fill a fresh cache, then runs
it ``--repeat`` more times, each into a new run folder with the same cache:
no request is sent, nothing is grounded again. Every run is a whole process,
start-up included; reported are wall time, CPU time (user + sys) and CPU per
paper of the cold run and the median warm run, and the warm/cold ratios::

    python bench/warm_rerun.py                  # 10,000 papers
    python bench/warm_rerun.py --papers 5000
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from llm_throughput import (  # noqa: E402  (a script beside this one)
    DEV_FILES,
    ROOT,
    free_port,
    run_pipeline_process,
    standin,
    synthesise,
)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    args.latency, args.paraphrase, args.absent = 0.0, 0.15, 0.05
    rows = synthesise(args.papers, DEV_FILES[0])
    with tempfile.TemporaryDirectory(prefix="paperfields-warm-") as tmp:
        work = Path(tmp)
        inputs = work / "papers.jsonl"
        inputs.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        with standin(args, "realistic", inputs, free_port()) as url:
            cold = run_pipeline_process(inputs, work / "cold", work / "cache", url, args)
            warm = [
                run_pipeline_process(inputs, work / f"warm-{n}", work / "cache", url, args)
                for n in range(args.repeat)
            ]
    assert all(w["requests"] == 0 and w["ok"] == args.papers for w in warm), warm
    median = {k: statistics.median(w[k] for w in warm) for k in ("wall_s", "cpu_s")}
    result = {
        "papers": args.papers,
        "cold": cold,
        "warm": warm,
        "warm_median": median,
        "warm_cpu_ms_per_paper": 1000 * median["cpu_s"] / args.papers,
        "warm_over_cold_wall": median["wall_s"] / cold["wall_s"],
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"warm_rerun-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{args.papers} papers, whole processes (median of {args.repeat} warm runs)")
    print(
        f"  cold  wall {cold['wall_s']:6.2f}s  cpu {cold['cpu_s']:6.2f}s "
        f"({1000 * cold['cpu_s'] / args.papers:.3f} ms/paper), {cold['requests']} requests"
    )
    print(
        f"  warm  wall {median['wall_s']:6.2f}s  cpu {median['cpu_s']:6.2f}s "
        f"({result['warm_cpu_ms_per_paper']:.3f} ms/paper), 0 requests; "
        f"warm/cold wall {result['warm_over_cold_wall']:.3f}"
    )
    print(f"  written to {out}")
    return result


if __name__ == "__main__":
    main()
