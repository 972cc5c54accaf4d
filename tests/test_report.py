"""The HTML report: highlights, safe embedded data, CSP, size limits, and a real headless browser.

The browser tests drive Debian's chromium with no extra library: a small harness
page loads the report in an iframe (``--allow-file-access-from-files`` makes the
two file pages one origin), types into the search box, clicks a column header
and opens papers, and writes what it saw into its own DOM, which ``--dump-dom``
prints once the page has loaded.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest
from paperfields.compare.index import open_run
from paperfields.compare.views import Mention
from paperfields.export.html_report import (
    REPORT_CSS,
    REPORT_JS,
    Note,
    content_security_policy,
    highlight_segments,
    write_report,
)
from paperfields.export.report_data import script_json

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
    segments = highlight_segments(abstract, notes)
    got = [(abstract[s.start : s.end], s.named, s.lead, s.items, s.refs) for s in segments]
    assert got == [
        ("we use ", True, "claims", (2,), ()),
        ("abc", True, "datasets", (1, 2), (1,)),  # the name: dataset colour over the claim
        (" data", True, "claims", (1, 2), ()),
        (" for ", True, "claims", (2,), ()),
        ("xyz", True, "tasks", (2, 3), (2, 3)),  # the claim ends here too
        (" here", False, "tasks", (3,), ()),  # evidence beyond the name is underlined only
    ]


def test_multi_segments_have_a_style() -> None:
    rule = re.search(r"mark\.multi\s*\{([^}]*)\}", REPORT_CSS)
    assert rule and "dashed" in rule.group(1)


def test_embedded_json_cannot_end_or_change_the_script_block() -> None:
    text = script_json({"title": "</script><!-- <script>alert(1)</script> & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"title": "</script><!-- <script>alert(1)</script> & \u2028"}


def test_csp_allows_only_the_page_own_style_and_script() -> None:
    policy = content_security_policy()
    for source in (REPORT_CSS, REPORT_JS):
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy


def _data(text: str, block: str) -> Any:
    found = re.search(rf'<script type="application/json" id="{block}">(.*?)</script>', text, re.S)
    assert found, block
    return json.loads(found.group(1))


def test_report_on_fixture_run(tmp_path: Path) -> None:
    result = write_report(open_run(FIXTURES), tmp_path / "report.html")
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert result.papers == 11 and result.rows["highlights"] == 93  # 94 items, 1 ungrounded
    assert result.notes == []
    assert f'content="{content_security_policy()}"' in text
    assert f"<style>{REPORT_CSS}</style>" in text and f"<script>{REPORT_JS}</script>" in text
    assert text.count("<script") == 3  # two data blocks and the page's script
    assert '<p class="muted">11 papers, 1 failed · ' in text
    papers = _data(text, "pf-papers")
    assert len(papers) == 11 and papers[7][0] == "1512.03385"
    assert papers[7][3] == "https://arxiv.org/abs/1512.03385"
    summary = _data(text, "pf-summary")
    names = summary["names"]
    mteb = next(g for g in summary["groups"]["datasets"]["shared"] if names[g[0]] == "MTEB")
    assert sorted(papers[p][0] for p in mteb[1]) == sorted(
        ["improving-general-text-embedding-model-tackling-task",
         "nv-embed-improved-techniques-for-training-llms-as-generalist",
         "mmteb-massive-multilingual-text-embedding-benchmark"]
    )  # fmt: skip
    failed = "binary-classifier-optimization-for-large-language-model"
    assert [f[0] for f in summary["failed"]] == [failed]
    error = next(b for b in summary["boards"] if b[0] == "ImageNet" and b[1] == "error")
    assert error[2] == "lower" and error[4][0][3] == "3.57%" and error[4][0][4] == 3.57
    assert "http://" not in text.replace("http://evil", "")  # no network assets


def test_report_lists_the_failed_papers_of_errors_jsonl(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "records.jsonl", tmp_path / "records.jsonl")
    entries = [
        {"id": None, "stage": "ingest", "error_type": "MissingAbstract", "reason": "no abstract"},
        {"id": "x", "title": "X paper", "stage": "extract", "error_type": "Refusal",
         "reason": "refused"},
    ]  # fmt: skip
    errors = "".join(json.dumps(entry) + "\n" for entry in entries)
    (tmp_path / "errors.jsonl").write_text(errors, encoding="utf-8")
    write_report(open_run(tmp_path), tmp_path / "report.html")
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<p class="muted">11 papers, 3 failed · ' in text
    failed = _data(text, "pf-summary")["failed"]
    assert [f[:4] for f in failed[:2]] == [
        [None, None, "ingest", "MissingAbstract"],
        ["x", "X paper", "extract", "Refusal"],
    ]


def test_past_its_size_limits_the_report_says_what_it_left_out(tmp_path: Path) -> None:
    result = write_report(
        open_run(FIXTURES), tmp_path / "report.html", detail_bytes=4000, max_bytes=9000
    )
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    papers = _data(text, "pf-papers")
    with_abstract = [p for p in papers if p[6] is not None]
    assert 0 < len(with_abstract) < len(papers) < 11
    assert result.papers == len(papers)
    assert len(result.notes) == 2
    assert f"{len(papers) - len(with_abstract)} papers are listed without their abstract" in (
        result.notes[0]
    )
    assert result.notes[1].startswith(f"{11 - len(papers)} papers are left out")
    assert all(f'<p class="left-out">{html.escape(note)}</p>' in text for note in result.notes)


# --- a real browser -------------------------------------------------------------------------


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("PAPERFIELDS_REQUIRE_BROWSER"):
        pytest.fail("PAPERFIELDS_REQUIRE_BROWSER is set but no chromium is installed")
    pytest.skip("chromium is not installed (set PAPERFIELDS_REQUIRE_BROWSER=1 to fail instead)")


PAYLOAD_TITLE = "</script><!-- <script>document.body.setAttribute('data-pwned','2')</script>"


@pytest.fixture(scope="module")
def browser_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report over the fixture run plus the crafted payload records."""
    run = tmp_path_factory.mktemp("browser-run")
    lines = (FIXTURES / "records.jsonl").read_text(encoding="utf-8")
    payload = (FIXTURES / "payload" / "records.jsonl").read_text(encoding="utf-8")
    second = json.loads(payload)
    second.update(id="payload-2", title=PAYLOAD_TITLE + " pwned")
    lines += payload + json.dumps(second) + "\n"
    (run / "records.jsonl").write_text(lines, encoding="utf-8")
    return write_report(open_run(run), run / "report.html").paths[0]


