"""The HTML report: one self-contained file to read and compare a run's papers in a browser.

The page has an index table of papers, the comparison groups (values shared by
several papers, per field, with metric values) and, for each paper, its
abstract with every grounded evidence span highlighted in one colour per field
next to side notes listing the extracted items (name as written, canonical
value, metric value, dataset role, proposed method, claim kind). Hovering a
highlight shows the same details as a tooltip.

Overlapping spans are split into segments at every span boundary; a segment
covered by several items takes the colour of the most specific field
(datasets, metrics, methods, tasks, then claims), gets the ``multi`` class (a
dashed outline in that field's colour) and lists every item in its tooltip.
Spans that fall outside the abstract are ignored, and the note says so.

The file needs no network and runs no script: all text is escaped with
:func:`html.escape`, and a Content-Security-Policy meta tag allows only the
page's own inline stylesheet (by its sha256 hash) and no script at all.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import IO

from ..compare.index import FIELD_LABELS, Group, Mention, RunIndex
from ..io.atomic import replacing
from ..schemas import FIELD_NAMES, Record
from .result import ExportResult
from .rows import paper_url

__all__ = ["REPORT_CSS", "Note", "content_security_policy", "highlight_abstract", "write_report"]

# Later rules win, so a segment shared by several fields shows the most specific colour.
REPORT_CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; }
.f-tasks { --c: #cfe2ff; --u: #5b8fd9; } .f-methods { --c: #c9f2d0; --u: #3f9b55; }
.f-datasets { --c: #ffdca8; --u: #d08a1e; } .f-metrics { --c: #f8c8e4; --u: #c2478f; }
.f-claims { --c: #ebe3ff; --u: #7a52d6; }
* { box-sizing: border-box; }
body { font: 15px/1.6 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 1180px; padding: 24px; background: #fbfcfe; }
h1 { font-size: 1.6em; margin: 0 0 4px; } h2 { font-size: 1.25em; margin: 28px 0 8px; }
h3 { font-size: 1.05em; margin: 18px 0 6px; }
a { color: #0b57d0; } .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 0.92em; }
th, td { border: 1px solid var(--line); padding: 4px 7px; vertical-align: top; text-align: left; }
th { background: #eef1f6; } td.num { text-align: right; white-space: nowrap; }
.legend span, .tag, td.value { background: var(--c); }
.legend span { display: inline-block; padding: 1px 8px; margin: 2px 6px 2px 0; border-radius: 3px; }
mark { color: inherit; background: none; }
mark.hl { background: var(--c); border-radius: 2px; padding: 0 1px; }
mark.ev { border-bottom: 2px solid var(--u); }
mark.hl:hover, mark.ev:hover { filter: brightness(0.92); background: var(--c); }
mark.multi { outline: 1px dashed var(--u); outline-offset: 1px; }
article.paper { border-top: 2px solid var(--line); padding-top: 8px; margin-top: 26px; }
article.failed h2 { color: #9b1c1c; }
.paper-body { display: grid; grid-template-columns: 3fr 2fr; gap: 22px; }
@media (max-width: 860px) { .paper-body { grid-template-columns: 1fr; } }
.abstract { margin: 0; }
a.ref { font-size: 0.7em; vertical-align: super; text-decoration: none; margin-left: 1px;
  color: var(--u); }
ol.notes { margin: 0; padding-left: 1.8em; font-size: 0.9em; }
ol.notes li { margin-bottom: 5px; }
.tag { display: inline-block; font-size: 0.78em; padding: 0 6px; border-radius: 3px; }
q { color: var(--muted); font-style: italic; }
.error { color: #9b1c1c; } details { margin: 4px 0 14px; }
"""

_PRIORITY = {"datasets": 0, "metrics": 1, "methods": 2, "tasks": 3, "claims": 4}
_SINGULAR = {
    "tasks": "Task",
    "methods": "Method",
    "datasets": "Dataset",
    "metrics": "Metric",
    "claims": "Claim",
}


