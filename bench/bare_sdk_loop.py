"""The baseline of ``bench/llm_throughput.py``: a bare ``AsyncOpenAI`` loop, run as its own process.

It reads request bodies (one JSON object per line: ``model``, ``messages``,
``response_format``, ``max_tokens``), prepared in advance by the benchmark with
the same prompt and schema the pipeline sends, and sends them all through one
``AsyncOpenAI`` client with at most ``--concurrency`` in flight, counting the
replies that carry content. Nothing else: no validation, no grounding, no cache,
no files. It imports only the SDK, so its start-up is as small as a real script's::

    python bench/bare_sdk_loop.py --url http://127.0.0.1:8765/v1 --requests bodies.jsonl
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

import openai


async def run(url: str, bodies: list[dict[str, Any]], concurrency: int) -> int:
    """Send every body; return how many replies had content."""
    client = openai.AsyncOpenAI(base_url=url, api_key="not-needed", max_retries=0, timeout=60)
    gate = asyncio.Semaphore(concurrency)
    ok = 0

    async def one(body: dict[str, Any]) -> None:
        nonlocal ok
        async with gate:
            reply = await client.chat.completions.create(**body)
        if reply.choices[0].message.content:
            ok += 1

    await asyncio.gather(*(one(body) for body in bodies))
    await client.close()
    return ok


def main() -> None:
    """Parse arguments, send the requests, print ``ok N``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--requests", type=Path, required=True)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    lines = args.requests.read_text(encoding="utf-8").splitlines()
    bodies = [json.loads(line) for line in lines if line.strip()]
    print(f"ok {asyncio.run(run(args.url, bodies, args.concurrency))}")


if __name__ == "__main__":
    main()
