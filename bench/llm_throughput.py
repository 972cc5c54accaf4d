"""LLM throughput benchmark: the whole paperfields pipeline against a bare AsyncOpenAI loop.

Synthesises N distinct abstracts (default 800) deterministically from the
example Hugging Face page and, when present, the SciREX dev file, by
recombining sentences. Each measured half gets its own fresh stand-in server
process (``bench/standin_server.py``, default 200 ms latency), primed with the
replies for these papers so the server's own CPU stays out of the figures and
no half profits from another's warm server:

1. ``pipeline``: ``paperfields.orchestrator.runner.run_pipeline`` (ingest -> extract -> ground ->
   records.jsonl) with a fresh cache folder and ``--concurrency`` in flight;
2. ``extractor``: ``LLMExtractor.extract`` alone over the same papers, same
   concurrency, fresh cache (no ingest, grounding or files);
3. ``bare``: a plain ``AsyncOpenAI`` loop behind a semaphore sending the same
   requests (same rendered messages and response_format).

Each round runs the three halves in turn; ``--repeat`` rounds (default 3) give
medians, since a shared machine makes single walls noisy. It prints and writes
to ``bench/results/`` the walls, the ratio pipeline/bare (goal: within 1.3x)
and efficiency = (N x latency / concurrency) / wall::

    /work/venv/bin/python bench/llm_throughput.py
    /work/venv/bin/python bench/llm_throughput.py --papers 200 --latency 0.05
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openai
from paperfields.api import read_papers
from paperfields.config import LLMConfig, RunConfig
from paperfields.extract.llm import LLMExtractor
from paperfields.llm.backend import SCHEMA_NAME
from paperfields.llm.prompts import load_prompt
from paperfields.orchestrator.runner import run_pipeline
from paperfields.schemas import Paper, fields_json_schema

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


# --- stand-in server --------------------------------------------------------------------


@contextmanager
def standin(latency: float, prime: Path | None = None) -> Iterator[str]:
    """A fresh stand-in server process (replies built in advance from ``prime``); yields its URL."""
    command = [sys.executable, str(ROOT / "bench" / "standin_server.py")]
    command += ["--port", "0", "--latency", str(latency)]
    if prime is not None:
        command += ["--prime", str(prime)]
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


# --- the three halves -----------------------------------------------------------------


def run_whole_pipeline(inputs: Path, work: Path, url: str, concurrency: int) -> dict[str, Any]:
    llm = LLMConfig(base_url=url, concurrency=concurrency, cache_dir=work / "cache-pipeline")
    config = RunConfig(out_dir=work / "run", extractor="openai", llm=llm, progress=False)
    started = time.perf_counter()
    summary = run_pipeline([inputs], config)
    wall = time.perf_counter() - started
    records = sum(1 for _ in (work / "run" / "records.jsonl").open(encoding="utf-8"))
    return {
        "wall_s": wall,
        "ok": summary.stats.ok,
        "failed": summary.stats.failed,
        "records": records,
        "requests": summary.stats.requests,
    }


async def run_extractor_only(
    papers: list[Paper], work: Path, url: str, concurrency: int
) -> dict[str, Any]:
    config = LLMConfig(base_url=url, concurrency=concurrency, cache_dir=work / "cache-extractor")
    extractor = LLMExtractor(config)
    gate = asyncio.Semaphore(concurrency)
    ok = 0

    async def one(paper: Paper) -> None:
        nonlocal ok
        async with gate:
            await extractor.extract(paper)
            ok += 1

    started = time.perf_counter()
    await asyncio.gather(*(one(paper) for paper in papers))
    wall = time.perf_counter() - started
    await extractor.aclose()
    return {"wall_s": wall, "ok": ok}


async def run_bare_loop(papers: list[Paper], url: str, concurrency: int) -> dict[str, Any]:
    prompt = load_prompt()
    response_format: Any = {
        "type": "json_schema",
        "json_schema": {"name": SCHEMA_NAME, "schema": fields_json_schema(), "strict": True},
    }
    client = openai.AsyncOpenAI(base_url=url, api_key="not-needed", max_retries=0, timeout=60)
    gate = asyncio.Semaphore(concurrency)
    ok = 0

    async def one(paper: Paper) -> None:
        nonlocal ok
        messages: Any = prompt.render(title=paper.title, abstract=paper.abstract)
        async with gate:
            reply = await client.chat.completions.create(
                model="gpt-5-mini",
                messages=messages,
                response_format=response_format,
                max_tokens=4096,
            )
        if reply.choices[0].message.content:
            ok += 1

    started = time.perf_counter()
    await asyncio.gather(*(one(paper) for paper in papers))
    wall = time.perf_counter() - started
    await client.close()
    return {"wall_s": wall, "ok": ok}


# --- main -------------------------------------------------------------------------------


def measure_round(
    papers: list[Paper], inputs: Path, work: Path, args: argparse.Namespace
) -> dict[str, dict[str, Any]]:
    """One round: each half against its own fresh, primed server, fresh folders."""
    work.mkdir(parents=True)
    with standin(args.latency, inputs) as url:
        bare = asyncio.run(run_bare_loop(papers, url, args.concurrency))
    with standin(args.latency, inputs) as url:
        pipeline = run_whole_pipeline(inputs, work, url, args.concurrency)
    with standin(args.latency, inputs) as url:
        extractor = asyncio.run(run_extractor_only(papers, work, url, args.concurrency))
    return {"bare": bare, "extractor": extractor, "pipeline": pipeline}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--papers", type=int, default=800)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians are reported")
    parser.add_argument("--dev-file", type=Path, default=None, help="SciREX-style JSONL")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    dev_file = args.dev_file or next((p for p in DEV_FILES if p.exists()), None)
    rows = synthesise(args.papers, dev_file)
    papers = [Paper(id=r["id"], title=r["title"], abstract=r["abstract"]) for r in rows]
    ideal = args.papers * args.latency / args.concurrency

    with tempfile.TemporaryDirectory(prefix="paperfields-bench-") as tmp:
        inputs = Path(tmp) / "papers.jsonl"
        inputs.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        rounds = [
            measure_round(papers, inputs, Path(tmp) / f"round-{n}", args)
            for n in range(args.repeat)
        ]

    halves = ("bare", "extractor", "pipeline")
    walls = {name: [r[name]["wall_s"] for r in rounds] for name in halves}
    median = {name: statistics.median(values) for name, values in walls.items()}
    ratios = [r["pipeline"]["wall_s"] / r["bare"]["wall_s"] for r in rounds]
    result = {
        "papers": args.papers,
        "concurrency": args.concurrency,
        "latency_s": args.latency,
        "repeat": args.repeat,
        "ideal_wall_s": ideal,
        "median_wall_s": median,
        "ratio_pipeline_over_bare": median["pipeline"] / median["bare"],
        "ratio_extractor_over_bare": median["extractor"] / median["bare"],
        "ratio_pipeline_over_bare_per_round": ratios,
        "efficiency": {name: ideal / median[name] for name in halves},
        "rounds": rounds,
        "sources": [str(EXAMPLE_PAGE.relative_to(ROOT))] + ([str(dev_file)] if dev_file else []),
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
        f"median of {args.repeat} round(s) (ideal wall {ideal:.2f}s)"
    )
    for name in halves:
        every = " ".join(f"{wall:.2f}" for wall in walls[name])
        print(
            f"  {name:<9} wall {median[name]:6.2f}s  efficiency {result['efficiency'][name]:.2f}"
            f"  (rounds: {every})"
        )
    print(
        f"  ratio pipeline/bare {result['ratio_pipeline_over_bare']:.3f} (goal <= 1.3; "
        f"per round: {' '.join(f'{r:.3f}' for r in ratios)})"
    )
    print(f"  written to {out}")
    return result


if __name__ == "__main__":
    main()
