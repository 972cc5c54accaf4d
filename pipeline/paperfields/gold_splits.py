"""One split of a gold file: the papers whose ``split`` is NAME, kept or written as an input.

A gold file may give each paper a ``split`` (``dev`` for the part rules are developed
on, ``test`` for the held-back part; see ``examples/eval/GUIDELINES.md``).
:func:`select_split` keeps the gold papers of one split, for the names
(:func:`paperfields.evaluate.score_records`) and for the proposed method and results
(:func:`paperfields.evaluate_results.score_records_extras`) alike; a split no paper
has is an error naming the splits the file has. :func:`write_gold_subset` writes the
lines of those papers to a JSONL file, so that ``paperfields eval --run GOLD --split
NAME`` extracts only them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Protocol, TypeVar

from .errors import ConfigError, InputError
from .io.jsonl import JsonlAppender, iter_jsonl

__all__ = ["select_split", "write_gold_subset"]


class _InSplit(Protocol):
    @property
    def split(self) -> str | None: ...


_Gold = TypeVar("_Gold", bound=_InSplit)


def select_split(
    papers: Mapping[str, _Gold], split: str | None, *, path: str | Path
) -> dict[str, _Gold]:
    """Keep the gold papers whose ``split`` is ``split``; every paper when it is None.

    Args:
        papers: gold papers by id, from :func:`~paperfields.evaluate.load_gold` or
            :func:`~paperfields.evaluate_results.load_gold_extras`.
        split: the split to keep, e.g. ``"test"`` (the held-back part), or None.
        path: the gold file, named in the error.

    Returns:
        The kept papers by id, in file order.

    Raises:
        ConfigError: no paper has that split; the message names the splits the file has.
    """
    if split is None:
        return dict(papers)
    kept = {paper_id: paper for paper_id, paper in papers.items() if paper.split == split}
    if kept:
        return kept
    splits = sorted({paper.split for paper in papers.values() if paper.split})
    has = f"its splits are {', '.join(splits)}" if splits else "it gives no paper a 'split'"
    raise ConfigError(f"{path}: no gold paper has split {split!r}; {has}")


def write_gold_subset(gold_path: str | Path, ids: Collection[str], target: Path) -> Path:
    """Write the lines of a gold file whose ``id`` is in ``ids`` to ``target``, a JSONL file.

    The file is an input like the gold file itself, so its papers get the same ids
    when the pipeline runs over it.

    Args:
        gold_path: the gold JSONL file.
        ids: the ids of the papers to keep (e.g. those :func:`select_split` kept).
        target: the JSONL file to write (replaced if it exists).

    Returns:
        ``target``.

    Raises:
        InputError: the gold file is missing or a line is not a JSON object.
        OSError: ``target`` cannot be written.
    """
    path = Path(gold_path)
    if not path.is_file():
        raise InputError("gold file not found", path=str(path))
    with JsonlAppender(target, truncate=True) as out:
        for _, obj in iter_jsonl(path):
            if obj.get("id") in ids:
                out.write(obj)
    return target
