"""The ingest stage: many input formats in, one :class:`~paperfields.schemas.Paper` shape out.

Formats (detected from the extension and the first few KB, or forced):
``hf-page`` (a Hugging Face papers page saved as text), ``jsonl``, ``json``,
``csv``, ``tsv``, ``arxiv`` (arXiv API Atom XML) and ``hf-daily`` (the
Hugging Face daily-papers API JSON). Each format has its own reader module;
:func:`iter_papers` streams them all through one cleaning step (HTML
stripped, whitespace collapsed: every later character offset refers to the
abstract as stored here), stable id assignment and de-duplication, and
records what it saw in an :class:`IngestReport`.
"""

from __future__ import annotations

from ..config import DEFAULT_MAX_ABSTRACT_CHARS
from .detect import FORMATS, detect_format
from .report import IngestReport, InputSummary
from .stream import iter_papers

__all__ = [
    "DEFAULT_MAX_ABSTRACT_CHARS",
    "FORMATS",
    "IngestReport",
    "InputSummary",
    "detect_format",
    "iter_papers",
]
