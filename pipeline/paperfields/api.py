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

from .config import FIELDS_NEED_LLM, ExtractorChoice, LLMConfig, RunConfig
from .errors import ConfigError
from .extract import Extractor
from .extract.offline.extractor import OfflineExtractor
from .fields import FieldsSource, FieldsSpec, resolve_spec
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


def _extractor_for(
    extractor: Extractor | None, spec: FieldsSpec | None
) -> tuple[Extractor, bool]:
    """The extractor to use and whether this call made it (and so must close it).

    Raises:
        ConfigError: user fields are asked of an extractor that cannot fill them, or
            no LLM is configured in the environment to fill them.
    """
    if spec is None:
        return (extractor if extractor is not None else OfflineExtractor()), False
    if extractor is not None and extractor.identity.fields_spec == spec.sha256:
        return extractor, False
    from .extract.llm import LLMExtractor

    if isinstance(extractor, LLMExtractor):
        return extractor.with_fields(spec), True
    if extractor is not None:
        raise ConfigError(f"{extractor.name} cannot fill user-defined fields: {FIELDS_NEED_LLM}")
    config = RunConfig.from_env(Path("."), fields=spec)  # refuses when no LLM is configured
    return LLMExtractor(config.llm, fields=spec), True


async def aextract_paper(
    paper: Paper | dict[str, Any],
    *,
    extractor: Extractor | None = None,
    fields: FieldsSource | None = None,
) -> Record:
    """Extract and ground one paper inside a running event loop (see :func:`extract_paper`).

    Use this to reuse one LLM extractor for many papers: its HTTP connections belong
    to the event loop they were opened in.
    """
    paper = paper if isinstance(paper, Paper) else Paper.model_validate(paper)
    chosen, made_here = _extractor_for(extractor, resolve_spec(fields))
    started = time.perf_counter()
    try:
        extraction = await chosen.extract(paper)
    finally:
        if made_here:
            await chosen.aclose()
    return build_record(paper, extraction, extract_s=time.perf_counter() - started)


def extract_paper(
    paper: Paper | dict[str, Any],
    *,
    extractor: Extractor | None = None,
    fields: FieldsSource | None = None,
) -> Record:
    """Extract and ground one paper, returning its stored record (offline rules by default).

    Each call runs its own event loop. To extract many papers with one LLM
    extractor, use :func:`run` / :func:`~paperfields.orchestrator.runner.run_pipeline`, or
    ``await`` :func:`aextract_paper` in one loop.

    Args:
        paper: a :class:`Paper`, or a dict with at least ``id``, ``title`` and ``abstract``.
        extractor: any :class:`~paperfields.extract.Extractor`, e.g. the offline one.
        fields: user-defined fields to extract too: a TOML spec path or a pydantic model
            class (see :mod:`paperfields.fields`). They need an LLM: ``extractor`` must be
            an :class:`~paperfields.extract.llm.LLMExtractor` (it is reused, with the
            fields added), or, without one, ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL`` must
            be set.

    Raises:
        ExtractionError, BackendError: the paper could not be extracted.
        FieldsSpecError: the fields spec is invalid.
        ConfigError: ``fields`` without an LLM to fill them.
    """
    return asyncio.run(aextract_paper(paper, extractor=extractor, fields=fields))


def run(
    inputs: Sequence[str | Path] | str | Path,
    out_dir: str | Path | None = None,
    *,
    offline: bool = False,
    use_env: bool = True,
    progress: bool = False,
    fields: FieldsSource | None = None,
    **llm: Any,
) -> RunSummary:
    """Run the whole pipeline like ``paperfields run`` and return its summary.

    Args:
        inputs: input file(s).
        out_dir: the run folder (default ``outputs/<first-input-stem>``).
        offline: force the offline extractor.
        use_env: fill unset LLM settings from ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL``.
        progress: show a progress bar.
        fields: user-defined fields to extract too: a TOML spec path or a pydantic model
            class (see :mod:`paperfields.fields`); they need an LLM.
        **llm: any :class:`~paperfields.config.LLMConfig` field (``model``, ``base_url``,
            ``concurrency``, ``cache_dir``...).
    """
    files = [Path(inputs)] if isinstance(inputs, (str, Path)) else [Path(p) for p in inputs]
    target = Path(out_dir) if out_dir is not None else Path("outputs") / files[0].stem
    extractor: ExtractorChoice = "offline" if offline else "auto"
    spec = resolve_spec(fields)
    if use_env:
        config = RunConfig.from_env(
            target, llm=llm, extractor=extractor, progress=progress, fields=spec
        )
    else:
        config = RunConfig(
            out_dir=target,
            llm=LLMConfig(**llm),
            extractor=extractor,
            progress=progress,
            fields=spec,
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
