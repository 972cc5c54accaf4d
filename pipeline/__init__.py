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
internal.
"""

from .api import extract_paper, load_records, read_papers, run
from .compare import RunIndex, open_run
from .config import LLMConfig, RunConfig
from .errors import (
    BackendError,
    BudgetExceeded,
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
from .run import RunSummary, arun_pipeline, extract_stage, ingest_stage, run_pipeline
from .schemas import ExtractedFields, GroundedFields, Paper, Record

__all__ = [
    "BackendError",
    "BudgetExceeded",
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
