"""The ``paperfields`` command line: one click group, one module per command family.

Each command is thin: it builds a :class:`~paperfields.config.RunConfig`, calls
one library function and prints a summary. Exit codes: 0 when every paper is
ok, 1 when some papers failed (they are listed in ``errors.jsonl``), 2 for a
usage or input error. A :class:`~paperfields.errors.PipelineError` becomes a
one-line message on stderr; set ``PAPERFIELDS_RAISE_ERRORS=1`` to see the
traceback instead.

Commands are loaded when they run: the group knows each command's module and
one-line help (:data:`COMMANDS`), so ``paperfields --help`` imports none of
them, and ``paperfields cache stats`` never loads the comparison or the SDK.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

import click

__all__ = ["COMMANDS", "main"]


class LazyCommand(NamedTuple):
    """Where a command lives (``paperfields.cli.<module>.<attribute>``) and its help line."""

    module: str
    attribute: str
    help: str


COMMANDS: dict[str, LazyCommand] = {
    "batch": LazyCommand(
        "batch",
        "batch_group",
        "Look at or cancel the Batch API batches of a run folder (see `run --batch`).",
    ),
    "cache": LazyCommand("cache", "cache", "Inspect or empty the LLM extraction cache."),
    "compare": LazyCommand(
        "compare",
        "compare_command",
        "Compare the papers of a run: shared datasets, metrics, methods, tasks, claims, results.",
    ),
    "eval": LazyCommand(
        "evaluate",
        "eval_command",
        "Score extraction against gold: P/R/F1 per field and macro-F1.",
    ),
    "export": LazyCommand(
        "export",
        "export_command",
        "Export the records of a run for spreadsheets, databases or a browser.",
    ),
    "extract": LazyCommand(
        "run",
        "extract_command",
        "Only extract and ground RUN_DIR/papers.jsonl into RUN_DIR/records.jsonl (resumable).",
    ),
    "ingest": LazyCommand(
        "run",
        "ingest_command",
        "Only read INPUT files into RUN_DIR/papers.jsonl (bad entries go to errors.jsonl).",
    ),
    "run": LazyCommand(
        "run",
        "run_command",
        "Ingest INPUT files, extract fields from every paper and ground them (the main job).",
    ),
    "schema": LazyCommand(
        "run",
        "schema_command",
        "Print the JSON Schema of a stored record (one line of records.jsonl).",
    ),
}
"""Every command: name -> module, attribute and the first line of its help."""


class LazyGroup(click.Group):
    """A click group that imports a command's module only when that command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        known = COMMANDS.get(cmd_name)
        if known is None:
            return super().get_command(ctx, cmd_name)
        module = importlib.import_module(f"{__name__}.{known.module}")
        command: click.Command = getattr(module, known.attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            known = COMMANDS.get(name)
            # A help-only stand-in shortens the line exactly as the real command would.
            command = click.Command(name, help=known.help) if known else self.commands[name]
            rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="paperfields")
def main() -> None:
    """Turn scientific paper abstracts into validated, structured, comparable records.

    Start with `paperfields run examples/hf-papers-page.txt`.
    """
