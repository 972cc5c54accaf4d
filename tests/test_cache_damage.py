"""A damaged cache never fails a paper: real garbage on disk is set aside, reported once, rebuilt.

Every case damages a real diskcache folder left by a real run (random bytes
over the SQLite file, the file cut in half, a folder where the file should
be, a file where the folder should be). The next run extracts every paper,
says once what it did, and keeps the damaged copy (moved, never deleted);
``cache stats`` and ``cache clear`` work whatever state the folder is in.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fixtures.llm.openai_stub import FIXTURES, StubServer
from fixtures.llm.standin import standin_module
from paperfields.cli import main
from paperfields.config import LLMConfig, RunConfig
from paperfields.extract.llm import LLMExtractor
from paperfields.llm.backend import OpenAIBackend
from paperfields.llm.cache import ENTRIES_DIR, ExtractionCache, cache_stats, clear_cache
from paperfields.orchestrator.runner import RunSummary, run_pipeline
from paperfields.stats import RunStats

PAPERS = FIXTURES / "papers.jsonl"  # three papers with hand-written answers
LOCAL = "http://llm.test:8000/v1"


def run_three(cache_dir: Path, out: Path) -> tuple[RunSummary, StubServer]:
    stats = RunStats()
    stub = StubServer()
    cfg = LLMConfig(base_url=LOCAL, cache_dir=cache_dir)
    backend = OpenAIBackend(cfg, stats=stats, http_client=stub.client())
    extractor = LLMExtractor(cfg, stats=stats, backend=backend)
    config = RunConfig(out_dir=out, extractor="openai", llm=cfg, progress=False)
    try:
        summary = run_pipeline([PAPERS], config, extractor=extractor, stats=stats)
    finally:
        asyncio.run(extractor.aclose())
    return summary, stub


def garbage(db: Path) -> None:
    db.write_bytes(os.urandom(db.stat().st_size))


def truncated(db: Path) -> None:
    with open(db, "r+b") as fp:
        fp.truncate(db.stat().st_size // 2)


def folder_for_file(db: Path) -> None:
    db.unlink()
    db.mkdir()
    (db / "inside").write_text("x")


def file_for_folder(db: Path) -> None:
    shutil.rmtree(db.parent)
    db.parent.write_text("not a folder")


DAMAGE = {
    "garbage": garbage,
    "truncated": truncated,
    "folder-for-file": folder_for_file,
    "file-for-folder": file_for_folder,
}


@pytest.fixture
def warm_cache(tmp_path: Path) -> Path:
    cache = tmp_path / "cache"
    summary, stub = run_three(cache, tmp_path / "warm")
    assert summary.stats.ok == 3 and len(stub.requests) == 3
    return cache


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_a_damaged_cache_is_set_aside_reported_once_and_rebuilt(
    warm_cache: Path, tmp_path: Path, kind: str
) -> None:
    entries = warm_cache / ENTRIES_DIR
    DAMAGE[kind](entries / "cache.db")
    damaged = {p.relative_to(entries): p.read_bytes() for p in entries.rglob("*") if p.is_file()}

    stats = cache_stats(warm_cache)  # describes the damage, never raises
    if kind != "truncated":  # a half file can still open; then reads fail later
        assert stats.problem is not None and stats.entries == 0

    summary, stub = run_three(warm_cache, tmp_path / "run")
    assert summary.exit_code == 0 and summary.stats.ok == 3 and summary.stats.failed == 0
    assert len(stub.requests) == 3  # nothing could be read from the damaged cache
    notices = summary.stats.notices
    assert len(notices) == 1 and str(entries) in notices[0], notices
    manifest = json.loads((tmp_path / "run" / "run.json").read_text())
    assert manifest["notices"] == notices
    copies = sorted(warm_cache.glob(f"{ENTRIES_DIR}.broken-*"))
    if "moved to" in notices[0]:
        assert len(copies) == 1  # moved, not deleted: the damage is kept as it was
        kept = copies[0]
        if kind == "file-for-folder":
            assert kept.read_text() == "not a folder"
        else:
            assert {p.relative_to(kept): p.read_bytes() for p in kept.rglob("*") if p.is_file()}[
                Path("cache.db") if kind != "folder-for-file" else Path("cache.db/inside")
            ] == damaged[Path("cache.db") if kind != "folder-for-file" else Path("cache.db/inside")]
        again, stub = run_three(warm_cache, tmp_path / "again")  # the new cache works
        assert again.stats.cache_hits == 3 and not stub.requests and not again.stats.notices
    else:
        assert "without" in notices[0]
    assert clear_cache(warm_cache) >= 0
    assert not list(warm_cache.glob(f"{ENTRIES_DIR}*")) or cache_stats(warm_cache).entries == 0


def test_a_cache_that_cannot_be_made_means_a_run_without_cache(tmp_path: Path) -> None:
    if not Path("/proc/self").is_dir():
        pytest.skip("needs /proc, where not even root can make a folder")
    summary, stub = run_three(Path("/proc/paperfields-cache"), tmp_path / "run")
    assert summary.exit_code == 0 and summary.stats.ok == 3
    assert len(summary.stats.notices) == 1 and "without a cache" in summary.stats.notices[0]


def test_a_cache_that_breaks_mid_run_switches_itself_off(tmp_path: Path) -> None:
    problems: list[str] = []
    cache = ExtractionCache.open(tmp_path / ENTRIES_DIR, on_problem=problems.append)
    assert cache is not None and not problems
    for n in range(50):
        cache.set(f"k{n}", "{}")
    for db in (tmp_path / ENTRIES_DIR).glob("cache.db*"):  # garbage over the open database
        with open(db, "r+b") as fp:
            fp.write(os.urandom(max(db.stat().st_size, 4096)))
    for n in range(3):
        assert cache.get(f"k{n}") is None
        cache.set(f"new{n}", "{}")
    assert len(problems) == 1 and "goes on without it" in problems[0], problems
    cache.close()


@pytest.fixture
def server() -> Iterator[Any]:
    instance = standin_module().StandinServer(seed=1)
    instance.start_in_thread()
    yield instance
    instance.stop_thread()


def test_cli_reports_the_damage_once_and_stats_and_clear_always_work(
    tmp_path: Path, server: Any
) -> None:
    cache = tmp_path / "cache"
    (cache / ENTRIES_DIR).mkdir(parents=True)
    (cache / ENTRIES_DIR / "cache.db").write_bytes(os.urandom(8192))
    (cache / "modes.json").mkdir()  # a folder where the remembered-mode file goes
    runner = CliRunner()
    stats = runner.invoke(main, ["cache", "stats", "--cache-dir", str(cache)])
    assert stats.exit_code == 0 and "damaged" in stats.output, stats.output
    args = ["run", str(PAPERS), "-o", str(tmp_path / "run"), "--cache-dir", str(cache)]
    result = runner.invoke(main, [*args, "--base-url", server.base_url, "--no-progress"])
    assert result.exit_code == 0, result.output
    assert result.output.count("warning: the cache at") == 1 and "moved to" in result.output
    stats = runner.invoke(main, ["cache", "stats", "--cache-dir", str(cache)])
    assert stats.exit_code == 0 and "entries: 3" in stats.output and "set aside: 1" in stats.output
    (cache / ENTRIES_DIR / "cache.db").write_bytes(os.urandom(8192))
    cleared = runner.invoke(main, ["cache", "clear", "--cache-dir", str(cache), "-y"])
    assert cleared.exit_code == 0, cleared.output
    assert not any(cache.iterdir())
    no_tty = runner.invoke(main, ["cache", "clear", "--cache-dir", str(cache)])  # nothing to read
    assert no_tty.exit_code == 2 and "pass -y" in no_tty.output, no_tty.output
