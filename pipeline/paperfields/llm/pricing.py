"""What model calls cost, from a dated price table, and rough token estimates for dry runs.

Prices live in ``paperfields/data/prices.json`` (US dollars per million tokens:
input, cached input, output), with the date and source of the figures. An
unknown model has no price: :func:`cost_usd` returns None rather than a guess.
A dated model id such as ``gpt-4.1-mini-2025-04-14`` resolves to its base
name. The estimates (:func:`estimate_tokens`, :func:`estimate_prompt_tokens`,
:func:`estimate_cost_usd`) use four characters per token, good enough to size
a run before sending anything.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..schemas import Paper, Usage
from .prompts import Prompt

__all__ = [
    "EXPECTED_COMPLETION_TOKENS",
    "ModelPrice",
    "cost_usd",
    "estimate_cost_usd",
    "estimate_prompt_tokens",
    "estimate_tokens",
    "price_for",
    "price_table",
]

CHARS_PER_TOKEN = 4
EXPECTED_COMPLETION_TOKENS = 800
"""Typical reply size for one abstract (fields JSON), used only for --dry-run estimates."""

_DATE_SUFFIX = re.compile(r"-\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """US dollars per million tokens for one model."""

    input: float
    cached_input: float
    output: float


@lru_cache(maxsize=1)
def price_table() -> dict[str, ModelPrice]:
    """Return the model -> price table shipped in ``paperfields/data/prices.json``."""
    source = resources.files("paperfields").joinpath("data/prices.json")
    data: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    return {
        model: ModelPrice(
            input=float(entry["input"]),
            cached_input=float(entry["cached_input"]),
            output=float(entry["output"]),
        )
        for model, entry in data["models"].items()
    }


def price_for(model: str) -> ModelPrice | None:
    """Return the price of ``model``, resolving a ``-YYYY-MM-DD`` snapshot suffix; else None."""
    table = price_table()
    if model in table:
        return table[model]
    return table.get(_DATE_SUFFIX.sub("", model))


def cost_usd(model: str, usage: Usage) -> float | None:
    """Return the cost of ``usage`` on ``model`` in US dollars, or None for an unknown model.

    Cached prompt tokens are billed at the cached-input price, the rest of the
    prompt at the input price, completion tokens at the output price.
    """
    price = price_for(model)
    if price is None:
        return None
    cached = min(usage.cached_tokens, usage.prompt_tokens)
    fresh = usage.prompt_tokens - cached
    total = fresh * price.input + cached * price.cached_input
    total += usage.completion_tokens * price.output
    return total / 1_000_000


def estimate_tokens(text: str) -> int:
    """Estimate the token count of ``text`` as ``ceil(len(text) / 4)``."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def estimate_prompt_tokens(paper: Paper, prompt: Prompt) -> int:
    """Estimate the prompt tokens of one paper's request rendered with ``prompt``."""
    messages = prompt.render(title=paper.title, abstract=paper.abstract)
    return sum(estimate_tokens(message["content"]) for message in messages)


def estimate_cost_usd(
    model: str,
    *,
    prompt_tokens: int,
    completion_tokens: int = EXPECTED_COMPLETION_TOKENS,
) -> float | None:
    """Estimate the cost of one request from token counts; None for an unknown model."""
    usage = Usage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens, requests=1)
    return cost_usd(model, usage)
