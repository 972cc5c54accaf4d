"""Functions for notebooks and scripts: read papers, extract one, run a batch, load records.

These wrap the stage modules with friendly defaults (offline unless a key or
server is given, a run folder under ``outputs/``) so that a few lines of
Python do what the CLI does. Everything they return is a pydantic model or a
:class:`~paperfields.orchestrator.runner.RunSummary`; nothing here reads the environment except
:func:`run` when ``use_env=True`` (the default, like the CLI).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .config import ExtractorChoice, LLMConfig, RunConfig
from .extract import Extractor
from .extract.offline.extractor import OfflineExtractor
from .ingest import iter_papers
from .io.jsonl import iter_jsonl
from .io.runfolder import RECORDS_FILE
from .names.values import parse_metric_values
from .orchestrator.records import build_record
from .orchestrator.runner import run_pipeline
from .orchestrator.summary import RunSummary
from .schemas import Paper, Record

__all__ = ["aextract_paper", "extract_paper", "load_records", "read_papers", "run"]


def read_papers(
    paths: Sequence[str | Path] | str | Path, *, format: str | None = None
) -> Iterator[Paper]:
    """Yield the papers in one or more input files (bad entries are skipped; see ``iter_papers``).

    Args:
        paths: a file or a list of files in any supported format.
        format: force a format (``hf-page``, ``jsonl``, ``json``, ``csv``, ``tsv``, ``arxiv``,
            ``hf-daily``) instead of detecting it.
    """
    files = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    for item in iter_papers(files, format=format):
        if isinstance(item, Paper):
            yield item


async def aextract_paper(
    paper: Paper | dict[str, Any], *, extractor: Extractor | None = None
) -> Record:
    """Extract and ground one paper inside a running event loop (see :func:`extract_paper`).

    Use this to reuse one LLM extractor for many papers: its HTTP connections belong
    to the event loop they were opened in.
    """
    paper = paper if isinstance(paper, Paper) else Paper.model_validate(paper)
    chosen = extractor if extractor is not None else OfflineExtractor()
    started = time.perf_counter()
    extraction = await chosen.extract(paper)
    return build_record(paper, extraction, extract_s=time.perf_counter() - started)


def extract_paper(paper: Paper | dict[str, Any], *, extractor: Extractor | None = None) -> Record:
    """Extract and ground one paper, returning its stored record (offline rules by default).

    Each call runs its own event loop. To extract many papers with one LLM
    extractor, use :func:`run` / :func:`~paperfields.orchestrator.runner.run_pipeline`, or
    ``await`` :func:`aextract_paper` in one loop.

    Args:
        paper: a :class:`Paper`, or a dict with at least ``id``, ``title`` and ``abstract``.
        extractor: any :class:`~paperfields.extract.Extractor`, e.g. the offline one.

    Raises:
        ExtractionError, BackendError: the paper could not be extracted.
    """
    return asyncio.run(aextract_paper(paper, extractor=extractor))


def run(
    inputs: Sequence[str | Path] | str | Path,
    out_dir: str | Path | None = None,
    *,
    offline: bool = False,
    use_env: bool = True,
    progress: bool = False,
    **llm: Any,
) -> RunSummary:
    """Run the whole pipeline like ``paperfields run`` and return its summary.

    Args:
        inputs: input file(s).
        out_dir: the run folder (default ``outputs/<first-input-stem>``).
        offline: force the offline extractor.
        use_env: fill unset LLM settings from ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL``.
        progress: show a progress bar.
        **llm: any :class:`~paperfields.config.LLMConfig` field (``model``, ``base_url``,
            ``concurrency``, ``cache_dir``...).
    """
    files = [Path(inputs)] if isinstance(inputs, (str, Path)) else [Path(p) for p in inputs]
    target = Path(out_dir) if out_dir is not None else Path("outputs") / files[0].stem
    extractor: ExtractorChoice = "offline" if offline else "auto"
    if use_env:
        config = RunConfig.from_env(target, llm=llm, extractor=extractor, progress=progress)
    else:
        config = RunConfig(
            out_dir=target, llm=LLMConfig(**llm), extractor=extractor, progress=progress
        )
    return run_pipeline(files, config)


def load_records(path: str | Path) -> Iterator[Record]:
    """Yield the records of a run folder (or of a ``records.jsonl`` file), validated.

    Metric values written before values were parsed get their ``number``, ``unit``
    and ``kind`` here, as in ``compare`` and ``export``.
    """
    file = Path(path)
    if file.is_dir():
        file = file / RECORDS_FILE
    for _, obj in iter_jsonl(file):
        record = Record.model_validate(obj)
        parse_metric_values(record.fields, only_missing=True)  # older records lack them
        yield record
