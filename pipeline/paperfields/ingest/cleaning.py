"""Text normalisation applied once to every title and abstract, whatever the input format.

After ingest, every character offset in the pipeline refers to the abstract
exactly as :func:`clean_text` returns it, so this is the only place text is
changed. The steps: remove HTML tags (only things that look like real tags,
so math such as ``a < b`` or ``p<0.05`` survives), unescape HTML entities
that end in ``;`` (so ``A&notation`` is not read as ``&not``), remove stray
control characters, then collapse every whitespace run (newlines, tabs,
NBSP...) to one space and strip the ends.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

__all__ = ["CleanText", "clean_text", "collapse_whitespace"]

# Element names stripped when they appear as tags. A prefixed name (``jats:p``,
# ``mml:mi``) counts as a tag whatever the local name is.
_HTML_ELEMENTS = (
    "a abbr acronym address article aside b bdi bdo big blockquote body br button caption center "
    "cite code col colgroup dd del details dfn div dl dt em embed figcaption figure font footer "
    "form h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label li link main "
    "mark math meta mfrac mi mn mo mover mrow msqrt msub msubsup msup mtext munder nav noscript "
    "object ol p param pre q s samp script section select semantics small source span strike "
    "strong style sub summary sup svg table tbody td textarea tfoot th thead title tr tt u ul var "
    "video wbr"
)
# Elements that separate words: replaced by a space. Others (``<sub>``, ``<i>``)
# are removed outright, so ``H<sub>2</sub>O`` becomes ``H2O``.
_BLOCK_ELEMENTS = frozenset(
    "address article aside blockquote body br caption dd details div dl dt figcaption figure "
    "footer h1 h2 h3 h4 h5 h6 head header hr html iframe li list-item main nav noscript ol p pre "
    "script sec section style "
    "summary table tbody td tfoot th thead title tr ul".split()
)
_TAG = re.compile(
    r"<!--.*?-->"  # comments
    r"|<!\[CDATA\[|\]\]>"  # CDATA markers (the content is kept)
    r"|</?(?P<name>[A-Za-z][\w.-]*:(?P<local>[A-Za-z][\w.-]*)|"
    + "|".join(_HTML_ELEMENTS.split())
    + r")(?=[\s/>])"  # an element name, then the end of the name
    r"(?:\s+[^<>]{0,500}?)?\s*/?>",  # attributes, bounded; no '<' or '>' inside
    re.IGNORECASE | re.DOTALL,
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class CleanText:
    """The cleaned text and whether HTML tags were removed from it."""

    text: str
    removed_tags: bool


def _tag_replacement(match: re.Match[str]) -> str:
    name = match.group("local") or match.group("name") or ""
    return " " if name.lower() in _BLOCK_ELEMENTS else ""


def collapse_whitespace(text: str) -> str:
    """Collapse every whitespace run (any Unicode space, newline or tab) to one space; strip."""
    return _WHITESPACE.sub(" ", text).strip()


def clean_text(text: str) -> CleanText:
    """Strip HTML tags, unescape entities, drop control characters and collapse whitespace.

    Tags are stripped again after unescaping, so ``&lt;script&gt;`` cannot
    turn into a live tag. The text between tags (``<script>`` bodies too) is
    kept.
    """
    stripped = _TAG.sub(_tag_replacement, text) if "<" in text or "]]>" in text else text
    removed = stripped != text
    if "&" in stripped:
        unescaped = _ENTITY.sub(lambda m: html.unescape(m.group(0)), stripped)
        again = _TAG.sub(_tag_replacement, unescaped)
        removed = removed or again != unescaped
        stripped = again
    return CleanText(collapse_whitespace(_CONTROL.sub("", stripped)), removed)
