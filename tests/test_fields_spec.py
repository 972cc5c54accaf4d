"""User-defined fields specs: TOML files and pydantic model classes, and their one-line errors."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Literal

import pytest
from paperfields.errors import FieldsSpecError, InputError
from paperfields.fields import FieldsSpec, load_toml_spec, name_problem, resolve_spec
from pydantic import BaseModel, ConfigDict, Field

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "fields.toml"


def write(tmp_path: Path, text: str, name: str = "spec.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_spec_has_a_field_of_every_type() -> None:
    spec = load_toml_spec(EXAMPLE)
    assert spec.name == "survey"
    assert spec.builtins is True
    assert {f.type for f in spec.fields} == {"list", "boolean", "enum", "string", "number"}
    by_name = {f.name: f for f in spec.fields}
    assert by_name["modality"].values[:2] == ("text", "image")
    assert by_name["limitations"].evidence is True  # list items always carry evidence
    assert by_name["code_released"].evidence is True
    assert by_name["compute"].evidence is False
    assert spec.names()[0] == "limitations"  # file order is kept
    assert len(spec.sha256) == 64


def test_the_hash_follows_content_not_name_or_layout(tmp_path: Path) -> None:
    base = '[fields.code]\ntype = "boolean"\ndescription = "Code released"\n'
    one = load_toml_spec(write(tmp_path, base, "a.toml"))
    # Comments, spacing and the spec's name do not change what is asked of the model.
    same = load_toml_spec(
        write(tmp_path, f'name = "other"\n# note\n\n{base.replace(" = ", "=")}', "b.toml")
    )
    assert one.sha256 == same.sha256 and one.name == "a" and same.name == "other"
    for changed in (
        base.replace("Code released", "Code public"),
        base + "evidence = true\n",
        "builtins = false\n" + base,
        base.replace("boolean", "string"),
    ):
        assert load_toml_spec(write(tmp_path, changed, "c.toml")).sha256 != one.sha256


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        ('[fields.a]\ntype = "string"\n\n[fields.b]\ntype = "date"\n', 5, "b", "type must be"),
        ('[fields.mod]\ntype = "enum"\ndescription = "x"\n', 1, "mod", "non-empty 'values'"),
        ('[fields.ok]\ntype = "number"\n[fields.tasks]\ntype = "list"\n', 3, "tasks", "built-in"),
        ('[fields.Code-Released]\ntype = "boolean"\n', 1, "Code-Released", "lowercase"),
        ('[fields.json]\ntype = "boolean"\n', 1, "json", "reserved"),
        ('[fields.x]\ntype = "string"\ncolour = "red"\n', 3, "x", "unknown option 'colour'"),
        ('[fields.x]\ndescription = "no type"\n', 1, "x", "missing 'type'"),
        ('[fields.x]\ntype = "list"\nevidence = false\n', 3, "x", "list items always"),
        ('[fields.x]\ntype = "enum"\nvalues = ["a", "a"]\n', 3, "x", "distinct"),
        ('[fields.x]\ntype = "string"\nvalues = ["a"]\n', 3, "x", "only for enum"),
        ('[fields.x]\ntype = "string"\n[fields.y]\ntype = string\n', 4, "y", "invalid TOML"),
        ('[fields.x]\ntype = "boolean"\nevidence = "yes"\n', 3, "x", "valid boolean"),
    ],
)
def test_a_bad_spec_is_one_line_naming_file_line_and_field(
    tmp_path: Path, text: str, line: int, field: str, words: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(FieldsSpecError) as caught:
        load_toml_spec(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: field {field!r}: ")
    assert words in message
    assert isinstance(caught.value, InputError) and caught.value.field == field


def test_spec_wide_problems_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(FieldsSpecError, match=r"spec\.toml:1: unknown option 'colour'"):
        load_toml_spec(write(tmp_path, 'colour = "red"\n[fields.x]\ntype = "string"\n'))
    with pytest.raises(FieldsSpecError, match="defines no fields"):
        load_toml_spec(write(tmp_path, "builtins = false\n"))
    with pytest.raises(FieldsSpecError, match="cannot read"):
        load_toml_spec(tmp_path / "missing.toml")


def test_a_top_level_evidence_default_applies_to_scalars(tmp_path: Path) -> None:
    text = 'evidence = true\n[fields.a]\ntype = "string"\n[fields.b]\ntype = "number"\n'
    text += "evidence = false\n"
    spec = load_toml_spec(write(tmp_path, text))
    assert [f.evidence for f in spec.fields] == [True, False]


class Survey(BaseModel):
    """The example spec written as a pydantic model."""

    model_config = ConfigDict(json_schema_extra={"name": "survey"})

    limitations: list[str] = Field(
        description="Limitations or weaknesses the authors acknowledge"
    )
    code_released: bool | None = Field(
        description="Whether code, models or data are publicly released",
        json_schema_extra={"evidence": True},
    )
    modality: Literal["text", "image", "audio", "video", "multimodal", "other"] | None = Field(
        description="Main data modality"
    )
    compute: str | None = Field(description="Compute budget mentioned (GPUs, hours), if any")
    parameters: float | None = Field(
        description="Number of parameters of the proposed model (7000000000 for 7B)",
        json_schema_extra={"evidence": True},
    )


def test_a_model_class_is_the_same_spec_as_its_toml_twin() -> None:
    from_model = resolve_spec(Survey)
    from_toml = resolve_spec(EXAMPLE)
    assert isinstance(from_model, FieldsSpec) and isinstance(from_toml, FieldsSpec)
    assert from_model == from_toml
    assert from_model.sha256 == from_toml.sha256
    assert from_model.source is not None and from_model.source.endswith("Survey")


def test_a_model_class_with_options_and_an_enum() -> None:
    class Colour(str, Enum):
        RED = "red"
        BLUE = "blue"

    class Only(BaseModel):
        model_config = ConfigDict(json_schema_extra={"builtins": False, "evidence": True})
        colour: Colour
        count: int

    spec = resolve_spec(Only)
    assert spec is not None and spec.builtins is False and spec.name == "Only"
    assert [(f.type, f.values, f.evidence) for f in spec.fields] == [
        ("enum", ("red", "blue"), True),
        ("number", (), True),
    ]


def test_a_model_class_with_an_unsupported_type_names_the_field() -> None:
    class Bad(BaseModel):
        fine: str
        when: dict[str, int]

    with pytest.raises(FieldsSpecError, match=r"Bad: field 'when': unsupported type"):
        resolve_spec(Bad)

    class Clash(BaseModel):
        datasets: list[str]

    with pytest.raises(FieldsSpecError, match="field 'datasets': 'datasets' is a built-in"):
        resolve_spec(Clash)


@pytest.mark.parametrize(
    ("name", "ok"),
    [("limitations", True), ("n_params2", True), ("summary", False), ("class", False),
     ("model_size", False), ("copy", False), ("_x", False), ("2x", False), ("é", False)],
)
def test_names(name: str, ok: bool) -> None:
    assert (name_problem(name) is None) is ok


@pytest.mark.parametrize(
    "name", ["url", "title", "abstract", "facts", "run", "results", "papers", "leaderboard",
             "code_evidence", "limitation_mentions", "modality_groups"],
)  # fmt: skip
def test_names_the_exports_use_are_refused_with_a_one_line_error(
    name: str, tmp_path: Path
) -> None:
    spec = tmp_path / "clash.toml"
    spec.write_text(f'[fields.ok]\ntype = "string"\n\n[fields.{name}]\ntype = "string"\n')
    with pytest.raises(FieldsSpecError) as caught:
        load_toml_spec(spec)
    message = str(caught.value)
    assert f"clash.toml:4: field '{name}'" in message and "\n" not in message
    assert "export" in message


def test_every_name_the_exports_use_is_reserved() -> None:
    from paperfields.export.layout import export_layout
    from paperfields.export.rows import PAPERS_TABLE

    for column in PAPERS_TABLE.column_names:
        assert name_problem(column) is not None, column
    for table in export_layout().tables:
        assert name_problem(table.name) is not None, table.name


def test_a_spec_reads_back_from_its_run_json_form(tmp_path: Path) -> None:
    path = tmp_path / "fields.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    spec = load_toml_spec(path)
    again = FieldsSpec.from_dict(json.loads(json.dumps(spec.to_dict())))
    assert again == spec and again is not None and again.sha256 == spec.sha256
    for broken in (None, [], {"fields": "x"}, {"fields": [{"name": "x", "type": "blob"}]},
                   {"fields": [{"name": "url", "type": "string"}]}, {"fields": [3]}):  # fmt: skip
        assert FieldsSpec.from_dict(broken) is None


def test_resolve_spec_refuses_anything_else() -> None:
    assert resolve_spec(None) is None
    with pytest.raises(FieldsSpecError, match="TOML spec path or a pydantic model class"):
        resolve_spec(42)  # type: ignore[arg-type]
