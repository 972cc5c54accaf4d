"""The ``compare`` command: group, tabulate, rank or line up the papers of a run.

``paperfields compare RUN_DIR`` prints an overview (the most shared values of
every field, under a header counting the papers and the failed ones, those of
the run's ``errors.jsonl`` included, which it lists); ``--by FIELD`` lists the
groups of one field, largest first (``--by claims``: one row per claim, by
kind); ``--by results`` is the leaderboard, one board per dataset and metric,
best first, narrowed with ``--dataset`` and ``--metric``; ``--by`` also takes
the run's user-defined fields (a list field groups its items by canonical name,
a scalar field its papers by value); ``--matrix`` turns
a field into papers x values; ``--papers ID ...`` puts papers side by side.
``--format`` picks a rich terminal table (fitted to the terminal's width,
saying what it left out), Markdown, CSV (both complete) or JSON. A missing run
folder or records file, a bad alias file or an unknown paper id exits with
status 2 and a one-line message (see :func:`~paperfields.cli.common.handle_errors`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .common import err_console, handle_errors, out_console

if TYPE_CHECKING:
    from ..compare.index import Group, RunIndex
    from ..compare.tables import Table

__all__ = ["commands", "compare_command"]

OVERVIEW_LIMIT = 8
FIELDS = ("tasks", "methods", "datasets", "metrics", "claims")
FAILED_SHOWN = 20


def _groups_table(field: str, groups: list[Group], title: str) -> Table:
    from ..compare.tables import Table

    columns = ["value", "papers", "variants", "paper ids"]
    if field == "metrics":
        columns.append("values")
    table = Table(title=title, columns=columns)
    for group in groups:
        row = [group.value, str(group.paper_count), "\n".join(group.variants)]
        row.append("\n".join(group.papers))
        if field == "metrics":
            values = [
                f"{v.value} ({v.paper}{', ' + v.dataset if v.dataset else ''})"
                for v in group.values
            ]
            row.append("\n".join(values))
        table.rows.append(row)
    return table


def _claims(index: RunIndex, min_papers: int, limit: int | None) -> tuple[Table, list[Any]]:
    """One row per claim (kind, paper, text), kinds largest first: complete in md and csv."""
    from ..compare.tables import Table

    collector = index.group_collectors(["claims"])["claims"]
    texts: dict[str, list[tuple[str, str]]] = {}
    for position, record, mentions in index.iter_mentions():
        collector.add(position, mentions["claims"])
        for m in mentions["claims"]:
            texts.setdefault(m.key, []).append((record.id, m.name))
    groups = collector.groups(min_papers=min_papers, limit=limit)
    table = Table(title=f"Claims: {len(groups)} kinds", columns=["kind", "paper", "claim"])
    data = []
    for group in groups:
        claims = texts.get(group.key, [])
        table.rows.extend([group.value, paper, text] for paper, text in claims)
        entry = group.to_dict()
        entry["claims"] = [{"paper": paper, "text": text} for paper, text in claims]
        data.append(entry)
    return table, data


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _overview(index: RunIndex, min_papers: int, limit: int) -> tuple[Table, dict[str, Any]]:
    from ..compare.tables import Table

    failed = index.failed
    table = Table(
        title=f"{len(index.papers)} papers ({failed} failed): most shared values",
        columns=["field", "value", "papers", "variants"],
    )
    data: dict[str, Any] = {"papers": len(index.papers), "failed": failed, "fields": {}}
    collectors = index.all_groups(index.fields)
    for field in index.fields:
        groups = collectors[field].groups(min_papers=min_papers, limit=limit)
        data["fields"][field] = [g.to_dict() for g in groups]
        for group in groups:
            variants = "; ".join(_short(v) for v in group.variants[:4])
            table.rows.append([field, group.value, str(group.paper_count), variants])
    data["failures"] = [
        {"id": e.id, "title": e.title, "stage": e.stage, "error_type": e.error_type,
         "reason": e.reason}  # fmt: skip
        for e in index.failures
    ]
    return table, data


def _failures_note(index: RunIndex) -> list[str]:
    notes = []
    for entry in index.failures[:FAILED_SHOWN]:
        name = entry.title or entry.id or (entry.source.file if entry.source else "?")
        notes.append(f"failed: {_short(name, 70)} ({entry.stage}, {entry.error_type})")
    if len(index.failures) > FAILED_SHOWN:
        notes.append(f"... and {len(index.failures) - FAILED_SHOWN} more in errors.jsonl")
    return notes


def _emit(fmt: str, tables: list[Table], data: Any, notes: list[str] | None = None) -> None:
    from ..compare.tables import fit_table, to_csv, to_markdown, to_rich

    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for number, table in enumerate(tables):
        if fmt == "md":
            click.echo(("\n" if number else "") + to_markdown(table), nl=False)
        elif fmt == "csv":
            click.echo(to_csv(table), nl=False)
        else:
            fitted, cut = fit_table(table, out_console.width)
            out_console.print(to_rich(fitted))
            for note in cut:
                out_console.print(f"note: {note}", style="dim", markup=False)
    if fmt == "table":
        for note in notes or []:
            out_console.print(note, style="dim", markup=False, highlight=False)


@click.command("compare")
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.argument("paper_ids", nargs=-1, metavar="[ID]...")
@click.option(
    "--by",
    "by",
    metavar="FIELD",
    help=f"Group one field by canonical value, largest group first: {', '.join(FIELDS)}, "
    "'results' (the leaderboard: values by dataset and metric, best first) or one of the "
    "run's own fields (from its --fields spec; a wrong name lists them).",
)
@click.option("--matrix", is_flag=True, help="With --by: papers x values (tick or metric value).")
@click.option(
    "--papers",
    "papers",
    multiple=True,
    metavar="ID",
    help="Papers side by side: --papers ID [ID ...] (ids may also be comma-separated).",
)
@click.option("--dataset", help="With --by results: one dataset (any spelling, or 'unspecified').")
@click.option("--metric", help="With --by results: one metric (any spelling).")
@click.option(
    "--min-papers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Keep values (boards) with at least N papers.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), help="Keep at most N groups (columns, boards)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "md", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format (table fits the terminal; md and csv are complete).",
)
@click.option(
    "--aliases",
    type=click.Path(path_type=Path, dir_okay=False),
    help="TOML or JSON file: canonical name -> list of variants.",
)
@handle_errors
def compare_command(
    run_dir: Path,
    paper_ids: tuple[str, ...],
    by: str | None,
    matrix: bool,
    papers: tuple[str, ...],
    dataset: str | None,
    metric: str | None,
    min_papers: int,
    limit: int | None,
    fmt: str,
    aliases: Path | None,
) -> None:
    """Compare the papers of a run: shared datasets, metrics, methods, tasks, claims, results.

    RUN_DIR is a folder written by `paperfields run` (or its records.jsonl).
    Examples: `compare RUN --by datasets`, `compare RUN --by results --dataset MTEB`,
    `compare RUN --by metrics --matrix`, `compare RUN --papers 1512.03385 1904.01169 --format md`.
    """
    from ..compare.index import open_run
    from ..compare.leaderboard import boards_table
    from ..compare.views import field_label
    from ..names.canonical import load_aliases

    if paper_ids and not papers:
        raise click.UsageError(f"unexpected argument {paper_ids[0]!r} (paper ids need --papers)")
    ids = [pid.strip() for value in (*papers, *paper_ids) for pid in value.split(",")]
    ids = [pid for pid in ids if pid]
    if matrix and not by:
        raise click.UsageError("--matrix needs --by FIELD")
    if matrix and by == "results":
        raise click.UsageError("--matrix needs a field; --by results is already a table")
    if ids and by:
        raise click.UsageError("use either --papers or --by, not both")
    if (dataset or metric) and by != "results":
        raise click.UsageError("--dataset and --metric go with --by results")
    index = open_run(run_dir, aliases=load_aliases(aliases) if aliases else None)
    for warning in index.warnings:
        err_console.print(f"warning: {warning}", markup=False, highlight=False)
    if by is not None and by != "results" and by not in index.fields:
        choices = ", ".join(repr(name) for name in (*index.fields, "results"))
        raise click.BadParameter(f"{by!r} is not one of {choices}.", param_hint="'--by'")
    if ids:
        side = index.side_by_side(ids)
        _emit(fmt, [side.to_table()], side.to_dict())
    elif by == "results":
        boards = index.leaderboard(
            dataset=dataset, metric=metric, min_papers=min_papers, limit=limit
        )
        layout = {"csv": "long", "md": "boards"}.get(fmt, "compact")
        tables = boards_table(boards, layout)
        notes = [] if boards else ["no metric values in this run (or none match the filters)"]
        _emit(fmt, tables, [b.to_dict() for b in boards], notes)
    elif by and matrix:
        grid = index.matrix(by, min_papers=min_papers, limit=limit)
        _emit(fmt, [grid.to_table()], grid.to_dict())
    elif by == "claims":
        table, data = _claims(index, min_papers, limit)
        _emit(fmt, [table], data)
    elif by:
        groups = index.groups(by, min_papers=min_papers, limit=limit)
        title = f"{field_label(by)}: {len(groups)} values"
        _emit(fmt, [_groups_table(by, groups, title)], [g.to_dict() for g in groups])
    else:
        table, overview = _overview(index, min_papers, limit or OVERVIEW_LIMIT)
        _emit(fmt, [table], overview, _failures_note(index))


commands: list[click.Command] = [compare_command]
