"""The HTML report: highlights, escaping, CSP, and a real headless-browser render."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from paperfields.compare.index import Mention, open_run
from paperfields.export.html_report import (
    REPORT_CSS,
    Note,
    content_security_policy,
    highlight_abstract,
    write_report,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "compare"
BROWSER_TIMEOUT_S = 60


def _note(number: int, field: str, span: tuple[int, int] | None, name: str = "x") -> Note:
    mention = Mention(
        paper_id="p",
        field=field,
        name=name,
        canonical=name,
        key=name,
        evidence="",
        span=span,
        grounded=span is not None,
        kind="other" if field == "claims" else None,
    )
    return Note(number, mention)


def test_overlapping_spans_split_into_segments() -> None:
    abstract = "we use abc data for xyz here"
    notes = [
        _note(1, "datasets", (7, 15), name="abc"),  # evidence "abc data", name "abc"
        _note(2, "claims", (0, 23)),  # "we use abc data for xyz"
        _note(3, "tasks", (20, 28), name="xyz"),  # "xyz here"
        _note(4, "metrics", (50, 60)),  # outside the abstract: ignored
        _note(5, "methods", None),
    ]
    body, count = highlight_abstract(abstract, notes, "p1")
    assert count == 3
    marks = re.findall(r'<mark class="([^"]+)" title="([^"]*)">([^<]*)</mark>', body)
    assert [(cls, text) for cls, _, text in marks] == [
        ("hl f-claims", "we use "),
        ("hl f-datasets multi", "abc"),  # the name: the dataset colour wins over the claim
        ("hl f-claims multi", " data"),
        ("hl f-claims", " for "),
        ("hl f-tasks multi", "xyz"),
        ("ev f-tasks", " here"),  # evidence beyond the name is underlined only
    ]
    assert "Dataset 1: abc" in marks[1][1] and "Claim 2" in marks[1][1]
    assert '<a id="p1-i1"></a>' in body and 'href="#p1-n2"' in body
    assert 'abc</mark><a class="ref f-datasets" href="#p1-n1">1</a>' in body  # right after the name


def test_multi_segments_have_a_style() -> None:
    rule = re.search(r"mark\.multi\s*\{([^}]*)\}", REPORT_CSS)
    assert rule and "dashed" in rule.group(1)


def test_highlighted_text_is_escaped() -> None:
    abstract = 'a <script>alert("x")</script> b'
    body, _ = highlight_abstract(abstract, [_note(1, "methods", (2, 31), name="<b>")], "p")
    assert "<script>" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert 'title="Method 1: &lt;b&gt;"' in body


def test_csp_allows_only_the_inline_stylesheet() -> None:
    policy = content_security_policy()
    digest = base64.b64encode(hashlib.sha256(REPORT_CSS.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "script-src 'none'" in policy


def test_report_on_fixture_run(tmp_path: Path) -> None:
    result = write_report(open_run(FIXTURES), tmp_path / "report.html")
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert result.papers == 11 and result.rows["highlights"] == 93  # 94 items, 1 ungrounded
    assert f'content="{content_security_policy()}"' in text
    assert f"<style>{REPORT_CSS}</style>" in text
    assert "<script" not in text.lower()
    assert "&lt;EOS&gt;" in text  # from the NV-Embed abstract
    assert len(re.findall(r'<tr><td class="num">\d+</td><td><a href="#paper-', text)) == 11
    mteb_row = re.search(
        r'<tr><td class="value f-datasets">MTEB</td><td class="num">(\d)</td>', text
    )
    assert mteb_row and mteb_row.group(1) == "3"
    assert '<article class="paper failed" id="paper-5">' in text
    assert "(not found in abstract)" in text
    assert 'href="https://arxiv.org/abs/1512.03385"' in text
    assert "http://" not in text.replace("http://evil", "")  # no network assets
    assert '<p class="muted">11 papers, 1 failed · ' in text


def test_report_counts_the_failed_papers_of_errors_jsonl(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "records.jsonl", tmp_path / "records.jsonl")
    entries = [
        {"id": None, "stage": "ingest", "error_type": "MissingAbstract", "reason": "no abstract"},
        {"id": "x", "stage": "extract", "error_type": "Refusal", "reason": "refused"},
    ]
    errors = "".join(json.dumps(entry) + "\n" for entry in entries)
    (tmp_path / "errors.jsonl").write_text(errors, encoding="utf-8")
    write_report(open_run(tmp_path), tmp_path / "report.html")
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<p class="muted">11 papers, 3 failed · ' in text


# --- a real browser -------------------------------------------------------------------------


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("PAPERFIELDS_REQUIRE_BROWSER"):
        pytest.fail("PAPERFIELDS_REQUIRE_BROWSER is set but no chromium is installed")
    pytest.skip("chromium is not installed (set PAPERFIELDS_REQUIRE_BROWSER=1 to fail instead)")


@pytest.fixture(scope="module")
def browser_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report over the fixture run plus the crafted payload record."""
    run = tmp_path_factory.mktemp("browser-run")
    lines = (FIXTURES / "records.jsonl").read_text(encoding="utf-8")
    lines += (FIXTURES / "payload" / "records.jsonl").read_text(encoding="utf-8")
    (run / "records.jsonl").write_text(lines, encoding="utf-8")
    return write_report(open_run(run), run / "report.html").paths[0]


def _run_chromium(report: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--timeout=10000",
        *extra,
        report.as_uri(),
    ]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=BROWSER_TIMEOUT_S, check=False
    )


def test_browser_renders_highlights_and_runs_no_data_script(
    browser_report: Path, tmp_path: Path
) -> None:
    done = _run_chromium(browser_report, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "<mark" in dom
    for field in ("tasks", "methods", "datasets", "metrics", "claims"):
        assert re.search(rf'<mark class="hl[^"]*\bf-{field}\b', dom), field
    assert len(re.findall(r"<mark ", dom)) >= 90
    # The payload would have retitled the page, tagged <body> or added an <img>.
    title = re.search(r"<title>([^<]*)</title>", dom)
    assert title and title.group(1).startswith("paperfields report: ")
    assert "pwned" not in title.group(1)
    body_tag = re.search(r"<body[^>]*>", dom)
    assert body_tag and "data-pwned" not in body_tag.group(0)
    assert "<img" not in dom and "<script" not in dom
    assert "&lt;script&gt;document.title=" in dom


def test_browser_screenshot(browser_report: Path, tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    done = _run_chromium(
        browser_report, tmp_path / "profile", f"--screenshot={png}", "--window-size=1280,2000"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000  # a rendered page with text and colours, not a blank frame
