"""Pieces every command shares: extractor flags, config building and error-to-exit-code mapping.

:func:`extractor_options` adds the flags that choose and tune the extractor
(``--offline``, ``--model``, ``--base-url``, ``--concurrency`` ...) to any
command that extracts; :func:`config_from_flags` turns them into a
:class:`~paperfields.config.RunConfig` (the only place the CLI reads the
environment, through :meth:`RunConfig.from_env`). :func:`handle_errors` makes a
:class:`~paperfields.errors.PipelineError` a one-line message and exit code 2.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import rich.markup
from rich.console import Console

from ..config import DEFAULT_CONCURRENCY, DEFAULT_MODEL, RunConfig
from ..errors import PipelineError

__all__ = [
    "EXIT_INPUT",
    "config_from_flags",
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
    """Turn PipelineError into 'paperfields: error: ...' and exit 2 (re-raised on request)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PipelineError as error:
            if os.environ.get("PAPERFIELDS_RAISE_ERRORS"):
                raise
            message = rich.markup.escape(str(error))  # "[parquet]" is text, not markup
            err_console.print(f"[bold red]paperfields: error:[/] {message}", soft_wrap=True)
            raise SystemExit(EXIT_INPUT) from error

    return wrapper  # type: ignore[return-value]


def extractor_options(func: F) -> F:
    """Add the extractor-choice and LLM flags to a command."""
    options = [
        click.option(
            "--offline",
            is_flag=True,
            help="Use the offline rules extractor even if a model is configured.",
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
            "--prompt-version", help="Prompt version under prompts/extract_fields/ (default v1)."
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
    ]
    for option in reversed(options):
        func = option(func)
    return func


# Flags of extractor_options that are LLMConfig fields of the same name.
_LLM_FIELDS = (
    "model base_url mode concurrency timeout_s rpm max_attempts max_wait_s repair_attempts "
    "max_tokens temperature prompt_version cache_dir record_path replay_path"
).split()
_OTHER_FLAGS = ("offline", "no_cache", "max_cost_usd")


def config_from_flags(out_dir: Path, flags: dict[str, Any], **run_options: Any) -> RunConfig:
    """Build a RunConfig from parsed flags; unset LLM flags fall back to the environment."""
    llm = {name: flags.get(name) for name in _LLM_FIELDS}
    llm["use_cache"] = False if flags.get("no_cache") else None
    extractor = "offline" if flags.get("offline") else "auto"
    return RunConfig.from_env(
        out_dir,
        llm=llm,
        extractor=extractor,
        max_cost_usd=flags.get("max_cost_usd"),
        **run_options,
    )


def pop_extractor_flags(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Remove and return the flags added by :func:`extractor_options` from ``kwargs``."""
    names = (*_LLM_FIELDS, *_OTHER_FLAGS)
    return {name: kwargs.pop(name) for name in names if name in kwargs}
