"""Whole-or-nothing writes: the target changes only when the block succeeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from paperfields.io.atomic import replacing


def test_the_target_is_replaced_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.json"
    with replacing(target) as tmp:
        assert tmp.parent == target.parent and tmp != target
        tmp.write_text("new")
        assert not target.exists()
    assert target.read_text() == "new"
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]


def test_a_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), replacing(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
