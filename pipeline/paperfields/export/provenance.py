"""The run/provenance table of an export: what made these records, when, and how many.

A :class:`ProvenanceCollector` watches the records stream by (extractors,
models, prompts, schema versions and hashes, user-defined fields specs, cache
hits, tokens, cost) and,
at the end, :meth:`~ProvenanceCollector.rows` adds the run folder's
``run.json`` (inputs, settings, last update) and the export's own facts (when,
which paperfields, rows per table) as ``(key, value)`` pairs: the ``run``
table of SQLite and the Run sheet of XLSX. A run made with a fields spec names
it: ``fields_spec.name`` and ``fields_spec.sha256`` (the records' most common
spec), ``fields_specs`` (every spec with its count) and ``run.fields_spec``
(the whole spec from ``run.json``).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from ..schemas import Record

__all__ = ["ProvenanceCollector"]


def _version() -> str:
    try:
        return metadata.version("paperfields")
    except metadata.PackageNotFoundError:
        return "unknown"


def _joined(counter: Counter[str]) -> str:
    return "; ".join(f"{name} ({n})" for name, n in counter.most_common())


class ProvenanceCollector:
    """Counts what made the records, as they stream by."""

    def __init__(self) -> None:
        self.extractors: Counter[str] = Counter()
        self.prompts: Counter[str] = Counter()
        self.schemas: Counter[str] = Counter()
        self.modes: Counter[str] = Counter()
        self.fields_specs: Counter[tuple[str, str]] = Counter()
        self.cache_hits = 0
        self.tokens = Counter[str]()
        self.cost = 0.0
        self.priced = 0

    def add(self, record: Record) -> None:
        """Count one record's provenance."""
        p = record.provenance
        self.extractors[p.extractor] += 1
        if p.prompt is not None:
            self.prompts[f"{p.prompt.name}/{p.prompt.version} ({p.prompt.sha256[:12]})"] += 1
        self.schemas[f"{p.schema_version} ({p.schema_sha256[:12]})"] += 1
        if p.mode:
            self.modes[p.mode] += 1
        if p.fields_spec is not None:
            self.fields_specs[(p.fields_spec.name, p.fields_spec.sha256)] += 1
        self.cache_hits += p.cache_hit
        self.tokens.update(prompt=p.usage.prompt_tokens, completion=p.usage.completion_tokens)
        if p.cost_usd is not None:
            self.cost += p.cost_usd
            self.priced += 1

    def rows(
        self, run_dir: Path, records_path: Path, counts: dict[str, int], failed: int
    ) -> list[tuple[str, str]]:
        """The ``(key, value)`` rows of the run table.

        Args:
            run_dir: The run folder (its ``run.json`` is read when present).
            records_path: The records file exported.
            counts: Rows written per table.
            failed: Papers that failed (records with status failed and ``errors.jsonl``).
        """
        models = Counter(
            {e.split(":", 1)[1]: n for e, n in self.extractors.items() if e.startswith("openai:")}
        )
        rows: list[tuple[str, Any]] = [
            ("exported_at", datetime.now(timezone.utc).isoformat(timespec="seconds")),
            ("exported_by", f"paperfields {_version()}"),
            ("run_dir", str(run_dir)),
            ("records_file", str(records_path)),
            ("papers", counts.get("papers", 0)),
            ("failed_papers", failed),
            ("extractors", _joined(self.extractors)),
            ("models", _joined(models) or None),
            ("prompts", _joined(self.prompts) or None),
            ("schemas", _joined(self.schemas)),
            ("output_modes", _joined(self.modes) or None),
            ("cache_hits", self.cache_hits),
            ("prompt_tokens", self.tokens["prompt"]),
            ("completion_tokens", self.tokens["completion"]),
            ("cost_usd", round(self.cost, 6) if self.priced else None),
        ]
        if self.fields_specs:
            (name, sha256), _ = self.fields_specs.most_common(1)[0]
            specs = Counter({f"{n} ({h[:12]})": c for (n, h), c in self.fields_specs.items()})
            rows += [("fields_spec.name", name), ("fields_spec.sha256", sha256),
                     ("fields_specs", _joined(specs))]  # fmt: skip
        rows += [(f"rows.{name}", n) for name, n in counts.items()]
        manifest = run_dir / "run.json"
        if manifest.is_file():
            try:
                run = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                run = {}
            if isinstance(run, dict):
                rows += [
                    ("run.updated_at", run.get("updated_at")),
                    ("run.status", run.get("status")),
                    ("run.paperfields", run.get("paperfields")),
                    ("run.extractor", run.get("extractor")),
                    ("run.settings", json.dumps(run.get("settings"), sort_keys=True)),
                    ("run.inputs", json.dumps(
                        [{k: i.get(k) for k in ("path", "format", "sha256", "papers")}
                         for i in (run.get("ingest") or {}).get("inputs", [])
                         if isinstance(i, dict)])),
                    ("run.wall_s", (run.get("timings") or {}).get("wall_s")),
                ]  # fmt: skip
                if run.get("fields_spec") is not None:
                    spec = json.dumps(run["fields_spec"], sort_keys=True, ensure_ascii=False)
                    rows.append(("run.fields_spec", spec))
        return [(key, "" if value is None else str(value)) for key, value in rows]
