"""Progress display: plain lines in logs, a live bar only when asked or on a terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from paperfields.orchestrator.progress import Progress, format_tokens, shows_bar
from paperfields.schemas import Usage
from paperfields.stats import RunStats


@pytest.mark.parametrize(("n", "text"), [(950, "950"), (12_345, "12.3k"), (4_100_000, "4.10M")])
def test_format_tokens(n: int, text: str) -> None:
    assert format_tokens(n) == text


def test_shows_bar_follows_the_flag_then_the_terminal() -> None:
    assert shows_bar(True, io.StringIO()) is True
    assert shows_bar(False, io.StringIO()) is False
    assert shows_bar(None, io.StringIO()) is False  # not a TTY


def _advance(progress: Progress, stats: RunStats, n: int) -> None:
    for _ in range(n):
        stats.done += 1
        stats.ok += 1
        progress.advance()


def test_plain_lines_when_not_a_terminal_about_every_tenth() -> None:
    stream = io.StringIO()
    stats = RunStats()
    stats.add_usage(Usage(prompt_tokens=1500, completion_tokens=500), 0.0125)
    progress = Progress(stats, stream=stream, llm=True)
    progress.start(100)
    _advance(progress, stats, 100)
    progress.stop()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[-1].startswith("paperfields: 100/100 papers · ok 100 · failed 0")
    assert "tokens 2.0k" in lines[-1] and "$0.0125" in lines[-1]


def test_no_output_at_all_when_disabled() -> None:
    stream = io.StringIO()
    stats = RunStats()
    progress = Progress(stats, enabled=False, stream=stream)
    progress.start(10)
    _advance(progress, stats, 10)
    progress.stop()
    assert stream.getvalue() == ""


def test_unknown_cost_is_shown_as_such() -> None:
    stream = io.StringIO()
    stats = RunStats()
    stats.add_usage(Usage(prompt_tokens=10, completion_tokens=5), None)
    progress = Progress(stats, stream=stream, llm=True)
    progress.start(1)
    _advance(progress, stats, 1)
    assert "cost n/a" in stream.getvalue()


def test_the_bar_total_comes_from_one_pass_over_the_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    import paperfields.orchestrator.runner as runner
    from fakes import FakeExtractor, first_sentence_fields
    from paperfields.config import RunConfig

    inputs = tmp_path / "in.jsonl"
    with open(inputs, "w", encoding="utf-8") as fp:
        for i in range(40):
            row = {"id": f"p{i}", "title": f"T {i}", "abstract": f"We study problem {i}."}
            fp.write(json.dumps(row) + "\n")
    calls: list[int] = []
    real = runner.iter_papers

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "iter_papers", counting)
    stats = RunStats()
    config = RunConfig(out_dir=tmp_path / "run", progress=True)
    fake = FakeExtractor(first_sentence_fields)
    runner.run_pipeline([inputs], config, extractor=fake, stats=stats)
    assert calls == [1]  # no counting pass before the run
    assert stats.total == 40 and stats.done == 40  # the estimate became exact at the end


def test_ingest_estimates_the_papers_an_input_holds_from_the_bytes_read(tmp_path: Path) -> None:
    from paperfields.ingest import IngestReport, iter_papers

    inputs = tmp_path / "in.jsonl"
    with open(inputs, "w", encoding="utf-8") as fp:
        for i in range(1000):
            fp.write(f'{{"id": "p{i}", "title": "Paper {i:04d}", "abstract": "Text {i:04d}."}}\n')
    report = IngestReport()
    items = iter_papers([inputs], report=report)
    assert report.estimated_papers() is None  # nothing read yet
    for _ in range(100):
        next(items)
    estimate = report.estimated_papers()
    assert estimate is not None and 700 <= estimate <= 1300  # reads run ahead in chunks
    for _ in items:
        pass
    assert report.estimated_papers() == 1000
