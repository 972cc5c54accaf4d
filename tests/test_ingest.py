"""Tests of the ingest stage: each input format, detection, cleaning, ids, duplicates, bad input."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import paperfields.ingest.source as source_module
import pytest
from paperfields.errors import ConfigError, InputError, UnknownFormatError
from paperfields.ingest import FORMATS, IngestReport, detect_format, iter_papers
from paperfields.ingest.ids import is_arxiv_id
from paperfields.schemas import ErrorEntry, Paper

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
EXAMPLE_PAGE = Path(__file__).resolve().parent.parent / "examples" / "hf-papers-page.txt"
EVAL_GOLD = Path(__file__).resolve().parents[1] / "examples" / "eval" / "scirex-abstracts-dev.jsonl"

PAGE_HEADER = {
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "byAK and the research community",
    "Mar 14",
}
ABSTRACT = (
    "We study how retrieval quality affects downstream question answering. We train a "
    "dual encoder on Natural Questions and evaluate it on TriviaQA and WebQuestions, where it "
    "improves top-20 accuracy by 9 points over BM25 while using a tenth of the index memory."
)


def collect(
    paths: Sequence[Path], **options: Any
) -> tuple[list[Paper], list[ErrorEntry], IngestReport]:
    report = options.pop("report", None) or IngestReport()
    papers: list[Paper] = []
    errors: list[ErrorEntry] = []
    for item in iter_papers(paths, report=report, **options):
        if isinstance(item, Paper):
            papers.append(item)
        else:
            errors.append(item)
    return papers, errors, report


def write_jsonl(path: Path, rows: Iterable[dict[str, Any] | str]) -> Path:
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- Hugging Face papers page ---------------------------------------------------------


def test_example_page_gives_63_papers_with_exact_titles() -> None:
    papers, errors, report = collect([EXAMPLE_PAGE])
    titles = [p.title for p in papers]
    assert len(papers) == 63 and errors == []
    assert titles[0] == "CFG++: Manifold-constrained Classifier Free Guidance for Diffusion Models"
    assert titles[1] == "Making Large Language Models Better Reasoners with Alignment"
    assert titles[10] == "Compress & Align: Curating Image-Text Data with Human Knowledge"
    assert titles[25] == (
        "Pre-train, Prompt, and Predict: A Systematic Survey of Prompting Methods in "
        "Natural Language Processing"
    )
    assert titles[34] == (
        "Tomayto, Tomahto. Beyond Token-level Answer Equivalence for Question Answering Evaluation"
    )
    assert titles[43] == "Pixel Sentence Representation Learning"
    assert titles[58] == "Don't Stop Pretraining? Make Prompt-based Fine-tuning Powerful Learner"
    assert titles[-1] == (
        "NV-Embed: Improved Techniques for Training LLMs as Generalist Embedding Models"
    )
    assert not PAGE_HEADER & set(titles)
    assert papers[0].abstract.startswith("Classifier-free guidance (CFG) is a fundamental tool")
    assert papers[0].abstract.endswith("Project Page: https://cfgpp-diffusion.github.io/.")
    assert all(len(p.abstract) > 1000 for p in papers)
    assert len({p.id for p in papers}) == 63
    assert papers[0].source is not None and papers[0].source.line == 11
    assert report.inputs[0].format == "hf-page" and report.warnings_total == 0


def _page_variants(tmp_path: Path) -> list[Path]:
    text = EXAMPLE_PAGE.read_text(encoding="utf-8")
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    loose = tmp_path / "loose.txt"
    loose.write_text(
        "\n\n".join(line + "  \t" for line in text.split("\n")).replace("\n\n\n", "\n \n\n"),
        encoding="utf-8",
    )
    headless = tmp_path / "headless.txt"
    headless.write_text(text.split("Mar 14\n", 1)[1], encoding="utf-8")
    tight = tmp_path / "tight.txt"  # no blank lines at all, BOM at the start
    tight.write_text(
        "\ufeff" + "\n".join(line for line in text.split("\n") if line.strip()), encoding="utf-8"
    )
    return [crlf, loose, headless, tight]


def test_page_variants_give_the_same_papers(tmp_path: Path) -> None:
    expected, _, _ = collect([EXAMPLE_PAGE])
    for variant in _page_variants(tmp_path):
        papers, errors, _ = collect([variant])
        assert [p.title for p in papers] == [p.title for p in expected], variant.name
        assert [p.abstract for p in papers] == [p.abstract for p in expected], variant.name
        assert [p.id for p in papers] == [p.id for p in expected], variant.name
        assert errors == []


def test_page_with_upvotes_submitters_and_author_lines() -> None:
    papers, errors, report = collect([FIXTURES / "hf-page-variant.txt"])
    assert [p.title for p in papers] == [
        "MM1: Methods, Analysis & Insights from Multimodal LLM Pre-training",
        "Quiet-STaR: Language Models Can Teach Themselves to Think Before Speaking",
        "Simple and Scalable Strategies to Continually Pre-train Large Language Models",
    ]
    assert papers[0].authors == ["Brandon McKinzie", "Zhe Gan", "Jean-Philippe Fauconnier"]
    assert papers[1].authors == ["Eric Zelikman", "Georges Harik"]
    # A two-line abstract paragraph is joined into one abstract.
    assert "internet text." not in papers[1].abstract[:300]
    assert papers[1].abstract.endswith("the number of thinking tokens used for each token.")
    assert errors == [] and report.warnings_total == 0


def test_page_abstract_without_title_is_kept_with_warning(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(f"{ABSTRACT}\n\nA Second Paper on Retrieval\n\n{ABSTRACT} Also more.\n")
    papers, _, report = collect([page])
    assert [p.title for p in papers] == ["", "A Second Paper on Retrieval"]
    assert report.warnings == [f"{page}:1: no title; the paper is kept with an empty title"]


# --- the other formats --------------------------------------------------------------------


def test_jsonl_fixture() -> None:
    papers, errors, _ = collect([FIXTURES / "papers.jsonl"])
    assert errors == []
    assert [p.id for p in papers] == [
        "1706.03762",
        "1810.04805",  # from "arXiv:1810.04805v2"
        "2106.09685",  # from the /pdf/ url
        "chain-of-thought-prompting-elicits-reasoning-in-large",
    ]
    bert = papers[1]
    assert bert.abstract.startswith("We introduce a new language representation model")  # summary
    assert bert.authors == ["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"]
    assert (
        papers[0].published == "2017-06-12" and papers[0].url == "https://arxiv.org/abs/1706.03762"
    )
    assert papers[3].authors == ["Jason Wei", "Xuezhi Wang", "Dale Schuurmans"]
    assert [p.source.line for p in papers if p.source] == [1, 2, 3, 4]


def test_json_fixture() -> None:
    papers, errors, _ = collect([FIXTURES / "papers.json"])
    assert errors == []
    assert [p.id for p in papers] == [
        "2305.18290",
        "2312.00752",
        "deep-residual-learning-for-image-recognition",
    ]
    assert papers[2].authors == ["Kaiming He", "Xiangyu Zhang"]
    assert [p.source.line for p in papers if p.source] == [2, 9, 15]


def test_csv_fixture_with_multiline_field() -> None:
    papers, errors, _ = collect([FIXTURES / "papers.csv"])
    assert errors == []
    assert [p.id for p in papers] == [
        "1907.11692",
        "language-models-are-few-shot-learners",
        "2210.03629",
    ]
    assert "approaches. Specifically, we train GPT-3" in papers[1].abstract
    assert papers[0].authors == ["Yinhan Liu", "Myle Ott", "Naman Goyal"]
    assert papers[1].published == "2020-05-28" and papers[1].url is None
    assert [p.source.line for p in papers if p.source] == [2, 3, 5]


def test_tsv_fixture_with_summary_column() -> None:
    papers, errors, _ = collect([FIXTURES / "papers.tsv"])
    assert errors == []
    assert [p.id for p in papers] == [
        "2005.11401",
        "2307.09288",
        "scaling-laws-for-neural-language-models",
    ]
    assert papers[0].authors == ["Patrick Lewis", "Ethan Perez", "Aleksandra Piktus"]


def test_arxiv_atom_fixture_keeps_arxiv_ids() -> None:
    papers, errors, _ = collect([FIXTURES / "arxiv-feed.xml"])
    assert errors == []
    assert [p.id for p in papers] == ["2004.04906", "2112.09118", "hep-th/9711200"]
    dpr = papers[0]
    assert dpr.title == "Dense Passage Retrieval for Open-Domain Question Answering"
    assert dpr.url == "http://arxiv.org/abs/2004.04906v3"
    assert dpr.authors == ["Vladimir Karpukhin", "Barlas Oğuz", "Sewon Min"]
    assert dpr.published == "2020-04-10T17:44:48Z"
    assert dpr.abstract.startswith("Open-domain question answering relies on efficient passage")
    assert "\n" not in dpr.abstract and "  " not in dpr.abstract
    assert "Recall@100 < 1 regime." in papers[1].abstract  # XML escapes decoded, math kept
    assert [p.source.line for p in papers if p.source] == [10, 40, 65]


def test_hf_daily_fixture_keeps_arxiv_ids() -> None:
    papers, errors, _ = collect([FIXTURES / "hf-daily.json"])
    assert errors == []
    assert [p.id for p in papers] == ["2403.09611", "2403.09629", "2403.08763"]
    assert papers[0].title == "MM1: Methods, Analysis & Insights from Multimodal LLM Pre-training"
    assert papers[0].authors == ["Brandon McKinzie", "Zhe Gan", "Jean-Philippe Fauconnier"]
    assert papers[0].url == "https://arxiv.org/abs/2403.09611"
    assert papers[1].published == "2024-03-14T17:58:16.000Z"


def test_eval_gold_file_keeps_its_137_ids_and_texts() -> None:
    rows = [json.loads(line) for line in EVAL_GOLD.read_text(encoding="utf-8").splitlines()]
    papers, errors, report = collect([EVAL_GOLD])
    assert errors == [] and len(papers) == 137
    assert [p.id for p in papers] == [row["id"] for row in rows]
    assert [(p.title, p.abstract) for p in papers] == [(r["title"], r["abstract"]) for r in rows]
    assert sum(p.title == "" for p in papers) == 6 and report.warnings_total == 6


def test_jsonl_of_150_abstracts_gives_150_papers(tmp_path: Path) -> None:
    rows = [
        {"title": f"Sparse Routing for Mixture-of-Experts Models, Part {i}", "abstract": ABSTRACT}
        for i in range(150)
    ]
    papers, errors, _ = collect([write_jsonl(tmp_path / "many.jsonl", rows)])
    assert len(papers) == 150 and errors == []
    assert len({p.id for p in papers}) == 150


# --- detection and forcing ------------------------------------------------------------------

FIXTURE_FORMATS = {
    "papers.jsonl": "jsonl",
    "papers.json": "json",
    "papers.csv": "csv",
    "papers.tsv": "tsv",
    "arxiv-feed.xml": "arxiv",
    "hf-daily.json": "hf-daily",
    "hf-page-variant.txt": "hf-page",
}


@pytest.mark.parametrize(("name", "expected"), sorted(FIXTURE_FORMATS.items()))
def test_detect_by_extension_and_by_content(tmp_path: Path, name: str, expected: str) -> None:
    assert detect_format(FIXTURES / name) == expected
    bare = tmp_path / "input"  # no extension: decided by sniffing
    shutil.copy(FIXTURES / name, bare)
    assert detect_format(bare) == expected
    assert expected in FORMATS


def test_detect_example_page_and_jsonl_saved_as_txt(tmp_path: Path) -> None:
    assert detect_format(EXAMPLE_PAGE) == "hf-page"
    saved = tmp_path / "papers.txt"
    shutil.copy(FIXTURES / "papers.jsonl", saved)
    assert detect_format(saved) == "jsonl"


def test_unknown_format_names_file_and_lists_formats(tmp_path: Path) -> None:
    for name, data in (("blob.bin", b"\x00\x01\x02binary"), ("notes.dat", b"just a note\n")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(UnknownFormatError) as info:
            iter_papers([path])
        assert str(path) in str(info.value)
        assert all(fmt in str(info.value) for fmt in FORMATS)


def test_forced_format(tmp_path: Path) -> None:
    odd = tmp_path / "page.dat"
    odd.write_text("Some Header\n\nA Paper on Dense Retrieval\n\n" + ABSTRACT + "\n")
    papers, _, report = collect([odd], format="hf-page")
    assert [p.title for p in papers] == ["A Paper on Dense Retrieval"]
    assert report.inputs[0].format == "hf-page"
    # Forcing a wrong format reads the records the wrong way: no abstract at the top level.
    _, errors, _ = collect([FIXTURES / "hf-daily.json"], format="json")
    assert [e.error_type for e in errors] == ["NoAbstract"] * 3
    with pytest.raises(ConfigError, match="hf-page"):
        iter_papers([odd], format="pdf")


# --- ids and duplicates -----------------------------------------------------------------------


def test_slug_ids_and_collision_suffixes(tmp_path: Path) -> None:
    title = "Attention Is All You Need"
    rows = [
        {"title": title, "abstract": ABSTRACT},
        {"title": title, "abstract": ABSTRACT + " A second study."},
        {"title": f"<b>{title}</b>", "abstract": ABSTRACT + " A third study."},
        {"title": "", "abstract": ABSTRACT},
        {"title": "日本語のタイトル", "abstract": ABSTRACT + " Fourth."},
        {"title": "Über Résumé: Ångström-Scale " + "Modelling " * 10, "abstract": ABSTRACT},
    ]
    path = write_jsonl(tmp_path / "slugs.jsonl", rows)
    papers, errors, _ = collect([path])
    digest = hashlib.sha256(ABSTRACT.encode()).hexdigest()[:10]
    digest4 = hashlib.sha256((ABSTRACT + " Fourth.").encode()).hexdigest()[:10]
    assert [p.id for p in papers] == [
        "attention-is-all-you-need",
        "attention-is-all-you-need-2",
        "attention-is-all-you-need-3",
        f"paper-{digest}",
        f"paper-{digest4}",
        "uber-resume-angstrom-scale-modelling-modelling-modelling",
    ]
    assert len(papers[-1].id) <= 60 and errors == []
    # Same inputs, same ids, every time.
    assert [p.id for p in collect([path])[0]] == [p.id for p in papers]


def test_duplicates_are_reported_and_kept_once(tmp_path: Path) -> None:
    first = FIXTURES / "papers.jsonl"
    copy = tmp_path / "copy.json"  # the same papers as a JSON array, without ids
    rows = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    copy.write_text(
        json.dumps([{k: r.get(k) for k in ("title", "abstract", "summary")} for r in rows])
    )
    messages: list[str] = []
    report = IngestReport(on_warning=messages.append)
    papers, errors, report = collect([first, copy, first], report=report)
    assert len(papers) == 4 and errors == []
    assert report.duplicates == 8 and len(report.duplicate_messages) == 8
    assert (
        report.duplicate_messages[0] == f"{copy}:1: duplicate of 1706.03762 ({first}:1); kept once"
    )
    assert report.inputs[1].duplicates == 4 and report.inputs[1].papers == 0
    assert messages == report.warnings


def test_same_id_with_different_content_is_an_error(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "ids.jsonl",
        [
            {"id": "2403.12345v1", "title": "A First Paper", "abstract": ABSTRACT},
            {"id": "https://arxiv.org/abs/2403.12345v2", "title": "Another", "abstract": ABSTRACT},
            {"id": "my-paper", "title": "Another", "abstract": ABSTRACT + " More."},
            {"id": "my-paper", "title": "Yet Another", "abstract": ABSTRACT + " Other."},
        ],
    )
    papers, errors, _ = collect([path])
    assert [p.id for p in papers] == ["2403.12345", "my-paper"]
    assert [(e.error_type, e.id) for e in errors] == [
        ("DuplicateId", "2403.12345"),
        ("DuplicateId", "my-paper"),
    ]
    assert errors[0].reason.startswith(f"{path}:2: id 2403.12345 is already used")
    assert f"{path}:1" in errors[0].reason and f"{path}:3" in errors[1].reason


# --- bad input ------------------------------------------------------------------------------


def test_unreadable_inputs_raise_at_call_time(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    good = FIXTURES / "papers.jsonl"
    utf16 = tmp_path / "wide.csv"
    utf16.write_bytes("title,abstract\nA,B\n".encode("utf-16"))
    cases = [
        (tmp_path / "missing.jsonl", "no such file"),
        (empty, "empty"),
        (tmp_path, "directory"),
        (utf16, "UTF-16"),
    ]
    for path, words in cases:
        with pytest.raises(InputError, match=words) as info:
            iter_papers([good, path])  # the good file first: nothing is yielded before the check
        assert str(path) in str(info.value)
        with pytest.raises(InputError, match=words):
            iter_papers([path], format="jsonl")


def test_structurally_broken_files(tmp_path: Path) -> None:
    cases = {
        "scalar.json": ('"just a string"', "expected a JSON array"),
        "broken.json": ('[{"title": "x", "abstract": ', "invalid JSON"),
        "rss.xml": ('<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', "not an Atom"),
        "cols.csv": ("name,text\nA,B\n", "no 'abstract'"),
        "ws.json": (" \n\n ", "expected a JSON array"),
    }
    for name, (text, words) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=words) as info:
            list(iter_papers([path]))
        assert str(path) in str(info.value)


def test_break_after_some_records_keeps_them_and_goes_on(tmp_path: Path) -> None:
    feed = (FIXTURES / "arxiv-feed.xml").read_text(encoding="utf-8")
    cut = tmp_path / "cut.xml"
    cut.write_text(feed[: feed.index("<entry>", feed.index("</entry>"))] + "<entry><id>oops</feed>")
    papers, errors, report = collect([cut, FIXTURES / "papers.tsv"])
    assert [p.id for p in papers[:1]] == ["2004.04906"] and len(papers) == 4
    assert [e.error_type for e in errors] == ["MalformedInput"]
    assert errors[0].reason.startswith(f"{cut}:") and "stopped reading" in errors[0].reason
    assert report.inputs[0].errors == 1 and report.inputs[1].papers == 3


def test_arxiv_api_error_entry(tmp_path: Path) -> None:
    feed = tmp_path / "error.xml"
    feed.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        "<id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id><title>Error</title>"
        "<summary>incorrect id format for 1234</summary></entry></feed>"
    )
    _, errors, _ = collect([feed])
    assert [e.error_type for e in errors] == ["ArxivApiError"]
    assert "incorrect id format for 1234" in errors[0].reason


def test_no_abstract_and_no_title(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "gaps.jsonl",
        [
            {"id": "2401.00001", "title": "A Paper Without Abstract"},
            {"title": "Whitespace Only", "abstract": "  \n\t "},
            {"title": None, "abstract": ABSTRACT},
            {"title": "Fine", "abstract": ABSTRACT + " Fine."},
        ],
    )
    papers, errors, report = collect([path])
    assert [(e.error_type, e.id, e.title) for e in errors] == [
        ("NoAbstract", "2401.00001", "A Paper Without Abstract"),
        ("NoAbstract", None, "Whitespace Only"),
    ]
    assert errors[0].reason == f"{path}:1: no abstract"
    assert errors[0].source is not None and errors[0].source.line == 1
    assert [p.title for p in papers] == ["", "Fine"]
    assert report.warnings == [f"{path}:3: no title; the paper is kept with an empty title"]


def test_non_utf8_bytes_are_replaced_with_a_warning(tmp_path: Path) -> None:
    line1 = json.dumps({"title": "Fine", "abstract": ABSTRACT}).encode()
    line2 = json.dumps({"title": "Caf_ Study", "abstract": ABSTRACT + " x"}).encode()
    path = tmp_path / "latin.jsonl"
    path.write_bytes(line1 + b"\n" + line2.replace(b"Caf_", b"Caf\xe9") + b"\n")
    papers, errors, report = collect([path])
    assert errors == [] and [p.title for p in papers] == ["Fine", "Caf\ufffd Study"]
    assert report.warnings == [f"{path}:2: invalid UTF-8 bytes replaced with U+FFFD"]


def test_non_utf8_in_a_json_array_read_in_small_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source_module, "READ_CHUNK_BYTES", 5)
    items = [
        {"title": f"Paper {i} on Retrieval", "abstract": ABSTRACT + f" é{i}"} for i in range(3)
    ]
    data = json.dumps(items, indent=1, ensure_ascii=False).encode("utf-8")
    path = tmp_path / "mixed.json"
    path.write_bytes(data.replace(b"Paper 1", b"Paper \xff"))
    papers, errors, report = collect([path])
    assert errors == [] and [p.title for p in papers][1] == "Paper \ufffd on Retrieval"
    assert papers[2].abstract.endswith(" é2")
    bad_line = data[: data.index(b"Paper 1")].count(b"\n") + 1
    assert report.warnings == [f"{path}:{bad_line}: invalid UTF-8 bytes replaced with U+FFFD"]


def test_html_is_stripped_with_a_warning_and_math_kept(tmp_path: Path) -> None:
    abstract = (
        "We show that a < b and p<0.05 hold for <i>E. coli</i> growth in H<sub>2</sub>O."
        "<script>alert(1)</script> Results&nbsp;improve by 3&#37; on R&amp;D data; A&notation."
    )
    path = write_jsonl(
        tmp_path / "html.jsonl", [{"title": "<b>Bold</b> Claims", "abstract": abstract}]
    )
    papers, _, report = collect([path])
    assert papers[0].title == "Bold Claims"
    assert papers[0].abstract == (
        "We show that a < b and p<0.05 hold for E. coli growth in H2O. alert(1) "
        "Results improve by 3% on R&D data; A&notation."
    )
    assert report.warnings == [
        f"{path}:1: removed HTML tags from the title",
        f"{path}:1: removed HTML tags from the abstract",
    ]


def test_overlong_abstract_is_an_error_naming_the_flag(tmp_path: Path) -> None:
    huge = "word " * 40_000  # 200,000 characters
    jsonl = write_jsonl(tmp_path / "huge.jsonl", [{"title": "Huge", "abstract": huge}])
    csv_path = tmp_path / "huge.csv"
    csv_path.write_text(f'title,abstract\nHuge,"{huge}"\nSmall,"{ABSTRACT}"\n')
    for path in (jsonl, csv_path):
        papers, errors, _ = collect([path])
        assert [e.error_type for e in errors] == ["AbstractTooLong"]
        assert "20,000" in errors[0].reason and "--max-abstract-chars" in errors[0].reason
        assert errors[0].reason.startswith(f"{path}:2:" if path == csv_path else f"{path}:1:")
    papers, errors, _ = collect([jsonl], max_abstract_chars=250_000)
    assert errors == [] and len(papers[0].abstract) == 199_999
    with pytest.raises(ConfigError):
        iter_papers([jsonl], max_abstract_chars=0)


def test_jsonl_empty_and_invalid_lines(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "rough.jsonl",
        [
            {"title": "First", "abstract": ABSTRACT},
            "",
            '{"title": "Broken", "abstract": ',
            "[1, 2]",
            {"title": "Last", "abstract": ABSTRACT + " Last."},
        ],
    )
    papers, errors, report = collect([path])
    assert [p.title for p in papers] == ["First", "Last"]
    assert [p.source.line for p in papers if p.source] == [1, 5]
    assert [(e.error_type, e.source.line if e.source else None) for e in errors] == [
        ("InvalidJSON", 3),
        ("NotAnObject", 4),
    ]
    assert errors[0].reason.startswith(f"{path}:3: invalid JSON")
    assert report.warnings == [f"{path}:2: empty line skipped"]


# --- streaming and the report -----------------------------------------------------------------


class _SpyFile:
    def __init__(self, path: Path, sizes: list[int]) -> None:
        self._fp = open(path, "rb")
        self._sizes = sizes
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        self._sizes.append(size)
        data = self._fp.read(size)
        self.position += len(data)
        return data

    def readline(self) -> bytes:
        data = self._fp.readline()
        self.position += len(data)
        return data

    def close(self) -> None:
        self._fp.close()


def test_json_array_is_streamed_in_bounded_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [{"title": f"Study {i} of Sparse Retrieval", "abstract": ABSTRACT} for i in range(3000)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    size = path.stat().st_size
    sizes: list[int] = []
    spies: list[_SpyFile] = []

    def spy_open(file: Path, mode: str = "r") -> _SpyFile:
        assert mode == "rb"
        spies.append(_SpyFile(file, sizes))
        return spies[-1]

    monkeypatch.setattr(source_module, "READ_CHUNK_BYTES", 4096)
    monkeypatch.setattr(source_module, "open", spy_open, raising=False)
    stream = iter_papers([path])
    first = next(stream)
    assert isinstance(first, Paper) and spies[0].position <= 2 * 4096 < size
    rest = list(stream)
    assert len(rest) == 2999
    assert max(sizes) <= 64 * 1024 and sizes.count(4096) >= size // 4096


def test_report_hashes_counts_and_caps(tmp_path: Path) -> None:
    rows: list[dict[str, Any] | str] = ["" for _ in range(5)]
    rows.append({"title": "Kept", "abstract": ABSTRACT})
    path = write_jsonl(tmp_path / "blank.jsonl", rows)
    seen: list[str] = []
    report = IngestReport(on_warning=seen.append, max_messages=2)
    papers, errors, _ = collect([path, FIXTURES / "papers.csv"], report=report)
    data = report.to_dict()
    assert data["inputs"][0] == {
        "path": str(path),
        "format": "jsonl",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "bytes": path.stat().st_size,
        "papers": 1,
        "errors": 0,
        "duplicates": 0,
    }
    assert (
        data["inputs"][1]["sha256"]
        == hashlib.sha256((FIXTURES / "papers.csv").read_bytes()).hexdigest()
    )
    assert data["papers"] == 4 and data["errors"] == 0
    assert data["warnings"] == {"count": 5, "messages": report.warnings}
    assert len(report.warnings) == 2 and len(seen) == 5
    assert data["duplicates"] == {"count": 0, "messages": []}
    json.dumps(data)  # JSON-ready


def test_byte_order_marks_are_ignored(tmp_path: Path) -> None:
    for name in ("papers.jsonl", "papers.json", "papers.csv", "arxiv-feed.xml"):
        path = tmp_path / name
        path.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / name).read_bytes())
        papers, errors, _ = collect([path])
        expected, _, _ = collect([FIXTURES / name])
        assert errors == [] and [p.id for p in papers] == [p.id for p in expected], name


def test_json_family_is_decided_by_content(tmp_path: Path) -> None:
    lines_as_json = tmp_path / "lines.json"
    shutil.copy(FIXTURES / "papers.jsonl", lines_as_json)
    array_as_jsonl = tmp_path / "array.jsonl"
    shutil.copy(FIXTURES / "papers.json", array_as_jsonl)
    daily_as_jsonl = tmp_path / "daily.jsonl"
    shutil.copy(FIXTURES / "hf-daily.json", daily_as_jsonl)
    assert detect_format(lines_as_json) == "jsonl"
    assert detect_format(array_as_jsonl) == "json"
    assert detect_format(daily_as_jsonl) == "hf-daily"
    assert len(collect([lines_as_json])[0]) == 4


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2403.12345", True),
        ("2403.12345v2", True),
        ("hep-th/9901001", True),
        ("math.gt/0309136", True),
        ("arXiv:2403.12345", False),  # a prefix or a URL is not a stored id
        ("https://arxiv.org/abs/2403.12345", False),
        ("nv-embed-improved-techniques", False),
    ],
)
def test_is_arxiv_id_checks_a_stored_id(value: str, expected: bool) -> None:
    assert is_arxiv_id(value) is expected
