"""What kind of paper an abstract is, where the kind decides whether it has a method.

* **A survey** - a title that calls itself a survey, review or roadmap ("...: A Survey of
  Planning, Perception and Action"), or ends on future directions or challenges and
  opportunities, or an abstract that speaks of "this survey" or says
  "we survey": the methods it names are the field's, never its own.
* **A data paper** - a name introduced as a dataset or benchmark (:func:`released_data`),
  and a title that announces data ("X: A Benchmark for ..."): what it releases is data,
  and the systems it evaluates are not its own.
* **A study** - a title that asks a question or announces a study ("Do Screenshots
  Suffice?", "A Reproducibility Study of ..."): only an explicit rule may give it an own
  method, no guess (the classifier, the most used name). So with an abstract that says
  it evaluates, compares or benchmarks ("This study systematically evaluates ...", "we
  benchmark ..."; :func:`evaluates_others`). Verbs such as "we study" or "we probe" are
  no sign: papers of every kind use them for their own methods.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .mentions import Mention
from .name_shapes import coined
from .sentences import Sentence
from .title_rules import title_head

__all__ = ["data_title", "evaluates_others", "is_study", "is_survey", "released_data"]

_SURVEY_TITLE = re.compile(
    r"(?:^|:\s*|\b(?:a|an)\s+(?:[\w-]+\s+){0,2})(?:survey|review|overview|roadmap)\b"
    r"|\b(?:future|research)\s+directions\s*$"
    r"|\b(?:challenges|synthesis|progress|advances)\s+and\s+(?:opportunities|"
    r"future\s+directions|perspectives|challenges)\s*$|\bopportunities\s+and\s+challenges\s*$",
    re.IGNORECASE,
)  # "...: A Roadmap", "...: Foundations, Methodology, and Future Directions", "...:
# Synthesis and Opportunities", "...: Opportunities and Challenges"
_SURVEY_TEXT = re.compile(
    r"\b(?:this|our|the\s+present)\s+(?:survey|review)\b|\bwe\s+survey\b", re.IGNORECASE
)


def is_survey(title: str, sentences: Sequence[Sentence]) -> bool:
    """Whether the paper reviews a field rather than proposing its own method."""
    if _SURVEY_TITLE.search(title):
        return True
    return any(
        ("survey" in s.text or "review" in s.text) and _SURVEY_TEXT.search(s.text) is not None
        for s in sentences[:3]
    )


# An abstract that says it evaluates or compares: "This study systematically evaluates
# several ... LLMs", "we benchmark six retrievers". Papers that propose a method say so too,
# so this only keeps a paper with no explicitly named own method from a guessed one.
_EVALUATING = re.compile(
    r"\bthis\s+(?:study|paper|work|article)\s+(?:\w+ly\s+)?(?:evaluates|examines|"
    r"investigates|compares|analy[sz]es|benchmarks|explores|assesses)\b"
    r"|\bwe\s+(?:\w+ly\s+)?(?:evaluate|benchmark|compare|assess)\b",
    re.IGNORECASE,
)


def evaluates_others(sentences: Sequence[Sentence]) -> bool:
    """Whether the abstract says it evaluates, compares or benchmarks (see ``_EVALUATING``)."""
    return any(_EVALUATING.search(s.text) is not None for s in sentences)


# A title that asks a question, directly or not, or announces a study: "Do Screenshots
# Suffice? ...", "Lost in the Trajectory: How LLM Agents Use ...", "A Reproducibility Study
# of ...", "A Mechanistic Look at ...", "Probing the Generalization Boundaries of ...", "An
# Analysis of ...".
_STUDY_TITLE = re.compile(
    r"\?|(?:^|:\s+)(?:How(?!\s+to\b)|Why|What)\s|"
    r"(?:^|:\s+)(?:probing|unveiling|investigating|analy[sz]ing|understanding|evaluating|"
    r"revisiting|rethinking|reconsidering|(?:an?\s+)?(?:analysis|evaluation|investigation|"
    r"examination)\s+of)\b|"
    r"\b(?:(?:empirical|reproducibility|systematic|comparative|large-scale|controlled|"
    r"case)\s+(?:study|analysis|comparison|evaluation)|an?\s+(?:closer|mechanistic|critical|"
    r"careful)\s+look)\b",
    re.IGNORECASE,
)


def is_study(title: str) -> bool:
    """Whether the paper studies existing methods rather than proposing one: its title
    asks a question (or opens one with "How", "Why", "What") or announces a study."""
    return _STUDY_TITLE.search(title) is not None


_DATA_NOUN = (
    r"(?:benchmarks?|datasets?|data\s?sets?|corpus|corpora|leaderboard|testbed|"
    # "a suite of tasks" is data, "a suite of clinical LLMs" a family of models
    r"suite(?!\s+of\s+(?:[\w-]+\s+){0,3}?(?:models|LLMs|[A-Z]*LMs)\b)|"
    r"data\s+collection)"
)
# Work done on data, after a data noun: "an automated dataset creation approach" is a method.
_DATA_WORK = (
    r"(?:creation|construction|generation|curation|synthesis|selection|filtering|"
    r"augmentation|distillation|pruning|cleaning|collection)\b"
)
# An apposition that makes a name a released dataset: "X, a (new) benchmark / dataset /
# corpus / suite for ...", "X, an evaluation framework consisting of ... problems", "X, a
# 1.3-trillion token collection of educational text" (not "a collection of models").
_DATA_APPOSITION = re.compile(
    r"^\s*\)?\s*(?:\([^)]{1,20}\)\s*)?,\s*(?:"
    r"(?:by\s+far\s+)?(?:a|an|the)\s+(?:(?:(?!(?:for|of|that|which|to|with|on|in|by)\b)[\w.-]+,?|"
    r"\([^()]{1,30}\))\s+){0,8}?"
    rf"(?:{_DATA_NOUN}(?!\s+{_DATA_WORK})|evaluation\s+suite|evaluation\s+framework(?=\s+(?:of|"
    r"consisting|comprising|containing|covering|spanning|with)\b))\b"
    r"|(?:a|an)\s+(?:[\w.-]+\s+){0,4}?collection\s+of\s+(?:[\w-]+\s+){0,2}?(?:texts?|"
    r"documents|data|web\s+pages|images|videos|questions|problems|conversations|articles|"
    r"[A-Z]{2,}s)\b"  # "a collection of MWPs": of items an acronym names
    r"|(?:a\s+set\s+of\s+|a\s+collection\s+of\s+)?[\d,.]+[KM]?\s+(?:[\w-]+\s+){0,3}?"
    r"(?:tasks|questions|problems|examples|prompts|instances|pairs|images|videos|queries|"
    r"dialogues|conversations|samples|documents)\b)",
    re.IGNORECASE,
)  # "X, a bilingual (English and Mandarin) benchmark of", "X, 1,146 multi-file editing tasks"
# "our X benchmark": the paper's own data, named before its data noun.
_OUR_BEFORE = re.compile(r"\b(?:our|this|the\s+proposed)\s+$", re.IGNORECASE)
_DATA_HEAD_AFTER = re.compile(rf"\s+{_DATA_NOUN}\b", re.IGNORECASE)
# A name that calls itself a benchmark: "RepoPatch-Bench", "LiveCodeBench",
# "MCPToolBench++", "SciKnowEval".
_BENCH_NAME = re.compile(r"(?i:bench(?:mark)?)\+*$|^\S+Eval\+*$")
# ... unless the text calls it a method: "a novel Auto-Eval mechanism", "an evaluation
# method - Combo-Eval - for".
_METHOD_WORD = r"(?:method|mechanism|framework|approach|procedure|algorithm|technique)"
_METHOD_AFTER = re.compile(rf"\s+{_METHOD_WORD}\b", re.IGNORECASE)
_METHOD_BEFORE = re.compile(rf"\b{_METHOD_WORD}\s*(?:,|-|–|—|:)?\s*$", re.IGNORECASE)


# A data noun naming the name after it: "a benchmark, termed PolyCart,", "we name the
# resulting benchmark DriftBench", "two new datasets: JAMA Clinical Challenge and Medbullets".
_DATA_NAMED = re.compile(
    # "a benchmark, termed X", "a dataset of 1 million instructions, called X", "a
    # large-scale dataset, namely X", "a new data set, X"
    rf"\b{_DATA_NOUN}(?:\s+of\s+(?:[\w.,-]+\s+){{0,4}}?[\w-]+)?\s*,?\s+"
    r"(?:called|named|termed|dubbed|coined|namely)\s+[“\"']?$"
    rf"|\b(?:a|an)\s+(?:[\w-]+\s+){{0,3}}?{_DATA_NOUN}\s*,\s*$"
    rf"|\b{_DATA_NOUN}\s*:\s*(?:[\w-]+\s+){{0,4}}?(?:and\s+)?$"
    rf"|\bwe\s+(?:call|name|term|dub)\s+(?:the|this|our)\s+(?:[\w-]+\s+)?{_DATA_NOUN}\s+[“\"']?$",
    re.IGNORECASE,
)
# A title "X: A ... Benchmark for ...": X is the data the paper releases.
_DATA_TITLE = re.compile(
    rf"^\s*[^:]{{2,40}}?\s*:\s*(?:(?:an?|the)\s+(?!(?:[\w-]+\s+){{0,5}}?(?:method|model|"
    r"framework|approach)\b)"
    rf"(?:[\w-]+\s+){{0,5}}?{_DATA_NOUN}\b"
    r"|benchmarking\b(?!\s+and\s+(?:improving|mitigating|fixing|enhancing|boosting)\b))",
    re.IGNORECASE,
)


def released_data(
    sentences: Sequence[Sentence], names: Sequence[Mention], title: str = ""
) -> set[str]:
    """The names an abstract introduces as a dataset or benchmark: data the paper
    releases, not a method. "we introduce MedAlign, a benchmark dataset of 983
    instructions", "X, 1,146 editing tasks", "a benchmark, termed PolyCart, of ...", "we
    name the resulting benchmark DriftBench", "our What'sUp benchmark", a name that calls
    itself a benchmark ("RepoPatch-Bench"), and the X of a title "X: A Benchmark for ..."
    or "X: Benchmarking ...". A coined name may start in lower case ("arXiv2Table")."""
    head = title_head(title) if data_title(title) else None
    out: set[str] = set()
    for m in names:
        if not (m.text[:1].isupper() or (m.text[:1].islower() and coined(m.text))):
            continue  # "arXiv2Table" is a name too
        sent = sentences[m.sentence]
        if (
            _DATA_APPOSITION.match(sent.text[m.end - sent.start :])
            or (
                _OUR_BEFORE.search(sent.text[: m.start - sent.start])
                and _DATA_HEAD_AFTER.match(sent.text[m.end - sent.start :])
            )  # "our What'sUp benchmark contains ..."
            or _DATA_NAMED.search(
                sent.text[max(0, m.start - sent.start - 80) : m.start - sent.start]
            )
            or m.text.lower() == head
            or (
                _BENCH_NAME.search(m.text) is not None
                and len(m.text) > 5
                and not _METHOD_AFTER.match(sent.text[m.end - sent.start :])
                and not _METHOD_BEFORE.search(sent.text[: m.start - sent.start])
            )
        ):
            out.add(m.text)
    return out


def data_title(title: str) -> bool:
    """Whether a title announces data: "X: A Benchmark for ...", "X: Benchmarking ..."
    (not "X: Benchmarking and Improving ...", which announces a method too)."""
    return _DATA_TITLE.match(title) is not None
