"""What kind of paper an abstract is, where the kind decides whether it has a method.

* **A survey** - a title that calls itself a survey or review ("...: A Survey of
  Planning, Perception and Action"), or an abstract that speaks of "this survey" or says
  "we survey": the methods it names are the field's, never its own.
* **A study** - a title that asks a question or announces a study ("Do Screenshots
  Suffice?", "A Reproducibility Study of ..."): only an explicit rule may give it an own
  method, no guess (the classifier, the most used name). Verbs such as "we study" or
  "we probe" are no sign: papers of every kind use them for their own methods.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .sentences import Sentence

__all__ = ["is_study", "is_survey"]

_SURVEY_TITLE = re.compile(
    r"(?:^|:\s*|\b(?:a|an)\s+(?:[\w-]+\s+){0,2})(?:survey|review|overview)\b", re.IGNORECASE
)
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


# A title that asks a question or announces a study: "Do Screenshots Suffice? ...",
# "A Reproducibility Study of ...", "A Mechanistic Look at ...".
_STUDY_TITLE = re.compile(
    r"\?|\b(?:(?:empirical|reproducibility|systematic|comparative|large-scale|controlled|"
    r"case)\s+(?:study|analysis|comparison|evaluation)|an?\s+(?:closer|mechanistic|critical|"
    r"careful)\s+look)\b",
    re.IGNORECASE,
)


def is_study(title: str) -> bool:
    """Whether the paper studies existing methods rather than proposing one: its title
    asks a question or announces a study."""
    return _STUDY_TITLE.search(title) is not None
