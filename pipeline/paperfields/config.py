"""Run configuration: frozen value objects, defaults as named constants, environment read once.

:class:`RunConfig` holds everything a run needs and :class:`LLMConfig` the part
that only matters when a model is used. Library code takes these objects as
arguments and never reads the environment; :meth:`RunConfig.from_env` is the
one place that does (``OPENAI_API_KEY``, ``OPENAI_BASE_URL``,
``PAPERFIELDS_CACHE_DIR``, ``PAPERFIELDS_MODEL``), called by the CLI.

The API key is kept out of ``repr`` so it never reaches a log line.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from .errors import ConfigError
from .fields import FieldsSpec

__all__ = [
    "BATCH_MAX_BYTES",
    "BATCH_MAX_REQUESTS",
    "DEFAULT_BATCH_POLL_MAX_S",
    "DEFAULT_BATCH_POLL_S",
    "DEFAULT_BATCH_RETRIES",
    "BatchSettings",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_MAX_ABSTRACT_CHARS",
    "DEFAULT_MAX_ITEMS_PER_FIELD",
    "DEFAULT_MODEL",
    "FIELDS_NEED_LLM",
    "ExtractorChoice",
    "LLMConfig",
    "OFFLINE_SPANS",
    "OfflineSpans",
    "OutputMode",
    "RunConfig",
    "default_cache_dir",
    "is_official_openai",
    "public_base_url",
]

DEFAULT_MODEL = "gpt-5-mini"
DEFAULT_CONCURRENCY = 8
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MAX_ATTEMPTS = 6
DEFAULT_MAX_WAIT_S = 120.0
DEFAULT_REPAIR_ATTEMPTS = 2
DEFAULT_MAX_TOKENS = 4096
DEFAULT_MAX_ABSTRACT_CHARS = 20_000
DEFAULT_PROMPT_VERSION = "v2"
DEFAULT_MAX_ITEMS_PER_FIELD = 50
DEFAULT_BATCH_POLL_S = 10.0
DEFAULT_BATCH_POLL_MAX_S = 300.0
DEFAULT_BATCH_RETRIES = 2
BATCH_MAX_REQUESTS = 50_000
BATCH_MAX_BYTES = 200_000_000

OutputMode = Literal["auto", "json_schema", "json_object", "tools", "text"]
ExtractorChoice = Literal["auto", "offline", "openai"]
# The offline extractor's span convention: "entities" lists names as
# examples/eval/GUIDELINES.md does; "mentions" every mention as SciREX annotates.
OfflineSpans = Literal["entities", "mentions"]
OFFLINE_SPANS: tuple[OfflineSpans, ...] = ("entities", "mentions")

FIELDS_NEED_LLM = (
    "user-defined fields (--fields) need an LLM: the offline extractor cannot fill them. "
    "Set OPENAI_API_KEY, or pass --base-url http://localhost:11434/v1 for a local "
    "OpenAI-compatible server (and drop --offline)"
)


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Return the per-user cache folder: ``$PAPERFIELDS_CACHE_DIR``, else XDG, else ~/.cache."""
    env = os.environ if environ is None else environ
    if env.get("PAPERFIELDS_CACHE_DIR"):
        return Path(env["PAPERFIELDS_CACHE_DIR"]).expanduser()
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "paperfields"


def public_base_url(url: str | None, *, path: bool = True) -> str | None:
    """Return ``url`` safe to write down: no user:password, no query string or fragment.

    Hosts are lowercased; ``path=False`` keeps only ``scheme://host[:port]``.
    """
    if not url:
        return url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme.lower(), netloc, parts.path if path else "", "", ""))


