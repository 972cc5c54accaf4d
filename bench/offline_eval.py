"""Score the offline extractor on the gold files, in-process: whole file and each split.

Runs :func:`paperfields.extract.offline.extractor.extract_fields` on every gold paper (title
and abstract) and prints, for the whole file and for each of its parts, the exact
P/R/F1 and lenient F1 of every field and the macro-F1; for a file that labels
``proposed`` and ``results`` (the example page) also the proposed method found and
the results attached (:mod:`paperfields.evaluate_results`). The parts are the gold
``split`` (``dev``/``test``) when the file has one; otherwise two halves fixed by the
parity of the first byte of ``sha256(id)`` (A even, B odd). Rules are developed on
``dev`` (and half A); the other part is only looked at to report.

``--show FIELD`` lists, per paper of one part (``--part``, default ``dev``), the
predicted names that are not gold (``+``) and the gold names that were missed
(``-``) under exact matching: the error list to develop against.

Usage::

    python bench/offline_eval.py [GOLD.jsonl ...] [--gold-key gold|salient] [--json]
    python bench/offline_eval.py examples/eval/hf-page-gold.jsonl --show metrics
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

from paperfields.config import OFFLINE_SPANS, OfflineSpans
from paperfields.evaluate import SCORED_FIELDS, EvalReport, GoldPaper, load_gold, score
from paperfields.evaluate_results import (
    GoldExtras,
    ResultsReport,
    load_gold_extras,
    score_proposed,
    score_results,
)
from paperfields.extract.offline.extractor import extract_fields, extractor_name
from paperfields.names.fold import match_key
from paperfields.schemas import Paper

EVAL_DIR = Path(__file__).resolve().parents[1] / "examples" / "eval"
DEFAULT_GOLD = (
    EVAL_DIR / "scirex-abstracts-dev.jsonl",
    EVAL_DIR / "hf-page-gold.jsonl",
    EVAL_DIR / "scirex-guidelines-gold.jsonl",
    EVAL_DIR / "synthetic-gold.jsonl",
    EVAL_DIR / "recent-gold.jsonl",
)


def half_of(paper_id: str) -> str:
    """Return "A" or "B": the parity of the first byte of sha256(id)."""
    return "A" if hashlib.sha256(paper_id.encode()).digest()[0] % 2 == 0 else "B"


def predict(
    gold: dict[str, GoldPaper], spans: OfflineSpans = "entities"
) -> dict[str, dict[str, Any]]:
    """Run the offline extractor on every gold paper; return each paper's fields as JSON."""
    return {
        paper_id: extract_fields(
            Paper(id=paper_id, title=g.title, abstract=g.abstract), spans
        ).model_dump()
        for paper_id, g in gold.items()
    }


def parts_of(gold: dict[str, GoldPaper], extras: dict[str, GoldExtras]) -> dict[str, list[str]]:
    """The ids of the whole file and of each part (gold split, else hash half)."""
    parts: dict[str, list[str]] = {"all": list(gold)}
    for paper_id in gold:
        extra = extras.get(paper_id)
        part = extra.split if extra is not None and extra.split else half_of(paper_id)
        parts.setdefault(part, []).append(paper_id)
    return parts


def evaluate_file(
    path: Path, gold_key: str = "gold", spans: OfflineSpans = "entities"
) -> tuple[dict[str, Any], dict[str, tuple[EvalReport, ResultsReport | None]]]:
    """Predict and score one gold file; return the predictions and the reports per part."""
    gold = load_gold(path, "salient" if gold_key == "salient" else "gold")
    extras = load_gold_extras(path)
    predictions = predict(gold, spans)
    names = {
        pid: {f: [item["name"] for item in fields[f]] for f in SCORED_FIELDS}
        for pid, fields in predictions.items()
    }
    labelled = any(e.proposed or e.results for e in extras.values())
    reports: dict[str, tuple[EvalReport, ResultsReport | None]] = {}
    for part, ids in parts_of(gold, extras).items():
        subset = {pid: gold[pid] for pid in ids}
        extra = None
        if labelled:
            sub_extras = {pid: extras[pid] for pid in ids}
            extra = score_results(predictions, sub_extras, score_proposed(predictions, sub_extras))
        reports[part] = (score(names, subset, gold_key=gold_key), extra)
    return predictions, reports


def _print_report(part: str, report: EvalReport, extra: ResultsReport | None) -> None:
    print(f"  [{part}: {report.papers} papers]")
    for name, s in report.fields.items():
        e = s.exact
        print(
            f"    {name:9s} exact P {e.precision:.3f} R {e.recall:.3f} F1 {e.f1:.3f}"
            f"   lenient F1 {s.lenient.f1:.3f}"
        )
    macro = report.macro_f1
    print(f"    macro-F1  exact {macro['exact']:.3f}  lenient {macro['lenient']:.3f}")
    if extra is None:
        return
    pe, pl, ps = extra.proposed_exact, extra.proposed_lenient, extra.proposed_spurious
    pn = extra.proposed_names
    print(
        f"    proposed found: exact {pe.hits}/{pe.total} = {pe.share:.3f}, lenient "
        f"{pl.hits}/{pl.total} = {pl.share:.3f}; proposed where gold has none {ps.hits}/{ps.total}"
    )
    print(f"    names marked proposed that are gold: {pn.hits}/{pn.total} = {pn.share:.3f}")
    found = extra.value_found
    attached = ", ".join(
        f"{k} {v.hits}/{v.total} = {v.share:.3f}" for k, v in extra.attached.items()
    )
    print(f"    results: value found {found.hits}/{found.total}; attached to {attached}")


def _show(path: Path, predictions: dict[str, Any], part: str, field: str) -> None:
    gold = load_gold(path)
    extras = load_gold_extras(path)
    for pid in parts_of(gold, extras).get(part, []):
        pred = [item["name"] for item in predictions[pid][field]]
        gold_names = gold[pid].names[field]
        gold_keys = {match_key(g) for g in gold_names}
        pred_keys = {match_key(p) for p in pred}
        extra_names = [p for p in pred if match_key(p) not in gold_keys]
        missed = [g for g in gold_names if match_key(g) not in pred_keys]
        if extra_names or missed:
            print(f"{pid[:50]}")
            print(f"   + {extra_names}")
            print(f"   - {missed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="*", type=Path, default=list(DEFAULT_GOLD))
    parser.add_argument("--gold-key", choices=["gold", "salient"], default="gold")
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")
    parser.add_argument("--show", choices=[*SCORED_FIELDS], help="list one field's errors")
    parser.add_argument("--part", default="dev", help="the part --show lists (default dev)")
    parser.add_argument(
        "--spans",
        choices=[*OFFLINE_SPANS, "both"],
        default="both",
        help="the extractor's span convention (default: both, one report each)",
    )
    args = parser.parse_args()

    out: dict[str, Any] = {}
    for path in args.gold:
        for spans in OFFLINE_SPANS if args.spans == "both" else (args.spans,):
            predictions, reports = evaluate_file(path, args.gold_key, spans)
            if args.show:
                _show(path, predictions, args.part, args.show)
                break
            if args.json:
                out.setdefault(path.name, {})[spans] = {
                    part: {"names": r.to_dict(), **(x.to_dict() if x else {})}
                    for part, (r, x) in reports.items()
                }
                continue
            print(f"{extractor_name(spans)} on {path.name}")
            for part, (report, extra) in reports.items():
                _print_report(part, report, extra)
    if args.json:
        print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
