"""The `eval` command: score a run's records.jsonl against a gold file, or run and score at once.

Thin on purpose: :func:`paperfields.evaluate.score_records` does the scoring,
:func:`paperfields.orchestrator.runner.run_pipeline` makes the records for ``--run``, and
:func:`print_report` renders the result, either as a rich table (one row per
field with exact and lenient P/R/F1 and counts, then the macro-F1 line) or as
JSON. A missing or malformed file exits with code 2 and a one-line message.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, cast

import click
from rich.console import Console
from rich.table import Table

from ..evaluate import EvalReport, GoldKey, score_records
from ..orchestrator.runner import run_pipeline
from .common import config_from_flags, extractor_options, handle_errors, pop_extractor_flags

__all__ = ["commands", "convention_hint", "eval_command", "print_report", "report_table"]


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


def report_table(report: EvalReport, *, title: str | None = None) -> Table:
    """Build the rich table of an :class:`EvalReport`: a row per field and matching, then macro."""
    table = Table(title=title or f"{report.papers} papers, gold key '{report.gold_key}'")
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


def print_report(
    report: EvalReport,
    as_json: bool = False,
    *,
    console: Console | None = None,
    title: str | None = None,
) -> None:
    """Print a report as a rich table, or as one JSON object when ``as_json`` is set."""
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    (console or Console()).print(report_table(report, title=title))


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
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@extractor_options
@handle_errors
def eval_command(
    records: Path | None,
    gold_path: Path | None,
    run_gold: Path | None,
    out_dir: Path | None,
    gold_key: str,
    as_json: bool,
    **flags: Any,
) -> None:
    """Score extraction against gold: P/R/F1 per field and macro-F1.

    Either score an existing run, `paperfields eval RUN_DIR --gold GOLD.jsonl` (a run folder or
    its records.jsonl), or run and score in one go, `paperfields eval --run GOLD.jsonl
    [--offline | --model ...]`. The records must be of the gold file's papers (same ids).
    Methods, tasks, datasets and metrics are scored under exact matching (after
    normalization) and lenient matching (containment or token overlap).
    """
    key = cast(GoldKey, gold_key)
    if run_gold is not None:
        if records is not None:
            raise click.UsageError("give either RECORDS with --gold, or --run GOLD, not both")
        with tempfile.TemporaryDirectory(prefix="paperfields-eval-") as tmp:
            target = out_dir or Path(tmp)
            config = config_from_flags(target, pop_extractor_flags(flags), progress=False)
            summary = run_pipeline([run_gold], config)
            report = score_records(summary.records_path, gold_path or run_gold, gold_key=key)
        title = f"{summary.extractor} on {run_gold.name} ({report.papers} papers)"
        print_report(report, as_json, title=None if as_json else title)
        hint = None if as_json else convention_hint(gold_path or run_gold, summary.extractor)
        if hint is not None:
            click.echo(hint, err=True)
        raise SystemExit(summary.exit_code)  # 1 when some papers failed (scored as empty)
    if records is None or gold_path is None:
        raise click.UsageError("give RECORDS and --gold GOLD, or --run GOLD")
    print_report(score_records(records, gold_path, gold_key=key), as_json)


commands: list[click.Command] = [eval_command]
