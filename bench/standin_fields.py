"""User-defined fields for the stand-in server: what a request asks for, and plausible answers.

A request asks for user fields in its schema (``json_schema`` and ``tools``
modes) or, where no schema is sent (``json_object``, ``text``), only in the
prompt section paperfields generates (bullets ``- "name" (type): ...``);
:func:`requested_fields` reads either, as a model would. :func:`user_values`
answers them from the abstract the way a decent but imperfect model does: list
items quote sentences, the first verbatim, the second slightly off (a word
changed, which grounding matches fuzzily) and the third paraphrased (which
grounding cannot find); scalars take values found in the text (a number, a
modality word, a release statement) or null, and evidence-carrying scalars
quote their sentence, sometimes with the spacing changed. :func:`schema_refusal`
refuses a strict schema the way OpenAI does, with paperfields' own checker of the
strict rules when it is importable. Otherwise stdlib only.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["BUILTIN_KEYS", "Requested", "requested_fields", "schema_refusal", "user_values"]

BUILTIN_KEYS = ("summary", "tasks", "methods", "datasets", "metrics", "claims")

_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_BULLET = re.compile(r'^- "([a-z][a-z0-9_]*)" \((.*?)\): ', re.MULTILINE)
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_NUMBER = re.compile(r"\b(\d+(?:\.\d+)?)\s*([KMB])?\b")
_RELEASE = ("code", "github", "publicly available", "open-source", "open source", "release")
_CUES = ("however", "limit", "although", "only", "challenge", "drawback", "fail", "lack")


@dataclass(frozen=True)
class Requested:
    """One user field a request asks for: its name, type, enum values and evidence."""

    name: str
    type: str
    values: tuple[str, ...] = ()
    evidence: bool = False


def _from_property(name: str, prop: dict[str, Any], defs: dict[str, Any]) -> Requested:
    evidence = False
    if "$ref" in prop:
        prop = defs[prop["$ref"].rsplit("/", 1)[-1]]["properties"]["value"]
        evidence = True
    if prop.get("type") == "array":
        return Requested(name, "list", (), True)
    kinds = prop.get("anyOf") or [prop]
    first = next(k for k in kinds if k.get("type") != "null")
    if "enum" in first:
        return Requested(name, "enum", tuple(first["enum"]), evidence)
    return Requested(name, str(first.get("type")), (), evidence)


def requested_fields(request: dict[str, Any]) -> tuple[bool, tuple[Requested, ...]]:
    """Whether the built-in fields are asked for, and the user fields asked for."""
    schema: dict[str, Any] | None = None
    fmt = request.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        schema = fmt["json_schema"]["schema"]
    elif request.get("tools"):
        schema = request["tools"][0]["function"]["parameters"]
    if schema is not None:
        props = schema.get("properties", {})
        defs = schema.get("$defs", {})
        users = tuple(
            _from_property(n, p, defs) for n, p in props.items() if n not in BUILTIN_KEYS
        )
        return "tasks" in props, users
    system = next(
        (str(m.get("content")) for m in request.get("messages", []) if m.get("role") == "system"),
        "",
    )
    users_list = []
    for name, label in _BULLET.findall(system):
        evidence = label.endswith(", with evidence")
        label = label.removesuffix(", with evidence")
        if label.startswith("one of "):
            values = tuple(_QUOTED.findall(label))
            users_list.append(Requested(name, "enum", values, evidence))
        else:
            users_list.append(Requested(name, label, (), evidence or label == "list"))
    return "exactly the keys below" not in system, tuple(users_list)


def _sentences(abstract: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(abstract) if len(s.strip()) > 20]


def _clause(sentence: str, holding: str = "") -> str:
    """The short quote a careful model gives: the first clause (or 14 words) holding ``holding``."""
    for mark in (";", ", ", " - "):
        head = sentence.split(mark, 1)[0]
        if 30 <= len(head) < len(sentence) and holding.lower() in head.lower():
            return head
    head = " ".join(sentence.split(" ")[:14])
    return head if holding.lower() in head.lower() else sentence


def _seed(name: str) -> int:
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16)


def _slightly_off(sentence: str) -> str:
    """One word changed: a near-verbatim quote that grounding matches fuzzily."""
    words = sentence.split(" ")
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    words[longest] = words[longest][:-1] + ("s" if not words[longest].endswith("s") else "")
    return " ".join(words)


def _paraphrase(sentence: str) -> str:
    """A restatement a model might write instead of a quote: grounding cannot find it."""
    words = [w.strip(",.;:") for w in sentence.split() if len(w) > 3]
    return "The authors note " + " and ".join(reversed(words[:6])) + "."


def _list(spec: Requested, sentences: list[str]) -> list[dict[str, str]]:
    if not sentences:
        return []
    cue = [s for s in sentences if any(c in s.lower() for c in _CUES)]
    rest = [s for s in sentences if s not in cue]
    start = _seed(spec.name) % len(rest) if rest else 0
    chosen = (cue + rest[start:] + rest[:start])[:3]
    items = []
    for i, sentence in enumerate(chosen):
        name = " ".join(sentence.split()[:4]).strip(",.;:")
        clause = _clause(sentence)
        quote = (clause, _slightly_off(clause), _paraphrase(clause))[i]
        items.append({"name": name, "evidence": quote})
    return items


def _scalar(spec: Requested, abstract: str, sentences: list[str]) -> tuple[Any, str | None]:
    """A value and the quote that supports it (None, None when the abstract does not say)."""
    lower = abstract.lower()
    if spec.type == "boolean":
        for sentence in sentences:
            word = next((w for w in _RELEASE if w in sentence.lower()), None)
            if word is not None:
                return True, _clause(sentence, word)
        return None, None
    if spec.type == "enum":
        for value in spec.values:
            if re.search(rf"\b{re.escape(value.lower())}\b", lower):
                hit = next((s for s in sentences if value.lower() in s.lower()), None)
                return value, _clause(hit, value) if hit else None
        return ("other", None) if "other" in spec.values else (None, None)
    if spec.type == "number":
        for sentence in sentences:
            found = _NUMBER.search(sentence)
            if found:
                scale = {"K": 1e3, "M": 1e6, "B": 1e9}.get(found.group(2) or "", 1.0)
                return float(found.group(1)) * scale, _clause(sentence, found.group(0))
        return None, None
    hit = next((s for s in sentences if any(ch.isdigit() for ch in s)), None)
    if hit is None:
        return None, None
    quote = _clause(hit)
    return " ".join(quote.split()[:8]).strip(",.;:"), quote


def user_values(fields: tuple[Requested, ...], abstract: str) -> dict[str, Any]:
    """Plausible values for the requested user fields, quoting ``abstract``."""
    sentences = _sentences(abstract)
    values: dict[str, Any] = {}
    for spec in fields:
        if spec.type == "list":
            values[spec.name] = _list(spec, sentences)
            continue
        value, quote = _scalar(spec, abstract, sentences)
        if not spec.evidence:
            values[spec.name] = value
            continue
        if quote is not None and _seed(spec.name) % 2:
            quote = quote.replace(" ", "  ", 1)  # a doubled space: grounding normalises it
        values[spec.name] = {"value": value, "evidence": quote if value is not None else None}
    return values


@functools.lru_cache(maxsize=1)
def _strict_problems() -> Callable[[dict[str, Any]], list[str]] | None:
    """paperfields' checker of strict structured-output schemas, when importable."""
    try:
        strict = importlib.import_module("paperfields.fields.strict")
    except ImportError:
        return None
    return strict.strict_problems  # type: ignore[no-any-return]


def schema_refusal(request: dict[str, Any]) -> str | None:
    """OpenAI's 400 message for a strict ``json_schema`` it would not accept, or None."""
    fmt = request.get("response_format") or {}
    spec = fmt.get("json_schema") or {}
    check = _strict_problems()
    if not spec.get("strict") or check is None:
        return None
    problems = check(spec.get("schema") or {})
    if not problems:
        return None
    return f"Invalid schema for response_format '{spec.get('name')}': {problems[0]}"
