"""Canonical names: make the same dataset, metric, method or task group together across papers.

A name is first *folded* into a key (:func:`~paperfields.names.fold.fold_name`):
case, accents, punctuation, a leading article, a trailing generic word and a
final plural are ignored, while numbers and versions keep names apart (CIFAR-10
vs CIFAR-100, GPT-3 vs GPT-4, MTEB vs MMTEB vs C-MTEB, CFG vs CFG++).

Keys are then linked into entities by acronym definitions learnt from the
abstracts and item names themselves ("Massive Text Embedding Benchmark (MTEB)"
links "MTEB" and its long form, also in papers that use only one of them). An
acronym defined with two different long forms in a run is ambiguous: it is
resolved per paper only. A learnt link is refused when the two forms carry
different numbers. A user alias file (:func:`load_aliases`) adds links and fixes
display names; aliases pinned to different canonical names are never merged by
a learnt link.

Each entity gets a readable display name: an alias canonical when given, else
the spelling used by the most papers (compared case-insensitively, the generic
tail dropped after a strong word: "MMLU benchmark" shows as "MMLU"), the
acronym winning a tie ("MTEB"). The original name is always kept beside it by
the callers.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..schemas import GroundedFields
from .acronyms import find_acronym_definitions, number_parts, split_acronym_name
from .fold import display_form, fold_name

__all__ = [
    "AliasTable",
    "CanonicalName",
    "Normalizer",
    "NormalizerBuilder",
    "load_aliases",
]


@dataclass(frozen=True, slots=True)
class CanonicalName:
    """The canonical form of one name: ``key`` groups, ``display`` is shown to people."""

    key: str
    display: str


@dataclass(frozen=True, slots=True)
class AliasTable:
    """User aliases: canonical display name -> the variants that mean the same thing."""

    entries: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    source: str | None = None


# --- aliases ------------------------------------------------------------------------------


def _parse_toml(text: str, path: Path) -> Any:
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{path}: invalid TOML ({e})") from e
    raise ConfigError(
        f"{path}: TOML alias files need Python 3.11 or newer; write the same mapping as "
        "JSON instead (a .json file)"
    )


def load_aliases(path: str | Path) -> AliasTable:
    """Read a user alias file: canonical name -> list of variants, as TOML or JSON.

    TOML (``"MTEB" = ["Massive Text Embedding Benchmark", "MTEB benchmark"]``) needs
    Python 3.11+; JSON works everywhere. A top-level ``aliases`` table is also
    accepted. A variant listed under two canonical names is an error.

    Raises:
        ConfigError: The file is missing, unreadable or not such a mapping; the
            message names the file.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise ConfigError(f"{path}: cannot read alias file ({e.strerror or e})") from e
    if path.suffix.lower() == ".toml":
        data = _parse_toml(text, path)
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            hint = " (TOML alias files must end in .toml)" if path.suffix.lower() != ".json" else ""
            raise ConfigError(f"{path}:{e.lineno}: invalid JSON ({e.msg}){hint}") from e
    if isinstance(data, dict) and set(data) == {"aliases"} and isinstance(data["aliases"], dict):
        data = data["aliases"]
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of canonical name -> list of variants")
    entries: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for canonical, variants in data.items():
        if isinstance(variants, str):
            variants = [variants]
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            raise ConfigError(f"{path}: aliases for {canonical!r} must be a list of strings")
        for name in [canonical, *variants]:
            key = fold_name(name)
            if owner.setdefault(key, canonical) != canonical:
                raise ConfigError(
                    f"{path}: {name!r} is listed under both {owner[key]!r} and {canonical!r}"
                )
        entries[str(canonical)] = tuple(variants)
    return AliasTable(entries=entries, source=str(path))


# --- entities -----------------------------------------------------------------------------


