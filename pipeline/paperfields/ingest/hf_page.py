"""Reader for a Hugging Face papers page saved as text (format ``hf-page``).

The saved page is a few header lines, then for each paper a title line and
an abstract paragraph, usually separated by blank lines. The rule used here
does not depend on the blank lines or on the header:

* a line of 200+ characters that is not an author list is abstract text;
* the title is the last short line before it that is neither page noise
  (header text, dates, upvote or author counts, "Submitted by ...") nor an
  author list; an author list right after the title fills ``authors``;
* a long line with no title candidate since the previous abstract continues
  that abstract (a multi-paragraph abstract); before any abstract it starts
  a paper without a title;
* short lines that no abstract follows are skipped silently.

Hard-wrapped abstracts (every line shorter than 200 characters) are not
recognised. Only the short lines since the last abstract are kept in memory.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from .records import RawRecord, RecordProblem, split_authors
from .source import InputFile

__all__ = ["ABSTRACT_MIN_CHARS", "read_hf_page"]

ABSTRACT_MIN_CHARS = 200
_MAX_PENDING_LINES = 64

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_NOISE = re.compile(
    r"""^(?:
      [^\w]*                                            # only punctuation / symbols
    | [·•|\-–—\s]*\d[\d,.]*\s*[km]?\s*
      (?:upvotes?|comments?|authors?|likes?|views?)?    # counts: "12", "1.2k", "· 5 authors"
      (?:\s*[·•|]\s*\d[\d,.]*\s*[km]?\s*(?:upvotes?|comments?|authors?|likes?|views?))*
    | (?:upvotes?|comments?)\s*\d*
    | submitted\s+by\b.*
    | by\s*ak\b.*                                       # "byAK and the research community"
    | (?:published|submitted|updated)\s+on\b.*
    | """
    + _MONTH
    + r"""\s+\d{1,2}(?:,?\s+\d{4})?                       # "Mar 14", "Mar 14, 2024"
    | \d{1,2}\s+"""
    + _MONTH
    + r"""(?:,?\s+\d{4})?                                 # "14 Mar 2024"
    | \d{4}-\d{2}-\d{2}
    | new | subscribe | get\s+trending\s+papers\b.* | daily\s+papers | trending | papers
    | search | sign\s+(?:in|up) | log\s+in | models | datasets | spaces | docs | pricing
    | hugging\s*face | collections? | view\s+(?:arxiv\s+page|pdf) | add\s+to\s+collection
    | github | project\s+page | arxiv | pdf
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_NAME_PARTICLES = frozenset("al bin da de del della der di dos du la le van von y".split())
_AUTHOR_SPLIT = re.compile(r",\s*|\s+and\s+|\s*·\s*")


@dataclass
class _Heading:
    line: int
    title: str
    authors: tuple[str, ...] = ()


@dataclass
class _OpenPaper:
    heading: _Heading | None
    line: int
    parts: list[str] = field(default_factory=list)

    def record(self) -> RawRecord:
        heading = self.heading
        return RawRecord(
            line=heading.line if heading else self.line,
            title=heading.title if heading else None,
            abstract=" ".join(self.parts),
            authors=heading.authors if heading else (),
        )


def read_hf_page(source: InputFile) -> Iterator[RawRecord | RecordProblem]:
    """Yield one record per title + abstract pair of a saved papers page."""
    pending: deque[tuple[int, str]] = deque(maxlen=_MAX_PENDING_LINES)
    current: _OpenPaper | None = None
    for number, raw in source.lines():
        text = raw.strip()
        if not text:
            continue
        if len(text) >= ABSTRACT_MIN_CHARS and not _looks_like_authors(text):
            heading = _choose_heading(pending)
            pending.clear()
            if heading is None and current is not None:
                current.parts.append(text)
                continue
            if current is not None:
                yield current.record()
            current = _OpenPaper(heading, number, [text])
            continue
        pending.append((number, text))
        if current is not None and not _is_noise(text):
            yield current.record()
            current = None
    if current is not None:
        yield current.record()


def _choose_heading(pending: deque[tuple[int, str]]) -> _Heading | None:
    candidates = [(number, text) for number, text in pending if not _is_noise(text)]
    if not candidates:
        return None
    titles = [index for index, (_, text) in enumerate(candidates) if not _looks_like_authors(text)]
    chosen = titles[-1] if titles else 0
    line, title = candidates[chosen]
    authors: tuple[str, ...] = ()
    for _, text in candidates[chosen + 1 :]:
        if _looks_like_authors(text):
            authors = split_authors([p for p in _AUTHOR_SPLIT.split(text) if p])
            break
    return _Heading(line, title, authors)


def _is_noise(text: str) -> bool:
    return _NOISE.match(text) is not None


def _looks_like_authors(text: str) -> bool:
    """True for "Jane Doe, John Smith and Ann Lee": 2+ names of capitalised words.

    Two names need two words each, so a two-part title such as
    "Tomayto, Tomahto" is not taken for authors.
    """
    if any(ch in text for ch in ":;?!()[]") or any(ch.isdigit() for ch in text):
        return False
    names = [part.strip() for part in _AUTHOR_SPLIT.split(text) if part and part.strip()]
    if len(names) < 2:
        return False
    for name in names:
        words = name.split()
        if not 1 <= len(words) <= 5 or name.endswith("."):
            return False
        if not all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words):
            return False
    return len(names) >= 3 or all(len(name.split()) >= 2 for name in names)