def content_security_policy() -> str:
    """The page's CSP: nothing from anywhere except its own stylesheet, no scripts."""
    digest = base64.b64encode(hashlib.sha256(REPORT_CSS.encode()).digest()).decode()
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; script-src 'none'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


@dataclass(frozen=True, slots=True)
class Note:
    """An extracted item numbered within its paper, for highlights and side notes."""

    number: int
    mention: Mention

    @property
    def span(self) -> tuple[int, int] | None:
        """The evidence span in the abstract, if grounded."""
        return self.mention.span

    def tooltip(self) -> str:
        """One line describing the item, for the highlight's tooltip."""
        m = self.mention
        parts = [f"{_SINGULAR[m.field]} {self.number}: {m.label()}"]
        if m.field != "claims" and m.name != m.canonical:
            parts.append(f"as written: {m.name}")
        if m.description:
            parts.append(m.description)
        return " | ".join(parts)


def _name_span(abstract: str, note: Note) -> tuple[int, int] | None:
    """Where the item's name occurs inside its evidence span: the record's, else searched."""
    span, name = note.span, note.mention.name
    if span is None or note.mention.field == "claims" or not name.strip():
        return None
    given = note.mention.name_span
    if given is not None and span[0] <= given[0] < given[1] <= span[1]:
        return given
    at = abstract.casefold().find(name.casefold(), span[0], span[1])
    if at < 0 or len(abstract.casefold()) != len(abstract):
        return None
    return at, at + len(name)


def highlight_abstract(abstract: str, notes: Iterable[Note], anchor: str) -> tuple[str, int]:
    """Return the abstract as escaped HTML with every valid span highlighted, and their count.

    Each item's name, where it occurs inside its evidence, gets its field's
    background (``mark.hl``); the rest of the evidence is underlined in the
    field's colour (``mark.ev``). Items whose name is not in the evidence, and
    claims, colour their whole evidence. Where items overlap, the most specific
    field (datasets, metrics, methods, tasks, claims) gives the colour, the
    segment gets the ``multi`` class (a dashed outline) and the tooltip lists
    them all. ``anchor`` prefixes element ids: ``<anchor>-i<N>`` marks where
    item N's evidence starts, ``<anchor>-n<N>`` is its side note.
    """
    valid = [n for n in notes if n.span is not None and 0 <= n.span[0] < n.span[1] <= len(abstract)]
    spans = {n.number: n.span for n in valid if n.span is not None}
    cores = {n.number: _name_span(abstract, n) or spans[n.number] for n in valid}
    bounds = sorted({0, len(abstract), *(b for s in (*spans.values(), *cores.values()) for b in s)})
    out: list[str] = []
    for start, end in pairwise(bounds):
        out.extend(
            f'<a id="{anchor}-i{n.number}"></a>' for n in valid if spans[n.number][0] == start
        )
        text = _e(abstract[start:end])
        covering = [n for n in valid if spans[n.number][0] <= start and end <= spans[n.number][1]]
        if covering:
            named = [
                n for n in covering if cores[n.number][0] <= start and end <= cores[n.number][1]
            ]
            lead = min(named or covering, key=lambda n: _PRIORITY[n.mention.field])
            classes = f"{'hl' if named else 'ev'} f-{lead.mention.field}"
            if len(covering) > 1:
                classes += " multi"
            tip = "\n".join(n.tooltip() for n in covering)
            text = f'<mark class="{classes}" title="{_e(tip)}">{text}</mark>'
        out.append(text)
        for note in valid:
            if cores[note.number][1] == end:
                field = note.mention.field
                out.append(
                    f'<a class="ref f-{field}" href="#{anchor}-n{note.number}">{note.number}</a>'
                )
    return "".join(out), len(valid)


