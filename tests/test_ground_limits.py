"""A hostile reply cannot stall a run: items per field are capped and grounding time is bounded."""

from __future__ import annotations

import json
import time
from pathlib import Path

from fixtures.llm.openai_stub import StubServer, completion, load_papers
from paperfields.config import LLMConfig, RunConfig
from paperfields.extract.llm import LLMExtractor
from paperfields.llm.backend import OpenAIBackend
from paperfields.orchestrator.runner import run_pipeline

PAPER = load_papers()[0]


def near_miss_reply(count: int) -> str:
    """``count`` claims whose quotes share the abstract's words but are not in it."""
    words = PAPER.abstract.split()
    claims = []
    for n in range(count):
        quote = " ".join(words[(n * 7) % 40 : (n * 7) % 40 + 14][::-1]) + f" ({n})"
        claims.append({"text": quote, "kind": "other", "evidence": quote})
    fields = {
        "summary": None,
        "tasks": [],
        "methods": [],
        "datasets": [],
        "metrics": [],
        "claims": claims,
    }
    return json.dumps(fields)


def test_a_reply_of_10000_near_miss_quotes_finishes_fast_and_says_so(tmp_path: Path) -> None:
    inputs = tmp_path / "papers.jsonl"
    inputs.write_text(PAPER.model_dump_json(include={"id", "title", "abstract"}) + "\n")
    stub = StubServer()
    stub.enqueue(completion(near_miss_reply(10_000)))
    llm = LLMConfig(base_url="http://llm.test:8000/v1", cache_dir=tmp_path / "cache")
    config = RunConfig(
        out_dir=tmp_path / "run",
        extractor="openai",
        llm=llm,
        progress=False,
        max_items_per_field=40,
    )
    backend = OpenAIBackend(llm, http_client=stub.client())
    started = time.perf_counter()
    summary = run_pipeline([inputs], config, extractor=LLMExtractor(llm, backend=backend))
    elapsed = time.perf_counter() - started
    assert summary.exit_code == 0
    assert elapsed < 5.0
    record = json.loads((tmp_path / "run" / "records.jsonl").read_text())
    assert len(record["fields"]["claims"]) == 40
    assert record["grounding"]["dropped"] == 9_960
    manifest = json.loads((tmp_path / "run" / "run.json").read_text())
    counts = manifest["counts"]["this_run"]
    assert counts["items_dropped"] == 9_960 and counts["papers_capped"] == 1
    assert manifest["max_items_per_field"] == 40


def test_the_cap_is_a_run_flag_and_the_summary_reports_it(
    example_page: Path, tmp_path: Path
) -> None:
    from click.testing import CliRunner
    from paperfields.cli import main

    out = tmp_path / "run"
    args = ["run", str(example_page), "-o", str(out), "--offline", "--max-items-per-field", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "over --max-items-per-field dropped" in result.output
    records = [json.loads(line) for line in (out / "records.jsonl").read_text().splitlines()]
    assert all(len(r["fields"][name]) <= 1 for r in records for name in ("methods", "claims"))
    dropped = sum(r["grounding"]["dropped"] for r in records)
    assert dropped > 0
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["counts"]["this_run"]["items_dropped"] == dropped
