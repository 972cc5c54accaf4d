"""Acronym definitions: "Long Form (ACRONYM)" in abstracts and in item names.

:func:`find_acronym_definitions` scans free text for a parenthesised short
form (2-12 characters, at least two capitals, or a capital and a digit) and
finds its long form in the words just before it, in the same clause, with the
Schwartz-Hearst rule (each letter of the short form appears in order, the first
one starting a word). A candidate is refused when it has fewer words than the
short form has capitals ("segmentation method (SAM)") or when the two carry
different numbers. :func:`split_acronym_name` recognises a single name written
as such a pair, in either order. :mod:`paperfields.names.canonical` links the two forms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "QUOTES",
    "AcronymDefinition",
    "clean_name",
    "expand_powers",
    "find_acronym_definitions",
    "long_form_start",
    "number_parts",
    "split_acronym_name",
]

QUOTES = "\"'`\u2018\u2019\u201c\u201d\u00ab\u00bb"
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")
_PAREN_NAME_RE = re.compile(r"^(?P<outer>.*?\S)\s*\((?P<inner>[^()]+)\)\s*$")
_PAREN_TEXT_RE = re.compile(r"\(\s*([^()]{2,40}?)\s*\)")
_CLAUSE_BREAK_RE = re.compile(r"[;:,()\[\]{}]|[.!?](?:\s|$)")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)*")
_WORD_RE = re.compile(r"[^\s()\[\]{};:,]+")
_VERSIONED_RE = re.compile(r"(\S+)\s+(\d+(?:\.\d+)*)")
_FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "for", "and", "or", "in", "on", "to", "with"})
_POWER_RE = re.compile(r"([A-Za-z])(?:\^([2-9])|([\u00b2\u00b3]))")
_SUPERSCRIPTS = {"\u00b2": 2, "\u00b3": 3}
_BLEND_RE = re.compile(r"[A-Z][a-z]{3,15}")
# Words that end a blend's long form on the left: "we introduce data selection ...".
_BLEND_STOP = frozenset(
    "we our this that which a an the of for to in on with by and or is are be called named "
    "dubbed termed introduce introduces propose proposes present presents develop develops "
    "design designs build builds use uses".split()
)


def clean_name(text: str) -> str:
    """NFKC, every dash as "-", surrounding quotes dropped, whitespace runs collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return " ".join(text.strip(QUOTES + " ").split())


def number_parts(text: str) -> tuple[str, ...]:
    """The numbers in ``text``, sorted: ``("10",)`` for "CIFAR-10"; versions count."""
    return tuple(sorted(_NUMBER_RE.findall(text)))


def expand_powers(short: str) -> str:
    """A power written for a repeated letter, spelled out: "R^3" is "RRR", "D^2O" is "DDO"."""

    def spell(m: re.Match[str]) -> str:
        times = int(m.group(2)) if m.group(2) else _SUPERSCRIPTS[m.group(3)]
        return m.group(1) * times

    return _POWER_RE.sub(spell, short)


def _looks_like_short_form(text: str) -> bool:
    if not 2 <= len(text) <= 12 or " " in text or not text[0].isalnum():
        return False
    uppers = sum(c.isupper() for c in text)
    return uppers >= 2 or (uppers >= 1 and any(c.isdigit() for c in text))


def long_form_start(short: str, window: str) -> int | None:
    """Schwartz-Hearst: where in ``window`` the shortest tail spelling ``short`` starts.

    Scanning back from the end of ``window``, each letter and digit of ``short``
    (a plural "s" after a capital or digit left out: "CNNs") must appear in
    order, case-insensitively, the first one at the start of a word.

    Returns:
        The index in ``window`` of the word holding the first letter, or None
        when the letters cannot be found.
    """
    spelled = expand_powers(short)
    initials = spelled != short  # a power's letters each start a word: "R^3" is R... R... R...
    short = spelled
    if re.fullmatch(r".*[A-Z0-9]s", short):
        short = short[:-1]
    letters = [c.lower() for c in short if c.isalnum()]
    if not letters:
        return None
    s_idx, l_idx = len(letters) - 1, len(window) - 1
    while s_idx >= 0:
        char = letters[s_idx]
        while l_idx >= 0 and (
            window[l_idx].lower() != char
            or ((s_idx == 0 or initials) and l_idx > 0 and window[l_idx - 1].isalnum())
        ):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    return window.rfind(" ", 0, l_idx + 1) + 1


def _match_long_form(short: str, candidate: str) -> str | None:
    """The long form of ``short`` at the end of ``candidate``, or None when it does not fit."""
    start = long_form_start(short, candidate)
    if start is None:
        return None
    long_form = candidate[start:].strip(QUOTES + " ")
    if len(long_form.split()) < 2 and "-" not in long_form:
        return None
    spelled = expand_powers(short)
    if len(long_form) <= len(short) or number_parts(long_form) != number_parts(spelled):
        return None
    words = re.split(r"[\s\-/]+", long_form)
    room = sum(max(1, sum(c.isupper() for c in w)) for w in words)
    if sum(c.isupper() for c in spelled) > room:
        return None  # "segmentation method (SAM)": too few words (or capitals) for the capitals
    return long_form


def _definition_before(short: str, before: str) -> str | None:
    clause = _CLAUSE_BREAK_RE.split(before)[-1]
    words = [w.strip(QUOTES) for w in clause.split()]
    words = [w for w in words if w]
    size = sum(c.isalnum() for c in short)
    words = words[-min(size + 5, size * 2) :]
    if not words:
        return None
    return _match_long_form(short, " ".join(words))


