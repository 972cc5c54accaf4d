"""The ``compare`` command: group, tabulate or line up the papers of a run.

``paperfields compare RUN_DIR`` prints an overview (the most shared values of
every field, under a header counting the papers and the failed ones, those of
the run's ``errors.jsonl`` included); ``--by FIELD`` lists the groups of one field, largest first;
``--matrix`` turns that into papers x values; ``--papers ID ...`` puts papers
side by side. ``--format`` picks a rich terminal table, Markdown, CSV or JSON.
A missing run folder or records file, a bad alias file or an unknown paper id
exits with status 2 and a one-line message (see :func:`~paperfields.cli.common.handle_errors`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..compare.index import FIELD_LABELS, Group, RunIndex, open_run
from ..compare.tables import Table, to_csv, to_markdown, to_rich
from ..names.canonical import load_aliases
from ..schemas import FIELD_NAMES
from .common import err_console, handle_errors, out_console

__all__ = ["commands", "compare_command"]

OVERVIEW_LIMIT = 8


def _groups_table(field: str, groups: list[Group], title: str) -> Table:
    columns = ["value", "papers", "variants", "paper ids"]
    if field == "metrics":
        columns.append("values")
    table = Table(title=title, columns=columns)
    for group in groups:
        row = [group.value, str(len(group.papers)), "\n".join(group.variants)]
        row.append("\n".join(group.papers))
        if field == "metrics":
            values = [
                f"{m.value} ({m.paper_id}{', ' + m.dataset if m.dataset else ''})"
                for m in group.mentions
                if m.value
            ]
            row.append("\n".join(values))
        table.rows.append(row)
    return table


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _overview(index: RunIndex, min_papers: int, limit: int) -> tuple[Table, dict[str, Any]]:
    failed = index.failed
    table = Table(
        title=f"{len(index.papers)} papers ({failed} failed): most shared values",
        columns=["field", "value", "papers", "variants"],
    )
    data: dict[str, Any] = {"papers": len(index.papers), "failed": failed, "fields": {}}
    for field in FIELD_NAMES:
        groups = index.groups(field, min_papers=min_papers, limit=limit)
        data["fields"][field] = [g.to_dict() for g in groups]
        for group in groups:
            variants = "; ".join(_short(v) for v in group.variants[:4])
            table.rows.append([field, group.value, str(len(group.papers)), variants])
    return table, data


def _emit(fmt: str, table: Table, data: Any) -> None:
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "md":
        click.echo(to_markdown(table), nl=False)
    elif fmt == "csv":
        click.echo(to_csv(table), nl=False)
    else:
        out_console.print(to_rich(table))


@click.command("compare")
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.argument("paper_ids", nargs=-1, metavar="[ID]...")
@click.option(
    "--by",
    "by",
    type=click.Choice(FIELD_NAMES),
    help="Group one field by canonical value, largest group first.",
)
@click.option("--matrix", is_flag=True, help="With --by: papers x values (tick or metric value).")
@click.option(
    "--papers",
    "papers",
    multiple=True,
    metavar="ID",
    help="Papers side by side: --papers ID [ID ...] (ids may also be comma-separated).",
)
@click.option(
    "--min-papers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Keep values mentioned by at least N papers.",
)
@click.option("--limit", type=click.IntRange(min=1), help="Keep at most N groups (columns).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "md", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
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
    min_papers: int,
    limit: int | None,
    fmt: str,
    aliases: Path | None,
) -> None:
    """Compare the papers of a run: shared datasets, metrics, methods, tasks, claims.

    RUN_DIR is a folder written by `paperfields run` (or its records.jsonl).
    Examples: `compare RUN --by datasets`, `compare RUN --by metrics --matrix`,
    `compare RUN --papers 1512.03385 1904.01169 --format md`.
    """
    if paper_ids and not papers:
        raise click.UsageError(f"unexpected argument {paper_ids[0]!r} (paper ids need --papers)")
    ids = [pid.strip() for value in (*papers, *paper_ids) for pid in value.split(",")]
    ids = [pid for pid in ids if pid]
    if matrix and not by:
        raise click.UsageError("--matrix needs --by FIELD")
    if ids and by:
        raise click.UsageError("use either --papers or --by, not both")
    index = open_run(run_dir, aliases=load_aliases(aliases) if aliases else None)
    for warning in index.warnings:
        err_console.print(f"warning: {warning}", markup=False, highlight=False)
    if ids:
        side = index.side_by_side(ids)
        _emit(fmt, side.to_table(), side.to_dict())
    elif by and matrix:
        grid = index.matrix(by, min_papers=min_papers, limit=limit)
        _emit(fmt, grid.to_table(), grid.to_dict())
    elif by:
        groups = index.groups(by, min_papers=min_papers, limit=limit)
        title = f"{FIELD_LABELS[by]}: {len(groups)} values"
        _emit(fmt, _groups_table(by, groups, title), [g.to_dict() for g in groups])
    else:
        table, data = _overview(index, min_papers, limit or OVERVIEW_LIMIT)
        _emit(fmt, table, data)


commands: list[click.Command] = [compare_command]
