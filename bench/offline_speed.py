"""Measure the offline extractor's speed: papers per second of ``extract_fields`` on one core.

Inputs: the abstracts of the SciREX dev gold file and the papers of the example
Hugging Face page (title paragraphs paired with the long paragraph after them).
Each corpus is extracted ``--repeat`` times after one warm-up pass; the median
rate is reported. Time is the process's CPU time (``time.process_time``), so
other work on the machine does not distort the one-core figure; ``--wall``
uses wall-clock time instead. This is a benchmark, not a test: it asserts
nothing.

Usage::

    python bench/offline_speed.py [--repeat 7] [--wall]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from pipeline.extract.offline import EXTRACTOR_NAME, extract_fields
from pipeline.schemas import Paper

ROOT = Path(__file__).resolve().parents[1]
DEV_GOLD = ROOT / "examples" / "eval" / "scirex-abstracts-dev.jsonl"
EXAMPLE_PAGE = ROOT / "examples/hf-papers-page.txt"


def dev_papers(path: Path = DEV_GOLD) -> list[Paper]:
    """The gold file's papers (id, title, abstract)."""
    papers = []
    with open(path, encoding="utf-8") as fp:
        for line in fp:
            obj = json.loads(line)
            papers.append(Paper(id=obj["id"], title=obj["title"], abstract=obj["abstract"]))
    return papers


def page_papers(path: Path = EXAMPLE_PAGE) -> list[Paper]:
    """Papers of a saved papers page: a short title paragraph followed by a long abstract."""
    paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    papers = []
    for i, (title, body) in enumerate(zip(paragraphs, paragraphs[1:], strict=False)):
        if len(title) < 300 and "\n" not in title and len(body) > 400:
            papers.append(Paper(id=f"page-{i}", title=title, abstract=" ".join(body.split())))
    return papers


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--wall", action="store_true", help="time with the wall clock")
    args = parser.parse_args()
    clock = "wall-clock" if args.wall else "CPU"
    print(f"{EXTRACTOR_NAME}: extract_fields, one core, {clock} time, median of {args.repeat}")
    corpora = {"scirex-dev": dev_papers(), "hf-papers-page": page_papers()}
    corpora["both"] = corpora["scirex-dev"] + corpora["hf-papers-page"]
    for name, papers in corpora.items():
        median, rates = rate(papers, args.repeat, wall=args.wall)
        spread = ", ".join(f"{r:.0f}" for r in rates)
        print(f"  {name:15s} {len(papers):4d} papers  {median:7.0f} papers/s  ({spread})")


if __name__ == "__main__":
    main()
