"""Progress display: plain lines in logs, a live bar only when asked or on a terminal."""

from __future__ import annotations

import io

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
