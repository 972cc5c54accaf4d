"""Reading a model's reply: the first JSON object in it, validated, or the reasons it is not.

:func:`parse_fields_reply` accepts bare JSON, JSON in a fenced block, or prose
around one object, and validates it against
:class:`~paperfields.schemas.ExtractedFields` (or the reply model built for
user-defined fields); :class:`InvalidReply` carries the
validation errors in a form that can be quoted back to the model (the repair
re-ask). :func:`refusal_of` tells a refusal from an answer: the API's refusal
field, a content filter, or a short apology in prose with no JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar, overload

from pydantic import BaseModel, ValidationError

from ..llm.chat import ChatResult
from ..schemas import ExtractedFields

__all__ = ["InvalidReply", "parse_fields_reply", "refusal_of"]

MAX_ERROR_LINES = 20
_M = TypeVar("_M", bound=BaseModel)
_FENCE = re.compile(r"```[a-zA-Z]*[ \t]*\n?(.*?)```", re.DOTALL)
_REFUSAL = re.compile(
    r"\b(i'?m sorry|i am sorry|i apologi[sz]e|i can(?:not|'t|’t)|i won'?t|"
    r"unable to (?:help|assist|comply)|can(?:not|'t) (?:help|assist|comply))",
    re.IGNORECASE,
)


class InvalidReply(ValueError):
    """A reply that is not a JSON object of the expected shape; ``details`` lists why."""

    def __init__(self, message: str, details: str) -> None:
        super().__init__(message)
        self.details = details


@overload
def parse_fields_reply(text: str) -> ExtractedFields: ...


@overload
def parse_fields_reply(text: str, model: type[_M]) -> _M: ...


def parse_fields_reply(text: str, model: type[BaseModel] = ExtractedFields) -> BaseModel:
    """Parse and validate a model reply.

    The reply may be bare JSON, JSON in a fenced block, or prose around a JSON
    object; the first JSON object found is used.

    Args:
        text: the reply.
        model: the reply model (the built-in fields by default).

    Raises:
        InvalidReply: no JSON object, or one that fails validation.
    """
    data = _first_json_object(text)
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise InvalidReply(
            f"reply does not match the schema ({e.error_count()} error(s))",
            _format_errors(e),
        ) from e


def refusal_of(result: ChatResult) -> str | None:
    """The refusal text of a reply: the API's refusal field, a content filter, or prose."""
    if result.refusal:
        return result.refusal
    if result.finish_reason == "content_filter":
        return "the reply was withheld by the server's content filter"
    text = (result.text or "").strip()
    if text and "{" not in text and _REFUSAL.search(text[:500]):
        return text
    return None


def _first_json_object(text: str) -> dict[str, Any]:
    stripped = text.strip()
    if not stripped:
        raise InvalidReply("the reply is empty", "- expected one JSON object")
    candidates = [stripped] + [m.group(1).strip() for m in _FENCE.finditer(stripped)]
    first_error: json.JSONDecodeError | None = None
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except json.JSONDecodeError as e:
            first_error = first_error or e
            continue
        if isinstance(value, dict):
            return value
    # Prose around one object: decode from its first brace (later braces are nested ones).
    start = stripped.find("{")
    if start > 0:
        try:
            value, _end = json.JSONDecoder().raw_decode(stripped, start)
        except json.JSONDecodeError as e:
            first_error = first_error or e
        else:
            if isinstance(value, dict):
                return value
    reason = f"{first_error.msg} at character {first_error.pos}" if first_error else "none found"
    raise InvalidReply("the reply is not a JSON object", f"- invalid JSON: {reason}")


def _format_errors(error: ValidationError) -> str:
    lines = []
    for item in error.errors()[:MAX_ERROR_LINES]:
        where = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in item["loc"]
        ).lstrip(".")
        line = f"- {where or '(top level)'}: {item['msg']}"
        if item["type"] not in ("missing", "extra_forbidden"):
            line += f" (got {json.dumps(item.get('input'), ensure_ascii=False)[:80]})"
        lines.append(line)
    if error.error_count() > MAX_ERROR_LINES:
        lines.append(f"- ... and {error.error_count() - MAX_ERROR_LINES} more")
    return "\n".join(lines)
