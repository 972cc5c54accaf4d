"""The LLM-facing schema, prompt section and identity built from a user-defined fields spec."""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any

import pytest
from fixtures.llm.openai_stub import StubServer, completion, load_papers
from paperfields.config import LLMConfig
from paperfields.errors import FieldsSpecError
from paperfields.extract import Extraction
from paperfields.extract.llm import LLMExtractor
from paperfields.extract.plan import ExtractionPlan
from paperfields.fields import (
    FieldSpec,
    FieldsSpec,
    load_toml_spec,
    reply_schema,
    resolve_spec,
    strict_problems,
)
from paperfields.llm.backend import OpenAIBackend
from paperfields.llm.cache import cache_key
from paperfields.llm.prompts import load_prompt
from paperfields.schemas import (
    ExtractedFields,
    ExtractorIdentity,
    UserItem,
    UserValue,
    fields_json_schema,
    fields_schema_sha256,
)
from pydantic import ValidationError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = load_toml_spec(ROOT / "examples" / "fields.toml")
CFGPP = next(p for p in load_papers() if p.id == "cfgpp")


def every_type(*, builtins: bool = True) -> FieldsSpec:
    """A spec with every type, each scalar both with and without evidence."""
    fields = [FieldSpec("limitations", "list", "Limitations the authors acknowledge")]
    for evidence in (False, True):
        tail = "_ev" if evidence else ""
        fields += [
            FieldSpec(f"compute{tail}", "string", "Compute budget", evidence=evidence),
            FieldSpec(f"params{tail}", "number", "Number of parameters", evidence=evidence),
            FieldSpec(f"code{tail}", "boolean", "Code released", evidence=evidence),
            FieldSpec(
                f"modality{tail}", "enum", "Modality", ("text", "image"), evidence=evidence
            ),
        ]
    return FieldsSpec(name="every", fields=tuple(fields), builtins=builtins)


# --- the strict-rules checker ---------------------------------------------------------


def test_the_built_in_schema_is_strict() -> None:
    assert strict_problems(fields_json_schema()) == []


@pytest.mark.parametrize("builtins", [True, False])
def test_a_spec_of_every_type_makes_a_strict_schema(builtins: bool) -> None:
    spec = every_type(builtins=builtins)
    schema = reply_schema(spec).json_schema
    assert strict_problems(schema) == []
    properties = schema["properties"]
    assert set(schema["required"]) == set(properties)
    assert ("tasks" in properties) is builtins
    assert properties["limitations"]["type"] == "array"
    assert properties["compute"]["anyOf"] == [{"type": "string"}, {"type": "null"}]
    assert properties["params"]["anyOf"] == [{"type": "number"}, {"type": "null"}]
    assert properties["code"]["anyOf"] == [{"type": "boolean"}, {"type": "null"}]
    assert properties["modality"]["anyOf"][0] == {"enum": ["text", "image"], "type": "string"}
    assert properties["code_ev"] == {"$ref": "#/$defs/CodeEvValue"}  # a $ref stands alone
    holder = schema["$defs"]["CodeEvValue"]
    assert holder["description"] == "Code released"
    assert set(holder["required"]) == {"value", "evidence"}
    assert holder["additionalProperties"] is False


def broken(schema: dict[str, Any], change: Any) -> list[str]:
    copied = copy.deepcopy(schema)
    change(copied)
    return strict_problems(copied)


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (lambda s: s["required"].remove("limitations"), "every property must be required"),
        (lambda s: s.pop("additionalProperties"), "additionalProperties: false"),
        (lambda s: s["$defs"]["UserItem"].update(additionalProperties=True), "additional"),
        (lambda s: s["properties"]["code_ev"].update(description="x"), "must stand alone"),
        (lambda s: s["properties"]["compute"].update(default=None), "'default'"),
        (lambda s: s["properties"]["params"].update(oneOf=[]), "'oneOf' is not supported"),
        (lambda s: s["properties"].update(when={"type": "date"}), "type 'date'"),
        (lambda s: s["properties"]["code_ev"].update({"$ref": "#/$defs/Nope"}), "resolve"),
        (lambda s: s.update(anyOf=[{"type": "object"}]), "root must be an object"),
        (
            lambda s: s["properties"].update(
                {f"p{i}": {"type": "string"} for i in range(100)}
            ),
            "object properties in all",
        ),
    ],
)
def test_the_checker_catches_each_broken_rule(change: Any, rule: str) -> None:
    schema = reply_schema(every_type()).json_schema
    problems = broken(schema, change)
    assert problems and any(rule in p for p in problems), problems