HARNESS = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<iframe id="f" src="report.html" width="1280" height="1500"></iframe><pre id="out"></pre>
<script>
document.getElementById("f").addEventListener("load", function () {
  var out = {}, d = this.contentDocument, w = this.contentWindow;
  function cells(n) {
    return Array.prototype.map.call(
      d.querySelectorAll("#papers tbody tr td:nth-child(" + n + ")"),
      function (td) { return td.textContent; });
  }
  function search(text) {
    var box = d.getElementById("search");
    box.value = text;
    box.dispatchEvent(new w.Event("input"));
  }
  try {
    out.ready = d.body.getAttribute("data-ready");
    out.all = cells(2);
    search("res2net");
    out.searched = cells(2);
    search("");
    function header(label) {  // the table is drawn anew after each sort
      return Array.prototype.filter.call(d.querySelectorAll("#papers thead th"),
        function (th) { return th.textContent === label; })[0];
    }
    header("Title").click();
    out.ascending = cells(2);
    out.aria = header("Title").getAttribute("aria-sort");
    header("#").click();
    header("Title").click();
    header("Title").click();
    out.descending = cells(2);
    search("pwned");
    out.payload_rows = cells(2);
    Array.prototype.forEach.call(d.querySelectorAll("#papers a.pref"), function (a) { a.click(); });
    out.detail_marks = d.querySelectorAll("#detail mark").length;
    out.detail_text = d.getElementById("detail").textContent;
    search("");
    d.querySelector("#papers a.pref").click();
    out.first_marks = d.querySelectorAll("#detail mark").length;
    out.filters = Array.prototype.map.call(d.querySelectorAll("#filters select"),
      function (s) { return s.id; });
    var released = d.getElementById("filter-released");
    released.value = released.options[1].value;
    released.dispatchEvent(new w.Event("change"));
    out.released_rows = cells(2);
    released.value = "";
    released.dispatchEvent(new w.Event("change"));
    search('evil.example","caveat');
    out.caveat_rows = cells(2);
    d.querySelector("#papers a.pref").click();
    function texts(selector) {
      return Array.prototype.map.call(d.querySelectorAll(selector),
        function (x) { return x.textContent; });
    }
    out.value_labels = texts("#detail dl.values dt");
    out.values = texts("#detail dl.values dd");
    out.user_marks = Array.prototype.filter.call(d.querySelectorAll("#detail mark"),
      function (m) { return m.title.indexOf("Caveats ") >= 0; }).length;
    out.notes = d.querySelector("#detail ol.notes").textContent;
    out.user_columns = texts("#papers thead th").slice(-4);
    search("");
    d.getElementById("tab-leaderboard").click();
    out.boards = d.querySelectorAll("#boards table").length;
    out.board_links = d.querySelectorAll("#boards a.pref").length;
    d.getElementById("tab-comparison").click();
    out.group_links = Array.prototype.map.call(
      d.querySelectorAll("#groups a.pref"), function (a) { return a.textContent; }).slice(0, 5);
    d.getElementById("tab-failed").click();
    out.failed = d.querySelectorAll("#failed tbody tr").length;
    out.title = d.title;
    out.pwned = d.body.getAttribute("data-pwned");
    out.imgs = d.querySelectorAll("img").length;
    out.scripts = d.querySelectorAll("script").length;
    d.getElementById("tab-papers").click();
  } catch (e) { out.error = String(e); }
  document.getElementById("out").textContent = JSON.stringify(out);
});
</script></body></html>
"""


def _run_chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
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
        "--allow-file-access-from-files",
        f"--user-data-dir={profile}",
        "--timeout=15000",
        *extra,
        page.as_uri(),
    ]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=BROWSER_TIMEOUT_S, check=False
    )


@pytest.fixture(scope="module")
def browser_results(
    browser_report: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    harness = browser_report.with_name("harness.html")
    harness.write_text(HARNESS, encoding="utf-8")
    profile = tmp_path_factory.mktemp("profile")
    done = _run_chromium(harness, profile, "--dump-dom", "--virtual-time-budget=5000")
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="out">(.*?)</pre>', done.stdout, re.S)
    assert found and found.group(1), done.stdout[-2000:]
    results: dict[str, Any] = json.loads(found.group(1).replace("&lt;", "<").replace(
        "&gt;", ">").replace("&quot;", '"').replace("&amp;", "&"))  # fmt: skip
    assert "error" not in results, results.get("error")
    return results


def test_browser_renders_the_papers_table(browser_results: dict[str, Any]) -> None:
    assert browser_results["ready"] == "1"
    assert len(browser_results["all"]) == 13  # 11 fixture papers and 2 payload papers


def test_browser_search_filters_the_rows(browser_results: dict[str, Any]) -> None:
    assert browser_results["searched"] == ["Res2Net: A New Multi-scale Backbone Architecture"]


def test_browser_sort_click_reorders_the_rows(browser_results: dict[str, Any]) -> None:
    titles = browser_results["all"]
    assert browser_results["ascending"] == sorted(titles, key=str.lower)
    assert browser_results["ascending"] != titles
    assert browser_results["aria"] == "ascending"
    assert browser_results["descending"] == sorted(titles, key=str.lower, reverse=True)


def test_browser_opens_papers_leaderboard_comparison_and_failed(
    browser_results: dict[str, Any],
) -> None:
    assert browser_results["first_marks"] >= 5
    assert browser_results["boards"] >= 5 and browser_results["board_links"] >= 5
    assert "Deep Residual Learning for Image Recognition" in browser_results["group_links"] or (
        any(not link.isdigit() for link in browser_results["group_links"])
    )
    assert browser_results["group_links"] and not any(
        link.isdigit() for link in browser_results["group_links"]
    )  # names, not paper numbers
    assert browser_results["failed"] == 1


def test_browser_runs_no_payload(browser_results: dict[str, Any]) -> None:
    assert len(browser_results["payload_rows"]) == 2
    assert PAYLOAD_TITLE in browser_results["payload_rows"][1]
    assert "<script>document.title=" in browser_results["detail_text"]
    assert browser_results["detail_marks"] >= 5
    assert browser_results["title"].startswith("paperfields report: ")
    assert browser_results["pwned"] is None
    assert browser_results["imgs"] == 0
    assert browser_results["scripts"] == 3


def test_browser_shows_user_fields_as_values_marks_filters_and_search(
    browser_results: dict[str, Any],
) -> None:
    # The payload records carry user fields (no run.json: types read from the values).
    filters = browser_results["filters"]
    assert "filter-caveats" in filters and "filter-released" in filters  # a list, a boolean
    assert "filter-verdict" not in filters and "filter-effect" not in filters  # text, number
    assert browser_results["released_rows"] == browser_results["payload_rows"]
    assert len(browser_results["caveat_rows"]) == 2  # the search reaches user item names
    assert browser_results["value_labels"] == ["Verdict", "Effect", "Released"]
    verdict, effect, released = browser_results["values"]
    assert verdict.startswith("=1+1 <script>document.body.setAttribute('data-pwned','3')")
    assert effect.startswith("-0.5") and "in abstract" in effect and released == "true"
    assert browser_results["user_marks"] >= 2  # both caveats' quotes are highlighted
    assert "<img src=x onerror=" in browser_results["notes"]
    assert browser_results["user_columns"] == ["Caveats", "Verdict", "Effect", "Released"]
    assert browser_results["pwned"] is None


def test_browser_screenshot(browser_report: Path, tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    done = _run_chromium(
        browser_report, tmp_path / "profile", f"--screenshot={png}", "--window-size=1280,1000"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 1000)
    assert len(data) > 50_000  # a rendered page with text and colours, not a blank frame
