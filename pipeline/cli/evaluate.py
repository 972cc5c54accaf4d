"""The `eval` command: score a run's records.jsonl against a gold file.

Thin on purpose: :func:`pipeline.evaluate.score_records` does the scoring and
:func:`print_report` renders the result, either as a rich table (one row per
field with exact and lenient P/R/F1 and counts, then the macro-F1 line) or as
JSON. A missing or malformed file exits with code 2 and a one-line message.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import cast

import click
from rich.console import Console
from rich.table import Table

from ..errors import InputError
from ..evaluate import EvalReport, GoldKey, score_records

__all__ = ["commands", "eval_command", "print_report", "report_table"]


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
@click.argument("records", type=click.Path(path_type=Path))
@click.option(
    "--gold",
    "gold_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Gold JSONL file (id plus gold/salient name lists per paper).",
)
@click.option(
    "--gold-key",
    type=click.Choice(["gold", "salient"]),
    default="gold",
    show_default=True,
    help="Which gold lists to score against: mention-level or salient entities.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_command(records: Path, gold_path: Path, gold_key: str, as_json: bool) -> None:
    """Score RECORDS (a records.jsonl) against a gold file: P/R/F1 per field, macro-F1.

    Methods, tasks, datasets and metrics are scored under exact matching (after
    normalization) and lenient matching (containment or token overlap).
    """
    key = cast(GoldKey, gold_key)
    try:
        report = score_records(records, gold_path, gold_key=key)
    except InputError as e:
        if os.environ.get("PAPERFIELDS_RAISE_ERRORS"):
            raise
        click.echo(f"Error: {e}", err=True)
        raise SystemExit(2) from e
    print_report(report, as_json)


commands: list[click.Command] = [eval_command]
