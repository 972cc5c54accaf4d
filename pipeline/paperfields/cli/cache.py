"""Commands of the `cache` family: `paperfields cache stats` and `paperfields cache clear`.

The cache folder holds validated LLM extractions (see :mod:`paperfields.llm.cache`)
and the remembered output mode per endpoint and model. Both commands default
to the folder a run would use (``$PAPERFIELDS_CACHE_DIR``, else the per-user
cache folder) and accept ``--cache-dir``. Both work on a damaged cache:
``stats`` says what is wrong, ``clear`` removes it. ``clear`` asks for
confirmation; where no answer can be read (no terminal) it needs ``-y``.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..config import default_cache_dir
from ..errors import ConfigError
from ..llm.cache import cache_stats, clear_cache
from .common import handle_errors

__all__ = ["cache", "commands"]

_CACHE_DIR_OPTION = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Cache folder (default: $PAPERFIELDS_CACHE_DIR or ~/.cache/paperfields).",
)


@click.group()
def cache() -> None:
    """Inspect or empty the LLM extraction cache."""


@cache.command("stats")
@_CACHE_DIR_OPTION
@handle_errors
def stats_command(cache_dir: Path | None) -> None:
    """Show the cache folder, its entries and its size on disk."""
    folder = cache_dir or default_cache_dir()
    stats = cache_stats(folder)
    click.echo(f"folder:  {stats.directory}")
    if stats.problem is None:
        click.echo(f"entries: {stats.entries}")
    else:
        click.echo(
            f"entries: unreadable, the cache is damaged ({stats.problem}); the next run moves "
            "it aside and starts afresh, `paperfields cache clear` removes it"
        )
    if stats.set_aside:
        click.echo(f"set aside: {stats.set_aside} damaged cache(s) moved aside by earlier runs")
    click.echo(f"size:    {_human_size(stats.size_bytes)} ({stats.size_bytes} bytes)")
    for endpoint_model, mode in sorted(stats.modes.items()):
        click.echo(f"mode:    {endpoint_model} -> {mode}")


@cache.command("clear")
@_CACHE_DIR_OPTION
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@handle_errors
def clear_command(cache_dir: Path | None, yes: bool) -> None:
    """Remove every cached extraction and remembered output mode."""
    folder = cache_dir or default_cache_dir()
    if not yes:
        try:
            click.confirm(f"Remove every cached extraction in {folder}?", abort=True)
        except click.Abort as e:
            if isinstance(e.__context__, EOFError):  # no terminal, nothing to read an answer from
                raise ConfigError(
                    f"cache clear asks before removing {folder}, and no answer can be read "
                    "(no terminal); pass -y (--yes) to clear it"
                ) from None
            raise
    removed = clear_cache(folder)
    click.echo(f"removed {removed} entries from {folder}")


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover


commands: list[click.Command] = [cache]
