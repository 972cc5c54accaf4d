"""Token-level lookup of known names (datasets, metrics, models, tasks) in a sentence.

Lexicon names are tokenized like the abstract and indexed by their first
token, so a sentence is scanned once, in time linear in its length, instead of
running one huge regular expression over the text. Short names written with
capitals (``COCO``, ``MOS``, ``AP``) match only as written; lower-case names
and names of six characters or more match in any case. A lower-case final word
may take a plural ``s`` ("Inception scores"), and a metric may carry a short
variant suffix ("BLEU-4", "ROUGE-L", "NDCG@10").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .sentences import Token, tokenize

__all__ = ["NameIndex", "NameMatch"]

_MIN_CASELESS_CHARS = 6
_MAX_SUFFIX_CHARS = 3


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A known name found in a sentence: token range ``[first, last)`` and its field."""

    first: int
    last: int
    field: str


@dataclass(frozen=True, slots=True)
class _Entry:
    texts: tuple[str, ...]  # as written
    lowers: tuple[str, ...]
    field: str
    caseless: bool
    plural: bool


# A model's version or size written after its name: "Llama 2", "GPT 3.5", "Mistral 7B",
# "Mixtral 8x7B", "BLIP v2" (a figure followed by a unit is a quantity, not a version).
_VERSION = re.compile(r"^(?:\d(?:\.\d)?|\d{1,3}(?:\.\d)?[BM]|\d+x\d+[BM]|v\d+(?:\.\d+)?)$")
_UNIT_AFTER = frozenset(
    "% x times tokens parameters params layers epochs steps languages tasks hours days "
    "gpus examples samples points".split()
)


def _with_version(tokens: Sequence[Token], match: NameMatch) -> NameMatch:
    """The match extended over a version or size token right after the name."""
    j = match.last
    if j < len(tokens) and _VERSION.match(tokens[j].text):
        after = tokens[j + 1].lower if j + 1 < len(tokens) else ""
        if after not in _UNIT_AFTER:
            return NameMatch(match.first, j + 1, match.field)
    return match


class NameIndex:
    """Known names indexed by their first token (lowercased)."""

    def __init__(self, names: Iterable[tuple[str, str]], *, suffix_fields: Iterable[str] = ()):
        """Index ``(name, field)`` pairs; fields in ``suffix_fields`` accept variant suffixes."""
        self._by_first: dict[str, list[_Entry]] = {}
        self._single: dict[str, str] = {}
        self._suffix_fields = frozenset(suffix_fields)
        for name, field in names:
            toks = tokenize(name)
            if not toks:
                continue
            texts = tuple(t.text for t in toks)
            entry = _Entry(
                texts=texts,
                lowers=tuple(t.lower for t in toks),
                field=field,
                caseless=name.lower() == name or len(name) >= _MIN_CASELESS_CHARS,
                plural=name[-1].islower(),
            )
            self._by_first.setdefault(entry.lowers[0], []).append(entry)
            if len(texts) == 1 and field in self._suffix_fields:
                self._single.setdefault(name if not entry.caseless else name.lower(), field)
        for entries in self._by_first.values():
            entries.sort(key=lambda e: -len(e.texts))

    def field_of(self, text: str) -> str | None:
        """Return the field of a one-token name, its plural ("WERs"), or its base
        ("ResNet-34"); a known metric after a hyphen makes a metric ("ASR-BLEU")."""
        field = self._one_token_field(text)
        if field is None and text.endswith("s") and text[:-1].isupper() and len(text) > 2:
            field = self._one_token_field(text[:-1])  # "WERs": an acronym's plural
        if field is None and "-" in text:
            first, last = text.split("-", 1)[0], text.rsplit("-", 1)[1]
            if first.isupper() and last and self._one_token_field(last) == "metrics":
                return "metrics"  # "ASR-BLEU" (not the loss "Margin-MSE")
        if field is None:
            for sep in ("-", "@"):
                base, found, _ = text.partition(sep)
                if found and base:
                    field = self._one_token_field(base)
                    if field is not None:
                        break
        return field

    def phrase_field(self, text: str) -> str | None:
        """Return the field of a known name written as the whole of ``text``, of one token
        or several ("model merging")."""
        tokens = tokenize(text)
        if not tokens:
            return None
        match = self._match_at(tokens, 0) if tokens[0].lower in self._by_first else None
        if match is not None and match.last == len(tokens):
            return match.field
        return self.field_of(text) if len(tokens) == 1 else None

    def _one_token_field(self, text: str) -> str | None:
        lower = text.lower()
        for entry in self._by_first.get(lower, ()):
            if len(entry.texts) == 1 and self._token_matches(entry, 0, text, lower, True):
                return entry.field
        return None

    @staticmethod
    def _token_matches(entry: _Entry, k: int, text: str, lower: str, last: bool) -> bool:
        if entry.caseless:
            if lower == entry.lowers[k]:
                return True
            return last and entry.plural and lower == entry.lowers[k] + "s"
        if text == entry.texts[k]:
            return True
        return last and entry.plural and text == entry.texts[k] + "s"

    def _match_at(self, tokens: Sequence[Token], i: int) -> NameMatch | None:
        n = len(tokens)
        for entry in self._by_first.get(tokens[i].lower, ()):
            size = len(entry.texts)
            if i + size > n:
                continue
            if all(
                self._token_matches(
                    entry, k, tokens[i + k].text, tokens[i + k].lower, k == size - 1
                )
                for k in range(size)
            ):
                return NameMatch(i, i + size, entry.field)
        return None

    def _suffixed(self, tok: Token) -> str | None:
        if "-" not in tok.text and "@" not in tok.text:
            return None
        for sep in ("-", "@"):
            base, found, rest = tok.text.partition(sep)
            if found and 0 < len(rest) <= _MAX_SUFFIX_CHARS and rest.isalnum():
                field = self._single.get(base) or self._single.get(base.lower())
                if field is not None:
                    return field
        return None

    def find(self, tokens: Sequence[Token]) -> list[NameMatch]:
        """Return the known names in a token sequence, longest first at each position."""
        out: list[NameMatch] = []
        i = 0
        n = len(tokens)
        while i < n:
            tok = tokens[i]
            match = (
                self._match_at(tokens, i) if tok.is_word and tok.lower in self._by_first else None
            )
            if match is None and tok.is_word and self._suffix_fields:
                field = self._suffixed(tok)
                if field is not None:
                    match = NameMatch(i, i + 1, field)
            if match is not None:
                if match.field == "methods":
                    match = _with_version(tokens, match)
                out.append(match)
                i = match.last
            else:
                i += 1
        return out
