"""Resume: what a run folder already holds, and clearing out what a new run must redo.

:class:`DoneIndex` reads ``records.jsonl`` once, validating each line against
the record contract without keeping it: it remembers each id with the hash of
the text it was made from, the extraction setups (:class:`ExtractorIdentity`)
the records came from, and the lines that did not validate. A paper is done
when its id is there with the same text hash, or its text is there under
another id (inputs reordered).

:func:`move_aside` rewrites ``records.jsonl`` without some lines and appends
them to a side file, so nothing is ever deleted: records of another extractor
go to ``superseded.jsonl`` (``--reextract``), lines that do not validate go to
``rejected.jsonl`` and their papers are redone. :func:`reset_errors` drops the
``errors.jsonl`` entries a new run will retry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import RunFolderConflict
from ..io.atomic import replacing
from ..io.jsonl import JsonlAppender, iter_jsonl, repair_tail
from ..io.runfolder import SUPERSEDED_FILE
from ..schemas import ExtractorIdentity, GroundedFields, Provenance

__all__ = ["DoneIndex", "check_run_folder", "move_aside", "reset_errors"]


class _StoredRecord(BaseModel):
    """The parts of a record that resume relies on, validated; the rest is skipped."""

    model_config = ConfigDict(extra="ignore")

    id: str
    status: Literal["ok"]
    fields: GroundedFields
    provenance: Provenance


class DoneIndex:
    """What ``records.jsonl`` already holds: ids with text hashes, setups, invalid lines."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.hashes: set[str] = set()
        self.identities: Counter[ExtractorIdentity] = Counter()
        self.invalid_lines: list[int] = []
        self._line_identity: dict[int, ExtractorIdentity] = {}

    @classmethod
    def load(cls, records_path: Path, *, repair: bool = True) -> DoneIndex:
        """Read a records file (cutting a half-written last line first when ``repair``)."""
        index = cls()
        if repair:
            repair_tail(records_path)
        if not records_path.exists():
            return index
        with open(records_path, "rb") as fp:
            for number, line in enumerate(fp, start=1):
                if not line.strip():
                    continue
                try:
                    stored = _StoredRecord.model_validate_json(line)
                except (ValidationError, ValueError, RecursionError):
                    index.invalid_lines.append(number)
                    continue
                identity = stored.provenance.identity()
                index.identities[identity] += 1
                index._line_identity[number] = identity
                index.add(stored.id, stored.provenance.input_sha256)
        return index

    def add(self, paper_id: str, digest: str) -> None:
        """Note one written record."""
        self.ids[paper_id] = digest
        self.hashes.add(digest)

    def is_done(self, paper_id: str, digest: str) -> bool:
        """True when this paper (by id and text, or by text alone) already has a record."""
        return self.ids.get(paper_id) == digest or digest in self.hashes

    def conflicts(self, paper_id: str, digest: str) -> bool:
        """True when ``paper_id`` already names a record made from a different text."""
        known = self.ids.get(paper_id)
        return known is not None and known != digest and digest not in self.hashes

    def foreign(self, identity: ExtractorIdentity) -> Counter[ExtractorIdentity]:
        """The setups other than ``identity`` that records here came from, with counts."""
        return Counter({other: n for other, n in self.identities.items() if other != identity})

    def lines_from(self, identities: Counter[ExtractorIdentity]) -> set[int]:
        """Line numbers of the records made by any of ``identities``."""
        return {n for n, ident in self._line_identity.items() if ident in identities}

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self.ids


def check_run_folder(done: DoneIndex, identity: ExtractorIdentity, out_dir: Path) -> None:
    """Refuse a run whose extraction setup differs from the records already in ``out_dir``.

    Raises:
        RunFolderConflict: records here were made by another extractor, prompt or schema.
    """
    foreign = done.foreign(identity)
    if not foreign:
        return
    held = "; ".join(f"{n} made with {other.describe()}" for other, n in foreign.most_common())
    raise RunFolderConflict(
        f"{out_dir} already holds records from another extraction setup ({held}); this run "
        f"uses {identity.describe()}. Write to another folder with -o DIR, or pass "
        f"--reextract to extract those papers again (their records move to {SUPERSEDED_FILE})"
    )


def move_aside(records_path: Path, lines: set[int], side_file: Path) -> int:
    """Move the given (1-based) lines of ``records_path`` to the end of ``side_file``.

    ``records_path`` is rewritten whole-or-nothing; the moved lines are appended
    to ``side_file`` first, so a crash in between duplicates a line in the side
    file at worst, never loses one.

    Returns:
        The number of lines moved.
    """
    if not lines or not records_path.exists():
        return 0
    moved = 0
    with open(records_path, "rb") as source, open(side_file, "ab") as side:
        for number, line in enumerate(source, start=1):
            if number in lines:
                side.write(line if line.endswith(b"\n") else line + b"\n")
                moved += 1
        side.flush()
    with replacing(records_path) as tmp, open(records_path, "rb") as source, open(tmp, "wb") as out:
        for number, line in enumerate(source, start=1):
            if number not in lines:
                out.write(line)
    return moved


def reset_errors(errors_path: Path, *, keep: Callable[[dict[str, object]], bool]) -> None:
    """Drop the error entries this run will retry; keep those ``keep`` accepts."""
    if not errors_path.exists():
        return
    kept = [obj for _, obj in iter_jsonl(errors_path, skip_invalid=True) if keep(obj)]
    with JsonlAppender(errors_path, truncate=True) as out:
        for obj in kept:
            out.write(obj)
