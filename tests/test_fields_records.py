"""Records with user-defined fields: grounding, provenance, and reading them back."""

from __future__ import annotations

import json
from pathlib import Path

from paperfields.api import load_records
from paperfields.extract import Extraction
from paperfields.fields import FieldSpec, FieldsSpec, reply_schema
from paperfields.ground import ground_user_fields
from paperfields.io.jsonl import JsonlAppender
from paperfields.orchestrator.records import build_record
from paperfields.orchestrator.resume import DoneIndex
from paperfields.schemas import (
    ExtractedFields,
    GroundedUserItem,
    GroundedUserValue,
    GroundingSummary,
    Paper,
    Record,
    UserItem,
    UserValue,
)

ABSTRACT = (
    "We train ChatWidget, a 7B-parameter model, on 8 A100 GPUs for two days. "
    "Our code and weights are released at a public repository. "
    "The approach is limited to English text and needs labelled data."
)
PAPER = Paper(id="w", title="ChatWidget", abstract=ABSTRACT)
SPEC = FieldsSpec(
    name="survey",
    fields=(
        FieldSpec("limitations", "list", "Limitations"),
        FieldSpec("code_released", "boolean", "Code released", evidence=True),
        FieldSpec("parameters", "number", "Parameters", evidence=True),
        FieldSpec("modality", "enum", "Modality", ("text", "image")),
        FieldSpec("compute", "string", "Compute"),
    ),
)
USER = {
    "limitations": [
        UserItem(name="English text", evidence="The approach is limited to English text"),
        UserItem(name="labelled data", evidence="the approach is limited to english  text"),
        UserItem(
            name="labelled data",
            evidence="The approach is limited to English texts and needs labeled data.",
        ),
        UserItem(name="cost", evidence="Training is very expensive on many clusters."),
    ],
    "code_released": UserValue(
        value=True, evidence="Our code and weights are released in a public repository."
    ),
    "parameters": UserValue(value=None, evidence=None),
    "modality": "text",
    "compute": "8 A100 GPUs for two days",
}


def test_user_field_evidence_is_grounded_like_built_in_items() -> None:
    summary = GroundingSummary()
    grounded = ground_user_fields(ABSTRACT, USER, summary)
    assert list(grounded) == list(USER)
    items = grounded["limitations"]
    assert isinstance(items, list) and all(isinstance(i, GroundedUserItem) for i in items)
    exact, normalized, fuzzy, lost = items
    assert exact.match == "exact" and exact.span is not None
    assert ABSTRACT[exact.span[0] : exact.span[1]] == exact.evidence
    assert exact.name_span is not None
    assert ABSTRACT[exact.name_span[0] : exact.name_span[1]] == "English text"
    assert normalized.match == "normalized"
    assert fuzzy.match == "fuzzy" and fuzzy.span is not None  # slightly off: "texts", "labeled"
    assert ABSTRACT[fuzzy.span[0] : fuzzy.span[1]].startswith("The approach is limited")
    assert lost.grounded is False and lost.span is None and lost.match is None
    code = grounded["code_released"]
    assert isinstance(code, GroundedUserValue) and code.value is True
    assert code.match == "fuzzy" and code.span is not None  # "in" for "at"
    params = grounded["parameters"]
    assert isinstance(params, GroundedUserValue) and params.span is None and not params.grounded
    assert grounded["modality"] == "text" and grounded["compute"] == "8 A100 GPUs for two days"
    # Four list items and one scalar quote were checked; the null evidence was not.
    assert summary.items == 5
    assert (summary.exact, summary.normalized, summary.fuzzy, summary.ungrounded) == (1, 1, 2, 1)


def extraction() -> Extraction:
    return Extraction(
        fields=ExtractedFields(
            summary="A widget.", tasks=[], methods=[], datasets=[], metrics=[], claims=[]
        ),
        extractor="openai:test",
        user_fields=dict(USER),
        fields_spec=SPEC.info,
        schema_sha256=reply_schema(SPEC).sha256,
    )


def test_a_record_carries_user_fields_and_their_spec(tmp_path: Path) -> None:
    record = build_record(PAPER, extraction(), extract_s=0.1)
    extra = record.fields.model_extra or {}
    assert list(extra) == list(SPEC.names())
    assert record.grounding.items == 5
    assert record.provenance.fields_spec == SPEC.info
    assert record.provenance.schema_sha256 == reply_schema(SPEC).sha256
    identity = record.provenance.identity()
    assert identity.fields_spec == SPEC.sha256

    data = json.loads(record.model_dump_json())
    assert data["fields"]["summary"] == "A widget."
    assert data["fields"]["modality"] == "text"
    assert data["fields"]["code_released"]["grounded"] is True
    assert data["fields"]["limitations"][0]["span"] is not None
    assert data["provenance"]["fields_spec"] == {
        "name": "survey",
        "sha256": SPEC.sha256,
        "builtins": True,
    }

    path = tmp_path / "records.jsonl"
    with JsonlAppender(path, truncate=True) as out:
        out.write(record)
    (again,) = load_records(path)
    assert again == record
    done = DoneIndex.load(path)
    assert not done.invalid_lines and "w" in done
    assert list(done.identities) == [identity]


def test_records_without_user_fields_read_as_before() -> None:
    recorded = Path(__file__).parent / "fixtures" / "llm" / "recorded"
    line = (recorded / "standin-3-papers.records.jsonl").read_text().splitlines()[0]
    data = json.loads(line)
    data["provenance"].pop("fields_spec")  # a record written before user fields existed
    data["provenance"]["timings"] = {"extract_s": 0.1, "ground_s": 0.0}
    record = Record.model_validate(data)
    assert record.fields.model_extra == {}
    assert record.provenance.fields_spec is None
    assert record.provenance.identity().fields_spec is None
    dumped = json.loads(record.model_dump_json())
    assert dumped["fields"] == data["fields"]


def test_a_stored_user_field_of_a_wrong_shape_does_not_validate() -> None:
    base = build_record(PAPER, extraction(), extract_s=0.0).model_dump(mode="json")
    base["fields"]["limitations"][0]["proposed"] = True  # a key no user item has
    try:
        Record.model_validate(base)
    except ValueError as e:
        assert "limitations" in str(e)
    else:  # pragma: no cover
        raise AssertionError("a malformed user field validated")
