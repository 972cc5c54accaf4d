"""JSON decoding for input files that fails only with ``ValueError`` and a short, plain reason.

Hostile JSON can make the standard decoder raise more than
``JSONDecodeError``: nesting deep enough for ``RecursionError``, or an integer
longer than Python's 4,300-digit conversion limit (a plain ``ValueError``
whose message talks about interpreter settings). :func:`loads` turns both into
a ``ValueError`` that names the problem in the input's terms, and
:func:`describe` gives the reason to show for any such error, so the readers
can report the record and go on.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["DEEP_NESTING", "HUGE_NUMBER", "describe", "loads"]

DEEP_NESTING = "nested too deeply to read"
HUGE_NUMBER = "a number with more than 4,300 digits"


def describe(error: BaseException) -> str:
    """Return a one-line reason for a failure of ``json.loads`` or ``raw_decode``."""
    if isinstance(error, RecursionError):
        return DEEP_NESTING
    if isinstance(error, json.JSONDecodeError):
        return error.msg
    text = str(error)
    if "digits" in text and "integer string conversion" in text:
        return HUGE_NUMBER
    return text.split("\n", 1)[0][:200]


def loads(text: str | bytes) -> Any:
    """``json.loads`` whose every failure is a ``ValueError`` carrying :func:`describe`'s reason.

    Raises:
        ValueError: the text is not JSON, is nested too deeply, or holds a huge integer.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except (ValueError, RecursionError) as e:
        raise ValueError(describe(e)) from None
