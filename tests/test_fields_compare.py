"""compare and eval on a run with user-defined fields of every type (made through the stand-in).

The run (``fields_run`` in ``conftest.py``) holds six papers; two share a
limitation written in two cases, two are about images, two release code and
two tune 2M parameters (see ``tests/fixtures/fields/README.md``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fieldsrun import EVERY_TYPE
from paperfields.cli import main
from paperfields.compare.index import RunIndex, open_run
from paperfields.errors import InputError
from paperfields.evaluate import load_predictions, score_records

SPEC_NAMES = ["limitations", "code_released", "modality", "modality_plain", "compute",
              "compute_quoted", "parameters", "count", "released"]  # fmt: skip
IMAGE_PAPERS = ["lite-adapter", "patch-tuner"]


@pytest.fixture(scope="module")
def index(fields_run: Path) -> RunIndex:
    return open_run(fields_run)


def _compare(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["compare", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_index_knows_the_run_spec(index: RunIndex) -> None:
    assert [f.name for f in index.user_fields] == SPEC_NAMES
    assert index.user_field("modality") is not None
    assert index.user_field("modality").values[:2] == ("text", "image")  # type: ignore[union-attr]
    assert index.fields[:5] == ("tasks", "methods", "datasets", "metrics", "claims")
    assert list(index.fields[5:]) == SPEC_NAMES


def test_a_list_field_groups_items_by_canonical_name(index: RunIndex) -> None:
    groups = index.groups("limitations")
    shared = groups[0]
    assert shared.paper_count == 2 and shared.papers == IMAGE_PAPERS
    assert sorted(shared.variants) == ["However, the benchmark covers",
                                       "however, the Benchmark covers"]  # fmt: skip
    assert all(g.paper_count == 1 for g in groups[1:])
    assert sum(g.mention_count for g in groups) == 18  # three items per paper
    assert index.groups("limitations", min_papers=2) == [shared]


def test_scalar_fields_group_papers_by_value(index: RunIndex) -> None:
    modality = {g.value: g for g in index.groups("modality")}
    assert modality["image"].papers == IMAGE_PAPERS and modality["image"].scalar == "image"
    assert set(modality) == {"image", "text", "audio", "other"}
    released = index.groups("code_released")
    assert [g.value for g in released] == ["true"]  # papers that say nothing are in no group
    assert released[0].scalar is True and set(IMAGE_PAPERS) <= set(released[0].papers)
    params = index.groups("parameters")
    assert params[0].value == "2000000" and params[0].papers == IMAGE_PAPERS
    assert params[0].scalar == 2_000_000.0 and params[0].to_dict()["scalar"] == 2_000_000.0
    compute = index.groups("compute")
    assert sum(g.paper_count for g in compute) == 5  # one paper gives no compute budget
    assert index.groups("modality_plain")[0].value in ("image", "text", "other")


def test_an_unknown_field_names_the_run_fields(index: RunIndex) -> None:
    with pytest.raises(InputError, match="'nope' is not a field of this run; choose one of") as e:
        index.groups("nope")
    assert "modality" in str(e.value) and "limitations" in str(e.value)


def test_matrix_and_side_by_side_show_user_fields(index: RunIndex) -> None:
    grid = index.matrix("modality")
    assert [g.value for g in grid.columns][:2] == ["image", "text"]
    assert grid.to_dict()["papers"][0]["cells"] == {"image": "✓"}
    side = index.side_by_side(["lite-adapter", "speech-lm"])
    first, second = side.to_dict()
    assert first["modality"] == "image" and first["code_released"] is True
    assert first["parameters"] == 2_000_000.0 and second["code_released"] is None
    assert [item["canonical"] for item in first["limitations"]][0].casefold() == (
        "however, the benchmark covers"
    )
    rows = {row[0]: row[1:] for row in side.to_table().rows}
    assert rows["modality"] == ["image", "audio"] and rows["code_released"] == ["true", ""]


def test_cli_by_a_user_field_in_every_format(fields_run: Path) -> None:
    code, out, _ = _compare(str(fields_run), "--by", "modality", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data[0]["value"] == "image" and data[0]["papers"] == IMAGE_PAPERS
    assert data[0]["field"] == "modality" and data[0]["scalar"] == "image"
    code, out, _ = _compare(str(fields_run), "--by", "code_released", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "value,papers,variants,paper ids"
    assert out.splitlines()[1].startswith("true,")
    code, out, _ = _compare(str(fields_run), "--by", "limitations", "--format", "md")
    assert code == 0 and "### limitations: 17 values" in out
    assert "| 2 |" in out and "lite-adapter<br>patch-tuner" in out
    code, out, _ = _compare(str(fields_run), "--by", "parameters")
    assert code == 0 and "parameters: 4 values" in out and "2000000" in out
    code, out, _ = _compare(str(fields_run), "--by", "limitations", "--matrix", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("paper,")
    code, out, _ = _compare(str(fields_run), "--format", "json")
    assert code == 0 and json.loads(out)["fields"]["modality"][0]["value"] == "image"


def test_cli_by_names_the_run_fields_when_wrong(fields_run: Path) -> None:
    code, _, err = _compare(str(fields_run), "--by", "modalty")
    assert code == 2 and "Invalid value for '--by': 'modalty' is not one of" in err
    for name in ("'tasks'", "'results'", "'limitations'", "'code_released'", "'released'"):
        assert name in err
    result = CliRunner().invoke(main, ["compare", "--help"])
    assert "run's own fields" in " ".join(result.output.split())


def test_records_without_run_json_show_their_fields_by_value_shape(
    fields_run: Path, tmp_path: Path
) -> None:
    shutil.copy(fields_run / "records.jsonl", tmp_path / "records.jsonl")
    bare = open_run(tmp_path)
    kinds = {f.name: (f.type, f.evidence) for f in bare.user_fields}
    assert list(kinds) == SPEC_NAMES
    assert kinds["limitations"] == ("list", True)
    assert kinds["code_released"] == ("boolean", True) and kinds["released"] == ("boolean", False)
    assert kinds["parameters"] == ("number", True) and kinds["count"] == ("number", False)
    assert kinds["modality"] == ("string", True)  # an enum's values are in the spec only
    assert [g.papers for g in bare.groups("modality") if g.value == "image"] == [IMAGE_PAPERS]
    assert bare.groups("parameters")[0].scalar == 2_000_000.0


def test_eval_ignores_user_fields(fields_run: Path, tmp_path: Path) -> None:
    stripped = tmp_path / "stripped.jsonl"
    lines = []
    for line in (fields_run / "records.jsonl").read_text(encoding="utf-8").splitlines():
        record: dict[str, Any] = json.loads(line)
        record["fields"] = {k: v for k, v in record["fields"].items() if k not in SPEC_NAMES}
        lines.append(json.dumps(record))
    stripped.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    entries = [
        {"id": "lite-adapter", "gold": {"datasets": ["ImageNet"], "tasks": ["image classification"],
                                        "limitations": ["however, the benchmark covers"]}},
        {"id": "speech-lm", "gold": {"datasets": ["LibriSpeech"], "code_released": ["true"]}},
    ]  # fmt: skip
    gold.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    with_user = score_records(fields_run, gold)
    without = score_records(stripped, gold)
    assert with_user.to_dict() == without.to_dict()
    assert set(with_user.to_dict()["fields"]) == {"tasks", "methods", "datasets", "metrics"}
    predictions = load_predictions(fields_run / "records.jsonl")["lite-adapter"]
    assert set(predictions) == {"tasks", "methods", "datasets", "metrics"}
    code = CliRunner().invoke(main, ["eval", str(fields_run), "--gold", str(gold)]).exit_code
    assert code == 0


def test_the_spec_of_the_fixture_is_the_one_of_the_run_tests() -> None:
    assert all(f"[fields.{name}]" in EVERY_TYPE for name in SPEC_NAMES)
