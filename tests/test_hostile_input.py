"""Hostile input, every format: one bad record never stops the others, nothing crashes.

Each case builds a small file in the test (good papers mixed with truncated,
badly encoded, deeply nested, huge-number, huge-field and wrongly typed
records), runs ``paperfields run`` on it, and checks what the README's "Bad
input" section promises: no traceback, exit code 1 (some input was bad),
every good paper extracted, every bad record in ``errors.jsonl`` exactly once
at its own line. Whole-file problems (no papers at all) exit 2.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from paperfields.cli import main

DEEP = 100_000  # far past the JSON decoder's recursion limit
HUGE_INT = "7" * 5_000  # past Python's 4,300-digit conversion limit
LONG = 25_000  # over the default --max-abstract-chars (20,000)


def good_abstract(i: int) -> str:
    return (
        f"We propose GoodNet-{i}, a retrieval method for dense passage search. "
        f"GoodNet-{i} is trained on MS MARCO and evaluated on Natural Questions, where it "
        f"reaches {40 + i}.5% top-20 accuracy, improving over BM25 by {i + 3} points. "
        "The code and the trained models are released for research use."
    )


def good_title(i: int) -> str:
    return f"GoodNet-{i}: Dense Retrieval Number {i}"


@dataclass
class Case:
    """A file under construction: lines, the good titles in it, the lines of bad records."""

    suffix: str
    lines: list[bytes] = field(default_factory=list)
    good: list[str] = field(default_factory=list)
    bad: list[int] = field(default_factory=list)
    tail: bytes = b"\n"

    def add(self, line: str | bytes, *, good: int | None = None, bad: bool = False) -> None:
        self.lines.append(line.encode("utf-8") if isinstance(line, str) else line)
        if good is not None:
            self.good.append(good_title(good))
        if bad:
            self.bad.append(len(self.lines))

    def write(self, folder: Path) -> Path:
        path = folder / f"hostile{self.suffix}"
        path.write_bytes(b"\n".join(self.lines) + self.tail)
        return path


def obj(**values: object) -> str:
    return json.dumps(values)


def with_bad_bytes(line: str) -> bytes:
    """``line`` as UTF-8 with its ``@@`` marker turned into bytes that are not UTF-8."""
    return line.encode("utf-8").replace(b"@@", b"\xc3( \xff")


def jsonl_case() -> Case:
    case = Case(".jsonl")
    case.add('{"title": "Cut short", "abstract": "this line was trunc', bad=True)  # line 1
    case.add(obj(title=good_title(0), abstract=good_abstract(0)), good=0)
    case.add('{"title": "Lone", "abstract": "bad \\ud800 surrogate"}', bad=True)
    case.add(with_bad_bytes(obj(title=good_title(1), abstract=good_abstract(1) + " @@")), good=1)
    case.add(
        '{"title": "Deep", "abstract": "x", "extra": ' + "[" * DEEP + "]" * DEEP + "}", bad=True
    )
    case.add('{"title": "Huge", "abstract": "x", "n": ' + HUGE_INT + "}", bad=True)
    case.add(obj(title="Long", abstract="word " * (LONG // 5)), bad=True)
    case.add(obj(title=["not", "text"], abstract={"not": "text"}), bad=True)
    case.add("[1, 2, 3]", bad=True)
    case.add("null", bad=True)
    case.add(obj(title=good_title(2), abstract=good_abstract(2)), good=2)
    case.add('{"title": "Cut at the end", "abs', bad=True)
    case.tail = b""
    return case


def _array_case(suffix: str, wrap: Callable[[str], str]) -> Case:
    """A JSON array, one element per line; ``wrap`` turns a paper object into an element."""
    case = Case(suffix)
    case.add("[")
    case.add(wrap(obj(title=good_title(0), abstract=good_abstract(0))) + ",", good=0)
    case.add(
        wrap('{"title": "Lone", "summary": "bad \\udfff", "abstract": "bad \\udfff"}') + ",",
        bad=True,
    )
    case.add(
        wrap('{"title": "Deep", "abstract": "x", "e": ' + "[" * DEEP + "]" * DEEP + "}") + ",",
        bad=True,
    )
    case.add(HUGE_INT + ",", bad=True)
    case.add(
        with_bad_bytes(wrap(obj(title=good_title(1), abstract=good_abstract(1) + " @@")) + ","),
        good=1,
    )
    case.add(
        wrap(obj(title="Long", abstract="word " * (LONG // 5), summary="word " * (LONG // 5)))
        + ",",
        bad=True,
    )
    case.add('"just a string",', bad=True)
    case.add(wrap(obj(title=42, abstract=None, summary=[1])) + ",", bad=True)
    case.add(wrap(obj(title=good_title(2), abstract=good_abstract(2))) + ",", good=2)
    case.add(wrap('{"title": "Cut at the end", "abstract": "tru'), bad=True)
    case.tail = b""
    return case


def json_case() -> Case:
    return _array_case(".json", lambda paper: paper)


def hf_daily_case() -> Case:
    def wrap(paper: str) -> str:
        return '{"paper": ' + paper + ', "numComments": 0}'

    case = _array_case(".json", wrap)
    # A daily-papers element whose "paper" is not an object: read as a plain object, no abstract.
    case.lines.insert(2, b'{"paper": "not an object", "title": "Odd"},')
    case.bad = [n + 1 if n >= 3 else n for n in case.bad] + [3]
    return case


def _table_case(suffix: str, sep: str) -> Case:
    case = Case(suffix)
    case.add(sep.join(["id", "title", "abstract"]))
    case.add(sep.join(["p0", good_title(0), f'"{good_abstract(0)}"']), good=0)
    case.add(sep.join(["p-empty", "No abstract here", ""]), bad=True)
    case.add(sep.join([HUGE_INT, good_title(1), good_abstract(1)]).encode() + b" \xe9", good=1)
    case.add(sep.join(["p-long", "Long", "word " * (LONG // 5)]), bad=True)
    case.add(sep.join(["p-deep", good_title(2), "[" * 1000 + good_abstract(2)]), good=2)
    case.add(sep.join(["p-cut", "Cut at the end", '"']), bad=True)
    case.tail = b""
    return case


def csv_case() -> Case:
    return _table_case(".csv", ",")


def tsv_case() -> Case:
    return _table_case(".tsv", "\t")


def _entry(title: str, summary: str, arxiv: str) -> str:
    return (
        f"<entry><id>http://arxiv.org/abs/{arxiv}v1</id><title>{title}</title>"
        f"<summary>{summary}</summary></entry>"
    )


def arxiv_case() -> Case:
    case = Case(".xml")
    case.add('<feed xmlns="http://www.w3.org/2005/Atom">')
    case.add(_entry(good_title(0), good_abstract(0), "2401.00000"), good=0)
    case.add(_entry("Empty", "", "2401.00001"), bad=True)
    case.add(_entry(good_title(1), good_abstract(1), "2401.00002").encode() + b"\xff", good=1)
    deep = "<i>" * 5_000 + good_abstract(2) + "</i>" * 5_000
    case.add(_entry(good_title(2), deep, "2401.00003"), good=2)
    case.add(_entry("Long", "word " * (LONG // 5), "2401.00004"), bad=True)
    case.add(_entry(good_title(3), good_abstract(3) + " " + HUGE_INT, "2401.00005"), good=3)
    case.add("<entry><id>http://arxiv.org/abs/2401.00006v1</id><title>Cut</title><summ", bad=True)
    case.tail = b""
    return case


def hf_page_case() -> Case:
    case = Case(".txt")
    case.add(b"Daily Papers\r")  # CRLF line ends mixed with LF ones
    case.add(b"by AK and the research community\r")
    for i in range(3):
        case.add("")
        case.add(good_title(i), good=i)
        case.add("")
        case.add(good_abstract(i) + " " + good_abstract(i))  # one line, 200+ characters
    case.add("")
    case.add("An Overlong Paper", bad=True)  # an abstract's error names its title's line
    case.add("")
    case.add("word " * (LONG // 5))
    case.add(b"")
    case.add(b"Bad Bytes Paper")
    case.add(good_abstract(4).encode() + b" \xff\xfe " + good_abstract(4).encode())
    case.good.append("Bad Bytes Paper")
    return case


CASES: dict[str, Callable[[], Case]] = {
    "jsonl": jsonl_case,
    "json": json_case,
    "hf-daily": hf_daily_case,
    "csv": csv_case,
    "tsv": tsv_case,
    "arxiv": arxiv_case,
    "hf-page": hf_page_case,
}


def run_cli(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    output = result.output
    assert "Traceback" not in output, output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, output


@pytest.mark.parametrize("fmt", sorted(CASES))
def test_bad_records_go_to_errors_once_and_good_papers_finish(fmt: str, tmp_path: Path) -> None:
    case = CASES[fmt]()
    path = case.write(tmp_path)
    out = tmp_path / "run"
    code, output = run_cli(["run", str(path), "-o", str(out), "--offline", "--no-progress"])
    assert code == 1, output
    records = [json.loads(line) for line in (out / "records.jsonl").read_text().splitlines()]
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert sorted(r["title"] for r in records) == sorted(case.good)
    assert sorted(e["source"]["line"] for e in errors) == sorted(case.bad), errors
    assert all(e["reason"].startswith(f"{path}:{e['source']['line']}: ") for e in errors)
    assert all(e["stage"] == "ingest" for e in errors)
    run_json = json.loads((out / "run.json").read_text())
    assert run_json["counts"]["this_run"]["ingest_errors"] == len(case.bad)
    # A rerun of the same command keeps every record once and reports the same bad input.
    again, _ = run_cli(["run", str(path), "-o", str(out), "--offline", "--no-progress"])
    assert again == 1
    assert len((out / "records.jsonl").read_text().splitlines()) == len(case.good)
    assert len((out / "errors.jsonl").read_text().splitlines()) == len(case.bad)


def test_bad_first_line_of_jsonl_is_read_like_a_bad_second_line(tmp_path: Path) -> None:
    good = [obj(title=good_title(i), abstract=good_abstract(i)) for i in range(10)]
    for position in (0, 1):
        lines = list(good)
        lines.insert(position, '{"title": "broken", "abstract": ')
        for suffix in (".jsonl", ".json", ".ndjson", ""):
            path = tmp_path / f"first{position}{suffix}"
            path.write_text("\n".join(lines) + "\n")
            out = tmp_path / f"run{position}{suffix}"
            code, output = run_cli(["run", str(path), "-o", str(out), "--offline"])
            assert code == 1, (suffix, output)
            assert len((out / "records.jsonl").read_text().splitlines()) == 10, suffix
            errors = (out / "errors.jsonl").read_text().splitlines()
            assert [json.loads(e)["source"]["line"] for e in errors] == [position + 1]


def test_cr_only_line_ends_give_every_paper(tmp_path: Path) -> None:
    lines = [obj(title=good_title(i), abstract=good_abstract(i)) for i in range(3)]
    path = tmp_path / "mac.jsonl"
    path.write_bytes("\r".join(lines).encode() + b"\r")
    page = tmp_path / "mac-page.txt"
    page.write_bytes(
        "\r\r".join(
            f"{good_title(i)}\r{good_abstract(i)} {good_abstract(i)}" for i in range(3)
        ).encode()
    )
    table = tmp_path / "mac.csv"
    table.write_bytes(
        (
            "title,abstract\r"
            + "\r".join(f'{good_title(i)},"{good_abstract(i)}"' for i in range(3))
        ).encode()
    )
    for source in (path, page, table):
        out = tmp_path / f"run-{source.name}"
        code, output = run_cli(["run", str(source), "-o", str(out), "--offline"])
        assert code == 0, output
        assert len((out / "records.jsonl").read_text().splitlines()) == 3, source


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        (
            "notes.txt",
            b"Some prose about papers.\nIt is not a list of abstracts.\n",
            "formats tried",
        ),
        ("ids.txt", b"2403.12345\n2401.00001v2\nhep-th/9901001\n", "formats tried"),
        (
            "wrapped.txt",
            ("A Paper Title\n\n" + "\n".join([good_abstract(1)[:70]] * 6)).encode(),
            "hard-wrapped",
        ),
        ("empty.json", b"[]", "no papers found"),
        ("header.csv", b"title,abstract\n", "no papers found"),
        ("short.txt", b"Title\n" + good_abstract(1)[:150].encode(), "hard-wrapped"),
        ("wide.jsonl", obj(title="T", abstract=good_abstract(1)).encode("utf-16-le"), "NUL"),
        ("blob.csv", b"title,abstract\n\x00\x01\x02\x03", "NUL"),
    ],
)
def test_a_file_without_papers_is_exit_2_and_leaves_no_run_folder(
    tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "run"
    code, output = run_cli(["run", str(path), "-o", str(out), "--offline"])
    assert code == 2, output
    assert output.startswith("paperfields: error: ") and output.count("\n") == 1, output
    assert str(path) in output and words in output
    assert not out.exists()
    code, output = run_cli(["ingest", str(path), "-o", str(out)])
    assert code == 2 and words in output and not out.exists()


def test_forced_page_format_on_a_wrapped_page_says_why(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.dat"
    path.write_text("A Paper Title\n\n" + "\n".join([good_abstract(1)[:70]] * 6))
    code, output = run_cli(["run", str(path), "--format", "hf-page", "-o", str(tmp_path / "r")])
    assert code == 2 and "hard-wrapped" in output
