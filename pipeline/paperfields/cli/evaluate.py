"""The `eval` command: score a run's records.jsonl against a gold file, or run and score at once.

Thin on purpose: :func:`paperfields.evaluate.score_records` scores the names and
:func:`paperfields.evaluate_results.score_records_extras` the proposed method and the
result values (when the gold file labels them), both over one ``--split`` if asked;
:func:`paperfields.orchestrator.runner.run_pipeline` makes the records for ``--run``
(over the split's papers only, written to a JSONL in the run folder), and
:func:`print_report` renders the result, either as rich tables (one row per field with
exact and lenient P/R/F1 and counts, then the macro-F1 line; then one row per
proposed/results figure) or as one JSON object. A missing or malformed file, or a split
no gold paper has, exits with code 2 and a one-line message.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, cast

import click
from rich.console import Console
from rich.table import Table

from ..evaluate import EvalReport, GoldKey, load_gold, score_records
from ..evaluate_results import ResultsReport, Share, score_records_extras
from ..gold_splits import select_split, write_gold_subset
from ..orchestrator.runner import run_pipeline
from .common import config_from_flags, extractor_options, handle_errors, pop_extractor_flags

__all__ = [
    "SPLIT_INPUT",
    "commands",
    "convention_hint",
    "eval_command",
    "extras_table",
    "print_report",
    "report_table",
]

SPLIT_INPUT = "eval-split.jsonl"  # the split's gold lines, the input of `eval --run --split`


def convention_hint(gold_path: Path, extractor: str) -> str | None:
    """A note when the offline extractor's entity spans are scored against a gold file in
    SciREX's format, whose ``gold`` lists label every mention ("X dataset", "neural
    models"): the other convention, which ``--offline-spans mentions`` follows."""
    if not extractor.startswith("offline:") or extractor.endswith("+mentions"):
        return None
    try:
        with gold_path.open(encoding="utf-8") as fh:
            first = json.loads(fh.readline() or "{}")
    except (OSError, ValueError):
        return None
    if not isinstance(first, dict) or "salient" not in first:
        return None
    return (
        f"note: {gold_path.name} labels every mention, as SciREX does ('X dataset', "
        "'neural models'), while the offline extractor listed entity names (the default); "
        "add --offline-spans mentions to score it in the gold file's own convention."
    )


def _papers(report: EvalReport) -> str:
    """``"63 papers"``, or ``"28 test papers"`` when one split was scored."""
    split = f"{report.split} " if report.split is not None else ""
    return f"{report.papers} {split}papers"


def report_table(report: EvalReport, *, title: str | None = None) -> Table:
    """Build the rich table of an :class:`EvalReport`: a row per field and matching, then macro."""
    table = Table(title=title or f"{_papers(report)}, gold key '{report.gold_key}'")
    table.add_column("field")
    table.add_column("matching")
    for column in ("P", "R", "F1", "tp", "fp", "fn"):
        table.add_column(column, justify="right")
    for name, scores in report.fields.items():
        for matching, prf in (("exact", scores.exact), ("lenient", scores.lenient)):
            table.add_row(
                name if matching == "exact" else "",
                matching,
                f"{prf.precision:.3f}",
                f"{prf.recall:.3f}",
                f"{prf.f1:.3f}",
                str(prf.tp),
                str(prf.fp),
                str(prf.fn),
            )
    table.add_section()
    for matching, value in report.macro_f1.items():
        table.add_row("macro-F1" if matching == "exact" else "", matching, "", "", f"{value:.3f}")
    return table


def extras_table(extras: ResultsReport, *, title: str) -> Table:
    """Build the rich table of a :class:`ResultsReport`: a row per figure and matching.

    The proposed method found (exact, lenient), proposed where gold names none, names
    marked proposed that are gold, result values found, then results attached to their
    metric, dataset and method (exact, lenient), each as hits, total and share.
    """
    table = Table(title=title)
    table.add_column("figure")
    table.add_column("matching")
    for column in ("hits", "total", "share"):
        table.add_column(column, justify="right")

    def row(figure: str, matching: str, share: Share) -> None:
        table.add_row(figure, matching, str(share.hits), str(share.total), f"{share.share:.3f}")

    row("proposed method found", "exact", extras.proposed_exact)
    row("", "lenient", extras.proposed_lenient)
    row("proposed where gold names none", "", extras.proposed_spurious)
    row("names marked proposed that are gold", "exact", extras.proposed_names)
    table.add_section()
    row("result values found", "", extras.value_found)
    for attribute, exact in extras.attached.items():
        row(f"results attached to {attribute}", "exact", exact)
        row("", "lenient", extras.attached_lenient[attribute])
    return table


