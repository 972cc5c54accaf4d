"""The public API: a sorted, complete __all__, no eager openai import, a notebook-sized workflow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import paperfields

EVAL_GOLD = Path(__file__).resolve().parents[1] / "examples" / "eval" / "hf-page-gold.jsonl"


def test_all_is_sorted_and_every_name_exists() -> None:
    assert paperfields.__all__ == sorted(paperfields.__all__)
    for name in paperfields.__all__:
        assert hasattr(paperfields, name), name


def test_importing_the_package_does_not_import_the_openai_sdk() -> None:
    code = "import sys, paperfields; print('openai' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_notebook_workflow_read_extract_run_compare_export(
    example_page: Path, tmp_path: Path
) -> None:
    papers = list(paperfields.read_papers(example_page))
    assert len(papers) == 63
    record = paperfields.extract_paper(papers[0])
    assert record.status == "ok" and record.provenance.extractor.startswith("offline:")
    assert record.fields.summary
    one = paperfields.extract_paper({"id": "x", "title": "T", "abstract": papers[1].abstract})
    assert one.id == "x" and one.abstract == papers[1].abstract

    summary = paperfields.run(example_page, tmp_path / "run", offline=True)
    assert summary.exit_code == 0 and summary.stats.ok == 63
    records = list(paperfields.load_records(tmp_path / "run"))
    assert [r.id for r in records] == [p.id for p in papers]

    # Plain strings work wherever a path is taken, as in a notebook.
    run_dir = str(tmp_path / "run")
    index = paperfields.open_run(run_dir)
    groups = {g.value: g for g in index.groups("datasets", min_papers=2)}
    assert len(groups["MTEB"].papers) >= 3
    result = paperfields.export_run(run_dir, "sqlite", out=str(tmp_path / "r.sqlite"))
    assert (tmp_path / "r.sqlite").exists() and result is not None
    gold = str(EVAL_GOLD)
    report = paperfields.score_records(str(tmp_path / "run"), gold)  # a run folder is fine
    assert report.papers == 63 and 0.3 < report.macro_f1["exact"] < 1.0


def test_one_extractor_serves_many_papers_in_one_event_loop(example_page: Path) -> None:
    import asyncio

    papers = list(paperfields.read_papers(example_page))[:5]
    extractor = paperfields.OfflineExtractor()

    async def go() -> list[paperfields.Record]:
        return [await paperfields.aextract_paper(p, extractor=extractor) for p in papers]

    records = asyncio.run(go())
    assert [r.id for r in records] == [p.id for p in papers]
    assert all(r.grounding.ungrounded == 0 for r in records)


def test_the_orchestrator_module_is_not_shadowed_by_the_run_function() -> None:
    import importlib

    module = importlib.import_module("paperfields.orchestrator.runner")
    assert callable(paperfields.run) and paperfields.run is not module
    assert module.run_pipeline is paperfields.run_pipeline
