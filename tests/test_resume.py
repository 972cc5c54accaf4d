"""Resuming a run folder: one extraction setup per folder, invalid lines set aside, selection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeExtractor, first_sentence_fields, read_jsonl, write_abstracts
from paperfields.cli import main
from paperfields.config import RunConfig
from paperfields.errors import RunFolderConflict
from paperfields.orchestrator.runner import run_pipeline
from paperfields.orchestrator.selection import sample_papers


def test_an_llm_run_into_an_offline_folder_stops_naming_both_and_the_way_out(
    example_page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "run"
    assert CliRunner().invoke(main, ["run", str(example_page), "-o", str(out)]).exit_code == 0
    before = (out / "records.jsonl").read_bytes()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # never contacted
    args = ["run", str(example_page), "-o", str(out), "--cache-dir", str(tmp_path / "cache")]
    for extra in ([], ["--dry-run"]):
        result = CliRunner().invoke(main, [*args, *extra])
        assert result.exit_code == 2, result.output
        message = " ".join(result.output.split())
        assert "63 made with offline:rules-v13" in message
        assert "openai:gpt-5-mini (prompt extract_fields/v2" in message
        assert "-o DIR" in message and "--reextract" in message
    assert (out / "records.jsonl").read_bytes() == before  # nothing written, nothing lost
    assert "openai" not in json.loads((out / "run.json").read_text())["extractor"]


def test_reextract_moves_the_other_setups_records_aside_and_redoes_those_papers(
    tmp_path: Path,
) -> None:
    inputs = write_abstracts(tmp_path / "in.jsonl", 12)
    config = RunConfig(out_dir=tmp_path / "run")
    run_pipeline([inputs], config, extractor=FakeExtractor(first_sentence_fields, name="a:v1"))
    other = FakeExtractor(first_sentence_fields, name="b:v1")
    with pytest.raises(RunFolderConflict, match="12 made with a:v1"):
        run_pipeline([inputs], config, extractor=other)
    assert other.history == []
    summary = run_pipeline([inputs], config.replace(reextract=True), extractor=other)
    assert (summary.stats.ok, summary.stats.skipped, summary.superseded) == (12, 0, 12)
    records = read_jsonl(tmp_path / "run" / "records.jsonl")
    assert {r["provenance"]["extractor"] for r in records} == {"b:v1"} and len(records) == 12
    old = read_jsonl(tmp_path / "run" / "superseded.jsonl")
    assert {r["provenance"]["extractor"] for r in old} == {"a:v1"} and len(old) == 12
    manifest = json.loads((tmp_path / "run" / "run.json").read_text())
    assert manifest["identity"]["extractor"] == "b:v1"
    assert manifest["counts"]["this_run"]["superseded"] == 12


def test_lines_that_do_not_validate_are_moved_out_and_their_papers_redone(tmp_path: Path) -> None:
    inputs = write_abstracts(tmp_path / "in.jsonl", 6)
    config = RunConfig(out_dir=tmp_path / "run")
    run_pipeline([inputs], config, extractor=FakeExtractor(first_sentence_fields))
    path = tmp_path / "run" / "records.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    weird = json.loads(lines[1])
    weird["status"] = "weird"
    broken = json.loads(lines[3])
    broken["fields"] = "x"
    lines[1], lines[3] = json.dumps(weird), json.dumps(broken)
    lines[4] = lines[4][: len(lines[4]) // 2]  # a torn line in the middle of the file
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = FakeExtractor(first_sentence_fields)
    summary = run_pipeline([inputs], config, extractor=again)
    assert sorted(again.history) == ["p0001", "p0003", "p0004"]
    assert summary.invalid_records == 3 and summary.exit_code == 0
    records = read_jsonl(path)
    assert sorted(r["id"] for r in records) == [f"p{i:04d}" for i in range(6)]
    rejected = (tmp_path / "run" / "rejected.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rejected) == 3  # set aside, not deleted


def test_limit_takes_the_first_papers_and_a_later_full_run_does_the_rest(tmp_path: Path) -> None:
    inputs = write_abstracts(tmp_path / "in.jsonl", 30)
    config = RunConfig(out_dir=tmp_path / "run")
    first = FakeExtractor(first_sentence_fields)
    summary = run_pipeline([inputs], config.replace(limit=5), extractor=first)
    assert first.history == [f"p{i:04d}" for i in range(5)] and summary.stats.ok == 5
    assert len(read_jsonl(tmp_path / "run" / "papers.jsonl")) == 5
    rest = FakeExtractor(first_sentence_fields)
    summary = run_pipeline([inputs], config, extractor=rest)
    assert (summary.stats.skipped, summary.stats.ok) == (5, 25)
    assert rest.history == [f"p{i:04d}" for i in range(5, 30)]


def test_sample_is_spread_over_the_input_in_input_order_and_repeatable(tmp_path: Path) -> None:
    inputs = write_abstracts(tmp_path / "in.jsonl", 200)
    picks = []
    for run in ("a", "b"):
        fake = FakeExtractor(first_sentence_fields)
        config = RunConfig(out_dir=tmp_path / run, sample=10, seed=7)
        assert run_pipeline([inputs], config, extractor=fake).stats.ok == 10
        picks.append(fake.history)
    assert picks[0] == picks[1] == sorted(picks[0])  # same seed, same papers, input order
    assert int(picks[0][-1][1:]) - int(picks[0][0][1:]) > 100  # not just the first ones
    other = FakeExtractor(first_sentence_fields)
    run_pipeline([inputs], RunConfig(out_dir=tmp_path / "c", sample=10, seed=8), extractor=other)
    assert other.history != picks[0]


def test_sample_keeps_ingest_errors_and_at_most_n_papers() -> None:
    from paperfields.schemas import ErrorEntry, Paper

    items = [Paper(id=f"p{i}", title=f"T{i}", abstract=f"A{i}.") for i in range(50)]
    items.insert(10, ErrorEntry(stage="ingest", error_type="Bad", reason="bad line"))
    out = list(sample_papers(iter(items), 7, seed=1))
    assert sum(isinstance(i, ErrorEntry) for i in out) == 1
    assert sum(isinstance(i, Paper) for i in out) == 7


def test_limit_and_sample_are_refused_together_and_must_be_positive(tmp_path: Path) -> None:
    from paperfields.errors import ConfigError

    with pytest.raises(ConfigError, match="cannot be used together"):
        RunConfig(out_dir=tmp_path, limit=3, sample=3)
    with pytest.raises(ConfigError, match="--limit"):
        RunConfig(out_dir=tmp_path, limit=0)


def test_the_cli_limit_flag_reaches_the_run(example_page: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = CliRunner().invoke(main, ["run", str(example_page), "-o", str(out), "--limit", "5"])
    assert result.exit_code == 0, result.output
    assert len(read_jsonl(out / "records.jsonl")) == 5
    assert json.loads((out / "run.json").read_text())["selection"]["limit"] == 5
