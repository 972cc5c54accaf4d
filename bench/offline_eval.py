"""Score the offline extractor on a gold file, in-process: full file and both halves.

Runs :func:`paperfields.extract.offline.extractor.extract_fields` on every gold paper (title
and abstract) and prints the scorer's table for the whole file and for its two
halves. The halves are fixed by the parity of the first byte of
``sha256(id)`` (even: half A, odd: half B), so the split is the same on every
machine. Rules are developed on half A; a half B much worse than half A would
mean the rules fit half A rather than abstracts in general.

Usage::

    python bench/offline_eval.py [GOLD.jsonl] [--gold-key gold|salient] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from paperfields.cli.evaluate import report_table
from paperfields.evaluate import SCORED_FIELDS, GoldPaper, load_gold, score
from paperfields.extract.offline.extractor import EXTRACTOR_NAME, extract_fields
from paperfields.schemas import Paper
from rich.console import Console

DEFAULT_GOLD = (
    Path(__file__).resolve().parents[1] / "examples" / "eval" / "scirex-abstracts-dev.jsonl"
)


def half_of(paper_id: str) -> str:
    """Return "A" or "B": the parity of the first byte of sha256(id)."""
    return "A" if hashlib.sha256(paper_id.encode()).digest()[0] % 2 == 0 else "B"


def predict(gold: dict[str, GoldPaper]) -> dict[str, dict[str, list[str]]]:
    """Run the offline extractor on every gold paper; return names per scored field."""
    out: dict[str, dict[str, list[str]]] = {}
    for paper_id, g in gold.items():
        fields = extract_fields(Paper(id=paper_id, title=g.title, abstract=g.abstract))
        out[paper_id] = {
            name: [item.name for item in getattr(fields, name)] for name in SCORED_FIELDS
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD.resolve())
    parser.add_argument("--gold-key", choices=["gold", "salient"], default="gold")
    parser.add_argument("--json", action="store_true", help="print the three reports as JSON")
    args = parser.parse_args()

    gold = load_gold(args.gold, args.gold_key)
    predictions = predict(gold)
    parts = {
        "full": gold,
        "A": {k: v for k, v in gold.items() if half_of(k) == "A"},
        "B": {k: v for k, v in gold.items() if half_of(k) == "B"},
    }
    reports = {
        name: score(predictions, part, gold_key=args.gold_key) for name, part in parts.items()
    }
    if args.json:
        print(json.dumps({name: r.to_dict() for name, r in reports.items()}, indent=2))
        return
    console = Console()
    for name, report in reports.items():
        title = f"{EXTRACTOR_NAME} on {args.gold.name} [{name}: {report.papers} papers]"
        console.print(report_table(report, title=title))
    for name, report in reports.items():
        macro = report.macro_f1
        console.print(
            f"{name:>4}: macro-F1 exact {macro['exact']:.3f}  lenient {macro['lenient']:.3f}"
        )


if __name__ == "__main__":
    main()
