"""JSONL helpers: line-numbered reads, the three ways to meet a bad line, crash-safe appends."""

from __future__ import annotations

from pathlib import Path

import pytest
from paperfields.errors import InputError
from paperfields.io.jsonl import JsonlAppender, iter_jsonl, repair_tail

CONTENT = '{"a": 1}\n\nnot json\n[1, 2]\n{"b": 2}\n'


def test_a_bad_line_raises_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(CONTENT)
    with pytest.raises(InputError, match=r"x\.jsonl:3: invalid JSON"):
        list(iter_jsonl(path))


def test_bad_lines_can_be_skipped_or_reported(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(CONTENT)
    assert list(iter_jsonl(path, skip_invalid=True)) == [(1, {"a": 1}), (5, {"b": 2})]
    problems: list[str] = []
    assert [n for n, _ in iter_jsonl(path, on_invalid=problems.append)] == [1, 5]
    assert problems == [
        f"{path}:3: invalid JSON (Expecting value)",
        f"{path}:4: expected a JSON object",
    ]


def test_repair_tail_cuts_only_a_half_written_last_line(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"id": 1}\n{"id": 2}\n{"id": ')
    assert repair_tail(path) == len(b'{"id": ')
    assert path.read_bytes() == b'{"id": 1}\n{"id": 2}\n'
    assert repair_tail(path) == 0
    path.write_bytes(b'{"id": ')
    assert repair_tail(path) == 7 and path.read_bytes() == b""


def test_appender_repairs_then_appends_one_flushed_line_per_item(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"id": 1}\n{"id"')
    with JsonlAppender(path) as out:
        out.write({"id": 2, "text": "caf\u00e9"})
        assert path.read_text(encoding="utf-8").endswith('"caf\u00e9"}\n')  # flushed, not escaped
    assert [obj["id"] for _, obj in iter_jsonl(path)] == [1, 2]
