"""Id assignment across all inputs of one ingest pass: slug collisions, duplicates, id conflicts.

The :class:`IdRegistry` keeps only small state: for each id handed out, a
16-byte digest of the paper's content and the place (``file:line``) it came
from, and the reverse map from content digest to id. The rules, applied in
input order so every run over the same inputs gives the same ids:

* same content as an earlier paper (normalised title + abstract, case
  folded), whatever the ids: a :class:`Duplicate`, kept once;
* an explicit or arXiv id already taken by different content: a
  :class:`Conflict` (the first paper wins);
* a title slug already taken by different content: the next free of
  ``slug-2``, ``slug-3``...
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

__all__ = ["Assigned", "Conflict", "Duplicate", "IdRegistry", "content_digest"]


@dataclass(frozen=True)
class Assigned:
    """The paper gets ``id``."""

    id: str


@dataclass(frozen=True)
class Duplicate:
    """The paper repeats the one kept as ``id``, first seen at ``place``."""

    id: str
    place: str


@dataclass(frozen=True)
class Conflict:
    """The explicit ``id`` already belongs to a different paper, first seen at ``place``."""

    id: str
    place: str


def content_digest(title: str, abstract: str) -> bytes:
    """Return the digest that decides whether two papers are the same."""
    text = f"{title.casefold()}\x00{abstract.casefold()}"
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


class IdRegistry:
    """Hands out unique ids and recognises duplicates, in input order."""

    def __init__(self) -> None:
        self._by_id: dict[str, tuple[bytes, str]] = {}
        self._by_content: dict[bytes, str] = {}

    def assign(
        self, candidate: str, *, explicit: bool, digest: bytes, place: str
    ) -> Assigned | Duplicate | Conflict:
        """Decide the id of the paper at ``place``.

        Args:
            candidate: the arXiv id, the input's own id, or a title slug.
            explicit: True unless ``candidate`` is a slug (or abstract-hash) fallback.
            digest: :func:`content_digest` of the paper.
            place: ``file:line`` of the paper, for messages.

        Returns:
            What to do with the paper.
        """
        earlier = self._by_content.get(digest)
        if earlier is not None:
            return Duplicate(earlier, self._by_id[earlier][1])
        if explicit:
            taken = self._by_id.get(candidate)
            if taken is not None:
                return Conflict(candidate, taken[1])
            return self._register(candidate, digest, place)
        unique = candidate
        suffix = 1
        while unique in self._by_id:
            suffix += 1
            unique = f"{candidate}-{suffix}"
        return self._register(unique, digest, place)

    def _register(self, paper_id: str, digest: bytes, place: str) -> Assigned:
        self._by_id[paper_id] = (digest, place)
        self._by_content[digest] = paper_id
        return Assigned(paper_id)
