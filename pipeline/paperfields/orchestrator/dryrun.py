"""``--dry-run``: what a run would cost before it sends a single request.

Streams the inputs through ingest (nothing is written), renders each paper's
prompt and estimates tokens as characters / 4, plus a fixed expected
completion per paper, then prices the total with the model's row in the
price table. An unknown model gives ``cost_usd: null`` rather than a guess;
the offline extractor costs nothing and sends nothing. With ``--batch`` the
cost is at the Batch API price (half) and ``batch_files`` counts the input
files the requests would be split into (by request count; a file over the
byte limit is split further when written).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..config import RunConfig
from ..ingest import iter_papers
from ..io.runfolder import RECORDS_FILE
from ..schemas import Paper, content_sha256
from .resume import DoneIndex, check_run_folder
from .selection import select_papers

__all__ = ["DryRunEstimate", "estimate_run"]


@dataclass(frozen=True)
class DryRunEstimate:
    """Papers a run would extract and the tokens and dollars that would take."""

    papers: int
    ingest_errors: int
    already_done: int
    extractor: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None
    batch: bool = False
    batch_files: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def estimate_run(inputs: Sequence[Path], config: RunConfig) -> DryRunEstimate:
    """Estimate papers, tokens and cost of ``paperfields run`` with ``config``; send nothing.

    Raises:
        RunFolderConflict: the run would stop because the folder holds records of
            another extraction setup (the same check and message as the run).
    """
    done = DoneIndex.load(config.out_dir / RECORDS_FILE, repair=False)
    papers = errors = skipped = prompt_tokens = 0
    render = None
    if config.uses_llm:
        from ..extract.plan import ExtractionPlan
        from ..llm.pricing import estimate_tokens

        plan = ExtractionPlan.build(config.llm.prompt_version, config.fields)
        identity = plan.identity(f"openai:{config.llm.model}")

        def render(paper: Paper) -> int:
            return sum(estimate_tokens(message["content"]) for message in plan.messages(paper))
    else:
        from ..extract.offline.extractor import OfflineExtractor

        identity = OfflineExtractor(spans=config.offline_spans).identity
    if not config.reextract:
        check_run_folder(done, identity, config.out_dir)
    else:
        done = DoneIndex()  # every paper of another setup would be extracted again

    ingest = iter_papers(
        [Path(p) for p in inputs],
        format=config.input_format,
        max_abstract_chars=config.max_abstract_chars,
    )
    for item in select_papers(ingest, config):
        if not isinstance(item, Paper):
            errors += 1
        elif done.is_done(item.id, content_sha256(item.title, item.abstract)):
            skipped += 1
        else:
            papers += 1
            if render is not None:
                prompt_tokens += render(item)
    if render is None:
        return DryRunEstimate(papers, errors, skipped, "offline", 0, 0, 0.0)
    from ..llm.pricing import EXPECTED_COMPLETION_TOKENS, estimate_cost_usd, resolve_price

    completion = papers * EXPECTED_COMPLETION_TOKENS
    batch = config.batch
    price = resolve_price(
        config.llm.model,
        base_url=config.llm.base_url,
        override=config.llm.price,
        batch=batch is not None,
    )
    cost = estimate_cost_usd(price, prompt_tokens=prompt_tokens, completion_tokens=completion)
    files = -(-papers // batch.max_requests) if batch is not None else None
    return DryRunEstimate(
        papers,
        errors,
        skipped,
        f"openai:{config.llm.model}",
        prompt_tokens,
        completion,
        cost,
        batch=batch is not None,
        batch_files=files,
    )
