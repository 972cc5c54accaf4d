"""Cache keys: a sha256 over everything that changes an extraction's answer.

:func:`cache_key` hashes the model, the endpoint family (scheme and host of the
base URL), the output mode, the full rendered messages (so the prompt version),
the JSON schema, the temperature, the token limit and, with user-defined fields,
the sha256 of their spec, as canonical JSON (sorted keys). :class:`KeyBuilder`
gives the same keys, byte for byte, for many papers of one setup without
encoding the schema and the static system prompt again for each: it hashes that
part once and continues from a copy of the hash. The API key is never part of a key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["KEY_VERSION", "KeyBuilder", "cache_key"]

KEY_VERSION = "paperfields-cache-v1"


def cache_key(
    *,
    model: str,
    endpoint: str,
    mode: str,
    messages: Iterable[Mapping[str, Any]],
    schema: Mapping[str, Any],
    temperature: float | None,
    max_tokens: int,
    fields_spec: str | None = None,
) -> str:
    """Return the sha256 hex key of one extraction request.

    Args:
        model: the model id sent to the server.
        endpoint: the endpoint family (``scheme://host[:port]``) of the base URL.
        mode: the concrete output mode (``json_schema``, ``json_object``, ``tools``, ``text``).
        messages: the full rendered messages of the first request.
        schema: the JSON schema of the expected reply.
        temperature: the sampling temperature, None when not sent.
        max_tokens: the configured completion token limit.
        fields_spec: the sha256 of the user-defined fields spec; None (no spec) leaves
            the key as it was before user fields existed, so warm caches stay warm.
    """
    payload = {
        "v": KEY_VERSION,
        "model": model,
        "endpoint": endpoint,
        "mode": mode,
        "messages": [dict(message) for message in messages],
        "schema": schema,
        "temperature": temperature,
        "max_tokens": max_tokens,
    }
    if fields_spec is not None:
        payload["fields_spec"] = fields_spec
    return hashlib.sha256(_canonical(payload).encode("utf-8")).hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _message_json(message: Mapping[str, Any]) -> str:
    """``_canonical(dict(message))``, quicker for the usual ``{content, role}`` text message."""
    content, role = message.get("content"), message.get("role")
    if len(message) == 2 and isinstance(content, str) and isinstance(role, str):
        text, name = json.dumps(content, ensure_ascii=False), json.dumps(role, ensure_ascii=False)
        return f'{{"content":{text},"role":{name}}}'
    return _canonical(dict(message))


class KeyBuilder:
    """:func:`cache_key` for one setup and many message lists, byte for byte the same key.

    The canonical JSON that :func:`cache_key` hashes has its keys sorted:
    ``endpoint``, (``fields_spec``,) ``max_tokens``, ``messages``, ``mode``, ``model``,
    ``schema``, ``temperature``, ``v``. Everything before the messages, and the first
    (system) message when it repeats, is hashed once; each key continues from a copy
    of that hash with the remaining messages and the encoded tail (mode ... v).

    Args:
        model, endpoint, mode, schema, temperature, max_tokens, fields_spec: as for
            :func:`cache_key`.
    """

    def __init__(
        self,
        *,
        model: str,
        endpoint: str,
        mode: str,
        schema: Mapping[str, Any],
        temperature: float | None,
        max_tokens: int,
        fields_spec: str | None = None,
    ) -> None:
        head = f'{{"endpoint":{_canonical(endpoint)}'
        if fields_spec is not None:
            head += f',"fields_spec":{_canonical(fields_spec)}'
        head += f',"max_tokens":{_canonical(max_tokens)}'
        self._head = hashlib.sha256(f'{head},"messages":['.encode())
        tail = {
            "mode": mode,
            "model": model,
            "schema": schema,
            "temperature": temperature,
            "v": KEY_VERSION,
        }
        self._tail = ("]," + _canonical(tail)[1:]).encode("utf-8")
        self._first: tuple[Mapping[str, Any], Any] | None = None

    def key(self, messages: Sequence[Mapping[str, Any]]) -> str:
        """Return :func:`cache_key` of these messages with this builder's settings."""
        if not messages:
            digest = self._head.copy()
        else:
            digest = self._after_first(messages[0])
        rest = "".join("," + _message_json(message) for message in messages[1:])
        digest.update(rest.encode("utf-8"))
        digest.update(self._tail)
        return digest.hexdigest()

    def _after_first(self, first: Mapping[str, Any]) -> Any:
        cached = self._first
        if cached is None or cached[0] != first:
            state = self._head.copy()
            state.update(_canonical(dict(first)).encode("utf-8"))
            cached = self._first = (dict(first), state)
        return cached[1].copy()
