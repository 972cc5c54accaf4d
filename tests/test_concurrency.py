"""Concurrent runs, with real processes: one run folder is locked, one cache folder is shared.

A second ``paperfields run`` on a folder another live process holds stops at
once (exit 2, one line naming the folder and the holder's pid); a lock left by
a process killed with SIGKILL is gone with it. Two runs into different
folders that share one cache folder both finish cleanly, and each paper is
requested at most once per run (both runs can miss the same paper at the same
moment; no more than that).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fixtures.llm.standin import standin_module
from paperfields.cli import main
from paperfields.config import LLMConfig, RunConfig
from paperfields.io.runlock import LOCK_FILE, RunFolderLock
from paperfields.orchestrator.runner import run_pipeline

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fcntl locks are POSIX only")

standin = standin_module()
PAPERFIELDS = [sys.executable, "-m", "paperfields"]

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from paperfields.io.runlock import RunFolderLock
    lock = RunFolderLock(Path(sys.argv[1]))
    lock.acquire()
    print("locked", flush=True)
    sys.stdin.read()  # hold the folder until killed
    """
)


def write_papers(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as fp:
        for i in range(count):
            abstract = (
                f"We propose Method{i}, a parser for scientific tables. Method{i} is evaluated "
                f"on the PubTables-{i} dataset, where it reaches {50 + i % 40}.0% F1 and beats "
                f"the strongest baseline by {i % 7 + 1} points."
            )
            fp.write(json.dumps({"id": f"p{i}", "title": f"Paper {i}", "abstract": abstract}))
            fp.write("\n")
    return path


def ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    folder = tmp_path / "run"
    folder.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "locked"
    yield process
    if process.poll() is None:
        process.kill()
    process.communicate()  # waits, and closes the pipes


def test_a_second_run_on_a_held_folder_stops_at_once_and_a_killed_holder_frees_it(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    inputs = write_papers(tmp_path / "papers.jsonl", 30)
    folder = tmp_path / "run"
    command = [*PAPERFIELDS, "run", str(inputs), "-o", str(folder), "--offline"]
    busy = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert busy.returncode == 2, busy.stderr
    message = busy.stderr.strip()
    assert message.count("\n") == 0 and "Traceback" not in message
    assert message.startswith("paperfields: error: ") and str(folder) in message
    assert f"pid {holder.pid}" in message
    assert not (folder / "records.jsonl").exists()
    (folder / "papers.jsonl").write_text('{"id": "p", "title": "T", "abstract": "A."}\n')
    for stage in (["ingest", str(inputs), "-o", str(folder)], ["extract", str(folder)]):
        other = CliRunner().invoke(main, stage)  # this process against the holder
        assert other.exit_code == 2 and f"pid {holder.pid}" in other.output, other.output

    os.kill(holder.pid, signal.SIGKILL)  # the stale lock goes with its process
    holder.wait()
    assert (folder / LOCK_FILE).exists()
    (folder / "papers.jsonl").unlink()
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert sorted(ids(folder / "records.jsonl")) == sorted(f"p{i}" for i in range(30))


def test_two_runs_started_together_on_one_folder_never_double_a_record(tmp_path: Path) -> None:
    inputs = write_papers(tmp_path / "papers.jsonl", 200)
    folder = tmp_path / "run"
    command = [*PAPERFIELDS, "run", str(inputs), "-o", str(folder), "--offline"]
    runs = [
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(run.wait(timeout=120), run.communicate()[1]) for run in runs]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 2]), results  # the second waits for nothing: it stops, or
    for code, stderr in results:  # it started after the first had finished and skipped all
        assert "Traceback" not in stderr
        if code == 2:
            assert "in use by another paperfields run" in stderr
    written = ids(folder / "records.jsonl")
    assert len(written) == 200 and Counter(written).most_common(1)[0][1] == 1


def test_the_lock_is_exclusive_between_two_holders_in_one_process(tmp_path: Path) -> None:
    from paperfields.errors import RunFolderBusy

    with RunFolderLock(tmp_path):
        with pytest.raises(RunFolderBusy, match=str(os.getpid())):
            RunFolderLock(tmp_path).acquire()
    with RunFolderLock(tmp_path):  # released on exit
        pass


@pytest.fixture
def server() -> Iterator[Any]:
    instance = standin.StandinServer(seed=3, latency_s=0.05)
    instance.start_in_thread()
    yield instance
    instance.stop_thread()


def test_two_processes_share_one_cache_folder_cleanly(tmp_path: Path, server: Any) -> None:
    count = 24
    inputs = write_papers(tmp_path / "papers.jsonl", count)
    cache = tmp_path / "cache"
    env = {**os.environ, "PAPERFIELDS_CACHE_DIR": str(cache)}
    env.pop("OPENAI_API_KEY", None)
    runs = [
        subprocess.Popen(
            [*PAPERFIELDS, "run", str(inputs), "-o", str(tmp_path / f"run{n}")]
            + ["--base-url", server.base_url, "--concurrency", "8", "--no-progress"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(2)
    ]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        assert "Traceback" not in err and "warning" not in err
    for n in range(2):
        assert sorted(ids(tmp_path / f"run{n}" / "records.jsonl")) == sorted(
            f"p{i}" for i in range(count)
        )
        assert not (tmp_path / f"run{n}" / "errors.jsonl").read_text()
    # Each run asks for a paper at most once; both may ask when they miss it at the same time.
    assert count <= server.stats.requests <= 2 * count
    assert max(server.stats.by_abstract.values()) <= 2
    third = run_pipeline(
        [inputs],
        RunConfig(
            out_dir=tmp_path / "run3",
            extractor="openai",
            llm=LLMConfig(base_url=server.base_url, cache_dir=cache),
            progress=False,
        ),
    )
    before = server.stats.requests
    assert third.exit_code == 0 and third.stats.cache_hits == count
    assert server.stats.requests == before