def print_report(
    report: EvalReport,
    as_json: bool = False,
    *,
    console: Console | None = None,
    title: str | None = None,
    extras: ResultsReport | None = None,
) -> None:
    """Print a report as rich tables, or as one JSON object when ``as_json`` is set.

    Args:
        report: the names' scores.
        as_json: print one JSON object: the report's keys, plus ``proposed`` and
            ``results`` when ``extras`` is given.
        console: where the tables go (a new console on stdout by default).
        title: the names table's title (default: papers, split and gold key).
        extras: the proposed method and results scores, shown as a second table.
    """
    if as_json:
        data = report.to_dict()
        if extras is not None:
            data.update(extras.to_dict())
        click.echo(json.dumps(data, indent=2))
        return
    console = console or Console()
    console.print(report_table(report, title=title))
    if extras is not None:
        console.print(extras_table(extras, title=f"Proposed method and results, {_papers(report)}"))


@click.command("eval")
@click.argument("records", required=False, type=click.Path(path_type=Path))
@click.option(
    "--gold",
    "gold_path",
    type=click.Path(path_type=Path),
    help="Gold JSONL file (id plus gold/salient name lists per paper).",
)
@click.option(
    "--run",
    "run_gold",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Run the pipeline over this gold file's abstracts first, then score it.",
)
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Run folder for --run (default: a temporary folder).",
)
@click.option(
    "--gold-key",
    type=click.Choice(["gold", "salient"]),
    default="gold",
    show_default=True,
    help="Which gold lists to score against: mention-level or salient entities.",
)
@click.option(
    "--split",
    metavar="NAME",
    help="Score only the gold papers whose split is NAME (e.g. test); --run extracts only them.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@extractor_options
@handle_errors
def eval_command(
    records: Path | None,
    gold_path: Path | None,
    run_gold: Path | None,
    out_dir: Path | None,
    gold_key: str,
    split: str | None,
    as_json: bool,
    **flags: Any,
) -> None:
    """Score extraction against gold: P/R/F1 per field and macro-F1.

    Either score an existing run, `paperfields eval RUN_DIR --gold GOLD.jsonl` (a run folder or
    its records.jsonl), or run and score in one go, `paperfields eval --run GOLD.jsonl
    [--offline | --model ...]`. The records must be of the gold file's papers (same ids).
    Methods, tasks, datasets and metrics are scored under exact matching (after
    normalization) and lenient matching (containment or token overlap). When the gold
    file labels each paper's proposed method and results, a second table gives the
    proposed method found and the result values found and attached. `--split test`
    scores only the gold papers of that split (with --run, only they are extracted).
    """
    key = cast(GoldKey, gold_key)
    if run_gold is not None:
        if records is not None:
            raise click.UsageError("give either RECORDS with --gold, or --run GOLD, not both")
        gold_file = gold_path or run_gold
        with tempfile.TemporaryDirectory(prefix="paperfields-eval-") as tmp:
            target = out_dir or Path(tmp)
            config = config_from_flags(target, pop_extractor_flags(flags), progress=False)
            inputs = [run_gold]
            if split is not None:  # run over the split's papers only
                kept = select_split(load_gold(gold_file, key), split, path=gold_file)
                inputs = [write_gold_subset(run_gold, kept.keys(), target / SPLIT_INPUT)]
            summary = run_pipeline(inputs, config)
            report = score_records(summary.records_path, gold_file, gold_key=key, split=split)
            extras = score_records_extras(summary.records_path, gold_file, split=split)
        title = f"{summary.extractor} on {run_gold.name} ({_papers(report)})"
        print_report(report, as_json, title=None if as_json else title, extras=extras)
        hint = None if as_json else convention_hint(gold_file, summary.extractor)
        if hint is not None:
            click.echo(hint, err=True)
        raise SystemExit(summary.exit_code)  # 1 when some papers failed (scored as empty)
    if records is None or gold_path is None:
        raise click.UsageError("give RECORDS and --gold GOLD, or --run GOLD")
    report = score_records(records, gold_path, gold_key=key, split=split)
    extras = score_records_extras(records, gold_path, split=split)
    print_report(report, as_json, extras=extras)


commands: list[click.Command] = [eval_command]
