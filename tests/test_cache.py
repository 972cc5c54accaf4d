"""The extraction cache: keys, JSON-text-only storage, sharing between processes, the CLI."""

from __future__ import annotations

import pickle
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from paperfields.cli import main
from paperfields.llm.cache import (
    ENTRIES_DIR,
    MODES_FILE,
    ExtractionCache,
    ModeMemory,
    cache_key,
    cache_stats,
    clear_cache,
)

BASE: dict[str, Any] = {
    "model": "gpt-5-mini",
    "endpoint": "https://llm.example",
    "mode": "json_schema",
    "messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "U"}],
    "schema": {"type": "object"},
    "temperature": None,
    "max_tokens": 4096,
}


def test_the_key_is_stable() -> None:
    assert cache_key(**BASE) == cache_key(**dict(BASE))
    assert len(cache_key(**BASE)) == 64


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("model", "gpt-4.1-mini"),
        ("endpoint", "http://localhost:8000"),
        ("mode", "json_object"),
        ("messages", [{"role": "system", "content": "S2"}, {"role": "user", "content": "U"}]),
        ("schema", {"type": "object", "required": ["summary"]}),
        ("temperature", 0.0),
        ("max_tokens", 8192),
    ],
)
def test_the_key_changes_with_everything_that_changes_the_answer(name: str, value: Any) -> None:
    assert cache_key(**{**BASE, name: value}) != cache_key(**BASE)


def test_values_round_trip_as_text(tmp_path: Path) -> None:
    with ExtractionCache(tmp_path) as cache:
        cache.set("k", '{"summary": "s"}')
        assert cache.get("k") == '{"summary": "s"}'
        assert cache.get("missing") is None
        assert len(cache) == 1


def test_only_text_is_stored(tmp_path: Path) -> None:
    with ExtractionCache(tmp_path) as cache, pytest.raises(TypeError, match="JSON text only"):
        cache.set("k", {"summary": "s"})  # type: ignore[arg-type]


def test_a_pickled_entry_is_never_unpickled(tmp_path: Path) -> None:
    with ExtractionCache(tmp_path) as cache:
        cache.set("k", "placeholder")
    marker = tmp_path / "unpickled"
    payload = pickle.dumps(_Exploit(str(marker)))
    with sqlite3.connect(tmp_path / "cache.db") as db:
        db.execute("UPDATE Cache SET mode = 4, value = ? WHERE key = 'k'", (payload,))
    with ExtractionCache(tmp_path) as cache:
        assert cache.get("k") is None
    assert not marker.exists()


class _Exploit:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (Path(self.path),))


def test_two_processes_share_one_cache_folder(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from paperfields.llm.cache import ExtractionCache
        folder, tag = Path(sys.argv[1]), sys.argv[2]
        with ExtractionCache(folder) as cache:
            for i in range(300):
                cache.set(f"{tag}-{i}", '{"n": %d}' % i)
                cache.set("shared", tag)
                assert cache.get(f"{tag}-{i // 2}") is not None
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path), tag], stderr=subprocess.PIPE)
        for tag in ("a", "b")
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    with ExtractionCache(tmp_path) as cache:
        assert len(cache) == 601
        assert cache.get("a-299") == '{"n": 299}'
        assert cache.get("b-0") == '{"n": 0}'
        assert cache.get("shared") in ("a", "b")


def test_mode_memory_remembers_per_endpoint_and_model(tmp_path: Path) -> None:
    memory = ModeMemory(tmp_path / MODES_FILE)
    assert memory.get("http://localhost:8000", "llama") is None
    memory.remember("http://localhost:8000", "llama", "json_object")
    again = ModeMemory(tmp_path / MODES_FILE)
    assert again.get("http://localhost:8000", "llama") == "json_object"
    assert again.get("http://localhost:8000", "qwen") is None
    (tmp_path / MODES_FILE).write_text("{not json", encoding="utf-8")
    assert again.get("http://localhost:8000", "llama") is None


def test_stats_and_clear(tmp_path: Path) -> None:
    assert cache_stats(tmp_path / "absent").entries == 0
    assert not (tmp_path / "absent").exists()
    with ExtractionCache(tmp_path / ENTRIES_DIR) as cache:
        cache.set("a", "1")
        cache.set("b", "2")
    ModeMemory(tmp_path / MODES_FILE).remember("http://h", "m", "text")
    stats = cache_stats(tmp_path)
    assert (stats.entries, stats.directory) == (2, tmp_path)
    assert stats.size_bytes > 0
    assert stats.modes == {"http://h m": "text"}
    assert clear_cache(tmp_path) == 2
    assert cache_stats(tmp_path).entries == 0
    assert not (tmp_path / MODES_FILE).exists()


def test_cli_stats_and_clear(tmp_path: Path) -> None:
    with ExtractionCache(tmp_path / ENTRIES_DIR) as cache:
        cache.set("a", "1")
    runner = CliRunner()
    shown = runner.invoke(main, ["cache", "stats", "--cache-dir", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    assert "entries: 1" in shown.output
    assert str(tmp_path) in shown.output
    refused = runner.invoke(main, ["cache", "clear", "--cache-dir", str(tmp_path)], input="n\n")
    assert refused.exit_code == 1
    assert cache_stats(tmp_path).entries == 1
    cleared = runner.invoke(main, ["cache", "clear", "--cache-dir", str(tmp_path), "--yes"])
    assert cleared.exit_code == 0, cleared.output
    assert "removed 1 entries" in cleared.output
    assert cache_stats(tmp_path).entries == 0


def test_cli_uses_the_environment_cache_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["cache", "stats"], env={"PAPERFIELDS_CACHE_DIR": str(tmp_path / "envcache")}
    )
    assert result.exit_code == 0, result.output
    assert str(tmp_path / "envcache") in result.output
