"""What extraction asks of an LLM server and what it gets back, without the SDK.

:class:`ChatRequest` and :class:`ChatResult` are the two sides of one chat
completion, :class:`Backend` the one-method protocol that answers it, and
:data:`MODE_ORDER` the structured-output modes in ``--mode auto`` fallback
order. :func:`endpoint_family` names a server in cache keys and messages.
Nothing here imports the openai SDK, so code that only needs these shapes (a
warm rerun answered from the cache, for one) never loads it; the SDK-backed
implementation is :class:`paperfields.llm.backend.OpenAIBackend`, which reads
each reply body once into :class:`ChatReply`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel

from ..config import is_official_openai, public_base_url
from ..schemas import Usage
from .prompts import ChatMessage

__all__ = [
    "MODE_ORDER",
    "OFFICIAL_BASE_URL",
    "Backend",
    "ChatReply",
    "ChatRequest",
    "ChatResult",
    "ConcreteMode",
    "endpoint_family",
    "is_official_openai",
]

ConcreteMode = Literal["json_schema", "json_object", "tools", "text"]
MODE_ORDER: tuple[ConcreteMode, ...] = ("json_schema", "json_object", "tools", "text")
"""Fallback order of ``--mode auto``: strongest guarantee first, plain text last."""

OFFICIAL_BASE_URL = "https://api.openai.com/v1"


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """One chat completion to ask for.

    ``schema`` is the JSON schema of the expected reply, used by the
    ``json_schema`` and ``tools`` modes; ``temperature=None`` sends none.
    """

    messages: Sequence[ChatMessage]
    mode: ConcreteMode
    max_tokens: int
    temperature: float | None = None
    schema: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ChatResult:
    """What the server answered.

    ``text`` is the message content, or the arguments of the forced tool call
    in ``tools`` mode; ``refusal`` is the model's refusal message when it
    gave one. ``attempts`` counts HTTP requests including transport retries.
    """

    text: str | None
    refusal: str | None
    finish_reason: str | None
    usage: Usage
    attempts: int
    mode: ConcreteMode
    model: str | None = None


class Backend(Protocol):
    """Anything that can answer a :class:`ChatRequest`."""

    async def complete(self, request: ChatRequest) -> ChatResult:
        """Send the request (with transport retries); raise BackendError when it cannot."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


def endpoint_family(base_url: str | None) -> str:
    """Return ``scheme://host[:port]`` of ``base_url`` (the official API when None).

    Credentials in the URL (``user:password@``) never appear in the result, which goes
    into cache keys, the remembered-mode file and error messages.
    """
    return public_base_url(base_url or OFFICIAL_BASE_URL, path=False) or ""


class _Function(BaseModel):
    arguments: str | None = None


class _ToolCall(BaseModel):
    function: _Function | None = None


class _Message(BaseModel):
    content: str | None = None
    refusal: str | None = None
    tool_calls: list[_ToolCall] | None = None


class _Choice(BaseModel):
    message: _Message
    finish_reason: str | None = None


class _PromptDetails(BaseModel):
    cached_tokens: int | None = None


class _Usage(BaseModel):
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    prompt_tokens_details: _PromptDetails | None = None


class ChatReply(BaseModel):
    """The parts of a ``chat.completion`` reply that paperfields reads (others are ignored).

    The live backend reads each reply body into it once, instead of the SDK's
    full response models.
    """

    choices: list[_Choice]
    usage: _Usage | None = None
    model: str | None = None
