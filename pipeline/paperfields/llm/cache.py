"""The extraction cache: validated answers keyed by everything that changes them.

:func:`cache_key` hashes the model, the endpoint family (scheme and host of the
base URL), the output mode, the full rendered messages (so the prompt version),
the JSON schema, the temperature, the token limit and, with user-defined fields,
the sha256 of their spec. :class:`KeyBuilder` gives the same keys for many
papers of one setup without encoding the schema and the static system prompt
again for each: it hashes that part once and continues from a copy of the hash.
:class:`ExtractionCache` is a thin :mod:`diskcache` wrapper that stores JSON
text only: a value that is not a ``str`` is refused, and an entry stored as a
pickle is treated as a miss and never unpickled. A value is the validated
answer and, once the paper was grounded, that grounding with the tag of what
it depends on (:func:`encode_answer` / :func:`decode_answer`), so a warm rerun
grounds nothing. diskcache sits on SQLite, so several processes can share
one folder. :class:`ModeMemory` keeps, in a small JSON file next to it, the
structured-output mode that worked for each (endpoint, model), so a later run
starts with it. The API key is never part of a key or a value.

A damaged cache never fails a paper. :meth:`ExtractionCache.open` reads a
little of the database first; when that fails (garbage or a truncated file, a
folder where the database file should be, a file where the folder should be)
the damaged folder is moved aside to ``extractions.broken-<time>-<pid>`` (never
deleted), reported once, and a fresh cache is made in its place; when even
that fails the run goes on without a cache, saying so. A database that breaks
later, mid-run, is reported once and the cache switches itself off.
``cache stats`` describes a damaged cache instead of failing, and ``cache
clear`` removes it (and earlier set-aside copies) whatever state it is in.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import diskcache
from diskcache.core import MODE_PICKLE
from pydantic import BaseModel, ValidationError, create_model

from ..io.atomic import replacing
from ..schemas import ExtractedFields, GroundedFields, GroundingSummary

__all__ = [
    "CACHE_FAILURES",
    "ENTRIES_DIR",
    "MODES_FILE",
    "CacheStats",
    "ExtractionCache",
    "KeyBuilder",
    "ModeMemory",
    "cache_key",
    "cache_stats",
    "clear_cache",
    "decode_answer",
    "encode_answer",
    "set_aside",
]

ENTRIES_DIR = "extractions"
BROKEN_SUFFIX = ".broken-"
CACHE_FAILURES = (sqlite3.Error, OSError)
"""What a damaged or unreachable cache raises (``sqlite3.DatabaseError`` and friends, I/O)."""
MODES_FILE = "modes.json"
KEY_VERSION = "paperfields-cache-v1"


def cache_key(
    *,
    model: str,
    endpoint: str,
    mode: str,
    messages: Iterable[Mapping[str, Any]],
    schema: Mapping[str, Any],
    temperature: float | None,
    max_tokens: int,
    fields_spec: str | None = None,
) -> str:
    """Return the sha256 hex key of one extraction request.

    Args:
        model: the model id sent to the server.
        endpoint: the endpoint family (``scheme://host[:port]``) of the base URL.
        mode: the concrete output mode (``json_schema``, ``json_object``, ``tools``, ``text``).
        messages: the full rendered messages of the first request.
        schema: the JSON schema of the expected reply.
        temperature: the sampling temperature, None when not sent.
        max_tokens: the configured completion token limit.
        fields_spec: the sha256 of the user-defined fields spec; None (no spec) leaves
            the key as it was before user fields existed, so warm caches stay warm.
    """
    payload = {
        "v": KEY_VERSION,
        "model": model,
        "endpoint": endpoint,
        "mode": mode,
        "messages": [dict(message) for message in messages],
        "schema": schema,
        "temperature": temperature,
        "max_tokens": max_tokens,
    }
    if fields_spec is not None:
        payload["fields_spec"] = fields_spec
    return hashlib.sha256(_canonical(payload).encode("utf-8")).hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _message_json(message: Mapping[str, Any]) -> str:
    """``_canonical(dict(message))``, quicker for the usual ``{content, role}`` text message."""
    content, role = message.get("content"), message.get("role")
    if len(message) == 2 and isinstance(content, str) and isinstance(role, str):
        text, name = json.dumps(content, ensure_ascii=False), json.dumps(role, ensure_ascii=False)
        return f'{{"content":{text},"role":{name}}}'
    return _canonical(dict(message))


class KeyBuilder:
    """:func:`cache_key` for one setup and many message lists, byte for byte the same key.

    The canonical JSON that :func:`cache_key` hashes has its keys sorted:
    ``endpoint``, (``fields_spec``,) ``max_tokens``, ``messages``, ``mode``, ``model``,
    ``schema``, ``temperature``, ``v``. Everything before the messages, and the first
    (system) message when it repeats, is hashed once; each key continues from a copy
    of that hash with the remaining messages and the encoded tail (mode ... v).

    Args:
        model, endpoint, mode, schema, temperature, max_tokens, fields_spec: as for
            :func:`cache_key`.
    """

    def __init__(
        self,
        *,
        model: str,
        endpoint: str,
        mode: str,
        schema: Mapping[str, Any],
        temperature: float | None,
        max_tokens: int,
        fields_spec: str | None = None,
    ) -> None:
        head = f'{{"endpoint":{_canonical(endpoint)}'
        if fields_spec is not None:
            head += f',"fields_spec":{_canonical(fields_spec)}'
        head += f',"max_tokens":{_canonical(max_tokens)}'
        self._head = hashlib.sha256(f'{head},"messages":['.encode())
        tail = {
            "mode": mode,
            "model": model,
            "schema": schema,
            "temperature": temperature,
            "v": KEY_VERSION,
        }
        self._tail = ("]," + _canonical(tail)[1:]).encode("utf-8")
        self._first: tuple[Mapping[str, Any], Any] | None = None

    def key(self, messages: Sequence[Mapping[str, Any]]) -> str:
        """Return :func:`cache_key` of these messages with this builder's settings."""
        if not messages:
            digest = self._head.copy()
        else:
            digest = self._after_first(messages[0])
        rest = "".join("," + _message_json(message) for message in messages[1:])
        digest.update(rest.encode("utf-8"))
        digest.update(self._tail)
        return digest.hexdigest()

    def _after_first(self, first: Mapping[str, Any]) -> Any:
        cached = self._first
        if cached is None or cached[0] != first:
            state = self._head.copy()
            state.update(_canonical(dict(first)).encode("utf-8"))
            cached = self._first = (dict(first), state)
        return cached[1].copy()


Grounding = tuple[str, GroundedFields, GroundingSummary]
"""A grounding made for a cached answer: its tag (what it depends on), fields and summary."""


class _CachedGrounding(BaseModel):
    tag: str
    fields: GroundedFields
    summary: GroundingSummary


@functools.lru_cache(maxsize=16)
def _cached_answer(model: type[BaseModel]) -> type[BaseModel]:
    """The model of a cache value whose answer is a ``model`` (the reply model asked for)."""
    return create_model(
        f"Cached{model.__name__}",
        fields=(model, ...),
        ground=(_CachedGrounding | None, None),
    )


def encode_answer(fields_json: str, grounding: Grounding | None = None) -> str:
    """The cache value of an answer (``ExtractedFields`` JSON text) and, if known, its grounding."""
    if grounding is None:
        return f'{{"fields":{fields_json}}}'
    tag, fields, summary = grounding
    return (
        f'{{"fields":{fields_json},"ground":{{"tag":{json.dumps(tag)},'
        f'"fields":{fields.model_dump_json()},"summary":{summary.model_dump_json()}}}}}'
    )


def decode_answer(
    text: str, model: type[BaseModel] = ExtractedFields
) -> tuple[BaseModel, Grounding | None] | None:
    """Read a cache value (also the bare answer JSON of earlier versions).

    Args:
        text: the stored value.
        model: the reply model the answer must validate as.

    Returns:
        The answer and its stored grounding (or None), or None when the value does
        not validate (the caller drops it).
    """
    try:
        answer = _cached_answer(model).model_validate_json(text)
    except ValidationError:
        try:
            return model.model_validate_json(text), None
        except ValidationError:
            return None
    fields: BaseModel = getattr(answer, "fields")  # noqa: B009  (a dynamic model)
    ground: _CachedGrounding | None = getattr(answer, "ground")  # noqa: B009
    if ground is None:
        return fields, None
    return fields, (ground.tag, ground.fields, ground.summary)


class _TextOnlyDisk(diskcache.Disk):  # type: ignore[misc]
    """A diskcache ``Disk`` that stores text and never unpickles."""

    def store(self, value: Any, read: bool, key: Any = diskcache.UNKNOWN) -> Any:
        if not isinstance(value, str):
            raise TypeError("the extraction cache stores JSON text only")
        return super().store(value, read, key=key)

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
        if mode == MODE_PICKLE:
            return None
        return super().fetch(mode, filename, value, read)


@dataclass(frozen=True, slots=True)
class CacheStats:
    """What ``paperfields cache stats`` shows; ``problem`` says why entries could not be counted."""

    directory: Path
    entries: int
    size_bytes: int
    modes: dict[str, str]
    problem: str | None = None
    set_aside: int = 0


class ExtractionCache:
    """Validated extraction results as JSON text, in a diskcache folder.

    Use as a context manager or call :meth:`close`. The folder is created on
    first use. Prefer :meth:`open`, which recovers from a damaged folder. With
    ``on_problem`` given, a failure of a read or a write is reported once
    through it and the cache turns itself off (reads miss, writes are
    dropped) instead of raising.
    """

    def __init__(self, directory: Path, *, on_problem: Callable[[str], None] | None = None) -> None:
        self.directory = directory
        self._on_problem = on_problem
        self._off = False
        self._cache = diskcache.Cache(str(directory), disk=_TextOnlyDisk)

    @classmethod
    def open(
        cls, directory: Path, *, on_problem: Callable[[str], None]
    ) -> ExtractionCache | None:
        """Open the cache in ``directory``, setting a damaged one aside; None when impossible.

        Args:
            directory: the cache's entries folder.
            on_problem: told, in one line, what was wrong and what was done about it.

        Returns:
            A working cache, or None when the run has to go on without one.
        """
        try:
            return cls._probed(directory, on_problem)
        except CACHE_FAILURES as error:
            damage = _describe(error)
        try:
            aside = set_aside(directory)
        except OSError as error:
            on_problem(
                f"the cache at {directory} cannot be used ({damage}) nor moved aside "
                f"({_describe(error)}); this run goes on without a cache"
            )
            return None
        try:
            cache = cls._probed(directory, on_problem)
        except CACHE_FAILURES as error:
            on_problem(
                f"the cache at {directory} was damaged ({damage}) and moved to {aside}, and a "
                f"new one cannot be made ({_describe(error)}); this run goes on without a cache"
            )
            return None
        on_problem(
            f"the cache at {directory} was damaged ({damage}); it was moved to {aside} and a "
            "new, empty cache is used"
        )
        return cache

    @classmethod
    def _probed(cls, directory: Path, on_problem: Callable[[str], None]) -> ExtractionCache:
        cache = cls(directory)
        try:
            len(cache)
            cache._cache.get("paperfields-probe")  # reads the entries table too
        except BaseException:
            cache.close()
            raise
        cache._on_problem = on_problem
        return cache

    def get(self, key: str) -> str | None:
        """Return the JSON text stored under ``key``, or None."""
        if self._off:
            return None
        try:
            value = self._cache.get(key)
        except CACHE_FAILURES as error:
            self._switch_off(error)
            return None
        return value if isinstance(value, str) else None

    def set(self, key: str, value: str) -> None:
        """Store JSON text under ``key`` (replacing any earlier value)."""
        if not self._off:
            try:
                self._cache.set(key, value)
            except CACHE_FAILURES as error:
                self._switch_off(error)

    def delete(self, key: str) -> None:
        """Forget ``key`` (used for an entry that no longer validates)."""
        if not self._off:
            try:
                self._cache.delete(key)
            except CACHE_FAILURES as error:
                self._switch_off(error)

    def __len__(self) -> int:
        return int(len(self._cache))

    def clear(self) -> int:
        """Remove every entry; return how many were removed."""
        return int(self._cache.clear())

    def close(self) -> None:
        """Close the SQLite connection."""
        try:
            self._cache.close()
        except CACHE_FAILURES:
            pass

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _switch_off(self, error: BaseException) -> None:
        if self._on_problem is None:
            raise error
        self._off = True
        self._on_problem(
            f"the cache at {self.directory} failed ({_describe(error)}); the rest of this run "
            "goes on without it (`paperfields cache clear` removes a damaged cache)"
        )


def set_aside(directory: Path) -> Path:
    """Move a damaged cache folder (or whatever stands at its path) aside; return where to.

    Raises:
        OSError: it cannot be renamed (permission, read-only file system).
    """
    stamp = time.strftime("%Y%m%dT%H%M%S")
    aside = directory.with_name(f"{directory.name}{BROKEN_SUFFIX}{stamp}-{os.getpid()}")
    os.replace(directory, aside)
    return aside


def _describe(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    if isinstance(error, OSError) and error.strerror:
        text = error.strerror
    return f"{type(error).__name__}: {text}" if isinstance(error, sqlite3.Error) else text


class ModeMemory:
    """The output mode that worked per (endpoint, model), in ``<cache_dir>/modes.json``.

    Reads tolerate a missing or damaged file; writes go through a temporary
    file and :func:`os.replace`, so a concurrent reader never sees half a file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def get(self, endpoint: str, model: str) -> str | None:
        """Return the remembered mode for ``endpoint`` and ``model``, if any."""
        value = self._load().get(_memory_key(endpoint, model))
        return value if isinstance(value, str) else None

    def remember(self, endpoint: str, model: str, mode: str) -> None:
        """Record that ``mode`` is the one to start with for ``endpoint`` and ``model``."""
        data = self._load()
        data[_memory_key(endpoint, model)] = mode
        with replacing(self.path) as tmp:
            tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    def all(self) -> dict[str, str]:
        """Return every remembered ``"<endpoint> <model>" -> mode`` entry."""
        return {k: v for k, v in self._load().items() if isinstance(v, str)}

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}


def _memory_key(endpoint: str, model: str) -> str:
    return f"{endpoint} {model}"


def cache_stats(cache_dir: Path) -> CacheStats:
    """Describe the cache folder without creating or changing it.

    A damaged entries database is described in ``problem`` (entries 0), never raised.
    """
    entries = 0
    problem = None
    entries_dir = cache_dir / ENTRIES_DIR
    if entries_dir.is_dir():
        try:
            with ExtractionCache(entries_dir) as cache:
                entries = len(cache)
        except CACHE_FAILURES as error:
            problem = _describe(error)
    elif entries_dir.exists() or entries_dir.is_symlink():
        problem = f"{entries_dir} is not a folder"
    return CacheStats(
        directory=cache_dir,
        entries=entries,
        size_bytes=_folder_size(cache_dir),
        modes=ModeMemory(cache_dir / MODES_FILE).all(),
        problem=problem,
        set_aside=len(_set_aside_copies(cache_dir)),
    )


def clear_cache(cache_dir: Path) -> int:
    """Remove every cached extraction and remembered mode; return the entries removed.

    A damaged entries database, and copies set aside by earlier runs, are
    removed whole (their entries cannot be counted, so they add nothing to the
    returned number).
    """
    removed = 0
    entries_dir = cache_dir / ENTRIES_DIR
    if entries_dir.is_dir():
        try:
            with ExtractionCache(entries_dir) as cache:
                removed = cache.clear()
        except CACHE_FAILURES:
            shutil.rmtree(entries_dir)
    elif entries_dir.exists() or entries_dir.is_symlink():
        entries_dir.unlink()
    for copy in _set_aside_copies(cache_dir):
        if copy.is_dir() and not copy.is_symlink():
            shutil.rmtree(copy)
        else:
            copy.unlink()
    modes = cache_dir / MODES_FILE
    if modes.is_dir() and not modes.is_symlink():
        shutil.rmtree(modes)
    else:
        modes.unlink(missing_ok=True)
    return removed


def _set_aside_copies(cache_dir: Path) -> list[Path]:
    if not cache_dir.is_dir():
        return []
    return sorted(cache_dir.glob(f"{ENTRIES_DIR}{BROKEN_SUFFIX}*"))


def _folder_size(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                continue
    return total
