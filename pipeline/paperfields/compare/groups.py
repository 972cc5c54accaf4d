"""Collecting groups while records stream by: one :class:`GroupCollector` per field.

The collector receives each paper's mentions of its field, in run order, and
keeps one compact :class:`~paperfields.compare.views.Group` per canonical key
(paper positions, spelling counts, metric values); it never holds a mention.
:meth:`GroupCollector.groups` orders them largest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .views import Group, Mention

__all__ = ["GroupCollector", "order_groups"]


def order_groups(
    groups: Iterable[Group], *, min_papers: int = 1, limit: int | None = None
) -> list[Group]:
    """Groups with at least ``min_papers`` papers, by paper count, mention count, then value."""
    kept = [g for g in groups if g.paper_count >= min_papers]
    kept.sort(key=lambda g: (-g.paper_count, -g.mention_count, g.value.casefold(), g.key))
    return kept[:limit] if limit is not None else kept


class GroupCollector:
    """Groups one field's mentions by canonical key as papers stream by."""

    def __init__(self, field: str, paper_ids: Sequence[str]) -> None:
        self.field = field
        self._paper_ids = paper_ids
        self._groups: dict[str, Group] = {}

    def add(self, position: int, mentions: Iterable[Mention]) -> None:
        """Add the mentions of the paper at ``position`` in the run's paper list."""
        for mention in mentions:
            group = self._groups.get(mention.key)
            if group is None:
                group = Group(self.field, mention.key, mention.canonical, self._paper_ids)
                self._groups[mention.key] = group
            group.add(position, mention)

    def groups(self, *, min_papers: int = 1, limit: int | None = None) -> list[Group]:
        """The groups, largest first (see :func:`order_groups`)."""
        return order_groups(self._groups.values(), min_papers=min_papers, limit=limit)