@dataclass(frozen=True, slots=True)
class AcronymDefinition:
    """One "Long Form (ACRONYM)" definition found in a text, with character offsets.

    ``short`` is the acronym without a trailing version ("SFEW" for "(SFEW 2.0)");
    ``short_span`` covers the acronym and its version inside the parentheses;
    ``long_span`` the long form. Offsets index the text as given. ``blend`` marks a
    coined name paired piece by piece ("Preselect") rather than letter by letter.
    """

    short: str
    long: str
    short_span: tuple[int, int]
    long_span: tuple[int, int]
    blend: bool = False


def _long_form_span(short: str, text: str, paren: int) -> tuple[int, int] | None:
    """Where the long form of ``short`` ends right before ``text[paren]``, in the same clause."""
    window_start = max(0, paren - 300)
    before = text[window_start:paren]
    breaks = list(_CLAUSE_BREAK_RE.finditer(before))
    clause_start = window_start + (breaks[-1].end() if breaks else 0)
    words = [m for m in _WORD_RE.finditer(text, clause_start, paren)]
    size = sum(c.isalnum() for c in short)
    words = words[-min(size + 5, size * 2) :]
    if not words:
        return None
    first = words[0].start()
    window = text[first : words[-1].end()]
    offset = long_form_start(short, window)
    if offset is None:
        return None
    start, end = first + offset, words[-1].end()
    while start < end and text[start] in QUOTES:
        start += 1
    while end > start and text[end - 1] in QUOTES:
        end -= 1
    while True:  # "of the Massive ... (MTEB)": leading function words are no part of a name
        word = _WORD_RE.match(text, start)
        if word is None or word.group().lower() not in _FUNCTION_WORDS or word.end() >= end:
            break
        start = word.end() + 1
    long_form = text[start:end]
    return (start, end) if _match_long_form(short, long_form) == long_form else None


def _pieces(short: str, words: list[str], used: frozenset[int]) -> frozenset[int] | None:
    """Split ``short`` into pieces of 2+ letters, each starting a different word; the words."""
    if not short:
        return used if len(used) >= 2 else None
    for size in range(len(short), 1, -1):
        piece = short[:size]
        if len(short) - size == 1:
            continue
        for i, word in enumerate(words):
            if i not in used and word.startswith(piece):
                found = _pieces(short[size:], words, used | {i})
                if found is not None:
                    return found
    return None


def _blend_span(short: str, text: str, paren: int) -> tuple[int, int] | None:
    """The long form a coined name blends ("Preselect" from "... Predictive ... selection")."""
    clause_start = max(0, paren - 200)
    breaks = list(_CLAUSE_BREAK_RE.finditer(text, clause_start, paren))
    clause_start = breaks[-1].end() if breaks else clause_start
    words = list(_WORD_RE.finditer(text, clause_start, paren))[-8:]
    keys = [w.group().lower() for w in words]
    content = [k if k not in _BLEND_STOP else "" for k in keys]
    used = _pieces(short.lower(), content, frozenset())
    if used is None:
        return None
    first = min(used)
    for _ in range(2):  # "data selection ...": a noun before the first piece belongs to it
        if first == 0 or keys[first - 1] in _BLEND_STOP or not keys[first - 1].isalpha():
            break
        first -= 1
    return words[first].start(), words[-1].end()


def find_acronym_definitions(text: str) -> list[AcronymDefinition]:
    """Find "Long Form (ACRONYM)" definitions in free text: the one acronym finder.

    Both the offline extractor (typing mentions) and the canonical names
    (linking "MTEB" to "Massive Text Embedding Benchmark") use it.

    Args:
        text: An abstract or any sentence.

    Returns:
        The definitions in text order, e.g. ``short="MTEB"``,
        ``long="Massive Text Embedding Benchmark"`` with their spans.
    """
    source = text.translate(_DASHES)  # same length: offsets stay valid
    found: list[AcronymDefinition] = []
    for match in _PAREN_TEXT_RE.finditer(source):
        inner = match.group(1)
        head = re.split(r"[;,]", inner)[0].rstrip()
        lead = len(head) - len(head.lstrip(QUOTES + " "))
        head = head.strip(QUOTES + " ")
        version = _VERSIONED_RE.fullmatch(head)
        short = version.group(1) if version else head
        blend = False
        if _looks_like_short_form(short):
            span = _long_form_span(short, source, match.start())
        elif _BLEND_RE.fullmatch(short):
            span, blend = _blend_span(short, source, match.start()), True
        else:
            continue
        if span is None:
            continue
        short_start = match.start(1) + lead
        found.append(
            AcronymDefinition(
                short=short,
                long=text[span[0] : span[1]],
                short_span=(short_start, short_start + len(head)),
                long_span=span,
                blend=blend,
            )
        )
    return found


def split_acronym_name(name: str) -> tuple[str, str | None]:
    """Split a name written as "Long Form (ACRONYM)" or "ACRONYM (Long Form)".

    Returns:
        ``(acronym, long_form)`` when the name is such a pair, else ``(name, None)``.
    """
    match = _PAREN_NAME_RE.match(clean_name(name))
    if match:
        outer, inner = match.group("outer"), match.group("inner").strip()
        if _looks_like_short_form(inner) and _definition_before(inner, outer):
            return inner, outer
        if _looks_like_short_form(outer) and _match_long_form(outer, inner):
            return outer, inner
    return name, None
