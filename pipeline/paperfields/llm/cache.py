"""The extraction cache: validated answers keyed by everything that changes them.

:func:`cache_key` and :class:`KeyBuilder` (:mod:`.keys`) hash everything that
changes an answer; :func:`encode_answer` / :func:`decode_answer` (:mod:`.answers`)
make and read the values: the validated answer and, once the paper was
grounded, that grounding, so a warm rerun grounds nothing.
:class:`ExtractionCache` is a thin :mod:`diskcache` wrapper that stores JSON
text only: a value that is not a ``str`` is refused, and an entry stored as a
pickle is treated as a miss and never unpickled. diskcache sits on SQLite, so
several processes can share one folder. :class:`ModeMemory` keeps, in a small
JSON file next to it, the structured-output mode that worked for each
(endpoint, model), so a later run starts with it. The API key is never part of
a key or a value.

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

import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import diskcache
from diskcache.core import MODE_PICKLE

from ..io.atomic import replacing
from .answers import decode_answer, encode_answer
from .keys import KEY_VERSION, KeyBuilder, cache_key

__all__ = [
    "CACHE_FAILURES",
    "ENTRIES_DIR",
    "KEY_VERSION",
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
