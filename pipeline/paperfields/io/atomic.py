"""Whole-or-nothing file writes: write beside the target, then move over it in one step.

Every file paperfields produces in one go (``papers.jsonl``, ``run.json``,
exports, the remembered-mode file) is written through :func:`replacing`, so a
reader never sees half a file and a failure leaves the previous file as it was
(and no temporary file behind).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["replacing"]


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
