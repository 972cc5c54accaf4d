"""Measure the offline extractor's speed: papers per second of ``extract_fields`` on one core.

Inputs: the abstracts of the SciREX dev gold file and the papers of the example
Hugging Face page (title paragraphs paired with the long paragraph after them).
Each corpus is extracted ``--repeat`` times after one warm-up pass; the median
rate is reported. Then, in the same process, the whole offline pipeline
(``run_pipeline``: ingest a JSONL file, extract, ground, append records.jsonl,
write run.json) runs over the same 200 papers into a fresh folder each pass,
and its rate is reported as a ratio against ``extract_fields`` alone: the
price of everything around the extractor. Time is the process's CPU time (``time.process_time``), so
other work on the machine does not distort the one-core figure; ``--wall``
uses wall-clock time instead. This is a benchmark, not a test: it asserts
nothing.

``--against CHECKOUT`` instead times this tree's extractor and another version's (a
``git worktree`` of a release, say) in alternating processes, ``--rounds`` of them, and
prints the ratio: the baseline runs under the same load.

Usage::

    python bench/offline_speed.py [--repeat 7] [--wall]
    python bench/offline_speed.py --against ../paperfields-v7 [--rounds 5] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from paperfields.api import read_papers
from paperfields.config import RunConfig
from paperfields.extract.offline.extractor import EXTRACTOR_NAME, OfflineExtractor, extract_fields
from paperfields.extract.offline.learned import use_models
from paperfields.orchestrator.runner import run_pipeline
from paperfields.schemas import Paper

ROOT = Path(__file__).resolve().parents[1]
DEV_GOLD = ROOT / "examples" / "eval" / "scirex-abstracts-dev.jsonl"
EXAMPLE_PAGE = ROOT / "examples/hf-papers-page.txt"


def dev_papers(path: Path = DEV_GOLD) -> list[Paper]:
    """The gold file's papers (id, title, abstract), read by the ingest stage."""
    return list(read_papers(path))


def page_papers(path: Path = EXAMPLE_PAGE) -> list[Paper]:
    """The papers of the example Hugging Face page, read by the ingest stage."""
    return list(read_papers(path))


def rate(papers: list[Paper], repeat: int, *, wall: bool = False) -> tuple[float, list[float]]:
    """Median papers/s over ``repeat`` timed passes (after one warm-up pass)."""
    clock = time.perf_counter if wall else time.process_time
    for paper in papers:
        extract_fields(paper)
    rates = []
    for _ in range(repeat):
        start = clock()
        for paper in papers:
            extract_fields(paper)
        rates.append(len(papers) / (clock() - start))
    return statistics.median(rates), rates


def pipeline_rate(
    papers: list[Paper], repeat: int, *, wall: bool = False
) -> tuple[float, list[float]]:
    """Median papers/s of the whole offline pipeline over ``papers`` (after one warm-up run)."""
    clock = time.perf_counter if wall else time.process_time
    rates = []
    with tempfile.TemporaryDirectory(prefix="paperfields-bench-") as tmp:
        source = Path(tmp) / "papers.jsonl"
        with open(source, "w", encoding="utf-8") as fp:
            for paper in papers:
                fp.write(paper.model_dump_json(include={"id", "title", "abstract"}) + "\n")
        for n in range(repeat + 1):
            config = RunConfig(out_dir=Path(tmp) / f"run-{n}", extractor="offline", progress=False)
            start = clock()
            summary = run_pipeline([source], config, extractor=OfflineExtractor())
            elapsed = clock() - start
            assert summary.stats.ok == len(papers), summary.stats
            if n:
                rates.append(len(papers) / elapsed)
    return statistics.median(rates), rates


# One process's measurement for --against: the extractor on the page and on all 200 papers.
_ONE_ROUND = """
import sys
sys.path.insert(0, {bench!r})
from offline_speed import dev_papers, page_papers, rate
page = page_papers()
both = dev_papers() + page
print(rate(page, {repeat})[0], rate(both, {repeat})[0])
"""


def against(checkout: Path, rounds: int, repeat: int) -> None:
    """Time this tree's extractor and another checkout's in alternating processes.

    Each round runs one process per tree (the same corpora read from this tree, the
    extractor imported from the tree's ``pipeline/``), so both see the same machine
    load; the medians over the rounds and their ratio are printed.
    """
    trees = {"this tree": ROOT, str(checkout): checkout.resolve()}
    code = _ONE_ROUND.format(bench=str(ROOT / "bench"), repeat=repeat)
    found: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for _ in range(rounds):
        for name, tree in trees.items():
            env = {**os.environ, "PYTHONPATH": str(tree / "pipeline")}
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            ).stdout.split()
            found[name].append((float(out[0]), float(out[1])))
    print(f"alternating processes, {rounds} rounds, CPU time, median of {repeat} per round:")
    medians = {}
    for name, rates in found.items():
        page = statistics.median(r[0] for r in rates)
        both = statistics.median(r[1] for r in rates)
        medians[name] = (page, both)
        print(f"  {name:30s} page {page:5.0f} papers/s   200 papers {both:5.0f} papers/s")
    (p1, b1), (p2, b2) = medians.values()
    print(
        f"  time per paper, this tree / the other: page {p2 / p1:.2f}x, 200 papers {b2 / b1:.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--wall", action="store_true", help="time with the wall clock")
    parser.add_argument(
        "--against", type=Path, help="a checkout of another version to time in the same rounds"
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds for --against")
    args = parser.parse_args()
    if args.against is not None:
        against(args.against, args.rounds, args.repeat)
        return
    clock = "wall-clock" if args.wall else "CPU"
    print(f"{EXTRACTOR_NAME}: extract_fields, one core, {clock} time, median of {args.repeat}")
    corpora = {"scirex-dev": dev_papers(), "hf-papers-page": page_papers()}
    corpora["both"] = corpora["scirex-dev"] + corpora["hf-papers-page"]
    for name, papers in corpora.items():
        median, rates = rate(papers, args.repeat, wall=args.wall)
        spread = ", ".join(f"{r:.0f}" for r in rates)
        print(f"  {name:15s} {len(papers):4d} papers  {median:7.0f} papers/s  ({spread})")
    both = corpora["both"]
    alone, _ = rate(both, args.repeat, wall=args.wall)
    with use_models({}):
        rules, _ = rate(both, args.repeat, wall=args.wall)
    print(f"  {'rules alone':15s} {len(both):4d} papers  {rules:7.0f} papers/s  (no classifiers)")
    print(f"  ratio with classifiers / rules alone: {rules / alone:.2f}x time per paper")
    whole, rates = pipeline_rate(both, args.repeat, wall=args.wall)
    spread = ", ".join(f"{r:.0f}" for r in rates)
    print(f"whole offline pipeline (ingest, extract, ground, write), {clock} time:")
    print(f"  {'both':15s} {len(both):4d} papers  {whole:7.0f} papers/s  ({spread})")
    print(f"  ratio pipeline / extract_fields alone: {alone / whole:.2f}x time per paper")


if __name__ == "__main__":
    main()
