"""Score summaries and claims against ``examples/eval/claims-gold.jsonl``.

Each gold line names the gold file its abstract comes from (``source``); the paper is
read from there and extracted in this process by the offline extractor, or the fields
of a run's ``records.jsonl`` are scored instead (``--records``, for an LLM run). Prints,
per source file and split, the summary accuracy and the claims' detection and typed
precision, recall and F1 (:mod:`paperfields.evaluate_claims`). ``--show`` lists the
disagreements of the ``dev`` papers only (develop on ``dev``; ``test`` is for
reporting). A measurement, not a test.

Usage::

    python bench/claims_eval.py [--records RUN/records.jsonl] [--json] [--show]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from paperfields.evaluate import load_record_fields
from paperfields.evaluate_claims import (
    ClaimsReport,
    GoldClaims,
    load_gold_claims,
    place,
    score_claims,
)
from paperfields.extract.offline.extractor import extract_fields
from paperfields.schemas import Paper

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "examples" / "eval"
GOLD = EVAL / "claims-gold.jsonl"


def sources(gold_path: Path = GOLD) -> dict[str, str]:
    """The source gold file of each paper id."""
    out = {}
    with gold_path.open(encoding="utf-8") as lines:
        for line in lines:
            obj = json.loads(line)
            out[obj["id"]] = obj["source"]
    return out


def offline_fields(source_of: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The offline extractor's fields of every paper, read from its source gold file."""
    out: dict[str, dict[str, Any]] = {}
    for name in sorted(set(source_of.values())):
        with (EVAL / name).open(encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                if source_of.get(row["id"]) == name:
                    paper = Paper(
                        id=row["id"], title=row.get("title") or "", abstract=row["abstract"]
                    )
                    out[row["id"]] = extract_fields(paper).model_dump()
    return out


def _line(label: str, r: ClaimsReport) -> str:
    return (
        f"  {label:34s} summary {r.summary.hits}/{r.summary.total} = {r.summary.share:.3f}  "
        f"claims P {r.precision.share:.3f} R {r.recall.share:.3f} F1 {r.f1:.3f}  "
        f"typed F1 {r.typed_f1:.3f}  before the summary {r.background.hits}/{r.background.total}"
    )


def show(gold: dict[str, GoldClaims], fields: dict[str, dict[str, Any]]) -> None:
    """Print the dev papers' disagreements: summary and claim sentences by kind."""
    for paper_id, truth in gold.items():
        if truth.split != "dev" or paper_id not in fields:
            continue
        f = fields[paper_id]
        got = {place(c["evidence"], truth.sentences): c["kind"] for c in f["claims"]}
        summary = place(f["summary"] or "", truth.sentences)
        if got == dict(truth.claims) and summary == truth.summary:
            continue
        print(f"== {paper_id}")
        for i, sentence in enumerate(truth.sentences):
            mark = ("S" if i == truth.summary else " ") + ("s" if i == summary else " ")
            want, have = truth.claims.get(i, "-"), got.get(i, "-")
            flag = "  " if want == have else "!!"
            print(f"  {flag} {mark} {want:11s} {have:11s} {sentence[:150]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--records", type=Path, help="score a run's records.jsonl instead")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--show", action="store_true", help="list the dev papers' disagreements")
    args = parser.parse_args()
    gold = load_gold_claims(args.gold)
    source_of = sources(args.gold)
    fields = load_record_fields(args.records) if args.records else offline_fields(source_of)
    if args.show:
        show(gold, fields)
        return
    out: dict[str, dict[str, Any]] = {}
    for name in sorted(set(source_of.values())):
        part = {k: v for k, v in gold.items() if source_of[k] == name}
        reports = {
            split or "all": score_claims(part, fields, split) for split in (None, "dev", "test")
        }
        out[name] = {label: report.to_dict() for label, report in reports.items()}
        if not args.json:
            print(name)
            for label, report in reports.items():
                print(_line(label, report))
    if args.json:
        print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
