"""Stable paper ids: arXiv ids when they can be found, else the input's own id, else a title slug.

Resume matches papers by id, so an id must depend only on the paper's own
fields, never on time, randomness or hash seeds. :func:`arxiv_id` recognises
new-style (``2403.12345``) and old-style (``hep-th/9901001``) ids, bare or
inside arXiv and Hugging Face paper URLs, and drops the version suffix;
:func:`is_arxiv_id` tells whether a stored id is one. :func:`title_slug` builds
the fallback id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["MAX_SLUG_CHARS", "abstract_fallback_id", "arxiv_id", "is_arxiv_id", "title_slug"]

MAX_SLUG_CHARS = 60

_NEW_STYLE = r"\d{4}\.\d{4,5}"
_OLD_STYLE = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]{2})?/\d{7}"
_VERSION = r"(?:v\d+)?"
_ID_PATTERN = rf"({_NEW_STYLE}|{_OLD_STYLE}){_VERSION}"
_ID = re.compile(_ID_PATTERN, re.IGNORECASE)
_BARE_ID = re.compile(rf"(?:arxiv:\s*)?{_ID_PATTERN}", re.IGNORECASE)
_URL_ID = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf|html|format)|huggingface\.co/papers)/"
    rf"{_ID_PATTERN}(?![\w.]*\d)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+")


def arxiv_id(value: str | None) -> str | None:
    """Return the canonical arXiv id in ``value`` (an id or a URL), or None.

    Examples: ``"arXiv:2403.12345v2"`` -> ``"2403.12345"``,
    ``"http://arxiv.org/abs/hep-th/9901001v1"`` -> ``"hep-th/9901001"``,
    ``"https://arxiv.org/pdf/2403.12345.pdf"`` -> ``"2403.12345"``.
    """
    if not value:
        return None
    text = value.strip()
    bare = _BARE_ID.fullmatch(text)
    if bare:
        return bare.group(1)
    in_url = _URL_ID.search(text)
    if in_url:
        return in_url.group(1)
    return None


def is_arxiv_id(value: str) -> bool:
    """Return True when ``value`` is exactly an arXiv id, new or old style, version allowed.

    Unlike :func:`arxiv_id` it accepts no ``arXiv:`` prefix and no URL: it checks
    an id as stored (``"2403.12345"``, ``"2403.12345v2"``, ``"hep-th/9901001"``).
    """
    return _ID.fullmatch(value) is not None


def title_slug(title: str, max_chars: int = MAX_SLUG_CHARS) -> str:
    """Return lowercase ASCII words of ``title`` joined by ``-``, cut at a word boundary.

    Accents are folded (``"Über"`` -> ``"uber"``); characters with no ASCII
    form are dropped, so the slug may be empty. A first word longer than
    ``max_chars`` is cut.
    """
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = ""
    for word in _WORD.findall(folded.lower()):
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_chars:
            if not slug:
                slug = word[:max_chars]
            break
        slug = candidate
    return slug


def abstract_fallback_id(abstract: str) -> str:
    """Return ``"paper-"`` plus the first 10 hex digits of the abstract's sha256."""
    return "paper-" + hashlib.sha256(abstract.encode("utf-8")).hexdigest()[:10]
