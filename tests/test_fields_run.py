"""Runs with user-defined fields against the stand-in OpenAI-compatible server (real HTTP)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from click.testing import CliRunner
from fieldsrun import EVERY_TYPE
from fieldsrun import run_config as config
from fixtures.llm.standin import standin_module
from paperfields.cli import main
from paperfields.config import BatchSettings
from paperfields.fields import FieldsSpec, load_toml_spec, reply_schema
from paperfields.orchestrator.runner import run_pipeline
from paperfields.schemas import Record

ROOT = Path(__file__).resolve().parent.parent
PAPERS = ROOT / "tests" / "fixtures" / "llm" / "papers.jsonl"
standin = standin_module()

@pytest.fixture
def server() -> Iterator[Any]:
    instance = standin.StandinServer(seed=11)
    instance.start_in_thread()
    yield instance
    instance.stop_thread()


@pytest.fixture
def spec_path(tmp_path: Path) -> Path:
    path = tmp_path / "every.toml"
    path.write_text(EVERY_TYPE, encoding="utf-8")
    return path


def records(path: Path) -> list[Record]:
    return [Record.model_validate_json(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("mode", ["json_schema", "json_object", "tools", "text"])
def test_every_mode_gives_records_with_grounded_user_fields(
    server: Any, spec_path: Path, tmp_path: Path, mode: str
) -> None:
    spec = load_toml_spec(spec_path)
    summary = run_pipeline(
        [PAPERS], config(tmp_path / "run", server.base_url, tmp_path / "c", spec, mode=mode)
    )
    assert summary.exit_code == 0 and summary.stats.ok == 3
    assert server.stats.by_status == {200: 3}  # the strict schema was accepted as sent
    found = records(summary.records_path)
    matches: dict[str | None, int] = {}
    for record in found:
        assert record.provenance.mode == mode
        assert record.provenance.fields_spec == spec.info
        assert record.provenance.schema_sha256 == reply_schema(spec).sha256
        assert record.fields.tasks or record.fields.methods  # built-ins are still there
        extra = record.fields.model_extra or {}
        assert list(extra) == list(spec.names())
        for item in extra["limitations"]:  # type: ignore[union-attr]
            matches[item.match] = matches.get(item.match, 0) + 1
            if item.span is not None:
                assert item.grounded
                if item.match == "exact":
                    assert record.abstract[item.span[0] : item.span[1]] == item.evidence
        assert extra["modality_plain"] in ("text", "image", "other", None)
        assert extra["count"] is None or isinstance(extra["count"], float)
        for name in ("code_released", "modality", "compute_quoted", "parameters"):
            value = extra[name]
            assert value is not None and not isinstance(value, (list, str, float, bool))
            assert (value.span is not None) == value.grounded  # type: ignore[union-attr]
            if value.evidence is not None:  # type: ignore[union-attr]
                matches[value.match] = matches.get(value.match, 0) + 1  # type: ignore[union-attr]
        users = sum(
            len(v) if isinstance(v, list) else int(getattr(v, "evidence", None) is not None)
            for v in extra.values()
        )
        builtins = sum(len(getattr(record.fields, f)) for f in ("tasks", "methods", "datasets"))
        builtins += len(record.fields.metrics) + len(record.fields.claims)
        assert record.grounding.items == builtins + users
    # Verbatim quotes are exact, slightly-off ones fuzzy or normalised, paraphrases ungrounded.
    assert matches.get("exact", 0) >= 3
    assert matches.get("fuzzy", 0) >= 3
    assert matches.get("normalized", 0) >= 1
    assert matches.get(None, 0) >= 3
    manifest = json.loads((tmp_path / "run" / "run.json").read_text())
    assert manifest["fields_spec"]["sha256"] == spec.sha256
    assert [f["name"] for f in manifest["fields_spec"]["fields"]] == list(spec.names())


def test_a_spec_without_builtins_asks_and_stores_only_user_fields(
    server: Any, spec_path: Path, tmp_path: Path
) -> None:
    spec_path.write_text("builtins = false\n" + EVERY_TYPE)
    spec = load_toml_spec(spec_path)
    summary = run_pipeline(
        [PAPERS], config(tmp_path / "run", server.base_url, tmp_path / "c", spec)
    )
    assert summary.exit_code == 0
    for record in records(summary.records_path):
        assert record.provenance.prompt is not None
        assert record.provenance.prompt.name == "extract_user_fields"
        assert not (record.fields.tasks or record.fields.methods or record.fields.summary)
        assert record.provenance.fields_spec is not None
        assert record.provenance.fields_spec.builtins is False
        assert set(record.fields.model_extra or {}) == set(spec.names())


def test_the_standin_refuses_a_schema_strict_mode_would_refuse(server: Any) -> None:
    schema = dict(reply_schema(None).json_schema)
    schema["required"] = ["summary"]  # optional properties are not allowed in strict mode
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "<title>T</title><abstract>A.</abstract>"}],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "paper_fields", "schema": schema, "strict": True},
        },
    }
    reply = httpx2.post(f"{server.base_url}/chat/completions", json=body, timeout=5)
    assert reply.status_code == 400
    assert "every property must be required" in reply.json()["error"]["message"]


def cli(url: str, out: Path, cache: Path, *extra: str) -> Any:
    args = ["run", str(PAPERS), "-o", str(out), "--base-url", url, "--cache-dir", str(cache)]
    return CliRunner().invoke(main, [*args, "--no-progress", *extra])


def test_a_run_folder_refuses_another_spec_with_exit_2(
    server: Any, spec_path: Path, tmp_path: Path
) -> None:
    out, cache = tmp_path / "run", tmp_path / "cache"
    first = cli(server.base_url, out, cache, "--fields", str(spec_path))
    assert first.exit_code == 0, first.output
    other = tmp_path / "other.toml"
    other.write_text(EVERY_TYPE.replace("Main data modality\"", "Modality of the data\""))
    for extra in (["--fields", str(other)], []):
        refused = cli(server.base_url, out, cache, *extra)
        assert refused.exit_code == 2, refused.output
        assert "already holds records from another extraction setup" in refused.output
        assert "fields spec" in refused.output and "Traceback" not in refused.output
    assert len((out / "records.jsonl").read_text().splitlines()) == 3
    again = cli(server.base_url, out, cache, "--fields", str(spec_path))
    assert again.exit_code == 0 and "3 already done" in again.output
    replaced = cli(server.base_url, out, cache, "--fields", str(other), "--reextract")
    assert replaced.exit_code == 0, replaced.output
    assert len((out / "superseded.jsonl").read_text().splitlines()) == 3


def test_the_cache_key_changes_with_the_spec(
    server: Any, spec_path: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    spec = load_toml_spec(spec_path)
    shorter = FieldsSpec(name="every", fields=spec.fields[:-1])

    def run(folder: str, chosen: FieldsSpec) -> list[Record]:
        cfg = config(tmp_path / folder, server.base_url, cache, chosen)
        return records(run_pipeline([PAPERS], cfg).records_path)

    run("a", spec)
    assert server.stats.requests == 3
    warm = run("b", spec)  # same spec, new folder: every answer comes from the cache
    assert server.stats.requests == 3 and all(r.provenance.cache_hit for r in warm)
    cold = run("c", shorter)  # another spec: nothing from the cache
    assert server.stats.requests == 6 and not any(r.provenance.cache_hit for r in cold)
    assert "released" not in (cold[0].fields.model_extra or {})


def test_the_batch_api_path_asks_for_and_stores_the_same_user_fields(
    spec_path: Path, tmp_path: Path
) -> None:
    server = standin.StandinServer(seed=11, batch_step_s=0.02)
    server.start_in_thread()
    try:
        spec = load_toml_spec(spec_path)
        batch = BatchSettings(wait=True, poll_s=0.01, poll_max_s=0.05)
        cfg = config(tmp_path / "run", server.base_url, tmp_path / "c", spec).replace(batch=batch)
        summary = run_pipeline([PAPERS], cfg)
        assert summary.exit_code == 0 and server.stats.requests == 0  # no live call
        for record in records(summary.records_path):
            assert record.provenance.fields_spec == spec.info
            assert list(record.fields.model_extra or {}) == list(spec.names())
    finally:
        server.stop_thread()
