"""Prices: OpenAI's table on OpenAI's endpoint only, a user's price anywhere, costs by hand."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.llm.openai_stub import StubServer, load_papers
from paperfields.cli import main
from paperfields.config import LLMConfig
from paperfields.extract.llm import LLMExtractor
from paperfields.llm.backend import OpenAIBackend
from paperfields.llm.chat import OFFICIAL_BASE_URL
from paperfields.llm.pricing import ModelPrice, cost_usd, resolve_price
from paperfields.schemas import Usage

# gpt-5-mini in prices.json: $0.25 input, $0.025 cached input, $2.00 output per 1M tokens.
USAGE = Usage(prompt_tokens=1200, completion_tokens=600, cached_tokens=1024, requests=1)
# (1200 - 1024) x 0.25 + 1024 x 0.025 + 600 x 2.00 = 44 + 25.6 + 1200 = 1269.6 per 1M
GPT5_MINI_COST = 0.0012696


def test_cached_tokens_are_billed_at_the_cached_price_by_hand() -> None:
    price = resolve_price("gpt-5-mini")
    assert price == ModelPrice(input=0.25, cached_input=0.025, output=2.0)
    assert cost_usd(price, USAGE) == pytest.approx(GPT5_MINI_COST, abs=1e-12)
    dated = resolve_price("gpt-5-mini-2025-08-07")
    assert cost_usd(dated, USAGE) == pytest.approx(GPT5_MINI_COST, abs=1e-12)


@pytest.mark.parametrize(
    "base_url",
    [None, OFFICIAL_BASE_URL, OFFICIAL_BASE_URL.upper() + "/"],  # strings only: never contacted
)
def test_openais_endpoint_is_priced_from_the_table(base_url: str | None) -> None:
    assert resolve_price("gpt-5-mini", base_url=base_url) is not None


@pytest.mark.parametrize(
    "base_url",
    [
        "http://localhost:8000/v1",
        "http://127.0.0.1:11434/v1",
        OFFICIAL_BASE_URL.replace(".com/", ".com.evil/"),  # a look-alike host
    ],
)
def test_any_other_server_has_no_price_unless_the_user_gives_one(base_url: str) -> None:
    assert resolve_price("gpt-5-mini", base_url=base_url) is None
    assert cost_usd(None, USAGE) is None
    mine = resolve_price("gpt-5-mini", base_url=base_url, override=(1.0, 4.0, 0.5))
    # (176 x 1.0 + 1024 x 0.5 + 600 x 4.0) / 1M
    assert cost_usd(mine, USAGE) == pytest.approx(0.003088, abs=1e-12)


def test_a_cache_hit_costs_zero_priced_or_not() -> None:
    assert cost_usd(None, Usage()) == 0.0
    assert cost_usd(resolve_price("gpt-5-mini"), Usage()) == 0.0


def test_the_extractor_prices_replies_from_openais_endpoint(tmp_path: Path) -> None:
    config = LLMConfig(api_key="sk-test-x", cache_dir=tmp_path / "cache")  # no base URL: OpenAI
    stub = StubServer()
    backend = OpenAIBackend(config, http_client=stub.client(), backoff_s=0.001)
    extractor = LLMExtractor(config, backend=backend)
    paper = load_papers()[0]

    async def go() -> float | None:
        try:
            return (await extractor.extract(paper)).cost_usd
        finally:
            await extractor.aclose()

    # The stub replies with 1200 prompt tokens (1024 cached) and 600 completion tokens.
    assert asyncio.run(go()) == pytest.approx(GPT5_MINI_COST, abs=1e-12)


def test_dry_run_prices_a_local_server_only_with_a_price(
    example_page: Path, tmp_path: Path
) -> None:
    args = ["run", str(example_page), "-o", str(tmp_path / "r"), "--dry-run"]
    args += ["--base-url", "http://localhost:8000/v1", "--model", "gpt-5-mini"]
    unpriced = CliRunner().invoke(main, args)
    assert unpriced.exit_code == 0, unpriced.output
    assert '"cost_usd": null' in unpriced.output
    priced = CliRunner().invoke(main, [*args, "--price", "0.1,0.2"])
    assert priced.exit_code == 0, priced.output
    assert '"cost_usd": null' not in priced.output
    bad = CliRunner().invoke(main, [*args, "--price", "cheap"])
    assert bad.exit_code == 2 and "IN,OUT" in bad.output
