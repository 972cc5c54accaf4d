"""The HTML report: one self-contained, interactive file to search, filter, sort and read a run.

The page has four views: Papers (a search box over titles, names, evidence
and abstracts; one filter per field; sortable, paged rows; a click on a title
opens the paper with every grounded evidence span highlighted in one colour
per field beside notes on each item), Leaderboard (results by dataset and
metric, best first), Comparison (values shared by papers, with the papers
named, not numbered) and Failed (each paper that failed, from the run's
``errors.jsonl``, with its reason). A run's user-defined fields appear
everywhere the built-in ones do: list items and quoted scalars highlighted in
the paper view (a colour per field) beside notes, every scalar as a labelled
value, a column per field in the papers table, a filter per list, enum and
boolean field, their values in the search and their groups in Comparison.

The data is embedded once, as compact JSON (:mod:`paperfields.export.report_data`)
in two ``<script type="application/json">`` blocks that are never executed,
and one inline script renders it with ``textContent`` only, so a title, an
abstract or a name can hold ``<script>`` or ``</script>`` and still do
nothing. A Content-Security-Policy meta tag allows the page's own stylesheet
and script (by their sha256 hashes) and nothing else: no network request,
no other script. Papers stream into the file one at a time. Past
``detail_bytes`` of abstracts the remaining papers are listed without their
abstract, and past ``max_bytes`` in all they are left out; the page and the
export's notes say how many.
"""

from __future__ import annotations

import base64
import hashlib
import html
from importlib import resources
from pathlib import Path
from typing import IO

from ..compare.index import FIELD_LABELS, RunIndex
from ..io.atomic import replacing
from ..schemas import FIELD_NAMES, Record
from .report_data import (
    NameTable,
    Note,
    Segment,
    encode_boards,
    encode_failures,
    encode_groups,
    encode_paper,
    encode_user_fields,
    highlight_segments,
    report_fields,
    script_json,
)
from .result import ExportResult

__all__ = [
    "DETAIL_BYTES",
    "MAX_BYTES",
    "REPORT_CSS",
    "REPORT_JS",
    "Note",
    "Segment",
    "content_security_policy",
    "highlight_segments",
    "user_class",
    "write_report",
]

DETAIL_BYTES = 60_000_000  # abstracts and highlights embedded, at most
MAX_BYTES = 120_000_000  # everything embedded, at most
BOARD_ENTRIES = 50_000
FAILED_ROWS = 5_000

REPORT_JS = resources.files("paperfields").joinpath("data/report/report.js").read_text("utf-8")

