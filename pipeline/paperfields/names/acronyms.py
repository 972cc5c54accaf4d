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

__all__ = [
    "QUOTES",
    "clean_name",
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


def clean_name(text: str) -> str:
    """NFKC, every dash as "-", surrounding quotes dropped, whitespace runs collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return " ".join(text.strip(QUOTES + " ").split())


def number_parts(text: str) -> tuple[str, ...]:
    """The numbers in ``text``, sorted: ``("10",)`` for "CIFAR-10"; versions count."""
    return tuple(sorted(_NUMBER_RE.findall(text)))


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
            or (s_idx == 0 and l_idx > 0 and window[l_idx - 1].isalnum())
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
    if len(long_form) <= len(short) or number_parts(long_form) != number_parts(short):
        return None
    if sum(c.isupper() for c in short) > len(re.split(r"[\s\-/]+", long_form)):
        return None  # "segmentation method (SAM)": too few words for the capitals
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


def find_acronym_definitions(text: str) -> list[tuple[str, str]]:
    """Find "Long Form (ACRONYM)" definitions in free text.

    Args:
        text: An abstract or any sentence.

    Returns:
        ``(acronym, long_form)`` pairs in text order, e.g.
        ``("MTEB", "Massive Text Embedding Benchmark")``.
    """
    text = clean_name(text)
    found: list[tuple[str, str]] = []
    for match in _PAREN_TEXT_RE.finditer(text):
        short = re.split(r"[;,]", match.group(1))[0].strip(QUOTES + " ")
        if not _looks_like_short_form(short):
            continue
        long_form = _definition_before(short, text[max(0, match.start() - 300) : match.start()])
        if long_form:
            found.append((short, long_form))
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
