"""A run folder with user-defined fields of every type, made through the stand-in server.

:data:`EVERY_TYPE` is a spec with a field of each type, with and without evidence;
:func:`make_fields_run` runs the real pipeline (the openai SDK over HTTP) against
``bench/standin_server.py`` on the six papers of ``tests/fixtures/fields`` and
``tests/fixtures/llm``, whose values several papers share (see the fixtures'
README). ``conftest.py`` makes one such run per test session (``fields_run``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fixtures.llm.standin import standin_module
from paperfields.config import LLMConfig, RunConfig
from paperfields.fields import FieldsSpec, load_toml_spec
from paperfields.orchestrator.runner import run_pipeline

__all__ = ["EVERY_TYPE", "FIELDS_PAPERS", "LLM_PAPERS", "make_fields_run", "run_config"]

TESTS = Path(__file__).resolve().parent
LLM_PAPERS = TESTS / "fixtures" / "llm" / "papers.jsonl"
FIELDS_PAPERS = TESTS / "fixtures" / "fields" / "papers.jsonl"

EVERY_TYPE = """
name = "every"

[fields.limitations]
type = "list"
description = "Limitations or weaknesses the authors acknowledge"

[fields.code_released]
type = "boolean"
description = "Whether code, models or data are publicly released"
evidence = true

[fields.modality]
type = "enum"
values = ["text", "image", "audio", "video", "multimodal", "other"]
description = "Main data modality"
evidence = true

[fields.modality_plain]
type = "enum"
values = ["text", "image", "other"]
description = "Main data modality, without a quote"

[fields.compute]
type = "string"
description = "Compute budget mentioned (GPUs, hours), if any"

[fields.compute_quoted]
type = "string"
description = "Compute budget mentioned, with its quote"
evidence = true

[fields.parameters]
type = "number"
description = "Number of parameters or any leading number"
evidence = true

[fields.count]
type = "number"
description = "The first number in the abstract"

[fields.released]
type = "boolean"
description = "Whether anything is released"
"""


def run_config(out: Path, url: str, cache: Path, spec: FieldsSpec, **llm: Any) -> RunConfig:
    """A run configuration against the stand-in at ``url`` with ``spec``."""
    values: dict[str, Any] = {"base_url": url, "cache_dir": cache, "max_wait_s": 2.0}
    values.update(llm)
    return RunConfig(
        out_dir=out, extractor="openai", llm=LLMConfig(**values), progress=False, fields=spec
    )


def make_fields_run(folder: Path) -> Path:
    """Run the six papers with :data:`EVERY_TYPE` through a fresh stand-in; return the run folder.

    Args:
        folder: An empty folder; the spec, the cache and the run folder ``run`` go in it.
    """
    standin = standin_module()
    spec_path = folder / "every.toml"
    spec_path.write_text(EVERY_TYPE, encoding="utf-8")
    spec = load_toml_spec(spec_path)
    server = standin.StandinServer(seed=11)
    server.start_in_thread()
    try:
        config = run_config(
            folder / "run", server.base_url, folder / "cache", spec, api_key="sk-test-fields-run",
            concurrency=1,  # records in input order, so tests may name positions
        )
        summary = run_pipeline([FIELDS_PAPERS, LLM_PAPERS], config)
    finally:
        server.stop_thread()
    assert summary.exit_code == 0 and summary.stats.ok == 6, summary
    return summary.out_dir
