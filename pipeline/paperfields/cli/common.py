"""Pieces every command shares: extractor flags, config building and error-to-exit-code mapping.

:func:`extractor_options` adds the flags that choose and tune the extractor
(``--offline``, ``--model``, ``--base-url``, ``--concurrency``, ``--fields`` ...)
to any command that extracts; :func:`config_from_flags` turns them into a
:class:`~paperfields.config.RunConfig` (the only place the CLI reads the
environment, through :meth:`RunConfig.from_env`). :func:`handle_errors` makes a
:class:`~paperfields.errors.PipelineError`, or a file-system error (``OSError``:
read-only folder, permission denied, disk full, a directory where a file
should be), a one-line message and exit code 2.
"""

from __future__ import annotations

import errno
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import rich.markup
from rich.console import Console

from ..config import (
    DEFAULT_CONCURRENCY,
    DEFAULT_MAX_ITEMS_PER_FIELD,
    DEFAULT_MODEL,
    OFFLINE_SPANS,
    RunConfig,
)
from ..errors import PipelineError
from ..fields import resolve_spec

__all__ = [
    "EXIT_INPUT",
    "config_from_flags",
    "describe_os_error",
    "err_console",
    "extractor_options",
    "handle_errors",
    "out_console",
]

EXIT_INPUT = 2

err_console = Console(stderr=True, highlight=False)
out_console = Console(highlight=False)

F = TypeVar("F", bound=Callable[..., Any])

_MODES = click.Choice(["auto", "json_schema", "json_object", "tools", "text"])


