"""File-system errors are one line on stderr and exit code 2, never a traceback.

The conditions are real where root cannot get around them (a path under a
regular file, a folder where a file is expected, a dangling symbolic link,
``/proc``); permission bits are tested only when not running as root; a full
disk is a write that raises ``OSError(ENOSPC)``, after which the records
already written are intact and a rerun finishes every paper.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from paperfields.cli import main
from paperfields.io import jsonl

PAGE = Path(__file__).resolve().parent.parent / "examples" / "hf-papers-page.txt"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def fails_in_one_line(args: list[str], *words: str) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    output = result.output
    assert "Traceback" not in output
    assert output.startswith("paperfields: error: ") and output.count("\n") == 1, output
    for word in words:
        assert word in output, output
    return output


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fs") / "run"
    assert CliRunner().invoke(main, ["run", str(PAGE), "-o", str(out), "--offline"]).exit_code == 0
    return out


def test_run_folder_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    fails_in_one_line(["run", str(PAGE), "-o", str(blocker / "run"), "--offline"], "is a file")
    fails_in_one_line(["ingest", str(PAGE), "-o", str(blocker / "deeper" / "run")], "is a file")


def test_run_folder_is_a_dangling_symlink(tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "gone")
    fails_in_one_line(["run", str(PAGE), "-o", str(link), "--offline"], "symbolic link", "gone")


def test_run_json_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "run" / "run.json").mkdir(parents=True)
    fails_in_one_line(["run", str(PAGE), "-o", str(tmp_path / "run"), "--offline"], "run.json")


def test_run_folder_in_a_place_nobody_can_write(tmp_path: Path) -> None:
    if not Path("/proc/self").is_dir():
        pytest.skip("needs Linux /proc, where not even root can create a folder")
    fails_in_one_line(["run", str(PAGE), "-o", "/proc/paperfields-run", "--offline"], "/proc")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sqlite", "html"])
def test_export_to_a_folder_a_file_or_a_place_nobody_can_write(
    run_dir: Path, tmp_path: Path, fmt: str
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    fails_in_one_line(["export", str(run_dir), "--format", fmt, "-o", str(blocker / "x")], "a-file")
    if fmt == "csv":
        fails_in_one_line(["export", str(run_dir), "--format", fmt, "-o", str(blocker)], "a-file")
    else:
        existing = tmp_path / "folder"
        existing.mkdir()
        fails_in_one_line(
            ["export", str(run_dir), "--format", fmt, "-o", str(existing)], "is a folder"
        )
    if Path("/sys/kernel").is_dir():  # sysfs: no new files, even for root
        fails_in_one_line(["export", str(run_dir), "--format", fmt, "-o", "/sys/x"], "/sys/x")


@pytest.mark.skipif(AS_ROOT, reason="root ignores permission bits")
def test_read_only_run_folder(tmp_path: Path) -> None:  # pragma: no cover - not as root
    out = tmp_path / "run"
    out.mkdir()
    out.chmod(0o500)
    try:
        fails_in_one_line(["run", str(PAGE), "-o", str(out), "--offline"], str(out))
    finally:
        out.chmod(0o700)


def test_a_base_url_with_an_invalid_port_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "run"
    for url in ("http://user:s3cret@localhost:99999/v1", "http://localhost:port/v1"):
        text = fails_in_one_line(["run", str(PAGE), "-o", str(out), "--base-url", url], "port")
        assert "s3cret" not in text and not out.exists()
    fails_in_one_line(["run", str(PAGE), "-o", str(out), "--base-url", "localhost:8000"], "http://")


def test_disk_full_is_one_line_keeps_what_was_written_and_a_rerun_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "run"
    real_write = jsonl.JsonlAppender.write
    budget = {"records": 20}

    def write(self: jsonl.JsonlAppender, item: object) -> None:
        if self.path.name == "records.jsonl":
            if budget["records"] == 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))
            budget["records"] -= 1
        real_write(self, item)  # type: ignore[arg-type]

    monkeypatch.setattr(jsonl.JsonlAppender, "write", write)
    fails_in_one_line(["run", str(PAGE), "-o", str(out), "--offline"], "records.jsonl", "disk")
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 20 and all(json.loads(line)["status"] == "ok" for line in lines)
    monkeypatch.setattr(jsonl.JsonlAppender, "write", real_write)
    again = CliRunner().invoke(main, ["run", str(PAGE), "-o", str(out), "--offline"])
    assert again.exit_code == 0 and "20 already done" in again.output, again.output
    ids = [json.loads(line)["id"] for line in (out / "records.jsonl").read_text().splitlines()]
    assert len(ids) == len(set(ids)) == 63