# Later rules win, so a segment shared by several fields shows the most specific colour.
REPORT_CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; }
.f-tasks { --c: #cfe2ff; --u: #5b8fd9; } .f-methods { --c: #c9f2d0; --u: #3f9b55; }
.f-datasets { --c: #ffdca8; --u: #d08a1e; } .f-metrics { --c: #f8c8e4; --u: #c2478f; }
.f-claims { --c: #ebe3ff; --u: #7a52d6; }
.f-u0 { --c: #c8f0ef; --u: #23928c; } .f-u1 { --c: #fff1a8; --u: #b59a00; }
.f-u2 { --c: #ffd3c9; --u: #d2553a; } .f-u3 { --c: #dde8c4; --u: #6f8f2a; }
.f-u4 { --c: #d9d9f7; --u: #5252b8; } .f-u5 { --c: #f1dcc7; --u: #9a6433; }
* { box-sizing: border-box; }
body { font: 15px/1.6 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 1280px; padding: 24px; background: #fbfcfe; }
h1 { font-size: 1.6em; margin: 0 0 4px; } h2 { font-size: 1.25em; margin: 28px 0 8px; }
h3 { font-size: 1.05em; margin: 18px 0 6px; }
a { color: #0b57d0; } .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 0.92em; }
th, td { border: 1px solid var(--line); padding: 4px 7px; vertical-align: top; text-align: left; }
th { background: #eef1f6; } td.num, th.num { text-align: right; white-space: nowrap; }
th.sortable { cursor: pointer; user-select: none; }
th[aria-sort="ascending"]::after { content: " \\25B2"; font-size: 0.7em; }
th[aria-sort="descending"]::after { content: " \\25BC"; font-size: 0.7em; }
nav.tabs { display: flex; gap: 6px; margin: 14px 0 8px; border-bottom: 2px solid var(--line); }
nav.tabs button { border: 1px solid var(--line); border-bottom: none; background: #eef1f6;
  padding: 5px 14px; border-radius: 5px 5px 0 0; font: inherit; cursor: pointer; }
nav.tabs button[aria-selected="true"] { background: #fff; font-weight: 600; }
.controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.controls input[type=search] { flex: 1 1 320px; padding: 5px 8px; font: inherit; }
.controls select { max-width: 220px; font: inherit; padding: 4px; }
.pager button { font: inherit; }
.legend span, .tag { background: var(--c); }
.legend span { display: inline-block; padding: 1px 8px; margin: 2px 6px 2px 0; border-radius: 3px; }
mark { color: inherit; background: none; }
mark.hl { background: var(--c); border-radius: 2px; padding: 0 1px; }
mark.ev { border-bottom: 2px solid var(--u); }
mark.hl:hover, mark.ev:hover { filter: brightness(0.92); background: var(--c); }
mark.multi { outline: 1px dashed var(--u); outline-offset: 1px; }
article.paper { border: 2px solid var(--line); border-radius: 6px; padding: 4px 16px 12px;
  margin-top: 18px; background: #fff; }
article.failed h2 { color: #9b1c1c; }
article.paper button.close { float: right; margin-top: 10px; font: inherit; cursor: pointer; }
.paper-body { display: grid; grid-template-columns: 3fr 2fr; gap: 22px; }
@media (max-width: 860px) { .paper-body { grid-template-columns: 1fr; } }
.abstract { margin: 0; }
a.ref { font-size: 0.7em; vertical-align: super; text-decoration: none; margin-left: 1px;
  color: var(--u); }
ol.notes { margin: 0; padding-left: 1.8em; font-size: 0.9em; }
ol.notes li { margin-bottom: 5px; }
.tag { display: inline-block; font-size: 0.78em; padding: 0 6px; border-radius: 3px; }
q { color: var(--muted); font-style: italic; }
.error { color: #9b1c1c; } .left-out { background: #fff4d6; padding: 6px 10px; border-radius: 4px; }
details { margin: 4px 0 14px; }
dl.values { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px;
  margin: 6px 0 12px; }
dl.values dt { font-weight: 600; } dl.values dd { margin: 0; }
"""


def _digest(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def content_security_policy() -> str:
    """The page's CSP: its own stylesheet and script (by hash), nothing else from anywhere."""
    return (
        f"default-src 'none'; style-src 'sha256-{_digest(REPORT_CSS)}'; "
        f"script-src 'sha256-{_digest(REPORT_JS)}'; img-src data:; base-uri 'none'; "
        "form-action 'none'; connect-src 'none'"
    )


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _label(name: str) -> str:
    """A user field's heading, as the page's script writes it ("code_released": "Code released")."""
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]


def user_class(number: int) -> str:
    """The colour class of the user field numbered ``number`` (from 0): six colours, cycling."""
    return f"f-u{number % 6}"


def _write_head(fp: IO[str], index: RunIndex) -> None:
    title = f"paperfields report: {index.run_dir.name or index.records_path.name}"
    legend = "".join(f'<span class="f-{f}">{_e(FIELD_LABELS[f])}</span>' for f in FIELD_NAMES)
    legend += "".join(
        f'<span class="{user_class(n)}">{_e(_label(f.name))}</span>'
        for n, f in enumerate(index.user_fields)
    )
    fp.write(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{REPORT_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{_e(title)}</h1>\n"
        f'<p class="muted">{len(index.papers)} papers, {index.failed} failed · '
        f"{_e(index.records_path)}</p>\n"
        f'<p class="legend">{legend}</p>\n'
        "<noscript><p class=\"left-out\">This report shows its tables with JavaScript; "
        "the CSV, XLSX or SQLite export has the same data.</p></noscript>\n"
        '<nav class="tabs" role="tablist">'
        '<button type="button" id="tab-papers" role="tab" aria-selected="true">Papers</button>'
        '<button type="button" id="tab-leaderboard" role="tab">Leaderboard</button>'
        '<button type="button" id="tab-comparison" role="tab">Comparison</button>'
        '<button type="button" id="tab-failed" role="tab">Failed</button></nav>\n'
        '<section id="view-papers">\n<div class="controls" id="filters">'
        '<input type="search" id="search" placeholder="Search titles, names, evidence, abstracts" '
        'aria-label="Search papers"> <span id="shown" class="muted"></span></div>\n'
        '<div id="detail" hidden></div>\n<div id="papers-table"></div>\n</section>\n'
        '<section id="view-leaderboard" hidden>\n<p class="muted">Values reported for each '
        "dataset and metric; ranked best first where the metric's direction is known "
        "(changes, shares and ratios follow unranked).</p>\n"
        '<div class="controls"><input type="search" id="board-search" '
        'placeholder="Filter by dataset or metric" aria-label="Filter boards"> '
        '<span id="boards-shown" class="muted"></span></div>\n<div id="boards"></div>\n</section>\n'
        '<section id="view-comparison" hidden><div id="groups"></div></section>\n'
        '<section id="view-failed" hidden><div id="failed"></div></section>\n'
    )


def write_report(
    index: RunIndex,
    path: Path,
    *,
    detail_bytes: int = DETAIL_BYTES,
    max_bytes: int = MAX_BYTES,
) -> ExportResult:
    """Write the HTML report to ``path`` (replaced when it exists).

    Args:
        index: The indexed run.
        path: The ``.html`` file; its folder is created.
        detail_bytes: Abstracts (with highlights) embedded at most, in bytes of JSON.
        max_bytes: Everything embedded at most; later papers are left out.

    Returns:
        The file written, the number of papers and of highlighted spans, and notes
        on anything left out.
    """
    result = ExportResult(format="html", rows={"papers": 0, "highlights": 0})
    names = NameTable()
    fields = report_fields(index.user_fields)
    user_names = [f.name for f in index.user_fields]
    collectors = index.group_collectors(["datasets", "metrics", "methods", "tasks", *user_names])
    user_data = encode_user_fields(index.user_fields)
    filtered = ["tasks", "methods", "datasets", "metrics", *(u[0] for u in user_data if u[2])]
    boards = index.board_collector()
    failed_records: list[Record] = []
    position = {pid: n for n, pid in enumerate(index.paper_ids)}
    written = embedded = without_abstract = left_out = 0
    with replacing(path) as tmp, open(tmp, "w", encoding="utf-8") as fp:
        _write_head(fp, index)
        fp.write('<script type="application/json" id="pf-papers">[')
        for number, record, mentions in index.iter_mentions():
            for name, collector in collectors.items():
                collector.add(number, mentions[name])
            boards.add(record.title, mentions["metrics"])
            if record.status == "failed":
                failed_records.append(record)
            if left_out or written >= max_bytes:
                left_out += 1
                continue
            details = embedded < detail_bytes
            paper, highlighted = encode_paper(
                record, mentions, names, details=details, fields=fields
            )
            text = script_json(paper)
            fp.write(("," if result.rows["papers"] else "") + text)
            written += len(text)
            if details:
                embedded += len(text)
                result.rows["highlights"] += highlighted
            else:
                without_abstract += 1
            result.rows["papers"] += 1
        fp.write("]</script>\n")
        groups, filters = encode_groups(collectors, names, position, filtered)
        board_data, boards_left = encode_boards(boards.boards(), position, BOARD_ENTRIES)
        failures = encode_failures(index.failures, failed_records)
        notes = _left_out_notes(without_abstract, left_out, boards_left, len(failures), max_bytes)
        summary = {
            "names": names.names,
            "user_fields": user_data,
            "groups": groups,
            "filters": filters,
            "boards": board_data,
            "failed": failures[:FAILED_ROWS],
            "failed_total": index.failed,
        }
        data = script_json(summary)
        fp.write(f'<script type="application/json" id="pf-summary">{data}</script>\n')
        for note in notes:
            fp.write(f'<p class="left-out">{_e(note)}</p>\n')
        fp.write(f"<script>{REPORT_JS}</script>\n</body>\n</html>\n")
    result.paths.append(path)
    result.papers = result.rows["papers"]
    result.notes = notes
    return result


def _left_out_notes(
    without_abstract: int, left_out: int, boards_left: int, failures: int, max_bytes: int
) -> list[str]:
    notes = []
    if without_abstract:
        notes.append(
            f"{without_abstract} papers are listed without their abstract and highlights "
            "(the report's size limit); the CSV, SQLite or Parquet export has them all."
        )
    if left_out:
        notes.append(
            f"{left_out} papers are left out of this report (over {max_bytes / 1e6:g} MB "
            "of data); the CSV, SQLite or Parquet export has them all."
        )
    if boards_left:
        notes.append(f"{boards_left} leaderboard entries are left out (over {BOARD_ENTRIES}).")
    if failures > FAILED_ROWS:
        notes.append(f"{failures - FAILED_ROWS} failed papers are not listed (see errors.jsonl).")
    return notes
