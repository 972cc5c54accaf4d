"""Resume trusts only records that validate; reordered inputs redo nothing, conflict nowhere.

A hand-edited or damaged ``records.jsonl`` (an unknown status, fields that are
not an object, a line torn in the middle, plain garbage) is not counted as
done: those lines move, byte for byte, to ``rejected.jsonl``, their papers are
extracted again, and the run says so (summary line and ``run.json``). A
finished run whose inputs are reordered, with two papers sharing one title
(so their slug ids swap), finds both done by their text.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from paperfields.cli import main
from paperfields.schemas import Record

PAGE = Path(__file__).resolve().parent.parent / "examples" / "hf-papers-page.txt"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--offline", "--no-progress"])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_records_that_do_not_validate_are_moved_aside_redone_and_reported(tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert run("run", str(PAGE), "-o", str(out))[0] == 0
    path = out / "records.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    weird = json.loads(lines[4])
    weird["status"] = "weird"
    not_fields = json.loads(lines[9])
    not_fields["fields"] = "x"
    no_provenance = json.loads(lines[30])
    del no_provenance["provenance"]
    bad = {
        4: json.dumps(weird),
        9: json.dumps(not_fields),
        20: lines[20][: len(lines[20]) // 2],  # torn in the middle of the file
        30: json.dumps(no_provenance),
        40: "garbage, not JSON",
    }
    damaged_ids = {json.loads(lines[n])["id"] for n in bad}
    for number, text in bad.items():
        lines[number] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    code, output = run("run", str(PAGE), "-o", str(out))
    assert code == 0, output
    assert "5 papers extracted" in output and "58 already done" in output
    assert "5 invalid record lines moved to rejected.jsonl" in output
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["counts"]["this_run"]["invalid_records"] == 5
    rejected = (out / "rejected.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(rejected) == sorted(bad.values())  # kept as they were, not deleted
    records = [Record.model_validate_json(line) for line in path.read_text().splitlines()]
    ids = [r.id for r in records]
    assert len(ids) == len(set(ids)) == 63 and damaged_ids <= set(ids)
    assert all(r.status == "ok" for r in records)
    # compare and export see every paper, none skipped with a warning
    code, output = run_export(out, tmp_path / "papers.csv")
    assert code == 0 and "warning" not in output

    code, output = run("run", str(PAGE), "-o", str(out))  # clean now: nothing moves again
    assert code == 0 and "63 already done" in output and "invalid" not in output


def run_export(out: Path, target: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["export", str(out), "--format", "csv", "-o", str(target)])
    papers = (target / "papers.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(papers) == 64, len(papers)  # header + 63
    return result.exit_code, result.output


def test_reordered_inputs_with_two_same_title_papers_redo_and_conflict_with_nothing(
    tmp_path: Path,
) -> None:
    a = {"title": "Same Title", "abstract": "We propose AlphaNet for image classification. " * 3}
    b = {"title": "Same Title", "abstract": "We propose BetaNet for speech recognition. " * 3}
    c = {"title": "Other", "abstract": "We study GammaNet for parsing the Penn Treebank. " * 3}
    first = tmp_path / "first.jsonl"
    first.write_text("\n".join(json.dumps(p) for p in (a, b, c)) + "\n")
    second = tmp_path / "second.jsonl"
    second.write_text("\n".join(json.dumps(p) for p in (c, b, a)) + "\n")
    out = tmp_path / "run"
    assert run("run", str(first), "-o", str(out))[0] == 0
    code, output = run("run", str(second), "-o", str(out))
    assert code == 0, output
    assert "0 papers extracted" in output and "3 already done" in output
    assert not (out / "errors.jsonl").read_text()
    assert len((out / "records.jsonl").read_text().splitlines()) == 3


def test_extract_reports_damaged_lines_of_papers_jsonl_once_and_does_the_rest(
    tmp_path: Path,
) -> None:
    out = tmp_path / "run"
    assert CliRunner().invoke(main, ["ingest", str(PAGE), "-o", str(out)]).exit_code == 0
    path = out / "papers.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3][:50]  # torn
    lines[5] = '{"id": 5}'  # not a paper
    lines[7] = '{"id": "x", "title": "t", "abstract": "\\ud800"}'  # not valid Unicode
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for _ in range(2):  # a rerun reports the same lines again, once each
        code, output = run("extract", str(out))
        assert code == 1, output
        assert "60 ok" in output or "60 already done" in output, output
        errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
        assert [e["source"]["line"] for e in errors] == [4, 6, 8]
        assert {e["error_type"] for e in errors} == {"InvalidPaper"}
