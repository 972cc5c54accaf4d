"""Measure the downstream commands at scale: peak memory and wall time of compare and export.

Generates a run folder of ``--papers N`` synthetic but realistic records by
perturbing the offline extractor's records of the example page: every copy
gets its own id and title, a share of its dataset, method, task and metric
names gets a new spelling (so the vocabulary keeps growing, as with real
papers), metric values are shifted, and 2% of the papers go to
``errors.jsonl``. Then each command runs as its own subprocess, and its peak
resident memory (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``, read by a
small wrapper process that runs nothing else) and wall time are reported.

``--baseline REF`` runs the same commands with the package as it is at a git
ref (extracted with ``git archive`` into a temporary folder, imported through
``PYTHONPATH``, same interpreter and dependencies), so the figures compare two
versions on the same machine and the same files. ``--user-fields`` gives every
record user-defined fields of each kind (a list whose item names grow the
vocabulary like the built-in names, a quoted boolean, an enum, a quoted number)
and the run folder a ``run.json`` naming their spec, and adds ``compare --by``
a list and a scalar field; a baseline that predates user fields reads the same
records and leaves the fields out, so the two columns show what they cost. This
is a benchmark, not a test: it asserts nothing.

Usage::

    python bench/downstream_memory.py --papers 20000 [--baseline main] [--xlsx] [--html]
        [--user-fields]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_PAGE = ROOT / "examples" / "hf-papers-page.txt"

WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(done.returncode, peak_kib, wall, flush=True)
sys.stderr.write(done.stderr.decode(errors="replace")[-2000:])
"""

COMMANDS: dict[str, list[str]] = {
    "compare (overview)": ["compare", "{run}", "--format", "json"],
    "compare --by datasets": ["compare", "{run}", "--by", "datasets", "--format", "json"],
    "compare --by results": ["compare", "{run}", "--by", "results", "--format", "json"],
    "export csv": ["export", "{run}", "--format", "csv", "-o", "{out}/csv"],
    "export sqlite": ["export", "{run}", "--format", "sqlite", "-o", "{out}/run.sqlite"],
}
XLSX = {"export xlsx": ["export", "{run}", "--format", "xlsx", "-o", "{out}/run.xlsx"]}
HTML = {"export html": ["export", "{run}", "--format", "html", "-o", "{out}/report.html"]}
USER = {
    "compare --by limitations": ["compare", "{run}", "--by", "limitations", "--format", "json"],
    "compare --by modality": ["compare", "{run}", "--by", "modality", "--format", "json"],
}
USER_SPEC: dict[str, Any] = {
    "name": "bench",
    "builtins": True,
    "fields": [
        {"name": "limitations", "type": "list", "description": "Limitations", "evidence": True},
        {"name": "code_released", "type": "boolean", "description": "Code released",
         "evidence": True},
        {"name": "modality", "type": "enum", "description": "Modality", "evidence": False,
         "values": ["text", "image", "audio", "video", "multimodal", "other"]},
        {"name": "parameters", "type": "number", "description": "Parameters", "evidence": True},
    ],
}  # fmt: skip


def example_records() -> list[dict[str, Any]]:
    """The offline extractor's records of the example page (63 papers)."""
    from paperfields.api import run

    with tempfile.TemporaryDirectory() as folder:
        summary = run(EXAMPLE_PAGE, Path(folder) / "run", offline=True, use_env=False)
        lines = summary.records_path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _respell(name: str, rng: random.Random, copy: int) -> str:
    """A new spelling or a new entity, as other papers would write: suffix, version, case."""
    choice = rng.random()
    if choice < 0.4:
        return f"{name}-{copy % 997}"
    if choice < 0.7:
        return f"{name} v{copy % 50}"
    if choice < 0.85:
        return name.lower()
    return f"{name} ({rng.choice(['large', 'base', 'small', 'xl'])})"


def _perturb_value(value: str | None, rng: random.Random) -> str | None:
    if not value:
        return value
    digits = "".join(ch for ch in value if ch.isdigit() or ch == ".")
    try:
        number = float(digits)
    except ValueError:
        return value
    shifted = max(0.0, number * rng.uniform(0.8, 1.2))
    return value.replace(digits, f"{shifted:.1f}", 1)


def perturb(record: dict[str, Any], copy: int, rng: random.Random, share: float) -> dict[str, Any]:
    """One synthetic record from an example record: new id and title, respelled names."""
    out = json.loads(json.dumps(record))
    out["id"] = f"{record['id']}-{copy}"
    out["title"] = f"{record['title']} (variant {copy})"
    fields = out["fields"]
    for name in ("tasks", "methods", "datasets", "metrics"):
        for item in fields[name]:
            if rng.random() < share:
                item["name"] = _respell(item["name"], rng, copy)
    for metric in fields["metrics"]:
        metric["value"] = _perturb_value(metric.get("value"), rng)
        metric.pop("number", None), metric.pop("unit", None), metric.pop("kind", None)
        if metric.get("value") is None and rng.random() < 0.3:
            metric["value"] = f"{rng.uniform(20, 95):.1f}%"
    return out


def _quoted(abstract: str, sentence: str, value: Any) -> dict[str, Any]:
    start = abstract.find(sentence)
    span = [start, start + len(sentence)] if start >= 0 else None
    return {"value": value, "evidence": sentence, "span": span, "grounded": span is not None,
            "match": "exact" if span else None, "name_span": None}  # fmt: skip


