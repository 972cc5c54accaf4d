"""Entry points for user-defined fields: --fields, schema --spec, run(fields=), extract_paper."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import paperfields
import pytest
from click.testing import CliRunner
from fixtures.llm.openai_stub import StubServer, answer_text, completion, load_papers
from paperfields.cli import main
from paperfields.config import LLMConfig
from paperfields.errors import ConfigError
from paperfields.extract.llm import LLMExtractor
from paperfields.fields import reply_schema, resolve_spec, strict_problems
from paperfields.llm.backend import OpenAIBackend
from pydantic import BaseModel, ConfigDict, Field

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "examples" / "fields.toml"
PAPERS = ROOT / "tests" / "fixtures" / "llm" / "papers.jsonl"


class Flags(BaseModel):
    code_released: bool | None = Field(description="Whether code is released")
    limitations: list[str] = Field(description="Limitations the authors acknowledge")


@pytest.mark.parametrize(
    "args",
    [
        ["run", str(PAPERS), "--fields", str(SPEC)],
        ["run", str(PAPERS), "--fields", str(SPEC), "--offline"],
        ["run", str(PAPERS), "--fields", str(SPEC), "--dry-run"],
        ["extract", "RUN", "--fields", str(SPEC)],
    ],
)
def test_fields_without_an_llm_stop_with_exit_2_and_say_how(
    tmp_path: Path, args: list[str]
) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    args = [str(run_dir) if a == "RUN" else a for a in args]
    if args[0] == "run":
        args += ["-o", str(run_dir)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("paperfields: error: ")
    assert "need an LLM" in lines[0] and "OPENAI_API_KEY" in lines[0] and "--base-url" in lines[0]
    assert not list(run_dir.iterdir())  # nothing was written


def test_a_bad_spec_on_the_command_line_is_one_line_with_file_line_and_field(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[fields.ok]\ntype = "string"\n\n[fields.mood]\ntype = "emotion"\n')
    for command in (["run", str(PAPERS), "-o", str(tmp_path / "r")], ["schema", "--fields"]):
        flag = "--spec" if command[0] == "schema" else "--fields"
        result = CliRunner().invoke(
            main, [*command, flag, str(bad)], env={"OPENAI_API_KEY": "sk-test-x"}
        )
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1, lines
        assert f"{bad}:5: field 'mood': type must be one of" in lines[0]
        assert "Traceback" not in result.output


def test_schema_prints_the_generated_strict_schema() -> None:
    result = CliRunner().invoke(main, ["schema", "--fields", "--spec", str(SPEC)])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert strict_problems(schema) == []
    assert {"limitations", "code_released", "modality", "compute", "parameters"} <= set(
        schema["required"]
    )
    assert "summary" in schema["properties"]
    implied = CliRunner().invoke(main, ["schema", "--spec", str(SPEC)])
    assert json.loads(implied.output) == schema


def test_the_api_refuses_fields_without_an_llm(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="need an LLM"):
        paperfields.run(PAPERS, tmp_path / "run", fields=Flags)
    with pytest.raises(ConfigError, match="need an LLM"):
        paperfields.run(PAPERS, tmp_path / "run", fields=SPEC, offline=True, use_env=False)
    paper = load_papers()[0]
    with pytest.raises(ConfigError, match="need an LLM"):
        paperfields.extract_paper(paper, fields=Flags)
    with pytest.raises(ConfigError, match=r"offline:rules-v\d+ cannot fill user-defined fields"):
        paperfields.extract_paper(paper, extractor=paperfields.OfflineExtractor(), fields=SPEC)
    assert not (tmp_path / "run").exists()


def test_extract_paper_adds_fields_to_an_llm_extractor(tmp_path: Path) -> None:
    paper = next(p for p in load_papers() if p.id == "cfgpp")
    reply = json.loads(answer_text("cfgpp"))
    reply["code_released"] = None
    reply["limitations"] = [
        {"name": "off-manifold", "evidence": "the off-manifold phenomenon associated with CFG"}
    ]
    stub = StubServer()
    stub.enqueue(completion(json.dumps(reply)))
    cfg = LLMConfig(base_url="http://llm.test/v1", cache_dir=tmp_path / "cache")
    backend = OpenAIBackend(cfg, http_client=stub.client(), backoff_s=0.001)
    plain = LLMExtractor(cfg, backend=backend)

    async def go() -> paperfields.Record:
        try:
            return await paperfields.aextract_paper(paper, extractor=plain, fields=Flags)
        finally:
            await plain.aclose()

    record = asyncio.run(go())
    spec = resolve_spec(Flags)
    assert spec is not None
    extra = record.fields.model_extra or {}
    assert extra["code_released"] is None
    (item,) = extra["limitations"]
    assert item.grounded and item.match == "exact"
    assert record.provenance.fields_spec == spec.info
    assert record.provenance.schema_sha256 == reply_schema(spec).sha256
    sent = stub.requests[0].body["response_format"]["json_schema"]["schema"]
    assert "limitations" in sent["properties"]
    assert plain.identity.fields_spec is None  # the caller's extractor is unchanged


def test_a_spec_without_builtins_brings_its_own_prompt_to_a_reused_extractor(
    tmp_path: Path,
) -> None:
    class OnlyMine(BaseModel):
        model_config = ConfigDict(json_schema_extra={"builtins": False})
        code_released: bool | None = Field(description="Whether code is released")

    cfg = LLMConfig(base_url="http://llm.test/v1", cache_dir=tmp_path / "cache")
    plain = LLMExtractor(cfg, backend=OpenAIBackend(cfg, http_client=StubServer().client()))
    spec = resolve_spec(OnlyMine)
    assert plain.with_fields(spec).prompt.name == "extract_user_fields"
    assert plain.with_fields(resolve_spec(Flags)).prompt is plain.prompt
    asyncio.run(plain.aclose())
