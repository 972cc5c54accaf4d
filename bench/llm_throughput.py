"""LLM throughput benchmark: ``paperfields run`` against a bare AsyncOpenAI loop, both as processes.

Synthesises N distinct abstracts (default 800) deterministically from the
example Hugging Face page and, when present, the SciREX dev file, by
recombining sentences. Two quote modes are measured:

* ``exact``: the stand-in's evidence quotes are verbatim sentences of the paper;
* ``realistic``: 15% of quotes are paraphrased (words dropped or swapped, a
  synonym, the end cut off) and 5% are absent (``--paraphrase`` / ``--absent``),
  as real models misquote, so grounding's fuzzy step does real work.

Each round runs two halves, each as a whole process with start-up included and
against its own fresh stand-in server process (``bench/standin_server.py``,
default 200 ms latency), primed with its replies so the server's CPU stays out:

1. ``bare``: ``bench/bare_sdk_loop.py``, a plain ``AsyncOpenAI`` loop behind a
   semaphore sending the same requests (rendered messages, response_format);
2. ``pipeline``: ``paperfields run papers.jsonl`` (ingest -> extract -> ground ->
   records.jsonl, run.json) with a fresh cache folder.

Then, if ``--warm`` (default on), ``paperfields run`` again into a new run folder
with the same cache: every answer cached, no request sent.

Reported per mode (medians over ``--repeat`` rounds): wall and CPU (user+sys of
the child process) of each half, the ratio pipeline/bare (goals: realistic
<= 1.15, exact <= 1.1), CPU per paper, the event loop's worst stall during the
pipeline run (``run.json``), and grounding time per evidence quote (p50, p99,
max; every quote of the records located again in this process) and per paper::

    python bench/llm_throughput.py                       # 800 papers, 32 in flight, 200 ms
    python bench/llm_throughput.py --papers 200 --latency 0.05 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from paperfields.api import read_papers
from paperfields.ground import Locator
from paperfields.llm.backend import SCHEMA_NAME
from paperfields.llm.prompts import load_prompt
from paperfields.schemas import FIELD_NAMES, fields_json_schema

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PAGE = ROOT / "examples" / "hf-papers-page.txt"
DEV_FILES = [ROOT / "examples" / "eval" / "scirex-abstracts-dev.jsonl"]
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


# --- inputs ---------------------------------------------------------------------------


def base_papers(dev_file: Path | None) -> list[tuple[str, str]]:
    """(title, abstract) pairs from the example page and the dev file."""
    files = [EXAMPLE_PAGE] + ([dev_file] if dev_file is not None and dev_file.exists() else [])
    return [(paper.title, paper.abstract) for paper in read_papers(files)]


def synthesise(count: int, dev_file: Path | None) -> list[dict[str, str]]:
    """``count`` distinct papers: originals first, then sentence recombinations."""
    bases = base_papers(dev_file)
    pool = [s for _, abstract in bases for s in SENTENCE.split(abstract)]
    papers: list[dict[str, str]] = []
    seen: set[str] = set()
    index = 0
    while len(papers) < count:
        title, abstract = bases[index % len(bases)]
        if index >= len(bases):
            rng = random.Random(index)
            sentences = SENTENCE.split(abstract)
            for _ in range(1 + rng.randrange(2)):
                sentences[rng.randrange(len(sentences))] = rng.choice(pool)
            abstract = " ".join(sentences)
            title = f"{title} (variant {index // len(bases)})"
        if abstract not in seen:
            seen.add(abstract)
            papers.append({"id": f"bench-{len(papers):04d}", "title": title, "abstract": abstract})
        index += 1
    return papers


def request_bodies(rows: list[dict[str, str]], path: Path) -> None:
    """Write the bare loop's request bodies: the pipeline's prompt, schema and token limit."""
    prompt = load_prompt()
    response_format = {
        "type": "json_schema",
        "json_schema": {"name": SCHEMA_NAME, "schema": fields_json_schema(), "strict": True},
    }
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            body = {
                "model": "gpt-5-mini",
                "messages": prompt.render(title=row["title"], abstract=row["abstract"]),
                "response_format": response_format,
                "max_tokens": 4096,
            }
            out.write(json.dumps(body, ensure_ascii=False) + "\n")


# --- processes ------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port free right now (the cold and warm runs' servers share it: it is in cache keys)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def standin(args: argparse.Namespace, quotes: str, prime: Path, port: int = 0) -> Iterator[str]:
    """A fresh stand-in server process (replies built in advance from ``prime``); yields its URL."""
    paraphrase, absent = (0.0, 0.0) if quotes == "exact" else (args.paraphrase, args.absent)
    command = [sys.executable, str(ROOT / "bench" / "standin_server.py"), "--port", str(port)]
    command += ["--latency", str(args.latency), "--prime", str(prime)]
    command += ["--paraphrase", str(paraphrase), "--absent", str(absent)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"listening on (\S+)", line)
        if not match:
            raise RuntimeError(f"stand-in server did not start: {line!r}")
        yield match.group(1)
    finally:
        proc.terminate()
        proc.wait(10)


def timed(command: list[str]) -> dict[str, Any]:
    """Run ``command`` to completion; its wall time and CPU time (user + sys) in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{command[:3]} failed ({done.returncode}): {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "stdout": done.stdout[-500:]}


