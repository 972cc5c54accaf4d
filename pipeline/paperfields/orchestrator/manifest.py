"""``run.json``: the manifest of a run folder, written at the start and the end of every run.

It records what went in (each input with its format, size and sha256), what
made the records (extractor, model, prompt and schema versions and hashes,
the settings that change answers, and the whole user-defined fields spec when
there is one, so a run folder names the fields its records carry), what came
out (counts in this run and in the folder as a whole) and what it cost
(tokens, dollars, seconds). The API key is never written; the base URL is
written without credentials.
"""

from __future__ import annotations

import datetime as _dt
import platform
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from ..config import RunConfig, public_base_url
from ..ingest import IngestReport
from ..io.jsonl import count_lines, write_json_atomic
from ..io.runfolder import ERRORS_FILE, MANIFEST_FILE, RECORDS_FILE
from ..schemas import FIELDS_SCHEMA_VERSION, fields_schema_sha256
from .summary import RunSummary

__all__ = ["build_manifest"]


def _version() -> str:
    try:
        return metadata.version("paperfields")
    except metadata.PackageNotFoundError:  # running from a source tree
        return "unknown"


def _peak_rss_mb() -> float | None:
    """This process's peak resident memory in MB (None where the OS does not say).

    Linux's ``VmHWM`` first: ``ru_maxrss`` keeps the peak of the process that
    started this one (it survives ``exec``), so it overstates a small child of a big parent.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:  # not on a Unix
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1 << 20 if sys.platform == "darwin" else 1 << 10), 1)


def _extractor_settings(config: RunConfig) -> dict[str, Any]:
    if not config.uses_llm:
        return {"kind": "offline"}
    llm = config.llm
    return {
        "kind": "openai",
        "model": llm.model,
        "base_url": public_base_url(llm.base_url),
        "mode": llm.mode,
        "prompt_version": llm.prompt_version,
        "temperature": llm.temperature,
        "max_tokens": llm.max_tokens,
        "concurrency": llm.concurrency,
        "timeout_s": llm.timeout_s,
        "max_attempts": llm.max_attempts,
        "repair_attempts": llm.repair_attempts,
        "rpm": llm.rpm,
        "cache": str(llm.resolved_cache_dir) if llm.use_cache else None,
        "record": str(llm.record_path) if llm.record_path else None,
        "replay": str(llm.replay_path) if llm.replay_path else None,
    }


def build_manifest(
    summary: RunSummary,
    *,
    config: RunConfig,
    inputs: Sequence[Path],
    report: IngestReport | None,
    write: bool,
) -> dict[str, Any]:
    """Build the manifest for ``summary`` and (when ``write``) save it as ``run.json``."""
    stats = summary.stats
    now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    elapsed = stats.elapsed_s
    ingest = (
        report.to_dict() if report is not None else {"inputs": [{"path": str(p)} for p in inputs]}
    )
    manifest: dict[str, Any] = {
        "paperfields": _version(),
        "python": platform.python_version(),
        "status": summary.status,
        "updated_at": now,
        "out_dir": str(summary.out_dir),
        "ingest": ingest,
        "extractor": summary.extractor,
        "identity": summary.identity.model_dump() if summary.identity is not None else None,
        "settings": _extractor_settings(config),
        "selection": {"limit": config.limit, "sample": config.sample, "seed": config.seed},
        "schema": {
            "version": FIELDS_SCHEMA_VERSION,
            "sha256": summary.identity.schema_sha256
            if summary.identity is not None
            else fields_schema_sha256(),
        },
        "fields_spec": config.fields.to_dict() if config.fields is not None else None,
        "max_items_per_field": config.max_items_per_field,
        "counts": {
            "this_run": {
                "extracted": stats.done,
                "ok": stats.ok,
                "failed": stats.failed,
                "skipped_existing": stats.skipped,
                "ingest_errors": summary.ingest_errors,
                "pending": summary.pending,
                "superseded": summary.superseded,
                "invalid_records": summary.invalid_records,
                "papers_capped": stats.papers_capped,
                "items_dropped": stats.items_dropped,
                "fuzzy_skipped": stats.fuzzy_skipped,
            },
            "records": count_lines(summary.out_dir / RECORDS_FILE),
            "errors": count_lines(summary.out_dir / ERRORS_FILE),
        },
        "usage": stats.usage.model_dump(),
        "cost_usd": round(stats.cost_usd, 6) if stats.cost_known else None,
        "requests": stats.requests,
        "retries": stats.retries,
        "repairs": stats.repairs,
        "cache_hits": stats.cache_hits,
        "timings": {
            "wall_s": round(elapsed, 3),
            "papers_per_s": round(stats.done / elapsed, 1) if elapsed > 0 and stats.done else None,
            "loop_max_stall_ms": round(stats.loop_max_stall_s * 1000, 1),
            "peak_rss_mb": _peak_rss_mb(),
        },
        "max_cost_usd": config.max_cost_usd,
        "notices": list(stats.notices),
    }
    if summary.batch is not None:
        manifest["batch"] = summary.batch
    if write:
        write_json_atomic(summary.out_dir / MANIFEST_FILE, manifest)
    return manifest
