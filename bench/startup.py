"""Start-up time of the command line: ``paperfields --help`` against a bare ``python -c pass``.

Runs each command ``--repeat`` times (default 20) as a fresh process, in
alternation, and reports the median wall time of each, their difference (what
paperfields itself adds) and which heavy modules ``--help`` loaded (none is the
goal: commands are imported when they run)::

    python bench/startup.py
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])

from llm_throughput import paperfields_command  # noqa: E402

PROBE = (
    "import sys\nfrom paperfields.cli import main\ntry:\n    main(['--help'])\n"
    "except SystemExit:\n    pass\n"
    "print(sorted(m for m in sys.modules if m.split('.')[0] in "
    "('openai', 'pydantic', 'rich', 'httpx2', 'diskcache', 'rapidfuzz')))"
)


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    help_command = paperfields_command() + ["--help"]
    bare_command = [sys.executable, "-c", "pass"]
    times: dict[str, list[float]] = {"help": [], "python": []}
    for _ in range(args.repeat):
        times["help"].append(wall(help_command))
        times["python"].append(wall(bare_command))
    median = {name: statistics.median(values) for name, values in times.items()}
    probe = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    heavy = probe.stdout.strip().splitlines()[-1]
    result = {**median, "added_s": median["help"] - median["python"]}
    print(f"paperfields --help  median {median['help']:.3f}s over {args.repeat} runs")
    print(f"python -c pass      median {median['python']:.3f}s")
    print(f"added by paperfields: {result['added_s']:.3f}s; heavy modules loaded: {heavy}")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