def test_deep_nesting_is_caught() -> None:
    leaf: dict[str, Any] = {"type": "string"}
    for _ in range(6):
        leaf = {
            "type": "object",
            "properties": {"x": leaf},
            "required": ["x"],
            "additionalProperties": False,
        }
    assert any("deeper than 5" in p for p in strict_problems(leaf))


def test_a_spec_too_big_for_strict_mode_is_refused_in_one_line() -> None:
    fields = tuple(FieldSpec(f"f{i}", "string", evidence=True) for i in range(30))
    with pytest.raises(FieldsSpecError, match="not valid for strict structured outputs: .*100"):
        resolve_spec(FieldsSpec(name="big", fields=fields))


# --- the reply model -----------------------------------------------------------------


def good_reply(*, builtins: bool = True) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "limitations": [{"name": "small data", "evidence": "on small data"}],
        "compute": "8 GPUs",
        "params": 7e9,
        "code": True,
        "modality": "image",
        "compute_ev": {"value": None, "evidence": None},
        "params_ev": {"value": 1.5, "evidence": "1.5B parameters"},
        "code_ev": {"value": False, "evidence": "code on request"},
        "modality_ev": {"value": "text", "evidence": "text"},
    }
    if builtins:
        reply.update(summary=None, tasks=[], methods=[], datasets=[], metrics=[], claims=[])
    return reply


def test_the_reply_model_validates_and_splits() -> None:
    schema = reply_schema(every_type())
    reply = schema.model.model_validate(good_reply())
    builtins, user = schema.split(reply)
    assert isinstance(builtins, ExtractedFields) and builtins.tasks == []
    assert list(user) == list(every_type().names())
    assert user["limitations"] == [UserItem(name="small data", evidence="on small data")]
    assert user["params"] == 7e9 and user["code"] is True and user["modality"] == "image"
    assert user["params_ev"] == UserValue(value=1.5, evidence="1.5B parameters")
    assert user["code_ev"] == UserValue(value=False, evidence="code on request")


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda r: r.pop("code"), "code"),
        (lambda r: r.update(modality="sound"), "modality"),
        (lambda r: r.update(extra=1), "extra"),
        (lambda r: r["limitations"][0].pop("evidence"), "limitations"),
        (lambda r: r.update(code_ev=True), "code_ev"),
    ],
)
def test_the_reply_model_refuses_bad_replies(change: Any, where: str) -> None:
    reply = good_reply()
    change(reply)
    with pytest.raises(ValidationError) as caught:
        reply_schema(every_type()).model.model_validate(reply)
    assert where in str(caught.value)


def test_without_builtins_the_reply_has_only_user_keys() -> None:
    schema = reply_schema(every_type(builtins=False))
    with pytest.raises(ValidationError):
        schema.model.model_validate(good_reply(builtins=True))  # built-in keys are extra
    builtins, user = schema.split(schema.model.model_validate(good_reply(builtins=False)))
    assert builtins == ExtractedFields(
        summary=None, tasks=[], methods=[], datasets=[], metrics=[], claims=[]
    )
    assert user["code"] is True


# --- prompt, identity, cache key --------------------------------------------------------


def test_the_section_is_appended_to_the_released_prompt() -> None:
    released = load_prompt("extract_fields", "v2")
    plain = ExtractionPlan.build("v2")
    planned = ExtractionPlan.build("v2", EXAMPLE)
    assert planned.prompt.sha256 == released.sha256  # the released file is not changed
    before, after = plain.messages(CFGPP), planned.messages(CFGPP)
    assert after[1] == before[1]  # the user message (the paper) is unchanged
    assert after[0]["content"].startswith(before[0]["content"])
    section = after[0]["content"][len(before[0]["content"]) :]
    for field in EXAMPLE.fields:
        assert f'- "{field.name}" (' in section and field.description in section
    assert '"modality": "text" | "image" |' in section
    assert '"code_released": {"value": boolean or null, "evidence": string or null}' in section