def handle_errors(func: F) -> F:
    """Turn PipelineError and OSError into 'paperfields: error: ...' and exit 2.

    ``PAPERFIELDS_RAISE_ERRORS=1`` re-raises them instead, with the traceback.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (PipelineError, OSError) as error:
            if os.environ.get("PAPERFIELDS_RAISE_ERRORS"):
                raise
            text = describe_os_error(error) if isinstance(error, OSError) else str(error)
            message = rich.markup.escape(text)  # "[parquet]" is text, not markup
            err_console.print(f"[bold red]paperfields: error:[/] {message}", soft_wrap=True)
            raise SystemExit(EXIT_INPUT) from error

    return wrapper  # type: ignore[return-value]


def _parse_price(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[float, float, float] | None:
    """``"0.25,2.0"`` or ``"0.25,2.0,0.025"`` -> (input, output, cached input)."""
    if value is None:
        return None
    try:
        amounts = [float(part) for part in value.split(",")]
    except ValueError:
        amounts = []
    if len(amounts) not in (2, 3) or min(amounts) < 0:
        raise click.BadParameter("give USD per 1M tokens as IN,OUT or IN,OUT,CACHED")
    price_in, price_out = amounts[0], amounts[1]
    return (price_in, price_out, amounts[2] if len(amounts) == 3 else price_in)


_OS_HINTS = {
    errno.ENOSPC: "the disk is full; records written so far are kept: free some space and "
    "rerun the same command to finish",
    errno.EDQUOT: "the disk quota is used up; free some space and rerun the same command",
    errno.EROFS: "the file system is read-only; choose another folder",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EISDIR: "a folder stands where a file should be",
    errno.ENOTDIR: "a file stands where a folder should be",
}


def describe_os_error(error: OSError) -> str:
    """One line for a file-system error: the path(s), what the system said, and what to do."""
    what = _OS_HINTS.get(error.errno or 0) or error.strerror or type(error).__name__
    if error.errno in _OS_HINTS and error.strerror:
        what = f"{error.strerror}: {what}" if error.errno != errno.EACCES else error.strerror
    where = ""
    target = error.filename2 if error.filename2 is not None else error.filename
    if target is not None:  # a rename names its target second: that is the path that matters
        where = f"{os.fsdecode(target)}: "
    if not where and not error.strerror:
        return f"file-system error: {error}"
    return f"{where}{what}".replace("\n", " ")


def extractor_options(func: F) -> F:
    """Add the extractor-choice and LLM flags to a command."""
    options = [
        click.option(
            "--offline",
            is_flag=True,
            help="Use the offline rules extractor even if a model is configured.",
        ),
        click.option(
            "--offline-spans",
            type=click.Choice(list(OFFLINE_SPANS)),
            default="entities",
            show_default=True,
            help="Offline extractor's spans: entity names as the eval guidelines list them, "
            "or every mention as SciREX annotates (generic ones included).",
        ),
        click.option(
            "--model", help=f"Model name (default {DEFAULT_MODEL}; env PAPERFIELDS_MODEL)."
        ),
        click.option(
            "--base-url",
            help="OpenAI-compatible server URL (env OPENAI_BASE_URL).",
        ),
        click.option(
            "--mode", type=_MODES, default="auto", show_default=True, help="Structured-output mode."
        ),
        click.option(
            "--concurrency",
            type=int,
            default=DEFAULT_CONCURRENCY,
            show_default=True,
            help="Requests in flight.",
        ),
        click.option(
            "--timeout", "timeout_s", type=float, help="Seconds per request (default 60)."
        ),
        click.option("--rpm", type=float, help="Client-side limit on requests per minute."),
        click.option(
            "--max-attempts", type=int, help="Transport attempts per request (default 6)."
        ),
        click.option(
            "--max-wait",
            "max_wait_s",
            type=float,
            help="Total seconds of retry back-off per request (default 120).",
        ),
        click.option(
            "--repair-attempts", type=int, help="Re-asks after an invalid reply (default 2)."
        ),
        click.option("--max-tokens", type=int, help="Completion token limit (default 4096)."),
        click.option(
            "--temperature", type=float, help="Sampling temperature (not sent unless given)."
        ),
        click.option(
            "--prompt-version",
            help="A version under prompts/extract_fields/ (default v2), or a prompt file *.md.",
        ),
        click.option(
            "--cache-dir",
            type=click.Path(path_type=Path),
            help="Cache folder (env PAPERFIELDS_CACHE_DIR).",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
        click.option(
            "--record",
            "record_path",
            type=click.Path(path_type=Path),
            help="Save HTTP exchanges to FILE (no keys) for fixtures.",
        ),
        click.option(
            "--replay",
            "replay_path",
            type=click.Path(path_type=Path, exists=True, dir_okay=False),
            help="Serve HTTP exchanges from FILE instead of a server.",
        ),
        click.option(
            "--max-cost",
            "max_cost_usd",
            type=float,
            help="Stop starting new papers once this many USD are spent.",
        ),
        click.option(
            "--price",
            callback=_parse_price,
            metavar="IN,OUT[,CACHED]",
            help="USD per 1M tokens for this model (input, output, cached input); needed for "
            "costs on any server but OpenAI's.",
        ),
        click.option(
            "--fields",
            "fields_spec",
            type=click.Path(path_type=Path, dir_okay=False),
            metavar="SPEC",
            help="Also extract the user-defined fields of this TOML spec (needs an LLM; "
            "see examples/fields.toml).",
        ),
        click.option(
            "--workers",
            type=int,
            help="Processes for an offline run (default: every core).",
        ),
        click.option(
            "--max-items-per-field",
            type=int,
            help=f"Items kept per field of one paper (default {DEFAULT_MAX_ITEMS_PER_FIELD}).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


# Flags of extractor_options that are LLMConfig fields of the same name.
_LLM_FIELDS = (
    "model base_url mode concurrency timeout_s rpm max_attempts max_wait_s repair_attempts "
    "max_tokens temperature prompt_version cache_dir record_path replay_path price"
).split()
_OTHER_FLAGS = (
    "offline",
    "offline_spans",
    "no_cache",
    "max_cost_usd",
    "fields_spec",
    "max_items_per_field",
    "workers",
)


def config_from_flags(out_dir: Path, flags: dict[str, Any], **run_options: Any) -> RunConfig:
    """Build a RunConfig from parsed flags; unset LLM flags fall back to the environment.

    Raises:
        FieldsSpecError: the ``--fields`` spec is invalid.
        ConfigError: a flag is invalid, or ``--fields`` is given with no LLM configured.
    """
    llm = {name: flags.get(name) for name in _LLM_FIELDS}
    llm["use_cache"] = False if flags.get("no_cache") else None
    extractor = "offline" if flags.get("offline") else "auto"
    return RunConfig.from_env(
        out_dir,
        llm=llm,
        extractor=extractor,
        max_cost_usd=flags.get("max_cost_usd"),
        max_items_per_field=flags.get("max_items_per_field"),
        workers=flags.get("workers"),
        offline_spans=flags.get("offline_spans") or "entities",
        fields=resolve_spec(flags.get("fields_spec")),
        **run_options,
    )


def pop_extractor_flags(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Remove and return the flags added by :func:`extractor_options` from ``kwargs``."""
    names = (*_LLM_FIELDS, *_OTHER_FLAGS)
    return {name: kwargs.pop(name) for name in names if name in kwargs}
