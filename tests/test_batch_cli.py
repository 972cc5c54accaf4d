"""The ``--batch`` command line: kill -9 of a real process, status, cancel, dry run, flags, key."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fixtures.llm.standin import standin_module
from paperfields.cli import main
from paperfields.ingest import iter_papers
from paperfields.schemas import Paper

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk-test-BATCH-SECRET-42"
standin = standin_module()


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    papers = [p for p in iter_papers([ROOT / "examples" / "hf-papers-page.txt"])]
    path = tmp_path / "papers.jsonl"
    with path.open("w", encoding="utf-8") as fp:
        for paper in [p for p in papers if isinstance(p, Paper)][:12]:
            fp.write(json.dumps({"id": paper.id, "title": paper.title, "abstract": paper.abstract}))
            fp.write("\n")
    return path


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[Any]:
    instance = standin.StandinServer(seed=5, batch_step_s=getattr(request, "param", 0.02))
    instance.start_in_thread()
    yield instance
    instance.stop_thread()


def ids(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def expected_ids(inputs: Path) -> list[str]:
    return sorted(json.loads(line)["id"] for line in inputs.read_text().splitlines())


@pytest.mark.parametrize("server", [0.4], indirect=True)
def test_kill_9_between_submit_and_collect_then_the_same_command_finishes(
    inputs: Path, server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_dir, cache = tmp_path / "run", tmp_path / "cache"
    command = [sys.executable, "-m", "paperfields", "run", str(inputs), "-o", str(run_dir)]
    command += ["--base-url", server.base_url, "--batch", "--wait", "--poll-interval", "0.05"]
    command += ["--no-progress"]
    env = {**os.environ, "OPENAI_API_KEY": KEY, "PAPERFIELDS_CACHE_DIR": str(cache)}
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    state = run_dir / "batch.json"
    deadline = time.monotonic() + 30
    while not (state.exists() and json.loads(state.read_text())["entries"][0].get("batch_id")):
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)  # submitted, polling, nothing collected
    proc.wait(10)
    if proc.stderr:
        proc.stderr.close()
    assert not ids(run_dir / "records.jsonl")
    assert server.batches.counts["creates"] == server.batches.counts["uploads"] == 1

    for name in ("OPENAI_API_KEY", "PAPERFIELDS_CACHE_DIR"):
        monkeypatch.setenv(name, env[name])
    finished = CliRunner().invoke(main, command[3:])  # the same command, in this process
    assert finished.exit_code == 0, finished.output
    assert server.batches.counts["creates"] == server.batches.counts["uploads"] == 1
    assert sorted(ids(run_dir / "records.jsonl")) == expected_ids(inputs)  # each once
    assert not ids(run_dir / "errors.jsonl")
    assert "collected b0001" in finished.output
    manifest = json.loads((run_dir / "run.json").read_text())
    assert manifest["batch"]["running"] == {"papers": 0, "batches": 0}
    files = [p for folder in (run_dir, cache) for p in folder.rglob("*") if p.is_file()]
    assert {"batch.json", "records.jsonl", "run.json", "cache.db"} <= {p.name for p in files}
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path


@pytest.mark.parametrize("server", [10.0], indirect=True)
def test_status_and_cancel(
    inputs: Path, server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    now = [1_000_000.0]
    server.batches.clock = lambda: now[0]  # the batches move only when the test says so
    run_dir = tmp_path / "run"
    args = ["run", str(inputs), "-o", str(run_dir), "--base-url", server.base_url, "--batch"]
    args += ["--batch-max-requests", "8", "--no-progress"]
    runner = CliRunner()
    submitted = runner.invoke(main, args)
    assert submitted.exit_code == 3, submitted.output
    assert "12 papers in 2 batch(es) still running" in submitted.output
    assert "collect them later" in submitted.output

    now[0] += 15.0  # half-way through in_progress: half of each batch answered
    status = runner.invoke(main, ["batch", "status", str(run_dir), "--json"])
    assert status.exit_code == 0, status.output
    views = json.loads(status.output)
    assert [v["papers"] for v in views] == [8, 4]
    assert [(v["status"], v["completed"], v["total"]) for v in views] == [
        ("in_progress", 4, 8),
        ("in_progress", 2, 4),
    ]
    table = runner.invoke(main, ["batch", "status", str(run_dir)])
    assert "2 batch(es) not collected yet, with 12 papers" in table.output

    cancelled = runner.invoke(main, ["batch", "cancel", str(run_dir)])
    assert cancelled.exit_code == 0, cancelled.output
    assert server.batches.counts["cancels"] == 2
    assert "asked to cancel 2 batch(es)" in cancelled.output

    now[0] += 10.0  # cancelling -> cancelled
    collected = runner.invoke(main, [*args, "--wait", "--poll-interval", "0.02"])
    assert collected.exit_code == 1, collected.output
    errors = [json.loads(line) for line in (run_dir / "errors.jsonl").read_text().splitlines()]
    assert len(errors) == 6 and {e["error_type"] for e in errors} == {"BatchCancelled"}
    records = ids(run_dir / "records.jsonl")  # requests answered before the cancel are kept
    assert len(records) == 6
    assert sorted(records + [e["id"] for e in errors]) == expected_ids(inputs)
    assert "rerun to send it again" in errors[0]["reason"]
    assert server.batches.counts["creates"] == 2  # cancelled papers wait for the next run


def test_batch_commands_on_a_folder_without_batches(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["batch", "status", str(tmp_path)])
    assert result.exit_code == 2
    assert "no batches here" in result.output


def test_dry_run_batch_costs_half(inputs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    runner = CliRunner()
    live = runner.invoke(main, ["run", str(inputs), "--dry-run"])
    batch = runner.invoke(main, ["run", str(inputs), "--dry-run", "--batch"])
    assert live.exit_code == batch.exit_code == 0, live.output + batch.output
    live_estimate, batch_estimate = json.loads(live.output), json.loads(batch.output)
    assert live_estimate["cost_usd"] > 0
    assert batch_estimate["cost_usd"] == pytest.approx(live_estimate["cost_usd"] / 2)
    assert (batch_estimate["batch"], batch_estimate["batch_files"]) == (True, 1)
    assert batch_estimate["prompt_tokens"] == live_estimate["prompt_tokens"]


def test_batch_flags_that_do_not_go_together(inputs: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    wait_alone = runner.invoke(main, ["run", str(inputs), "--wait"])
    assert wait_alone.exit_code == 2 and "--wait needs --batch" in wait_alone.output
    budget = runner.invoke(
        main, ["run", str(inputs), "--batch", "--max-cost", "1", "--base-url", "http://x.test/v1"]
    )
    assert budget.exit_code == 2 and "--max-cost cannot be used with --batch" in budget.output
    offline = runner.invoke(main, ["run", str(inputs), "-o", str(tmp_path / "o"), "--batch"])
    assert offline.exit_code == 2 and "--batch needs a model" in offline.output


def test_the_collect_command_is_this_command_line_only_when_paperfields_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from paperfields.cli.run import _invocation

    monkeypatch.setattr("sys.argv", ["/venv/bin/paperfields", "run", "in put.jsonl", "--batch"])
    assert _invocation() == "paperfields run 'in put.jsonl' --batch"
    monkeypatch.setattr("sys.argv", ["/usr/lib/python3/site-packages/pytest/__main__.py", "-q"])
    assert _invocation() is None  # a library caller's or a test runner's arguments
    monkeypatch.setattr("sys.argv", ["/venv/bin/paperfields"])
    assert _invocation() is None
