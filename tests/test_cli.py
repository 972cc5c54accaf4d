"""The command line end to end, offline: the README's first command and its neighbours."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from paperfields.cli import main
from paperfields.schemas import FIELD_NAMES, Record


def _records(path: Path) -> list[Record]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Record.model_validate_json(line) for line in lines if line]


def test_run_on_the_example_page_gives_63_grounded_records(
    example_page: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    result = CliRunner().invoke(main, ["run", str(example_page), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "offline extractor" in result.output  # the one-line notice
    records = _records(out / "records.jsonl")
    assert len(records) == 63
    assert all(r.status == "ok" for r in records)
    assert all(r.provenance.extractor == "offline:rules-v13" for r in records)
    assert all(r.provenance.cost_usd == 0.0 for r in records)
    items = 0
    for record in records:
        for field in FIELD_NAMES:
            for item in getattr(record.fields, field):
                items += 1
                assert item.grounded and item.span is not None, (record.id, field, item)
                start, end = item.span
                assert record.abstract[start:end] == item.evidence
    assert items > 63 * 5
    # Rerunning the same command writes no duplicate.
    again = CliRunner().invoke(main, ["run", str(example_page), "-o", str(out)])
    assert again.exit_code == 0, again.output
    assert "63 already done" in again.output
    assert len(_records(out / "records.jsonl")) == 63


def test_the_same_page_with_crlf_endings_gives_the_same_titles(
    example_page: Path, tmp_path: Path
) -> None:
    crlf = tmp_path / "page-crlf.txt"
    crlf.write_bytes(example_page.read_bytes().replace(b"\n", b"\r\n"))
    runner = CliRunner()
    assert runner.invoke(main, ["run", str(example_page), "-o", str(tmp_path / "a")]).exit_code == 0
    assert runner.invoke(main, ["run", str(crlf), "-o", str(tmp_path / "b")]).exit_code == 0
    titles_a = [r.title for r in _records(tmp_path / "a" / "records.jsonl")]
    titles_b = [r.title for r in _records(tmp_path / "b" / "records.jsonl")]
    assert len(titles_a) == 63
    assert sorted(titles_a) == sorted(titles_b)


def test_default_run_folder_is_outputs_slash_input_stem(
    example_page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["run", str(example_page), "--offline"])
    assert result.exit_code == 0, result.output
    assert "offline extractor" not in result.output  # --offline silences the notice
    assert (tmp_path / "outputs" / "hf-papers-page" / "records.jsonl").exists()


def test_exit_code_one_when_a_paper_is_bad(tmp_path: Path) -> None:
    path = tmp_path / "two.jsonl"
    path.write_text(
        '{"title": "Fine", "abstract": "We propose FooNet. FooNet reaches 90% accuracy."}\n'
        '{"title": "Broken", "abstract": ""}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["run", str(path), "-o", str(tmp_path / "run")])
    assert result.exit_code == 1, result.output
    assert "errors:" in result.output
    errors = (tmp_path / "run" / "errors.jsonl").read_text().splitlines()
    assert len(errors) == 1 and "abstract" in json.loads(errors[0])["reason"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "missing.jsonl"], "missing.jsonl"),
        (["run", "empty.jsonl"], "empty"),
        (["run", "notes.bin"], "format"),
    ],
)
def test_exit_code_two_and_a_clear_message_for_unusable_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.jsonl").write_text("")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01binary")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_ingest_and_extract_commands_run_one_stage_each(example_page: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    runner = CliRunner()
    ingested = runner.invoke(main, ["ingest", str(example_page), "-o", str(out)])
    assert ingested.exit_code == 0, ingested.output
    assert "63 papers" in ingested.output
    assert not (out / "records.jsonl").exists()
    extracted = runner.invoke(main, ["extract", str(out), "--offline"])
    assert extracted.exit_code == 0, extracted.output
    assert len(_records(out / "records.jsonl")) == 63


def test_dry_run_counts_papers_and_writes_nothing(example_page: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = CliRunner().invoke(main, ["run", str(example_page), "-o", str(out), "--dry-run"])
    assert result.exit_code == 0, result.output
    estimate = json.loads(result.output)
    assert estimate["papers"] == 63
    assert estimate["extractor"] == "offline" and estimate["cost_usd"] == 0
    assert not out.exists()


def test_dry_run_with_a_model_estimates_tokens_and_cost(example_page: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "run",
            str(example_page),
            "-o",
            str(tmp_path / "r"),
            "--dry-run",
            "--model",
            "gpt-4o-mini",
        ],
        env={"OPENAI_API_KEY": "sk-test-not-a-real-key"},
    )
    assert result.exit_code == 0, result.output
    estimate = json.loads(result.output)
    assert estimate["papers"] == 63
    page_chars = sum(len(line) for line in example_page.read_text().splitlines())
    assert estimate["prompt_tokens"] > page_chars / 4
    assert estimate["cost_usd"] is not None and estimate["cost_usd"] > 0


def test_schema_command_prints_the_record_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "Record"
    assert {"id", "title", "abstract", "status", "fields", "provenance"} <= set(
        schema["properties"]
    )
    fields = json.loads(CliRunner().invoke(main, ["schema", "--fields"]).output)
    assert fields["additionalProperties"] is False
    assert set(fields["required"]) == {"summary", *FIELD_NAMES}


def test_python_dash_m_pipeline_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "paperfields", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "run" in done.stdout and "export" in done.stdout


def test_dry_run_leaves_an_existing_run_folder_untouched(
    example_page: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    assert CliRunner().invoke(main, ["run", str(example_page), "-o", str(out)]).exit_code == 0
    records = out / "records.jsonl"
    lines = records.read_bytes().splitlines(keepends=True)
    records.write_bytes(b"".join(lines[:40]) + lines[40][:30])  # a half-written last line
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    result = CliRunner().invoke(main, ["run", str(example_page), "-o", str(out), "--dry-run"])
    assert result.exit_code == 0, result.output
    estimate = json.loads(result.output)
    assert estimate["already_done"] == 40 and estimate["papers"] == 23
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_every_extractor_flag_reaches_the_config(tmp_path: Path) -> None:
    from paperfields.cli.common import config_from_flags, pop_extractor_flags

    flags = {
        "model": "m",
        "base_url": "http://localhost:1/v1",
        "mode": "tools",
        "concurrency": 3,
        "timeout_s": 5.0,
        "rpm": 60.0,
        "max_attempts": 2,
        "max_wait_s": 9.0,
        "repair_attempts": 1,
        "max_tokens": 999,
        "temperature": 0.5,
        "prompt_version": "v1",
        "cache_dir": tmp_path,
        "record_path": tmp_path / "rec.jsonl",
        "replay_path": None,
        "offline": False,
        "offline_spans": "mentions",
        "no_cache": True,
        "max_cost_usd": 2.0,
        "unrelated": "kept",
    }
    popped = pop_extractor_flags(flags)
    assert flags == {"unrelated": "kept"}
    config = config_from_flags(tmp_path / "run", popped)
    llm = config.llm
    assert (llm.model, llm.base_url, llm.mode, llm.concurrency) == (
        "m",
        "http://localhost:1/v1",
        "tools",
        3,
    )
    assert (llm.timeout_s, llm.rpm, llm.max_attempts, llm.max_wait_s) == (5.0, 60.0, 2, 9.0)
    assert (llm.repair_attempts, llm.max_tokens, llm.temperature) == (1, 999, 0.5)
    assert llm.cache_dir == tmp_path and llm.record_path == tmp_path / "rec.jsonl"
    assert llm.use_cache is False and config.max_cost_usd == 2.0 and config.uses_llm
    assert config.offline_spans == "mentions"
