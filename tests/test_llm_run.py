"""Whole runs with the LLM extractor against the stand-in OpenAI-compatible server (real HTTP)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fixtures.llm.standin import standin_module
from paperfields.config import LLMConfig, RunConfig
from paperfields.ingest import iter_papers
from paperfields.orchestrator.runner import run_pipeline
from paperfields.schemas import Paper

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk-test-SECRET-123"
standin = standin_module()


def many_papers() -> list[Paper]:
    """189 distinct papers: the 63 of the example page, each also with its sentences rotated."""
    base = [
        p for p in iter_papers([ROOT / "examples" / "hf-papers-page.txt"]) if isinstance(p, Paper)
    ]
    papers = []
    for turn in range(3):
        for paper in base:
            sentences = paper.abstract.split(". ")
            rotated = ". ".join(sentences[turn:] + sentences[:turn]) if turn else paper.abstract
            papers.append(
                Paper(id=f"{paper.id}-{turn}", title=f"{paper.title} [{turn}]", abstract=rotated)
            )
    assert len({p.abstract for p in papers}) == len(papers) >= 150
    return papers


PAPERS = many_papers()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("inputs") / "papers.jsonl"
    with path.open("w", encoding="utf-8") as fp:
        for paper in PAPERS:
            fp.write(json.dumps({"id": paper.id, "title": paper.title, "abstract": paper.abstract}))
            fp.write("\n")
    return path


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[Any]:
    options: dict[str, Any] = getattr(request, "param", {})
    instance = standin.StandinServer(seed=7, **options)
    instance.start_in_thread()
    yield instance
    instance.stop_thread()


def run_config(out_dir: Path, url: str, cache_dir: Path, **llm: Any) -> RunConfig:
    values: dict[str, Any] = {"base_url": url, "concurrency": 16, "cache_dir": cache_dir}
    values.update(llm)
    return RunConfig(out_dir=out_dir, extractor="openai", llm=LLMConfig(**values), progress=False)


def ids_in(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_run_is_all_ok_and_a_rerun_sends_nothing(
    inputs: Path, server: Any, tmp_path: Path
) -> None:
    config = run_config(tmp_path / "run", server.base_url, tmp_path / "cache")
    summary = run_pipeline([inputs], config)
    assert summary.exit_code == 0
    assert summary.stats.ok == len(PAPERS)
    assert sorted(ids_in(summary.records_path)) == sorted(p.id for p in PAPERS)
    assert server.stats.requests == len(PAPERS)
    first = json.loads(summary.records_path.read_text(encoding="utf-8").splitlines()[0])
    assert first["provenance"]["extractor"] == "openai:gpt-5-mini"
    assert first["provenance"]["mode"] == "json_schema"
    assert first["provenance"]["prompt"]["name"] == "extract_fields"

    again = run_pipeline([inputs], config)  # the same command: resumes, nothing left to do
    assert again.exit_code == 0
    assert again.stats.skipped == len(PAPERS)
    assert server.stats.requests == len(PAPERS)

    fresh = run_pipeline([inputs], config.replace(out_dir=tmp_path / "run2"))  # same cache
    assert fresh.stats.ok == len(PAPERS)
    assert server.stats.requests == len(PAPERS)
    records = [json.loads(line) for line in fresh.records_path.read_text().splitlines()]
    assert all(r["provenance"]["cache_hit"] for r in records)


@pytest.mark.parametrize(
    "server",
    [
        {
            "faults": standin.Faults(
                rate_429=0.10, rate_500=0.05, rate_malformed=0.03, rate_truncated=0.02
            )
        }
    ],
    indirect=True,
)
def test_faults_lose_no_paper_and_almost_all_succeed(
    inputs: Path, server: Any, tmp_path: Path
) -> None:
    config = run_config(tmp_path / "run", server.base_url, tmp_path / "cache")
    summary = run_pipeline([inputs], config)
    records = ids_in(summary.records_path)
    errors = ids_in(summary.errors_path)
    assert len(records) == len(set(records))
    assert len(errors) == len(set(errors))
    assert not set(records) & set(errors)
    assert set(records) | set(errors) == {p.id for p in PAPERS}
    assert len(records) >= 0.98 * len(PAPERS)
    faults = server.stats.by_fault
    assert faults["429"] > 0 and faults["500"] > 0 and faults["malformed"] > 0
    assert faults["truncated"] > 0
    assert summary.stats.retries > 0
    assert summary.stats.repairs > 0


@pytest.mark.parametrize(
    "server", [{"faults": standin.Faults(rate_stall=0.2, stall_s=3.0)}], indirect=True
)
def test_stalled_requests_time_out_and_are_retried(
    inputs: Path, server: Any, tmp_path: Path
) -> None:
    subset = tmp_path / "subset.jsonl"
    subset.write_text("".join(inputs.read_text().splitlines(keepends=True)[:24]))
    config = run_config(tmp_path / "run", server.base_url, tmp_path / "cache", timeout_s=0.3)
    summary = run_pipeline([subset], config)
    assert summary.stats.ok == 24
    assert server.stats.by_fault["stall"] > 0
    assert summary.stats.retries >= server.stats.by_fault["stall"]


@pytest.mark.parametrize(
    "server",
    [{"faults": standin.Faults(unsupported_modes=frozenset({"json_schema"}))}],
    indirect=True,
)
def test_auto_mode_settles_on_what_the_server_supports(
    inputs: Path, server: Any, tmp_path: Path
) -> None:
    config = run_config(tmp_path / "run", server.base_url, tmp_path / "cache", concurrency=8)
    summary = run_pipeline([inputs], config)
    assert summary.stats.ok == len(PAPERS)
    records = [json.loads(line) for line in summary.records_path.read_text().splitlines()]
    assert {r["provenance"]["mode"] for r in records} == {"json_object"}
    assert 1 <= server.stats.by_status[400] <= 8  # only the first wave is rejected
    remembered = json.loads((tmp_path / "cache" / "modes.json").read_text())
    assert list(remembered.values()) == ["json_object"]


def test_the_api_key_is_in_no_file_of_the_run_or_the_cache(
    inputs: Path, server: Any, tmp_path: Path
) -> None:
    run_dir = tmp_path / "run"
    config = run_config(
        run_dir,
        server.base_url,
        tmp_path / "cache",
        api_key=KEY,
        record_path=run_dir / "tape.jsonl",
    )
    summary = run_pipeline([inputs], config)
    assert summary.stats.ok == len(PAPERS)
    files = [
        p for folder in (run_dir, tmp_path / "cache") for p in folder.rglob("*") if p.is_file()
    ]
    names = {p.name for p in files}
    assert {"records.jsonl", "run.json", "tape.jsonl", "cache.db"} <= names
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path


@pytest.mark.parametrize(
    "server", [{"faults": standin.Faults(rate_429=0.2, rate_malformed=0.1)}], indirect=True
)
def test_a_recorded_run_replays_offline_to_the_same_records(
    inputs: Path, server: Any, tmp_path: Path
) -> None:
    subset = tmp_path / "subset.jsonl"
    subset.write_text("".join(inputs.read_text().splitlines(keepends=True)[:40]))
    tape = tmp_path / "tape.jsonl"
    url = server.base_url
    # Repair re-asks carry the stand-in's reply, which follows the offline extractor, so the
    # fault draws vary with it: a generous repair budget keeps "every paper ok" certain.
    recorded = run_pipeline(
        [subset],
        run_config(
            tmp_path / "rec", url, tmp_path / "c1", api_key=KEY, record_path=tape,
            repair_attempts=5,
        ),
    )
    assert recorded.stats.ok == 40
    server.stop_thread()  # replay must not need the server
    replayed = run_pipeline(
        [subset],
        run_config(tmp_path / "replay", url, tmp_path / "c2", replay_path=tape, repair_attempts=5),
    )
    assert replayed.stats.ok == 40

    def records(path: Path) -> dict[str, Any]:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for row in rows:
            del row["provenance"]["timings"]
        return {row["id"]: row for row in rows}

    assert records(replayed.records_path) == records(recorded.records_path)
    assert KEY.encode() not in tape.read_bytes()


@pytest.mark.parametrize("server", [{"latency_s": 0.05}], indirect=True)
def test_kill_9_then_the_same_command_loses_and_repeats_nothing(
    inputs: Path, server: Any, tmp_path: Path
) -> None:
    run_dir = tmp_path / "run"
    command = [sys.executable, "-m", "paperfields", "run", str(inputs), "-o", str(run_dir)]
    command += ["--base-url", server.base_url, "--concurrency", "4", "--no-progress"]
    env = {**os.environ, "OPENAI_API_KEY": KEY, "PAPERFIELDS_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    records = run_dir / "records.jsonl"
    deadline = time.monotonic() + 60
    while len(ids_in_complete(records)) < 30:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    if proc.stderr:
        proc.stderr.close()
    done_before = set(ids_in_complete(records))
    assert 30 <= len(done_before) < len(PAPERS)
    time.sleep(0.2)  # let requests the killed process left in flight reach the server
    asked_before = Counter(server.stats.by_abstract)

    finished = subprocess.run(command, env=env, capture_output=True, timeout=120)
    assert finished.returncode == 0, finished.stderr.decode()
    final = ids_in(records)
    assert sorted(final) == sorted(p.id for p in PAPERS)  # none lost, none twice
    asked_after = server.stats.by_abstract
    by_id = {p.id: p for p in PAPERS}
    for paper_id in done_before:
        key = standin.abstract_key(by_id[paper_id].abstract)
        assert asked_after[key] == asked_before[key], paper_id
    for path in [*run_dir.rglob("*"), *(tmp_path / "cache").rglob("*")]:
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def ids_in_complete(path: Path) -> list[str]:
    """Ids of the complete lines of a file another process is appending to."""
    if not path.exists():
        return []
    data = path.read_bytes()
    lines = data[: data.rfind(b"\n") + 1].decode("utf-8").splitlines()
    return [json.loads(line)["id"] for line in lines if line.strip()]
