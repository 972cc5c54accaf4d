"""paperfields: turn scientific paper abstracts into validated, structured, comparable records.

The public library API. The same stages the ``paperfields`` command runs are
callable from Python::

    import pipeline

    summary = pipeline.run("examples/hf-papers-page.txt", "outputs/demo")
    for record in pipeline.load_records(summary.out_dir):
        print(record.id, [d.name for d in record.fields.datasets])

    index = pipeline.open_run(summary.out_dir)
    for group in index.groups("datasets", min_papers=2):
        print(group.value, group.papers)

    pipeline.export_run(summary.out_dir, "xlsx")

Everything listed in ``__all__`` is stable; modules not re-exported here are
internal. Names are imported on first use, so ``import pipeline`` (and every
CLI command) stays fast and the openai SDK loads only when a model is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import aextract_paper, extract_paper, load_records, read_papers, run
    from .compare import RunIndex, open_run
    from .config import LLMConfig, RunConfig
    from .errors import (
        BackendError,
        ConfigError,
        ExtractionError,
        InputError,
        PipelineError,
        PromptError,
        Refusal,
        RetriesExhausted,
        SchemaValidationError,
        TruncatedOutput,
    )
    from .evaluate import EvalReport, score_records
    from .export import ExportResult, export_run
    from .extract import Extraction, Extractor, create_extractor
    from .extract.offline import OfflineExtractor
    from .ground import ground_fields
    from .ingest import iter_papers
    from .normalize import load_aliases
    from .orchestrator import RunSummary, arun_pipeline, extract_stage, ingest_stage, run_pipeline
    from .schemas import ExtractedFields, GroundedFields, Paper, Record

_SOURCES: dict[str, str] = {
    "aextract_paper": "api",
    "extract_paper": "api",
    "load_records": "api",
    "read_papers": "api",
    "run": "api",
    "RunIndex": "compare",
    "open_run": "compare",
    "LLMConfig": "config",
    "RunConfig": "config",
    "BackendError": "errors",
    "ConfigError": "errors",
    "ExtractionError": "errors",
    "InputError": "errors",
    "PipelineError": "errors",
    "PromptError": "errors",
    "Refusal": "errors",
    "RetriesExhausted": "errors",
    "SchemaValidationError": "errors",
    "TruncatedOutput": "errors",
    "EvalReport": "evaluate",
    "score_records": "evaluate",
    "ExportResult": "export",
    "export_run": "export",
    "Extraction": "extract",
    "Extractor": "extract",
    "create_extractor": "extract",
    "OfflineExtractor": "extract.offline",
    "ground_fields": "ground",
    "iter_papers": "ingest",
    "load_aliases": "normalize",
    "RunSummary": "orchestrator",
    "arun_pipeline": "orchestrator",
    "extract_stage": "orchestrator",
    "ingest_stage": "orchestrator",
    "run_pipeline": "orchestrator",
    "ExtractedFields": "schemas",
    "GroundedFields": "schemas",
    "Paper": "schemas",
    "Record": "schemas",
}

__all__ = [
    "BackendError",
    "ConfigError",
    "EvalReport",
    "ExportResult",
    "ExtractedFields",
    "Extraction",
    "ExtractionError",
    "Extractor",
    "GroundedFields",
    "InputError",
    "LLMConfig",
    "OfflineExtractor",
    "Paper",
    "PipelineError",
    "PromptError",
    "Record",
    "Refusal",
    "RetriesExhausted",
    "RunConfig",
    "RunIndex",
    "RunSummary",
    "SchemaValidationError",
    "TruncatedOutput",
    "aextract_paper",
    "arun_pipeline",
    "create_extractor",
    "export_run",
    "extract_paper",
    "extract_stage",
    "ground_fields",
    "ingest_stage",
    "iter_papers",
    "load_aliases",
    "load_records",
    "open_run",
    "read_papers",
    "run",
    "run_pipeline",
    "score_records",
]


def __getattr__(name: str) -> Any:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{source}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
