"""The orchestrator: streamed records, resume without duplicates, errors as data, exit codes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from fakes import FakeExtractor, first_sentence_fields, read_jsonl, write_abstracts
from paperfields.config import LLMConfig, RunConfig
from paperfields.errors import ConfigError, ExtractionError, InputError
from paperfields.orchestrator.runner import extract_stage, ingest_stage, run_pipeline
from paperfields.schemas import ExtractedFields, Paper, Record


def test_every_paper_becomes_one_grounded_record(tmp_path: Path) -> None:
    inputs = write_abstracts(tmp_path / "in.jsonl", 150)
    fake = FakeExtractor(first_sentence_fields, concurrency=8)
    summary = run_pipeline([inputs], RunConfig(out_dir=tmp_path / "run"), extractor=fake)
    records = [Record.model_validate(r) for r in read_jsonl(tmp_path / "run" / "records.jsonl")]
    assert summary.exit_code == 0
    assert len(records) == 150
    assert len({r.id for r in records}) == 150
    for record in records:
        item = record.fields.tasks[0]
        assert item.grounded and item.span is not None
        assert record.abstract[item.span[0] : item.span[1]] == item.evidence
        assert record.provenance.extractor == "fake:test-v1"
        assert record.provenance.usage.prompt_tokens == 100
    assert len(read_jsonl(tmp_path / "run" / "papers.jsonl")) == 150
    manifest = json.loads((tmp_path / "run" / "run.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["counts"]["records"] == 150
    assert manifest["ingest"]["inputs"][0]["sha256"]
    assert manifest["usage"]["prompt_tokens"] == 150 * 100


def test_rerun_skips_done_ids_and_writes_no_duplicate(tmp_path: Path) -> None:
    inputs = write_abstracts(tmp_path / "in.jsonl", 20)
    config = RunConfig(out_dir=tmp_path / "run")
    run_pipeline([inputs], config, extractor=FakeExtractor(first_sentence_fields))
    again = FakeExtractor(first_sentence_fields)
    summary = run_pipeline([inputs], config, extractor=again)
    assert again.history == []
    assert summary.stats.skipped == 20
    assert len(read_jsonl(tmp_path / "run" / "records.jsonl")) == 20


def test_a_half_written_last_line_is_cut_and_that_paper_redone(tmp_path: Path) -> None:
    inputs = write_abstracts(tmp_path / "in.jsonl", 10)
    config = RunConfig(out_dir=tmp_path / "run")
    run_pipeline([inputs], config, extractor=FakeExtractor(first_sentence_fields))
    records = tmp_path / "run" / "records.jsonl"
    lines = records.read_text().splitlines(keepends=True)
    # Simulate a kill -9 in the middle of writing the 8th record.
    records.write_text("".join(lines[:7]) + lines[7][:40])
    again = FakeExtractor(first_sentence_fields)
    run_pipeline([inputs], config, extractor=again)
    ids = [r["id"] for r in read_jsonl(records)]
    assert sorted(ids) == sorted(f"p{i:04d}" for i in range(10))
    assert len(again.history) == 3


def test_a_failing_paper_goes_to_errors_and_the_others_finish(tmp_path: Path) -> None:
    inputs = write_abstracts(tmp_path / "in.jsonl", 12)

    def respond(paper: Paper) -> ExtractedFields:
        if paper.id == "p0003":
            raise ExtractionError("reply never validated", paper_id=paper.id, attempts=3)
        if paper.id == "p0005":
            raise RuntimeError("boom")
        return first_sentence_fields(paper)

    config = RunConfig(out_dir=tmp_path / "run")
    summary = run_pipeline([inputs], config, extractor=FakeExtractor(respond))
    assert summary.exit_code == 1
    assert summary.stats.ok == 10 and summary.stats.failed == 2
    errors = {e["id"]: e for e in read_jsonl(tmp_path / "run" / "errors.jsonl")}
    assert set(errors) == {"p0003", "p0005"}
    assert errors["p0003"]["reason"] == "reply never validated"
    assert errors["p0003"]["attempts"] == 3
    assert errors["p0003"]["error_type"] == "ExtractionError"
    assert errors["p0005"]["reason"].startswith("internal error: RuntimeError")
    # A rerun retries only the failed papers; once they succeed errors.jsonl is empty.
    again = FakeExtractor(first_sentence_fields)
    summary = run_pipeline([inputs], config, extractor=again)
    assert sorted(again.history) == ["p0003", "p0005"]
    assert summary.exit_code == 0
    assert read_jsonl(tmp_path / "run" / "errors.jsonl") == []
    assert len(read_jsonl(tmp_path / "run" / "records.jsonl")) == 12


def test_bad_lines_are_reported_with_file_and_line_and_exit_one(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"title": "Good paper", "abstract": "We propose a thing. It works."}\n'
        "\n"
        '{"title": "No abstract"}\n'
        "{not json\n"
        '{"title": "Another good one", "abstract": "We study things. They are fine."}\n',
        encoding="utf-8",
    )
    warnings: list[str] = []
    summary = run_pipeline(
        [path],
        RunConfig(out_dir=tmp_path / "run"),
        extractor=FakeExtractor(first_sentence_fields),
        on_warning=warnings.append,
    )
    assert summary.exit_code == 1
    assert summary.stats.ok == 2
    errors = read_jsonl(tmp_path / "run" / "errors.jsonl")
    assert [e["source"]["line"] for e in errors] == [3, 4]
    assert all(e["stage"] == "ingest" for e in errors)
    assert any(":2:" in w and "empty" in w.lower() for w in warnings)


def test_missing_input_raises_input_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.jsonl"):
        run_pipeline([tmp_path / "nope.jsonl"], RunConfig(out_dir=tmp_path / "run"))


def test_max_cost_stops_starting_new_papers(tmp_path: Path) -> None:
    inputs = write_abstracts(tmp_path / "in.jsonl", 10)
    fake = FakeExtractor(first_sentence_fields, concurrency=1, cost_usd=0.01)
    config = RunConfig(out_dir=tmp_path / "run", max_cost_usd=0.03)
    summary = run_pipeline([inputs], config, extractor=fake)
    assert summary.stats.ok == 3
    assert summary.pending == 7
    assert summary.exit_code == 1
    assert summary.manifest["status"] == "budget"


def test_ingest_then_extract_stages_keep_ingest_errors(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": "a", "title": "A", "abstract": "Alpha is studied. It works."}\n'
        '{"id": "b", "title": "B"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "run"
    ingest_stage([path], out)
    assert [p["id"] for p in read_jsonl(out / "papers.jsonl")] == ["a"]
    summary = extract_stage(RunConfig(out_dir=out), extractor=FakeExtractor(first_sentence_fields))
    assert summary.stats.ok == 1
    assert [e["id"] for e in read_jsonl(out / "errors.jsonl")] == ["b"]


def test_extract_stage_without_papers_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="papers.jsonl"):
        extract_stage(RunConfig(out_dir=tmp_path), extractor=FakeExtractor(first_sentence_fields))


def test_a_reordered_input_never_skips_a_new_paper_or_redoes_an_old_one(tmp_path: Path) -> None:
    # Ids from titles depend on input order: paper Y takes the id X had in the first run.
    x = {"title": "A survey of things", "abstract": "We survey things. There are many."}
    y = {"title": "A survey of things", "abstract": "A different text. With other words."}
    first = tmp_path / "a.jsonl"
    first.write_text(json.dumps(x) + "\n", encoding="utf-8")
    second = tmp_path / "b.jsonl"
    second.write_text(json.dumps(y) + "\n" + json.dumps(x) + "\n", encoding="utf-8")
    config = RunConfig(out_dir=tmp_path / "run")
    run_pipeline([first], config, extractor=FakeExtractor(first_sentence_fields))
    again = FakeExtractor(first_sentence_fields)
    summary = run_pipeline([second], config, extractor=again)
    assert again.history == []  # X is already done (same text), Y is not silently skipped
    assert summary.stats.skipped == 1
    assert summary.exit_code == 1
    errors = read_jsonl(tmp_path / "run" / "errors.jsonl")
    assert [e["error_type"] for e in errors] == ["IdConflict"]
    assert "new run folder" in errors[0]["reason"]
    assert len(read_jsonl(tmp_path / "run" / "records.jsonl")) == 1


def test_an_interrupted_run_leaves_no_truncated_papers_file(tmp_path: Path) -> None:
    inputs = write_abstracts(tmp_path / "in.jsonl", 30)

    def respond(paper: Paper) -> ExtractedFields:
        if paper.id == "p0010":
            raise KeyboardInterrupt
        return first_sentence_fields(paper)

    config = RunConfig(out_dir=tmp_path / "run")
    with pytest.raises(KeyboardInterrupt):
        run_pipeline([inputs], config, extractor=FakeExtractor(respond, concurrency=1))
    assert not (tmp_path / "run" / "papers.jsonl").exists()
    assert json.loads((tmp_path / "run" / "run.json").read_text())["status"] == "interrupted"
    with pytest.raises(InputError, match="papers.jsonl"):
        extract_stage(config, extractor=FakeExtractor(first_sentence_fields))
    # The same command again finishes the job.
    summary = run_pipeline([inputs], config, extractor=FakeExtractor(first_sentence_fields))
    assert summary.stats.skipped == 10 and summary.stats.ok == 20
    assert len(read_jsonl(tmp_path / "run" / "papers.jsonl")) == 30


def test_a_failing_records_write_stops_the_run_instead_of_hanging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import paperfields.orchestrator.runner as orchestrator
    from paperfields.orchestrator.sink import RecordSink

    written: list[str] = []
    original = RecordSink.record

    def record(self: object, rec: Record) -> bool:
        if len(written) >= 5:
            raise OSError(28, "No space left on device")
        written.append(rec.id)
        return original(self, rec)  # type: ignore[arg-type]

    monkeypatch.setattr(RecordSink, "record", record)
    inputs = write_abstracts(tmp_path / "in.jsonl", 60)
    fake = FakeExtractor(first_sentence_fields, concurrency=2, delay_s=0.001)

    async def go() -> None:
        await asyncio.wait_for(
            orchestrator.arun_pipeline(
                [inputs], RunConfig(out_dir=tmp_path / "run"), extractor=fake
            ),
            timeout=10,
        )

    with pytest.raises(OSError, match="No space"):
        asyncio.run(go())
    assert json.loads((tmp_path / "run" / "run.json").read_text())["status"] == "interrupted"


def test_the_budget_is_checked_again_when_a_queued_paper_starts(tmp_path: Path) -> None:
    inputs = write_abstracts(tmp_path / "in.jsonl", 20)
    fake = FakeExtractor(first_sentence_fields, concurrency=4, delay_s=0.01, cost_usd=0.01)
    config = RunConfig(out_dir=tmp_path / "run", max_cost_usd=0.02)
    summary = run_pipeline([inputs], config, extractor=fake)
    # Four papers start at $0; the first to finish ($0.01) starts one more; from the second
    # finish on the budget is reached, and papers waiting in the queue are not started.
    assert summary.stats.ok <= 5
    assert summary.stats.ok + summary.pending == 20


def test_max_cost_with_a_model_of_unknown_price_is_refused_before_any_request(
    tmp_path: Path,
) -> None:
    inputs = write_abstracts(tmp_path / "in.jsonl", 3)
    config = RunConfig(
        out_dir=tmp_path / "run",
        llm=LLMConfig(model="my-local-model", base_url="http://127.0.0.1:9/v1"),
        max_cost_usd=1.0,
    )
    with pytest.raises(ConfigError, match="my-local-model"):
        run_pipeline([inputs], config)


def test_config_accepts_string_paths() -> None:
    config = RunConfig(out_dir="runs/x", llm=LLMConfig(cache_dir="/tmp/c"))  # type: ignore[arg-type]
    assert config.out_dir == Path("runs/x")
    assert config.llm.cache_dir == Path("/tmp/c")
