"""Packaging: one import package named paperfields, nothing named pipeline, prompts shipped."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _pyproject() -> dict[str, object]:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    with open(ROOT / "pyproject.toml", "rb") as fp:
        data: dict[str, object] = tomllib.load(fp)
    return data


def test_every_package_under_the_source_root_is_declared() -> None:
    declared = set(_pyproject()["tool"]["setuptools"]["packages"])  # type: ignore[index]
    found = {
        ".".join(init.parent.relative_to(ROOT / "pipeline").parts)
        for init in (ROOT / "pipeline").rglob("__init__.py")
    }
    assert found <= declared, sorted(found - declared)
    assert {name.split(".")[0] for name in declared} == {"paperfields"}


def test_nothing_named_pipeline_is_importable_and_a_users_pipeline_py_changes_nothing(
    tmp_path: Path,
) -> None:
    (tmp_path / "pipeline.py").write_text("raise SystemExit('the user module ran')\n")
    probe = subprocess.run(
        [sys.executable, "-c", "import importlib.util as u; print(u.find_spec('paperfields'))"],
        cwd=tmp_path.parent,  # outside the user's folder: no pipeline module anywhere
        capture_output=True,
        text=True,
        check=True,
    )
    assert "paperfields" in probe.stdout
    missing = subprocess.run(
        [sys.executable, "-c", "import pipeline"], cwd=tmp_path.parent, capture_output=True
    )
    assert missing.returncode != 0 and b"No module named 'pipeline'" in missing.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "paperfields", "--help"],
        cwd=tmp_path,  # beside the user's own pipeline.py
        capture_output=True,
        text=True,
    )
    assert helped.returncode == 0, helped.stderr
    assert "Usage:" in helped.stdout and "user module" not in helped.stdout + helped.stderr


def test_the_wheel_holds_paperfields_with_its_prompts_and_data(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("paperfields-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.startswith("paperfields-")}
    assert tops == {"paperfields"}
    assert "paperfields/_prompts/extract_fields/v1.md" in names
    assert "paperfields/data/prices.json" in names
    assert "paperfields/py.typed" in names
    assert any(name.endswith("/licenses/LICENSE") for name in names)
