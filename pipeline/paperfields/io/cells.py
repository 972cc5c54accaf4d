"""Spreadsheet safety: neutralise cells that a spreadsheet program would run as a formula.

Follows the OWASP CSV-injection guidance: a text cell that begins with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return (or their full-width forms
``＝ ＋ － ＠``) gets a single quote in front, so Excel, LibreOffice and Google
Sheets show it as text. Used for every text cell of the CSV and XLSX exports.

Plain numbers pass untouched so metric values stay readable and sortable. A
cell passes when the whole text is: an optional sign, digits (optionally with
``,`` thousands groups and a ``.`` decimal part, or just a decimal part like
``.5``), an optional exponent (``e-3``) and an optional ``%``. So ``-0.5``,
``-3%``, ``+0.7``, ``-1,234.5`` and ``-1e-3`` stay as they are, while
``-2+3``, ``-0.5 points``, ``+cmd`` and ``-A1`` are neutralised.
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_PREFIXES", "is_plain_number", "neutralize_cell"]

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

_PLAIN_NUMBER_RE = re.compile(
    r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?<=\d)(?:[eE][+-]?\d+)?%?"
)


def is_plain_number(text: str) -> bool:
    """True when ``text`` is a plain number such as ``-0.5``, ``-3%`` or ``1,234.5``."""
    return _PLAIN_NUMBER_RE.fullmatch(text) is not None


def neutralize_cell(text: str) -> str:
    """Return ``text`` safe for a spreadsheet cell.

    Args:
        text: The cell text.

    Returns:
        ``"'" + text`` when it starts with a formula character and is not a
        plain number, else ``text`` unchanged.
    """
    if text.startswith(FORMULA_PREFIXES) and not is_plain_number(text):
        return "'" + text
    return text
