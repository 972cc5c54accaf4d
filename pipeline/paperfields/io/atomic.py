"""Whole-or-nothing file writes: write beside the target, then move over it in one step.

Every file paperfields produces in one go (``papers.jsonl``, ``run.json``,
exports, the remembered-mode file) is written through :func:`replacing`, so a
reader never sees half a file and a failure leaves the previous file as it was
(and no temporary file behind). :func:`prepare_target` checks an output path
before anything is built for it, so a folder where a file should go (or a
file where a folder should be) is one clear error, not a half-done export.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError

__all__ = ["prepare_target", "replacing"]


def prepare_target(path: Path, *, folder: bool = False) -> None:
    """Make sure ``path`` can be written as a file (or, with ``folder``, as a folder).

    Creates the missing parent folders, and writes and removes a probe file
    where the output will go, so a read-only place fails here, before any work.

    Raises:
        OutputError: a folder stands where the file should go, a file stands where a
            folder should be (``path`` or a parent), or the place cannot be written.
    """
    if folder:
        if path.exists() and not path.is_dir():
            raise OutputError(f"{path} is a file, not a folder; name a folder to write into")
    elif path.is_dir():
        raise OutputError(f"{path} is a folder, but a file is to be written there")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"cannot write {path}: {parent} is a file, not a folder")
            break
    target = path if folder else path.parent
    try:
        target.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=target, prefix=".paperfields-probe-")
        os.close(handle)
        os.unlink(probe)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror}") from e


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it over ``path`` when the block succeeds.

    The temporary name carries the process id, so two processes replacing the same
    file never write into each other's temporary file. On an exception (including
    a generator being closed early) the temporary file is removed and ``path`` is
    left untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    tmp.unlink(missing_ok=True)
    try:
        yield tmp
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