def test_a_spec_without_builtins_uses_the_user_fields_prompt() -> None:
    spec = every_type(builtins=False)
    plan = ExtractionPlan.build("v2", spec)
    assert plan.prompt.name == "extract_user_fields"
    system = plan.messages(CFGPP)[0]["content"]
    assert '"tasks"' not in system and "exactly the keys below" in system
    custom = ExtractionPlan.build(str(ROOT / "prompts" / "extract_fields" / "v1.md"), spec)
    assert custom.prompt.version == "v1" and custom.prompt.name == "extract_fields"


def test_identity_carries_the_spec_and_is_unchanged_without_one() -> None:
    plain = ExtractionPlan.build("v2").identity("openai:m")
    prompt = load_prompt("extract_fields", "v2")
    assert plain == ExtractorIdentity.of("openai:m", prompt.info, fields_schema_sha256())
    with_spec = ExtractionPlan.build("v2", EXAMPLE).identity("openai:m")
    assert with_spec.fields_spec == EXAMPLE.sha256
    assert with_spec.schema_sha256 != plain.schema_sha256
    assert "fields spec" in with_spec.describe()
    other = FieldsSpec(name="survey", fields=EXAMPLE.fields[:-1])
    assert ExtractionPlan.build("v2", other).identity("openai:m") != with_spec


def test_the_cache_key_changes_with_the_spec_only() -> None:
    def key(spec: FieldsSpec | None) -> str:
        plan = ExtractionPlan.build("v2", spec)
        return cache_key(
            model="m",
            endpoint="http://x",
            mode="json_schema",
            messages=plan.messages(CFGPP),
            schema=plan.reply.json_schema,
            temperature=None,
            max_tokens=100,
            fields_spec=plan.fields_spec.sha256 if plan.fields_spec else None,
        )

    assert key(EXAMPLE) == key(load_toml_spec(ROOT / "examples" / "fields.toml"))
    assert key(EXAMPLE) != key(None)
    renamed = FieldsSpec(name="other", fields=EXAMPLE.fields)  # a name is only a label
    assert key(renamed) == key(EXAMPLE)
    assert key(FieldsSpec(name="survey", fields=EXAMPLE.fields[:-1])) != key(EXAMPLE)


# --- the request in each output mode ----------------------------------------------------


def user_reply_text() -> str:
    reply = good_reply()
    data = {k: v for k, v in reply.items() if k in ("summary", "tasks", "methods")}
    data.update(datasets=[], metrics=[], claims=[])
    data.update({k: v for k, v in reply.items() if k not in data})
    return json.dumps(data)


@pytest.mark.parametrize("mode", ["json_schema", "json_object", "tools", "text"])
def test_every_mode_asks_for_and_returns_the_user_fields(tmp_path: Path, mode: str) -> None:
    stub = StubServer()
    text = user_reply_text()
    if mode == "tools":
        stub.enqueue(completion(None, finish_reason="tool_calls", tool_arguments=text))
    elif mode == "text":
        stub.enqueue(completion(f"Sure:\n```json\n{text}\n```"))
    else:
        stub.enqueue(completion(text))
    cfg = LLMConfig(base_url="http://llm.test/v1", cache_dir=tmp_path / "cache", mode=mode)
    backend = OpenAIBackend(cfg, http_client=stub.client(), backoff_s=0.001)
    extractor = LLMExtractor(cfg, backend=backend, fields=every_type())

    async def go() -> Extraction:
        try:
            return await extractor.extract(CFGPP)
        finally:
            await extractor.aclose()

    result = asyncio.run(go())
    body = stub.requests[0].body
    assert "User-defined fields" in body["messages"][0]["content"]
    if mode == "json_schema":
        sent = body["response_format"]["json_schema"]
        assert sent["strict"] is True and strict_problems(sent["schema"]) == []
        assert "code_ev" in sent["schema"]["properties"]
    if mode == "tools":
        assert "limitations" in body["tools"][0]["function"]["parameters"]["properties"]
    assert result.user_fields["code_ev"] == UserValue(value=False, evidence="code on request")
    assert result.fields_spec is not None and result.fields_spec.name == "every"
    assert result.schema_sha256 == reply_schema(every_type()).sha256