def add_user_fields(record: dict[str, Any], copy: int, rng: random.Random, share: float) -> None:
    """Give a record the fields of :data:`USER_SPEC`, quoting its own abstract."""
    abstract = record["abstract"]
    sentences = [s.strip() for s in abstract.split(". ") if len(s.strip()) > 20] or [abstract]
    items = []
    for sentence in rng.sample(sentences, min(len(sentences), rng.randint(1, 3))):
        name = " ".join(sentence.split()[:4])
        if rng.random() < share:
            name = _respell(name, rng, copy)
        items.append({"name": name, **_quoted(abstract, sentence, None)})
        del items[-1]["value"]
    fields = record["fields"]
    fields["limitations"] = items
    released = True if rng.random() < 0.4 else None
    fields["code_released"] = _quoted(abstract, sentences[-1], released)
    if released is None:
        fields["code_released"].update(evidence=None, span=None, grounded=False, match=None)
    fields["modality"] = rng.choice(["text", "image", "audio", "multimodal", None])
    params = rng.choice([7e9, 1.3e9, 3.5e8, 1.1e8, None])
    fields["parameters"] = _quoted(abstract, sentences[0], params)
    if params is None:
        fields["parameters"].update(evidence=None, span=None, grounded=False, match=None)


def generate(run_dir: Path, papers: int, seed: int, share: float, user: bool = False) -> None:
    """Write ``records.jsonl`` (and an ``errors.jsonl`` for 2% of the papers) into ``run_dir``.

    With ``user``, every record gets user-defined fields and ``run.json`` their spec.
    """
    rng = random.Random(seed)
    base = example_records()
    run_dir.mkdir(parents=True, exist_ok=True)
    if user:
        manifest = {"fields_spec": USER_SPEC}
        (run_dir / "run.json").write_text(json.dumps(manifest), encoding="utf-8")
    with (
        open(run_dir / "records.jsonl", "w", encoding="utf-8") as records,
        open(run_dir / "errors.jsonl", "w", encoding="utf-8") as errors,
    ):
        for number in range(papers):
            record = perturb(base[number % len(base)], number, rng, share)
            if user:
                add_user_fields(record, number, rng, share)
            if rng.random() < 0.02:
                entry = {"id": record["id"], "title": record["title"], "stage": "extract",
                         "error_type": "RetriesExhausted", "reason": "server kept failing",
                         "attempts": 6}  # fmt: skip
                errors.write(json.dumps(entry) + "\n")
                continue
            records.write(json.dumps(record, ensure_ascii=False) + "\n")


def baseline_tree(ref: str, into: Path) -> Path:
    """Extract ``pipeline/`` of a git ref into ``into``; return the folder to put on PYTHONPATH."""
    into.mkdir(parents=True, exist_ok=True)
    archive = into / "src.tar"
    with open(archive, "wb") as fp:
        subprocess.run(["git", "archive", ref, "pipeline"], cwd=ROOT, stdout=fp, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "pipeline"


def measure(
    commands: dict[str, list[str]], run_dir: Path, out: Path, pythonpath: str | None
) -> dict[str, tuple[int, float, float]]:
    """Run each command in a fresh wrapper process: ``{name: (returncode, peak MB, wall s)}``."""
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    results: dict[str, tuple[int, float, float]] = {}
    for name, args in commands.items():
        out.mkdir(parents=True, exist_ok=True)
        argv = [a.format(run=run_dir, out=out) for a in args]
        cli = [sys.executable, "-c", "from paperfields.cli import main; main()", *argv]
        done = subprocess.run(
            [sys.executable, "-c", WRAPPER, *cli], capture_output=True, text=True, env=env
        )
        code, peak_kib, wall = done.stdout.split()
        if int(code) not in (0, 1):
            print(f"  {name}: exit {code}: {done.stderr.strip()[-300:]}", file=sys.stderr)
        results[name] = (int(code), int(peak_kib) / 1024, float(wall))
        print(f"  {name:24} peak {int(peak_kib) / 1024:7.0f} MB  {float(wall):7.1f} s", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--respell", type=float, default=0.3, help="share of names respelled")
    parser.add_argument("--baseline", metavar="REF", help="also measure the package at this ref")
    parser.add_argument("--xlsx", action="store_true", help="also export xlsx (slow)")
    parser.add_argument("--html", action="store_true", help="also export the HTML report")
    parser.add_argument("--keep", type=Path, help="generate the run into this folder and keep it")
    parser.add_argument(
        "--user-fields", action="store_true", help="records with user-defined fields, too"
    )
    args = parser.parse_args()
    commands = dict(COMMANDS)
    if args.xlsx:
        commands.update(XLSX)
    if args.html:
        commands.update(HTML)
    if args.user_fields:
        commands.update(USER)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        run_dir = args.keep or tmp / "run"
        started = time.perf_counter()
        if not (run_dir / "records.jsonl").is_file():
            generate(run_dir, args.papers, args.seed, args.respell, args.user_fields)
        size = (run_dir / "records.jsonl").stat().st_size / 1e6
        print(f"{args.papers} papers, records.jsonl {size:.0f} MB "
              f"(generated in {time.perf_counter() - started:.1f} s)")  # fmt: skip
        print("this tree:")
        ours = measure(commands, run_dir, tmp / "out", None)
        if args.baseline:
            print(f"baseline {args.baseline}:")
            tree = baseline_tree(args.baseline, tmp / "baseline")
            theirs = measure(commands, run_dir, tmp / "out-baseline", str(tree))
            print("\n| command | peak MB | wall s | baseline peak MB | baseline wall s |")
            print("|---|---|---|---|---|")
            for name, (_, peak, wall) in ours.items():
                code, base_peak, base_wall = theirs[name]
                base = f"{base_peak:.0f} | {base_wall:.1f}" if code in (0, 1) else "n/a | n/a"
                print(f"| `{name}` | {peak:.0f} | {wall:.1f} | {base} |")


if __name__ == "__main__":
    main()
