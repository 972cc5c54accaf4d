"""Offline runs on every core: ``paperfields run --offline --workers N`` as whole processes.

Builds N distinct papers (default 10,000) as ``bench/llm_throughput.py`` does
(sentence recombinations of the example page and the SciREX dev abstracts),
then times ``paperfields run FILE --offline --workers W`` for each W of
``--workers`` (default 1,2) in alternating rounds, start-up included, and
reports papers/s (median over ``--repeat`` rounds), the speed-up against one
worker, the main process's peak memory (``run.json``: ``timings.peak_rss_mb``)
and whether every worker count wrote the same records in the same order::

    python bench/workers_speed.py                          # 10,000 papers, 1 and 2 workers
    python bench/workers_speed.py --papers 100000 --workers 2 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from llm_throughput import DEV_FILES, ROOT, paperfields_command, synthesise, timed  # noqa: E402


def run_offline(inputs: Path, out: Path, workers: int) -> dict[str, Any]:
    command = paperfields_command() + ["run", str(inputs), "-o", str(out), "--offline"]
    command += ["--workers", str(workers), "--no-progress"]
    result = timed(command)
    result.pop("stdout")
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    result["ok"] = manifest["counts"]["this_run"]["ok"]
    result["peak_rss_mb"] = manifest["timings"].get("peak_rss_mb")
    return result


def records_without_timings(path: Path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record["provenance"].pop("timings")
        lines.append(json.dumps(record, sort_keys=True))
    return lines


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--workers", default="1,2", help="comma list of worker counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    counts = [int(w) for w in args.workers.split(",") if w]
    rows = synthesise(args.papers, DEV_FILES[0])
    runs: dict[int, list[dict[str, Any]]] = {w: [] for w in counts}
    same_output = True
    with tempfile.TemporaryDirectory(prefix="paperfields-workers-") as tmp:
        inputs = Path(tmp) / "papers.jsonl"
        inputs.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        for n in range(args.repeat):
            order = counts if n % 2 == 0 else counts[::-1]
            for workers in order:
                out = Path(tmp) / f"run-{workers}-{n}"
                runs[workers].append(run_offline(inputs, out, workers))
        if len(counts) > 1:
            reference = records_without_timings(Path(tmp) / f"run-{counts[0]}-0" / "records.jsonl")
            for workers in counts[1:]:
                other = Path(tmp) / f"run-{workers}-0" / "records.jsonl"
                same_output = same_output and records_without_timings(other) == reference
    summary = {}
    for workers, results in runs.items():
        wall = statistics.median(r["wall_s"] for r in results)
        summary[workers] = {
            "wall_s": wall,
            "papers_per_s": args.papers / wall,
            "peak_rss_mb": max(r["peak_rss_mb"] or 0 for r in results),
        }
    base = summary[counts[0]]["papers_per_s"]
    result = {
        "papers": args.papers,
        "cpus": os.cpu_count(),
        "runs": {str(w): r for w, r in runs.items()},
        "summary": {str(w): s for w, s in summary.items()},
        "same_records_in_same_order": same_output,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    args.results.mkdir(parents=True, exist_ok=True)
    out_file = args.results / f"workers_speed-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out_file.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{args.papers} papers, offline, whole processes, median of {args.repeat} round(s)")
    for workers, figures in summary.items():
        print(
            f"  --workers {workers}: {figures['wall_s']:7.2f}s  {figures['papers_per_s']:6.0f} "
            f"papers/s  x{figures['papers_per_s'] / base:.2f}  "
            f"main process peak RSS {figures['peak_rss_mb']} MB"
        )
    if len(counts) > 1:
        print(f"  same records in the same order: {same_output}")
    print(f"  written to {out_file}")
    return result


if __name__ == "__main__":
    main()