class _Entities:
    """Union-find over keys; the smallest key is the root so results do not depend on order."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.pin: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = key
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while key != root:
            self.parent[key], key = root, self.parent.get(key, key)
        return root

    def union(self, a: str, b: str, *, learned: bool) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        pa, pb = self.pin.get(ra), self.pin.get(rb)
        if learned and (number_parts(a) != number_parts(b) or (pa and pb and pa != pb)):
            return False
        root, child = sorted((ra, rb))
        self.parent[child] = root
        self.parent.setdefault(root, root)
        if pa or pb:
            self.pin[root] = pa or pb or ""
        return True


class Normalizer:
    """Maps names to canonical names; build one with :class:`NormalizerBuilder`."""

    def __init__(
        self,
        roots: Mapping[str, str],
        display: Mapping[str, str],
        local: Mapping[str, Mapping[str, str]],
    ) -> None:
        self._roots = roots
        self._display = display
        self._local = local

    def canonical(self, name: str, paper_id: str | None = None) -> CanonicalName:
        """Return the canonical form of ``name`` as used in paper ``paper_id``.

        ``paper_id`` resolves acronyms that the run defines in more than one way.
        Names never seen while building get their own folded key.
        """
        key = fold_name(name)
        if paper_id is not None and key in self._local:
            key = self._local[key].get(paper_id, key)
        root = self._roots.get(key, key)
        return CanonicalName(key=root, display=self._display.get(root) or display_form(name))


class NormalizerBuilder:
    """Collects names and acronym definitions from a run, then builds a :class:`Normalizer`."""

    def __init__(self, aliases: AliasTable | None = None) -> None:
        self._aliases = aliases or AliasTable()
        self._definitions: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        # key -> spelling -> [mentions, papers, last paper id]: a few small objects per
        # distinct name, however many papers (papers arrive one after the other).
        self._spellings: dict[str, dict[str, list[Any]]] = {}

    def add_text(self, text: str, paper_id: str) -> None:
        """Learn the acronym definitions written in ``text`` (an abstract)."""
        pairs = [(d.short, d.long) for d in find_acronym_definitions(text)]
        self.add_definitions(pairs, paper_id)

    def add_definitions(self, definitions: Iterable[tuple[str, str]], paper_id: str) -> None:
        """Learn ``(acronym, long_form)`` pairs found in paper ``paper_id``."""
        for short, long_form in definitions:
            self._define(short, long_form, paper_id)

    def add_name(self, name: str, paper_id: str, *, count: bool = True) -> None:
        """Learn from one item name; ``count`` makes its spelling a display candidate."""
        short, long_form = split_acronym_name(name)
        if long_form is not None:
            self._define(short, long_form, paper_id)
        if count and name.strip():
            key = fold_name(name)
            spelling = display_form(name)
            counts = self._spellings.setdefault(key, {}).setdefault(spelling, [0, 0, None])
            counts[0] += 1
            if counts[2] != paper_id:
                counts[1] += 1
                counts[2] = paper_id

    def add_fields(self, fields: GroundedFields, paper_id: str) -> None:
        """Learn from one paper's item names (the abstract is learnt with :meth:`add_text`)."""
        names = [item.name for item in fields.tasks] + [item.name for item in fields.methods]
        names += [item.name for item in fields.datasets] + [item.name for item in fields.metrics]
        for name in names:
            self.add_name(name, paper_id)
        for metric in fields.metrics:
            if metric.dataset:
                self.add_name(metric.dataset, paper_id, count=False)

    def _define(self, short: str, long_form: str, paper_id: str) -> None:
        short_key, long_key = fold_name(short), fold_name(long_form)
        if short_key != long_key:
            self._definitions[short_key][long_key].add(paper_id)

    def build(self) -> Normalizer:
        """Link keys into entities and choose each entity's display name."""
        entities = _Entities()
        for canonical, variants in self._aliases.entries.items():
            anchor = fold_name(canonical)
            entities.parent.setdefault(anchor, anchor)
            entities.pin[entities.find(anchor)] = canonical
            for variant in variants:
                entities.union(fold_name(variant), anchor, learned=False)
        local: dict[str, dict[str, str]] = {}
        short_keys: set[str] = set()
        for short_key, long_keys in sorted(self._definitions.items()):
            ranked = sorted(long_keys.items(), key=lambda kv: (-len(kv[1]), kv[0]))
            (top_key, top_papers), others = ranked[0], ranked[1:]
            if not others or len(top_papers) > 2 * max(len(papers) for _, papers in others):
                if entities.union(short_key, top_key, learned=True):
                    short_keys.add(short_key)
            if others:  # ambiguous: each defining paper keeps its own long form
                local[short_key] = {paper: key for key, papers in ranked for paper in papers}
        keys = set(entities.parent) | set(self._spellings)
        for by_paper in local.values():
            keys.update(by_paper.values())
        roots = {key: entities.find(key) for key in keys}
        display = self._choose_display(roots, entities.pin, short_keys)
        # A name alone in its entity needs no entry: it is its own root, and its one
        # spelling is what display_form gives (most names of a large run are such).
        lone = {root for root, n in Counter(roots.values()).items() if n == 1}
        for key in list(roots):
            if roots[key] == key and key in lone and len(self._spellings.get(key, ())) <= 1:
                del roots[key]
                if key not in entities.pin:
                    display.pop(key, None)
        return Normalizer(roots, display, local)

    def _choose_display(
        self, roots: Mapping[str, str], pins: Mapping[str, str], short_keys: set[str]
    ) -> dict[str, str]:
        """Most papers first (spellings compared case-insensitively), then the acronym."""
        # (root, casefolded spelling) -> [papers, acronym, mentions, best spelling, its mentions]
        groups: dict[tuple[str, str], list[Any]] = {}
        for key, spellings in self._spellings.items():
            root = roots[key]
            for spelling, (mentions, papers, _) in spellings.items():
                group = groups.get((root, spelling.casefold()))
                if group is None:
                    group = groups[(root, spelling.casefold())] = [0, False, 0, spelling, 0]
                group[0] += papers
                group[1] = group[1] or key in short_keys
                group[2] += mentions
                if (mentions, spelling) > (group[4], group[3]):
                    group[3], group[4] = spelling, mentions
        best: dict[str, tuple[int, bool, int, int, str]] = {}
        chosen: dict[str, str] = {}
        for (root, folded), (papers, acronym, mentions, spelling, _) in groups.items():
            rank = (papers, acronym, mentions, -len(folded), folded)
            if root not in best or rank > best[root]:
                best[root], chosen[root] = rank, spelling
        display: dict[str, str] = dict(chosen)
        display.update((root, pin) for root, pin in pins.items() if pin)
        return display
