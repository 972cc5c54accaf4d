"""What model calls cost, from a dated price table, and rough token estimates for dry runs.

Prices live in ``paperfields/data/prices.json`` (US dollars per million tokens:
input, cached input, output), with the date and source of the figures. They
are OpenAI's prices, so they apply to OpenAI's own endpoint only: a model served
by any other base URL (vLLM, Ollama, a proxy) has no price unless the user
gives one (``--price``). An unknown model has no price either: costs are then
None rather than a guess. A dated model id such as ``gpt-4.1-mini-2025-04-14``
resolves to its base name. :func:`resolve_price` is called once per run; the
per-request cost is then :meth:`ModelPrice.cost`. The estimates
(:func:`estimate_tokens`, :func:`estimate_prompt_tokens`, :func:`estimate_cost_usd`)
use four characters per token, good enough to size a run before sending anything.

The Batch API bills every token (input, cached input, output) at half the
standard price: :data:`BATCH_PRICE_FACTOR`, applied by ``resolve_price(...,
batch=True)`` to the table's price and to a user's ``--price`` alike (a user
price is the standard, live price of the model).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..config import is_official_openai
from ..schemas import Paper, Usage
from .prompts import Prompt

__all__ = [
    "BATCH_PRICE_FACTOR",
    "EXPECTED_COMPLETION_TOKENS",
    "ModelPrice",
    "cost_usd",
    "estimate_cost_usd",
    "estimate_prompt_tokens",
    "estimate_tokens",
    "price_for",
    "price_table",
    "resolve_price",
]

CHARS_PER_TOKEN = 4
EXPECTED_COMPLETION_TOKENS = 800
"""Typical reply size for one abstract (fields JSON), used only for --dry-run estimates."""

BATCH_PRICE_FACTOR = 0.5
"""Batch API price / standard price, for every kind of token (OpenAI's Batch API: half price)."""

_DATE_SUFFIX = re.compile(r"-\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """US dollars per million tokens for one model."""

    input: float
    cached_input: float
    output: float

    def cost(self, usage: Usage) -> float:
        """The cost of ``usage`` in US dollars.

        Cached prompt tokens are billed at the cached-input price, the rest of the
        prompt at the input price, completion tokens at the output price.
        """
        cached = min(usage.cached_tokens, usage.prompt_tokens)
        fresh = usage.prompt_tokens - cached
        total = fresh * self.input + cached * self.cached_input
        total += usage.completion_tokens * self.output
        return total / 1_000_000

    def scaled(self, factor: float) -> ModelPrice:
        """This price times ``factor`` for every kind of token (e.g. the Batch API's half)."""
        return ModelPrice(
            input=self.input * factor,
            cached_input=self.cached_input * factor,
            output=self.output * factor,
        )


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
    """OpenAI's price of ``model`` (a ``-YYYY-MM-DD`` snapshot suffix resolved), else None."""
    table = price_table()
    if model in table:
        return table[model]
    return table.get(_DATE_SUFFIX.sub("", model))


def resolve_price(
    model: str,
    *,
    base_url: str | None = None,
    override: tuple[float, float, float] | None = None,
    batch: bool = False,
) -> ModelPrice | None:
    """The price a run uses: the user's, else OpenAI's for OpenAI's endpoint, else None.

    Args:
        model: the model id sent to the server.
        base_url: the server; any other than OpenAI's gets no price from the table.
        override: ``(input, output, cached_input)`` US dollars per million tokens.
        batch: the price of requests sent through the Batch API
            (:data:`BATCH_PRICE_FACTOR` times the standard price).
    """
    price: ModelPrice | None
    if override is not None:
        price_in, price_out, price_cached = override
        price = ModelPrice(input=price_in, cached_input=price_cached, output=price_out)
    elif not is_official_openai(base_url):
        return None
    else:
        price = price_for(model)
    if price is not None and batch:
        return price.scaled(BATCH_PRICE_FACTOR)
    return price


def cost_usd(price: ModelPrice | None, usage: Usage) -> float | None:
    """Return the cost of ``usage`` at ``price`` in US dollars, or None without a price.

    Usage without tokens (a cache hit) costs exactly 0, priced or not.
    """
    if not (usage.prompt_tokens or usage.completion_tokens):
        return 0.0
    return None if price is None else price.cost(usage)


def estimate_tokens(text: str) -> int:
    """Estimate the token count of ``text`` as ``ceil(len(text) / 4)``."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def estimate_prompt_tokens(paper: Paper, prompt: Prompt) -> int:
    """Estimate the prompt tokens of one paper's request rendered with ``prompt``."""
    messages = prompt.render(title=paper.title, abstract=paper.abstract)
    return sum(estimate_tokens(message["content"]) for message in messages)


def estimate_cost_usd(
    price: ModelPrice | None,
    *,
    prompt_tokens: int,
    completion_tokens: int = EXPECTED_COMPLETION_TOKENS,
) -> float | None:
    """Estimate the cost of token counts at ``price``; None without a price."""
    usage = Usage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens, requests=1)
    return cost_usd(price, usage)