def paperfields_command() -> list[str]:
    """The ``paperfields`` console script next to this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("paperfields")
    return [str(script)] if script.exists() else [sys.executable, "-m", "paperfields"]


def run_pipeline_process(
    inputs: Path, out: Path, cache: Path, url: str, args: Any
) -> dict[str, Any]:
    command = paperfields_command() + ["run", str(inputs), "-o", str(out), "--base-url", url]
    command += ["--concurrency", str(args.concurrency), "--cache-dir", str(cache)]
    command += ["--no-progress"]
    result = timed(command)
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    result.pop("stdout")
    result.update(
        ok=manifest["counts"]["this_run"]["ok"],
        requests=manifest["requests"],
        cache_hits=manifest["cache_hits"],
        loop_max_stall_ms=manifest["timings"].get("loop_max_stall_ms"),
    )
    return result


def run_bare_process(bodies: Path, url: str, args: Any) -> dict[str, Any]:
    command = [sys.executable, str(ROOT / "bench" / "bare_sdk_loop.py"), "--url", url]
    command += ["--requests", str(bodies), "--concurrency", str(args.concurrency)]
    result = timed(command)
    result["ok"] = int(result.pop("stdout").split()[-1])
    return result


# --- grounding ----------------------------------------------------------------------------


def grounding_times(records: Path) -> dict[str, Any]:
    """Locate every evidence quote of ``records`` again, timing each; per-quote and per-paper."""
    per_item: list[float] = []
    per_paper: list[float] = []
    matches: dict[str, int] = {}
    for line in records.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        per_paper.append(record["provenance"]["timings"]["ground_s"])
        locator = Locator(record["abstract"])
        for name in FIELD_NAMES:
            for item in record["fields"][name]:
                started = time.perf_counter()
                _span, match = locator.locate(item["evidence"])
                per_item.append(time.perf_counter() - started)
                matches[str(match)] = matches.get(str(match), 0) + 1
    return {
        "items": len(per_item),
        "matches": matches,
        "item_ms": _percentiles(per_item),
        "paper_ms": _percentiles(per_paper),
    }


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 4)

    return {
        "p50": at(0.5),
        "p99": at(0.99),
        "max": at(1.0),
        "mean": round(statistics.fmean(ordered) * 1000, 4),
    }


# --- main -------------------------------------------------------------------------------


def measure_round(work: Path, quotes: str, files: dict[str, Path], args: Any) -> dict[str, Any]:
    """One round of one quote mode: bare, pipeline (cold), pipeline (warm), each a process."""
    work.mkdir(parents=True)
    with standin(args, quotes, files["inputs"]) as url:
        bare = run_bare_process(files["bodies"], url, args)
    cache = work / "cache"
    port = free_port()
    with standin(args, quotes, files["inputs"], port) as url:
        pipeline = run_pipeline_process(files["inputs"], work / "run", cache, url, args)
    result = {"bare": bare, "pipeline": pipeline}
    if args.warm:
        with standin(args, quotes, files["inputs"], port) as url:
            result["warm"] = run_pipeline_process(files["inputs"], work / "warm", cache, url, args)
    result["grounding"] = grounding_times(work / "run" / "records.jsonl")
    shutil.rmtree(cache, ignore_errors=True)
    return result


def summarise(rounds: list[dict[str, Any]], papers: int) -> dict[str, Any]:
    halves = [h for h in ("bare", "pipeline", "warm") if h in rounds[0]]
    median = {
        h: {k: statistics.median(r[h][k] for r in rounds) for k in ("wall_s", "cpu_s")}
        for h in halves
    }
    ratios = [r["pipeline"]["wall_s"] / r["bare"]["wall_s"] for r in rounds]
    stalls = [r["pipeline"]["loop_max_stall_ms"] for r in rounds]
    last = rounds[-1]["grounding"]
    return {
        "median": median,
        "cpu_ms_per_paper": {h: 1000 * median[h]["cpu_s"] / papers for h in halves},
        "ratio_pipeline_over_bare": statistics.median(ratios),
        "ratio_per_round": ratios,
        "loop_max_stall_ms": max((s for s in stalls if s is not None), default=None),
        "grounding": last,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--papers", type=int, default=800)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians are reported")
    parser.add_argument("--modes", default="exact,realistic", help="quote modes to measure")
    parser.add_argument("--paraphrase", type=float, default=0.15, help="realistic mode")
    parser.add_argument("--absent", type=float, default=0.05, help="realistic mode")
    parser.add_argument("--warm", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--dev-file", type=Path, default=None, help="SciREX-style JSONL")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    dev_file = args.dev_file or next((p for p in DEV_FILES if p.exists()), None)
    rows = synthesise(args.papers, dev_file)
    modes = [m for m in args.modes.split(",") if m]
    ideal = args.papers * args.latency / args.concurrency

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="paperfields-bench-") as tmp:
        files = {"inputs": Path(tmp) / "papers.jsonl", "bodies": Path(tmp) / "bodies.jsonl"}
        files["inputs"].write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        request_bodies(rows, files["bodies"])
        rounds: dict[str, list[dict[str, Any]]] = {m: [] for m in modes}
        for n in range(args.repeat):  # modes interleaved, so machine noise hits both alike
            for mode in modes:
                rounds[mode].append(measure_round(Path(tmp) / f"{mode}-{n}", mode, files, args))
        for mode in modes:
            results[mode] = summarise(rounds[mode], args.papers) | {"rounds": rounds[mode]}

    result = {
        "papers": args.papers,
        "concurrency": args.concurrency,
        "latency_s": args.latency,
        "repeat": args.repeat,
        "realistic": {"paraphrase": args.paraphrase, "absent": args.absent},
        "ideal_wall_s": ideal,
        "modes": results,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"llm_throughput-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"{args.papers} papers, {args.concurrency} in flight, {args.latency:.3f}s latency, "
        f"whole processes, median of {args.repeat} round(s) (ideal wall {ideal:.2f}s)"
    )
    for mode in modes:
        summary = results[mode]
        print(f"[{mode}]")
        for half, figures in summary["median"].items():
            cpu = summary["cpu_ms_per_paper"][half]
            print(
                f"  {half:<9} wall {figures['wall_s']:6.2f}s  cpu {figures['cpu_s']:6.2f}s"
                f"  ({cpu:.2f} ms/paper)"
            )
        ratios = " ".join(f"{r:.3f}" for r in summary["ratio_per_round"])
        print(f"  ratio pipeline/bare {summary['ratio_pipeline_over_bare']:.3f} (rounds: {ratios})")
        print(f"  event loop worst stall {summary['loop_max_stall_ms']} ms")
        grounding = summary["grounding"]
        print(
            f"  grounding per quote p50 {grounding['item_ms']['p50']:.3f} ms, p99 "
            f"{grounding['item_ms']['p99']:.3f} ms, max {grounding['item_ms']['max']:.3f} ms "
            f"({grounding['items']} quotes: {grounding['matches']}); per paper p99 "
            f"{grounding['paper_ms']['p99']:.3f} ms"
        )
    print(f"  written to {out}")
    return result


if __name__ == "__main__":
    main()