def _check_base_url(url: str) -> None:
    """Raise ConfigError for a base URL that cannot be used (no credentials in the message)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as e:
        what = "an invalid port" if "port" in str(e).lower() else "an invalid address"
        raise ConfigError(f"--base-url has {what} ({e})") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            "--base-url must start with http:// or https:// and name a host, "
            "such as http://localhost:8000/v1"
        )


def is_official_openai(base_url: str | None) -> bool:
    """True for the official OpenAI API: no base URL, or a host under ``api.openai.com``."""
    if not base_url:
        return True
    host = (urlsplit(base_url).hostname or "").lower()
    return host == "api.openai.com" or host.endswith(".api.openai.com")


@dataclass(frozen=True, slots=True)
class LLMConfig:
    """How to reach and use a model through the OpenAI-compatible Chat Completions API.

    ``max_attempts`` and ``max_wait_s`` bound transport retries (429, 5xx,
    timeouts); ``repair_attempts`` bounds re-asks after a reply fails
    validation. ``cache_dir=None`` means :func:`default_cache_dir`. ``price``
    is ``(input, output, cached_input)`` US dollars per million tokens; without
    it only OpenAI's own endpoint is priced (from the shipped price table).
    """

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: OutputMode = "auto"
    concurrency: int = DEFAULT_CONCURRENCY
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    max_wait_s: float = DEFAULT_MAX_WAIT_S
    repair_attempts: int = DEFAULT_REPAIR_ATTEMPTS
    max_tokens: int = DEFAULT_MAX_TOKENS
    temperature: float | None = None
    rpm: float | None = None
    prompt_version: str = DEFAULT_PROMPT_VERSION
    cache_dir: Path | None = None
    use_cache: bool = True
    record_path: Path | None = None
    replay_path: Path | None = None
    price: tuple[float, float, float] | None = None

    def __post_init__(self) -> None:
        for name in ("cache_dir", "record_path", "replay_path"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Path):
                object.__setattr__(self, name, Path(value))
        if self.concurrency < 1:
            raise ConfigError(f"--concurrency must be at least 1, got {self.concurrency}")
        if self.timeout_s <= 0:
            raise ConfigError(f"--timeout must be positive, got {self.timeout_s}")
        if self.max_attempts < 1:
            raise ConfigError(f"--max-attempts must be at least 1, got {self.max_attempts}")
        if self.repair_attempts < 0:
            raise ConfigError(f"--repair-attempts must be 0 or more, got {self.repair_attempts}")
        if self.max_tokens < 16:
            raise ConfigError(f"--max-tokens must be at least 16, got {self.max_tokens}")
        if self.rpm is not None and self.rpm <= 0:
            raise ConfigError(f"--rpm must be positive, got {self.rpm}")
        if self.base_url is not None:
            _check_base_url(self.base_url)
        if self.record_path is not None and self.replay_path is not None:
            raise ConfigError("--record and --replay cannot be used together")
        if self.price is not None and (len(self.price) != 3 or min(self.price) < 0):
            raise ConfigError("--price needs three amounts of 0 or more: input,output,cached")

    @property
    def resolved_cache_dir(self) -> Path:
        """The cache folder actually used."""
        return self.cache_dir if self.cache_dir is not None else default_cache_dir()

    @property
    def configured(self) -> bool:
        """True when a key, a base URL or a replay file says a model can be used."""
        return bool(self.api_key or self.base_url or self.replay_path)


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """How ``paperfields run --batch`` uses the OpenAI Batch API (half price, 24 h window).

    ``wait`` polls until every batch is done and collected; without it a run
    submits, collects what is already done and returns. ``poll_s`` is the first
    pause between polls, doubling up to ``poll_max_s``. Input files are split
    above ``max_requests`` lines or ``max_bytes`` bytes (the API's limits:
    50,000 requests, 200 MB). A request that failed inside a batch (429, 5xx,
    expired) is sent again up to ``retries`` times, in a new batch or, with
    ``retry_live``, live at the standard price (repair re-asks follow the same
    choice). ``command`` is the command line that collects, for the summary and
    ``run.json``.
    """

    wait: bool = False
    poll_s: float = DEFAULT_BATCH_POLL_S
    poll_max_s: float = DEFAULT_BATCH_POLL_MAX_S
    max_requests: int = BATCH_MAX_REQUESTS
    max_bytes: int = BATCH_MAX_BYTES
    retries: int = DEFAULT_BATCH_RETRIES
    retry_live: bool = False
    command: str | None = None

    def __post_init__(self) -> None:
        if self.poll_s <= 0 or self.poll_max_s < self.poll_s:
            raise ConfigError("--poll-interval must be positive (and at most the longest pause)")
        if self.max_requests < 1 or self.max_bytes < 1024:
            raise ConfigError("batch file limits must allow at least 1 request and 1 KiB")
        if self.retries < 0:
            raise ConfigError(f"--batch-retries must be 0 or more, got {self.retries}")


@dataclass(frozen=True, slots=True)
class RunConfig:
    """Everything one run needs besides its input paths.

    ``extractor="auto"`` picks the LLM when :attr:`LLMConfig.configured`, else
    the offline extractor. ``progress=None`` shows a bar only on a terminal.
    ``limit`` takes the first N papers of the inputs, ``sample`` N papers spread
    over them (chosen by ``seed``); ``reextract`` lets a run replace the records
    that another extractor, prompt or schema left in ``out_dir``. ``batch`` sends
    the requests through the OpenAI Batch API instead of live. ``offline_spans``
    is the offline extractor's span convention (:data:`OfflineSpans`). ``fields`` adds
    user-defined fields, which only an LLM can fill: a config with ``fields`` and
    no LLM is refused. ``max_items_per_field`` caps the items grounding keeps per
    field of one paper; ``workers`` is how many processes an offline run extracts
    on (None: every core).
    """

    out_dir: Path
    input_format: str | None = None
    extractor: ExtractorChoice = "auto"
    llm: LLMConfig = field(default_factory=LLMConfig)
    max_abstract_chars: int = DEFAULT_MAX_ABSTRACT_CHARS
    max_cost_usd: float | None = None
    progress: bool | None = None
    limit: int | None = None
    sample: int | None = None
    seed: int = 0
    reextract: bool = False
    batch: BatchSettings | None = None
    offline_spans: OfflineSpans = "entities"
    fields: FieldsSpec | None = None
    max_items_per_field: int = DEFAULT_MAX_ITEMS_PER_FIELD
    workers: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "out_dir", Path(self.out_dir))
        if self.workers is not None and self.workers < 1:
            raise ConfigError(f"--workers must be at least 1, got {self.workers}")
        if self.max_items_per_field < 1:
            raise ConfigError(
                f"--max-items-per-field must be at least 1, got {self.max_items_per_field}"
            )
        if self.batch is not None and self.max_cost_usd is not None:
            raise ConfigError(
                "--max-cost cannot be used with --batch (a batch's cost is known when it "
                "finishes); --dry-run --batch shows the estimate"
            )
        if self.offline_spans not in OFFLINE_SPANS:
            raise ConfigError(
                f"--offline-spans must be one of {', '.join(OFFLINE_SPANS)}, "
                f"got {self.offline_spans!r}"
            )
        if self.limit is not None and self.limit < 1:
            raise ConfigError(f"--limit must be at least 1, got {self.limit}")
        if self.sample is not None and self.sample < 1:
            raise ConfigError(f"--sample must be at least 1, got {self.sample}")
        if self.limit is not None and self.sample is not None:
            raise ConfigError("--limit and --sample cannot be used together")
        if self.max_abstract_chars < 1:
            raise ConfigError("--max-abstract-chars must be positive")
        if self.max_cost_usd is not None and self.max_cost_usd < 0:
            raise ConfigError(f"--max-cost must be 0 or more, got {self.max_cost_usd}")
        if self.fields is not None and not self.uses_llm:
            raise ConfigError(FIELDS_NEED_LLM)

    @property
    def uses_llm(self) -> bool:
        """True when this run extracts with a model rather than the offline rules."""
        if self.extractor == "offline":
            return False
        if self.extractor == "openai":
            return True
        return self.llm.configured

    @property
    def resolved_workers(self) -> int:
        """Worker processes for an offline run: ``workers``, else the cores available."""
        if self.workers is not None:
            return self.workers
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # not on Linux
            return max(1, os.cpu_count() or 1)

    def replace(self, **changes: Any) -> RunConfig:
        """Return a copy with ``changes`` applied (nested ``llm`` changes via ``llm=``)."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(
        cls,
        out_dir: Path,
        *,
        environ: Mapping[str, str] | None = None,
        llm: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> RunConfig:
        """Build a config from explicit options, filling unset LLM settings from the environment.

        Explicit values (not None) win over ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``,
        ``PAPERFIELDS_MODEL`` and ``PAPERFIELDS_CACHE_DIR``.
        """
        env = os.environ if environ is None else environ
        given = {k: v for k, v in (llm or {}).items() if v is not None}
        given.setdefault("api_key", env.get("OPENAI_API_KEY") or None)
        given.setdefault("base_url", env.get("OPENAI_BASE_URL") or None)
        if env.get("PAPERFIELDS_MODEL"):
            given.setdefault("model", env["PAPERFIELDS_MODEL"])
        given.setdefault("cache_dir", default_cache_dir(env))
        opts = {k: v for k, v in options.items() if v is not None}
        return cls(out_dir=Path(out_dir), llm=LLMConfig(**given), **opts)
