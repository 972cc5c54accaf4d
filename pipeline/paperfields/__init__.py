"""paperfields: turn scientific paper abstracts into validated, structured, comparable records.

The public library API. The same stages the ``paperfields`` command runs are
callable from Python::

    import paperfields

    summary = paperfields.run("examples/hf-papers-page.txt", "outputs/demo")
    for record in paperfields.load_records(summary.out_dir):
        print(record.id, [d.name for d in record.fields.datasets])

    index = paperfields.open_run(summary.out_dir)
    for group in index.groups("datasets", min_papers=2):
        print(group.value, group.papers)

    paperfields.export_run(summary.out_dir, "xlsx")

Everything listed in ``__all__`` is stable; modules not re-exported here are
internal. Names are imported on first use, so ``import paperfields`` (and every
CLI command) stays fast and the openai SDK loads only when a model is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import aextract_paper, extract_paper, load_records, read_papers, run
    from .compare.index import RunIndex, open_run
    from .config import LLMConfig, RunConfig
    from .errors import (
        BackendError,
        ConfigError,
        ExtractionError,
        FieldsSpecError,
        InputError,
        PipelineError,
        PromptError,
        Refusal,
        RetriesExhausted,
        SchemaValidationError,
        TruncatedOutput,
    )
    from .evaluate import EvalReport, score_records
    from .evaluate_results import ResultsReport, score_records_extras
    from .export import ExportResult, export_run
    from .extract import Extraction, Extractor, create_extractor
    from .extract.offline.extractor import OfflineExtractor
    from .fields import FieldsSpec, resolve_spec
    from .ground import ground_fields
    from .ingest import iter_papers
    from .names.canonical import load_aliases
    from .names.values import parse_value
    from .orchestrator.runner import arun_pipeline, extract_stage, ingest_stage, run_pipeline
    from .orchestrator.summary import RunSummary
    from .schemas import ExtractedFields, GroundedFields, Paper, Record

_SOURCES: dict[str, str] = {
    "aextract_paper": "api",
    "extract_paper": "api",
    "load_records": "api",
    "read_papers": "api",
    "run": "api",
    "RunIndex": "compare.index",
    "open_run": "compare.index",
    "LLMConfig": "config",
    "RunConfig": "config",
    "BackendError": "errors",
    "ConfigError": "errors",
    "ExtractionError": "errors",
    "FieldsSpecError": "errors",
    "InputError": "errors",
    "PipelineError": "errors",
    "PromptError": "errors",
    "Refusal": "errors",
    "RetriesExhausted": "errors",
    "SchemaValidationError": "errors",
    "TruncatedOutput": "errors",
    "EvalReport": "evaluate",
    "score_records": "evaluate",
    "ResultsReport": "evaluate_results",
    "score_records_extras": "evaluate_results",
    "ExportResult": "export",
    "export_run": "export",
    "Extraction": "extract",
    "Extractor": "extract",
    "create_extractor": "extract",
    "OfflineExtractor": "extract.offline.extractor",
    "FieldsSpec": "fields",
    "resolve_spec": "fields",
    "ground_fields": "ground",
    "iter_papers": "ingest",
    "load_aliases": "names.canonical",
    "parse_value": "names.values",
    "RunSummary": "orchestrator.summary",
    "arun_pipeline": "orchestrator.runner",
    "extract_stage": "orchestrator.runner",
    "ingest_stage": "orchestrator.runner",
    "run_pipeline": "orchestrator.runner",
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
    "FieldsSpec",
    "FieldsSpecError",
    "GroundedFields",
    "InputError",
    "LLMConfig",
    "OfflineExtractor",
    "Paper",
    "PipelineError",
    "PromptError",
    "Record",
    "Refusal",
    "ResultsReport",
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
    "parse_value",
    "read_papers",
    "resolve_spec",
    "run",
    "run_pipeline",
    "score_records",
    "score_records_extras",
]


def __getattr__(name: str) -> Any:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module 'paperfields' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{source}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