def _note_html(note: Note, anchor: str, abstract_length: int) -> str:
    m = note.mention
    details = [f'<span class="tag f-{m.field}">{_e(_SINGULAR[m.field])}</span>']
    details.append(f"<b>{_e(m.name if m.field == 'claims' else m.canonical)}</b>")
    if m.field != "claims" and m.name != m.canonical:
        details.append(f'<span class="muted">(as written: {_e(m.name)})</span>')
    if m.field == "metrics" and m.value:
        details.append(f"= {_e(m.value)}")
    if m.field == "metrics" and m.dataset:
        details.append(f"on {_e(m.dataset)}")
    if m.field == "methods" and m.proposed:
        details.append("· proposed here")
    if m.description:
        details.append(f"· {_e(m.description)}")
    if m.field == "datasets" and m.role:
        details.append(f"· role: {_e(m.role)}")
    if m.field == "claims" and m.kind:
        details.append(f"· {_e(m.kind)}")
    span = m.span
    if span is not None and 0 <= span[0] < span[1] <= abstract_length:
        details.append(f'<a href="#{anchor}-i{note.number}">in abstract</a>')
    else:
        details.append(
            f'<br><q>{_e(m.evidence)}</q> <span class="error">(not found in abstract)</span>'
        )
    return f'<li id="{anchor}-n{note.number}" value="{note.number}">{" ".join(details)}</li>'


def _paper_link(paper_id: str) -> str:
    url = paper_url(paper_id)
    return f'<a href="{_e(url)}">{_e(paper_id)}</a>' if url else _e(paper_id)


