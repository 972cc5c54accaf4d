"""``--workers``: offline runs on several processes, same records in the same order, same resume."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from paperfields.api import read_papers
from paperfields.config import RunConfig
from paperfields.errors import ConfigError
from paperfields.orchestrator import parallel
from paperfields.orchestrator.runner import run_pipeline

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Processes from 8 papers on, 5 papers a chunk: many chunks in flight on a small input."""
    monkeypatch.setattr(parallel, "MIN_PAPERS_FOR_PROCESSES", 8)
    monkeypatch.setattr(parallel, "CHUNK_PAPERS", 5)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("inputs") / "papers.jsonl"
    papers = list(read_papers(ROOT / "examples" / "hf-papers-page.txt"))
    lines = [p.model_dump_json(include={"id", "title", "abstract"}) for p in papers[:40]]
    lines.insert(7, '{"id": "broken", "title": "no abstract"}')  # an ingest error on the way
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def lines_of(path: Path) -> list[dict[str, Any]]:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for record in records:
        record["provenance"].pop("timings")
    return records


def run(inputs: Path, out: Path, workers: int, **options: Any) -> Any:
    config = RunConfig(out_dir=out, extractor="offline", progress=False, workers=workers)
    return run_pipeline([inputs], config.replace(**options))


def test_two_workers_write_the_same_records_in_input_order(
    inputs: Path, tmp_path: Path, small_chunks: None
) -> None:
    one = run(inputs, tmp_path / "one", 1)
    two = run(inputs, tmp_path / "two", 2)
    assert (one.exit_code, two.exit_code) == (1, 1)  # the broken input line
    assert lines_of(tmp_path / "one" / "records.jsonl") == lines_of(
        tmp_path / "two" / "records.jsonl"
    )
    assert two.stats.ok == 40 and two.ingest_errors == 1
    errors = (tmp_path / "two" / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(errors) == 1 and json.loads(errors[0])["stage"] == "ingest"
    manifest = json.loads((tmp_path / "two" / "run.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["this_run"]["ok"] == 40


def test_a_rerun_with_workers_resumes_without_doubling(
    inputs: Path, tmp_path: Path, small_chunks: None
) -> None:
    out = tmp_path / "run"
    run(inputs, out, 2, limit=13)  # a first run that stopped early
    again = run(inputs, out, 2)
    assert again.stats.skipped == 13 and again.stats.ok == 27
    ids = [r["id"] for r in lines_of(out / "records.jsonl")]
    rows = [json.loads(line) for line in inputs.read_text(encoding="utf-8").splitlines()]
    assert ids == [row["id"] for row in rows if "abstract" in row]  # input order, once each


def test_the_cap_applies_in_worker_processes(
    inputs: Path, tmp_path: Path, small_chunks: None
) -> None:
    summary = run(inputs, tmp_path / "run", 2, max_items_per_field=1)
    records = lines_of(tmp_path / "run" / "records.jsonl")
    dropped = sum(r["grounding"]["dropped"] for r in records)
    assert dropped > 0 and summary.stats.items_dropped == dropped
    assert all(len(r["fields"]["claims"]) <= 1 for r in records)


def test_a_small_run_starts_no_process(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("no process pool for a small run")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", refuse)
    summary = run(inputs, tmp_path / "run", 2)
    assert summary.stats.ok == 40


def test_workers_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--workers"):
        RunConfig(out_dir=tmp_path, workers=0)
    assert RunConfig(out_dir=tmp_path).resolved_workers >= 1
