"""One process at a time per run folder: an advisory lock the kernel drops when its holder dies.

``paperfields run``, ``ingest`` and ``extract`` hold :class:`RunFolderLock` on
``<run folder>/.paperfields.lock`` while they write the folder, so two runs
can never append the same papers to one ``records.jsonl``. The lock is
``fcntl.flock`` on the open file: the kernel releases it when the process
exits, however it exits (kill -9 included), so a lock left by a killed run is
recovered by construction, with no stale-lock cleanup to get wrong. The file
holds the holder's pid, read only to name it in the message a second run
stops with (:class:`~paperfields.errors.RunFolderBusy`). The file itself is
left in place after a run (deleting it would race with a process opening it).
On platforms without ``fcntl`` (Windows) no lock is taken.
:func:`prepare_run_folder` creates the folder first, with a clear error when
a file or a dangling symbolic link stands where the folder should be, and
:class:`HeldRunFolder` does both for a stage, removing a folder it created
when the stage stops on an input or configuration error before writing a line.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import IO

from ..errors import OutputError, PipelineError, RunFolderBusy
from .jsonl import count_lines
from .runfolder import ERRORS_FILE, RECORDS_FILE

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock is taken
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "LOCK_FILE",
    "LOCKING_SUPPORTED",
    "HeldRunFolder",
    "RunFolderLock",
    "prepare_run_folder",
]

LOCK_FILE = ".paperfields.lock"
LOCKING_SUPPORTED = fcntl is not None


def prepare_run_folder(folder: Path) -> bool:
    """Create ``folder`` (and its parents) when missing; return True when this call created it.

    Raises:
        OutputError: a file, or a symbolic link to nothing, stands at ``folder`` or at a
            parent; or the folder cannot be created (permission, read-only file system).
    """
    if folder.is_symlink() and not folder.exists():
        target = os.readlink(folder)
        raise OutputError(f"{folder} is a symbolic link to {target}, which does not exist")
    if folder.exists():
        if not folder.is_dir():
            raise OutputError(f"{folder} is a file, not a folder; choose another with -o DIR")
        return False
    for parent in folder.parents:
        if parent.exists() and not parent.is_dir():
            raise OutputError(f"cannot make the run folder {folder}: {parent} is a file")
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        return False  # made by another process meanwhile
    except OSError as e:
        raise OutputError(f"cannot make the run folder {folder}: {e.strerror}") from e
    return True


class RunFolderLock:
    """Exclusive hold on one run folder; use as a context manager.

    Raises (on enter):
        RunFolderBusy: another live process holds the folder.
        OutputError: the lock file cannot be opened (read-only folder, no permission).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LOCK_FILE
        self._fp: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock or raise at once; see the class docstring."""
        if fcntl is None:  # pragma: no cover
            return
        try:
            fp = open(self.path, "a+", encoding="utf-8")
        except OSError as e:
            raise OutputError(f"cannot write in the run folder {self.folder}: {e.strerror}") from e
        try:
            fcntl.flock(fp.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fp.seek(0)
            holder = fp.read().strip() or "unknown"
            fp.close()
            raise RunFolderBusy(
                f"{self.folder} is in use by another paperfields run (pid {holder}); "
                "wait for it to finish, or write to another folder with -o DIR"
            ) from None
        fp.seek(0)
        fp.truncate()
        fp.write(f"{os.getpid()}\n")
        fp.flush()
        self._fp = fp

    def release(self) -> None:
        """Let the folder go (closing the file drops the lock)."""
        if self._fp is not None:
            self._fp.close()
            self._fp = None

    def __enter__(self) -> RunFolderLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class HeldRunFolder:
    """Create (if needed) and lock a run folder; remove it again if this run made it for nothing.

    Use as a context manager around everything a stage writes.

    A folder this call created is removed when the run stops on a
    :class:`PipelineError` (an input with no papers, a bad setting) before any
    record or error line was written, so a failed first command leaves no
    empty run folder behind.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.created = False
        self.lock = RunFolderLock(out_dir)

    def __enter__(self) -> None:
        self.created = prepare_run_folder(self.out_dir)
        try:
            self.lock.acquire()
        except BaseException:
            self._forget(PipelineError())
            raise

    def __exit__(self, kind: object, error: BaseException | None, tb: object) -> None:
        self.lock.release()
        if error is not None:
            self._forget(error)

    def _forget(self, error: BaseException) -> None:
        if not (self.created and isinstance(error, PipelineError)):
            return
        folder = self.out_dir
        if count_lines(folder / RECORDS_FILE) or count_lines(folder / ERRORS_FILE):
            return
        shutil.rmtree(folder, ignore_errors=True)