def _write_head(fp: IO[str], index: RunIndex) -> None:
    title = f"paperfields report: {index.run_dir.name or index.records_path.name}"
    fp.write(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{REPORT_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{_e(title)}</h1>\n"
        f'<p class="muted">{len(index.papers)} papers, {index.failed} failed · '
        f"{_e(index.records_path)}</p>\n"
        '<p class="legend">'
        + "".join(f'<span class="f-{f}">{_e(FIELD_LABELS[f])}</span>' for f in FIELD_NAMES)
        + "</p>\n"
    )


def _write_index(fp: IO[str], index: RunIndex, numbers: dict[str, int]) -> None:
    counts = {p.id: dict.fromkeys(FIELD_NAMES, 0) for p in index.papers}
    for name in FIELD_NAMES:
        for mention in index.mentions(name):
            counts[mention.paper_id][name] += 1
    head = "".join(f"<th>{_e(FIELD_LABELS[f])}</th>" for f in FIELD_NAMES)
    fp.write(
        '<h2 id="index">Papers</h2>\n<table>\n<thead><tr><th>#</th><th>Title</th><th>Id</th>'
        f"<th>Status</th>{head}</tr></thead>\n<tbody>\n"
    )
    for paper in index.papers:
        n = numbers[paper.id]
        cells = "".join(f'<td class="num">{counts[paper.id][f]}</td>' for f in FIELD_NAMES)
        fp.write(
            f'<tr><td class="num">{n}</td><td><a href="#paper-{n}">'
            f"{_e(paper.title or '(untitled)')}</a></td><td>{_paper_link(paper.id)}</td>"
            f"<td>{_e(paper.status)}</td>{cells}</tr>\n"
        )
    fp.write("</tbody>\n</table>\n")


def _group_row(group: Group, numbers: dict[str, int]) -> str:
    papers = ", ".join(
        f'<a href="#paper-{numbers[pid]}">{numbers[pid]}</a>' for pid in group.papers
    )
    variants = "; ".join(_e(v) for v in group.variants[:8])
    if len(group.variants) > 8:
        variants += f" (+{len(group.variants) - 8} more)"
    row = (
        f'<tr><td class="value f-{group.field}">{_e(group.value)}</td>'
        f'<td class="num">{len(group.papers)}</td><td>{papers}</td><td>{variants}</td>'
    )
    if group.field == "metrics":
        values = [
            f"{numbers[m.paper_id]}: {_e(m.value)}" + (f" on {_e(m.dataset)}" if m.dataset else "")
            for m in group.mentions
            if m.value
        ]
        row += f"<td>{'<br>'.join(values)}</td>"
    return row + "</tr>\n"


def _write_groups(fp: IO[str], index: RunIndex, numbers: dict[str, int]) -> None:
    fp.write('<h2 id="groups">Comparison</h2>\n')
    for name in ("datasets", "metrics", "methods", "tasks"):
        groups = index.groups(name)
        shared = [g for g in groups if len(g.papers) > 1]
        single = [g for g in groups if len(g.papers) == 1]
        fp.write(f"<h3>{_e(FIELD_LABELS[name])}</h3>\n")
        if shared:
            extra = "<th>Values (paper: value)</th>" if name == "metrics" else ""
            fp.write(
                "<table>\n<thead><tr><th>Value</th><th>Papers</th><th>Which</th>"
                f"<th>Written as</th>{extra}</tr></thead>\n<tbody>\n"
            )
            fp.writelines(_group_row(g, numbers) for g in shared)
            fp.write("</tbody>\n</table>\n")
        else:
            fp.write('<p class="muted">No value is shared by two papers.</p>\n')
        if single:
            items = ", ".join(
                f'{_e(g.value)} (<a href="#paper-{numbers[g.papers[0]]}">'
                f"{numbers[g.papers[0]]}</a>)"
                for g in single
            )
            fp.write(
                f"<details><summary>{len(single)} values in one paper only</summary>"
                f"<p>{items}</p></details>\n"
            )


def _write_paper(fp: IO[str], record: Record, index: RunIndex, number: int) -> int:
    anchor = f"paper-{number}"
    chosen = index.paper_mentions(record.id)
    notes: list[Note] = []
    for name in FIELD_NAMES:
        notes.extend(Note(len(notes) + 1, m) for m in chosen[name])
    body, highlighted = highlight_abstract(record.abstract, notes, anchor)
    status = "" if record.status == "ok" else " failed"
    fp.write(
        f'<article class="paper{status}" id="{anchor}">\n'
        f"<h2>{number}. {_e(record.title or '(untitled)')}</h2>\n"
        f'<p class="muted">{_paper_link(record.id)} · {_e(record.status)} · '
        f"{_e(record.provenance.extractor)} · {highlighted} of {len(notes)} items highlighted"
        ' · <a href="#index">back to index</a></p>\n'
    )
    if record.error:
        fp.write(f'<p class="error">{_e(record.error)}</p>\n')
    if record.fields.summary:
        fp.write(f"<p><b>Summary:</b> {_e(record.fields.summary)}</p>\n")
    note_items = "\n".join(_note_html(n, anchor, len(record.abstract)) for n in notes)
    fp.write(
        f'<div class="paper-body">\n<p class="abstract">{body}</p>\n'
        f'<ol class="notes">\n{note_items}\n</ol>\n</div>\n</article>\n'
    )
    return highlighted


def write_report(index: RunIndex, path: Path) -> ExportResult:
    """Write the HTML report to ``path`` (replaced when it exists).

    Args:
        index: The indexed run.
        path: The ``.html`` file; its folder is created.

    Returns:
        The file written, the number of papers and of highlighted spans.
    """
    numbers = {paper.id: n for n, paper in enumerate(index.papers, 1)}
    result = ExportResult(format="html", rows={"papers": 0, "highlights": 0})
    with replacing(path) as tmp, open(tmp, "w", encoding="utf-8") as fp:
        _write_head(fp, index)
        _write_index(fp, index, numbers)
        _write_groups(fp, index, numbers)
        fp.write('<h2 id="abstracts">Abstracts</h2>\n')
        for record in index.iter_records():
            result.rows["highlights"] += _write_paper(fp, record, index, numbers[record.id])
            result.rows["papers"] += 1
        fp.write("</body>\n</html>\n")
    result.paths.append(path)
    result.papers = result.rows["papers"]
    return result
