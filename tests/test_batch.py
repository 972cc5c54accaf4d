"""``run --batch`` against the stand-in's Files and Batches endpoints (real SDK, real HTTP).

Every test checks the promise of the Batch API path: every paper lands exactly
once in records.jsonl or errors.jsonl, papers in a running batch are never sent
twice, and the requests are those of the live path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fixtures.llm.standin import standin_module
from paperfields.config import BatchSettings, LLMConfig, RunConfig
from paperfields.ingest import iter_papers
from paperfields.llm.pricing import resolve_price
from paperfields.orchestrator import batch_state
from paperfields.orchestrator.runner import run_pipeline
from paperfields.orchestrator.summary import RunSummary
from paperfields.schemas import Paper, Usage

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "examples" / "hf-papers-page.txt"
LIMIT = 16
PAPER_IDS = sorted([p.id for p in iter_papers([PAGE]) if isinstance(p, Paper)][:LIMIT])
PRICE = (1.0, 4.0, 0.5)
standin = standin_module()


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[Any]:
    options: dict[str, Any] = {"seed": 3, "batch_step_s": 0.02}
    options.update(getattr(request, "param", {}))
    instance = standin.StandinServer(**options)
    instance.start_in_thread()
    yield instance
    instance.stop_thread()


def config(tmp_path: Path, url: str, **batch: Any) -> RunConfig:
    settings: dict[str, Any] = {"wait": True, "poll_s": 0.01, "poll_max_s": 0.05}
    settings.update(batch)
    llm = LLMConfig(base_url=url, cache_dir=tmp_path / "cache", price=PRICE, concurrency=8)
    return RunConfig(
        out_dir=tmp_path / "run",
        extractor="openai",
        llm=llm,
        progress=False,
        limit=LIMIT,
        batch=BatchSettings(**settings),
    )


def run(cfg: RunConfig) -> RunSummary:
    return run_pipeline([PAGE], cfg)


def ids(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_each_paper_once(run_dir: Path, *, all_ok: bool) -> None:
    records, errors = ids(run_dir / "records.jsonl"), ids(run_dir / "errors.jsonl")
    assert len(records) == len(set(records)) and len(errors) == len(set(errors))
    assert not set(records) & set(errors)
    assert sorted(records + errors) == PAPER_IDS
    if all_ok:
        assert not errors


def state(run_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run_dir / "batch.json").read_text(encoding="utf-8"))
    return data


# --- submit, resume, collect ---------------------------------------------------------------


def test_submit_returns_3_then_the_same_command_collects_without_resubmitting(
    server: Any, tmp_path: Path
) -> None:
    cfg = config(tmp_path, server.base_url, wait=False)
    first = run(cfg)
    assert first.exit_code == 3 and first.status == "submitted"
    assert first.stats.done == 0 and not ids(tmp_path / "run" / "records.jsonl")
    saved = state(tmp_path / "run")
    assert [e["status"] for e in saved["entries"]] == ["validating"]
    assert saved["entries"][0]["batch_id"] and saved["entries"][0]["input_file_id"]
    assert sorted(saved["entries"][0]["papers"]) == PAPER_IDS
    assert not list((tmp_path / "run" / "batches").glob("*"))  # spooled file gone once created
    manifest = json.loads((tmp_path / "run" / "run.json").read_text())
    assert manifest["batch"]["running"] == {"papers": LIMIT, "batches": 1}
    assert manifest["status"] == "submitted"

    again = run(cfg)  # at once: the batch still runs, nothing is sent again
    assert server.batches.counts["uploads"] == server.batches.counts["creates"] == 1
    assert again.batch is not None and again.batch["already_in_batches"] == LIMIT
    assert again.exit_code == 3 or again.stats.ok == LIMIT

    done = run(cfg.replace(batch=BatchSettings(wait=True, poll_s=0.01, poll_max_s=0.05)))
    assert done.exit_code == 0 and done.status == "complete"
    assert server.batches.counts["creates"] == 1 and server.stats.requests == 0  # no live call
    assert_each_paper_once(tmp_path / "run", all_ok=True)
    assert state(tmp_path / "run")["entries"][0]["collected"] is True

    record = rows(tmp_path / "run" / "records.jsonl")[0]
    provenance = record["provenance"]
    assert provenance["mode"] == "json_schema" and provenance["extractor"] == "openai:gpt-5-mini"
    usage = Usage.model_validate(provenance["usage"])
    half = resolve_price("gpt-5-mini", base_url=server.base_url, override=PRICE, batch=True)
    assert half is not None and provenance["cost_usd"] == pytest.approx(half.cost(usage))
    assert all(item["grounded"] for item in record["fields"]["claims"])

    rerun = run(cfg)  # nothing left: no upload, no create
    assert rerun.exit_code == 0 and rerun.stats.skipped == LIMIT
    assert server.batches.counts["uploads"] == 1


def test_batch_requests_are_the_live_requests_and_share_the_cache(
    server: Any, tmp_path: Path
) -> None:
    cfg = config(tmp_path, server.base_url)
    assert run(cfg).exit_code == 0
    lines = server.batches.contents["file-standin000001"].decode().splitlines()
    body = json.loads(lines[0])["body"]
    assert json.loads(lines[0])["url"] == "/v1/chat/completions"
    assert body["response_format"]["type"] == "json_schema" and "max_tokens" in body

    live = cfg.replace(out_dir=tmp_path / "live", batch=None)
    summary = run_pipeline([PAGE], live)  # the same cache: every paper is a hit
    assert summary.stats.cache_hits == LIMIT and server.stats.requests == 0


@pytest.mark.parametrize(
    "server",
    [{"faults": standin.Faults(rate_500=0.15, rate_429=0.05, rate_malformed=0.2)}],
    indirect=True,
)
def test_error_lines_and_invalid_replies_go_out_again_in_new_batches(
    server: Any, tmp_path: Path
) -> None:
    summary = run(config(tmp_path, server.base_url, retries=3))
    assert server.stats.by_fault["500"] and server.stats.by_fault["malformed"]
    assert summary.batch is not None and summary.batch["sent_again"] > 0
    assert server.batches.counts["creates"] >= 2
    assert summary.stats.repairs > 0
    assert_each_paper_once(tmp_path / "run", all_ok=False)
    assert summary.stats.ok >= LIMIT - 2
    repaired = [
        r for r in rows(tmp_path / "run" / "records.jsonl") if r["provenance"]["attempts"] > 1
    ]
    assert repaired and all(r["provenance"]["usage"]["requests"] >= 1 for r in repaired)


@pytest.mark.parametrize(
    "server", [{"faults": standin.Faults(rate_429=0.15, rate_malformed=0.15)}], indirect=True
)
def test_retries_and_repairs_can_go_live_instead(server: Any, tmp_path: Path) -> None:
    summary = run(config(tmp_path, server.base_url, retry_live=True))
    assert server.batches.counts["creates"] == 1  # no second round
    assert server.stats.requests > 0  # live chat completions
    assert summary.exit_code in (0, 1)
    assert_each_paper_once(tmp_path / "run", all_ok=False)


def test_no_retries_left_reports_the_error_lines(server: Any, tmp_path: Path) -> None:
    server.faults = standin.Faults(rate_500=1.0)
    summary = run(config(tmp_path, server.base_url, retries=1))
    assert summary.exit_code == 1 and server.batches.counts["creates"] == 2
    errors = rows(tmp_path / "run" / "errors.jsonl")
    assert len(errors) == LIMIT and {e["error_type"] for e in errors} == {"BatchRequestFailed"}
    assert "HTTP 500" in errors[0]["reason"] and "sent 2 time(s)" in errors[0]["reason"]


# --- batches that end badly ----------------------------------------------------------------


@pytest.mark.parametrize(
    "server",
    [{"batch_faults": standin.batches_module().BatchFaults(expire=frozenset({1}))}],
    indirect=True,
)
def test_an_expired_batch_keeps_its_answers_and_sends_the_rest_again(
    server: Any, tmp_path: Path
) -> None:
    summary = run(config(tmp_path, server.base_url))
    assert summary.exit_code == 0
    entries = state(tmp_path / "run")["entries"]
    assert entries[0]["status"] == "expired" and 0 < entries[0]["counts"]["completed"] < LIMIT
    assert len(entries[1]["papers"]) == LIMIT - entries[0]["counts"]["completed"]
    assert_each_paper_once(tmp_path / "run", all_ok=True)


@pytest.mark.parametrize(
    "server",
    [
        {
            "batch_faults": standin.batches_module().BatchFaults(
                fail=frozenset({1}), cancel=frozenset({2})
            )
        }
    ],
    indirect=True,
)
def test_failed_and_cancelled_batches_report_their_papers_and_a_rerun_sends_them(
    server: Any, tmp_path: Path
) -> None:
    cfg = config(tmp_path, server.base_url, max_requests=8)
    first = run(cfg)
    assert first.exit_code == 1
    errors = rows(tmp_path / "run" / "errors.jsonl")
    kinds = {e["error_type"] for e in errors}
    assert kinds == {"BatchFailed", "BatchCancelled"}
    assert (
        "failed (stand-in fault)"
        in next(e for e in errors if e["error_type"] == "BatchFailed")["reason"]
    )
    assert_each_paper_once(tmp_path / "run", all_ok=False)

    second = run(cfg)  # failed papers are retried by the next run, in a new batch
    assert second.exit_code == 0
    assert_each_paper_once(tmp_path / "run", all_ok=True)
    assert server.batches.counts["creates"] == 4


# --- limits ---------------------------------------------------------------------------------


@pytest.mark.parametrize("server", [{"batch_limits": (5, 60_000)}], indirect=True)
def test_inputs_above_the_limits_are_split(server: Any, tmp_path: Path) -> None:
    summary = run(config(tmp_path, server.base_url, max_requests=5, max_bytes=60_000))
    assert summary.exit_code == 0
    entries = state(tmp_path / "run")["entries"]
    assert len(entries) >= 4 and all(len(e["papers"]) <= 5 for e in entries)
    assert all(e["bytes"] <= 60_000 for e in entries)
    assert any(len(e["papers"]) < 10 for e in entries[:-1])  # some split by bytes
    assert {e["status"] for e in entries} == {"completed"}
    assert_each_paper_once(tmp_path / "run", all_ok=True)


# --- interruptions --------------------------------------------------------------------------


class Killed(BaseException):
    """Stands for the process dying at one exact step."""


@pytest.mark.parametrize("step", ["uploaded", "created"])
def test_an_interruption_between_steps_never_creates_a_batch_twice(
    server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    cfg = config(tmp_path, server.base_url, wait=False)
    real_save = batch_state.BatchState.save

    def dying_save(self: batch_state.BatchState, out_dir: Path) -> None:
        entry = self.entries[0] if self.entries else None
        if step == "uploaded" and entry is not None and entry.status == "uploaded":
            raise Killed  # uploaded, create not sent
        if step == "created" and entry is not None and entry.batch_id is not None:
            raise Killed  # created on the server, its id not written down
        real_save(self, out_dir)

    monkeypatch.setattr(batch_state.BatchState, "save", dying_save)
    with pytest.raises(Killed):
        run(cfg)
    monkeypatch.setattr(batch_state.BatchState, "save", real_save)
    expected = 1 if step == "created" else 0
    assert server.batches.counts["creates"] == expected

    done = run(cfg.replace(batch=BatchSettings(wait=True, poll_s=0.01, poll_max_s=0.05)))
    assert done.exit_code == 0
    assert server.batches.counts["creates"] == 1  # adopted by its input file id, or created once
    assert server.batches.counts["uploads"] == (1 if step == "created" else 2)
    assert_each_paper_once(tmp_path / "run", all_ok=True)


# --- configuration ---------------------------------------------------------------------------


def test_batch_refuses_max_cost_and_needs_a_model(tmp_path: Path) -> None:
    from paperfields.errors import ConfigError

    with pytest.raises(ConfigError, match="--max-cost cannot be used with --batch"):
        RunConfig(out_dir=tmp_path, max_cost_usd=1.0, batch=BatchSettings())
    offline = RunConfig(out_dir=tmp_path / "r", batch=BatchSettings(), progress=False)
    with pytest.raises(ConfigError, match="--batch needs a model"):
        run_pipeline([PAGE], offline)


def test_open_batches_are_collected_only_with_the_setup_that_sent_them(
    server: Any, tmp_path: Path
) -> None:
    from paperfields.errors import ConfigError

    cfg = config(tmp_path, server.base_url, wait=False)
    assert run(cfg).exit_code == 3
    other = cfg.replace(llm=LLMConfig(base_url=server.base_url, model="other-model", price=PRICE))
    with pytest.raises(ConfigError, match="has batches open at .* for model 'gpt-5-mini'"):
        run(other)
    assert server.batches.counts["creates"] == 1


@pytest.mark.parametrize(
    "server",
    [
        {
            "faults": standin.Faults(rate_refusal=1.0),
            "batch_faults": standin.batches_module().BatchFaults(expire=frozenset({1})),
        }
    ],
    indirect=True,
)
def test_rerunning_until_the_exit_code_is_not_3_always_ends(server: Any, tmp_path: Path) -> None:
    """Papers that fail while other batches run are reported again, not resent, each run."""
    import time

    cfg = config(tmp_path, server.base_url, wait=False)
    codes = []
    for _ in range(6):
        codes.append(run(cfg).exit_code)
        if codes[-1] != 3:
            break
        time.sleep(0.1)  # the batch finishes on the stand-in's clock
    assert codes[-1] == 1 and len(codes) <= 4, codes
    assert server.batches.counts["creates"] == 2  # the first batch, then its expired half
    errors = rows(tmp_path / "run" / "errors.jsonl")
    assert {e["error_type"] for e in errors} == {"Refusal"}
    assert_each_paper_once(tmp_path / "run", all_ok=False)
    assert state(tmp_path / "run")["failed"] == {}  # nothing open: the next run retries them
