"""Make docs/report.png: the HTML report of a run, searched and with one paper open.

Writes the run's report, loads it in headless chromium inside a small page that
types a search and opens a paper (as a reader would), and saves the screenshot.

Usage::

    python docs/report_screenshot.py outputs/hf-papers-page [--search embedding] [--open 2]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from paperfields.compare.index import open_run
from paperfields.export.html_report import write_report

HARNESS = """<!DOCTYPE html><html><head><meta charset="utf-8">
<style>body {{ margin: 0 }} iframe {{ border: 0 }}</style></head><body>
<iframe id="f" src="report.html" width="1280" height="{height}"></iframe>
<script>
document.getElementById("f").addEventListener("load", function () {{
  var d = this.contentDocument, w = this.contentWindow, box = d.getElementById("search");
  box.value = {search!r}; box.dispatchEvent(new w.Event("input"));
  d.querySelectorAll("#papers a.pref")[{open}].click();
  w.scrollTo(0, 0);
}});
</script></body></html>
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--search", default="embedding")
    parser.add_argument("--open", type=int, default=1, help="which listed paper to open (0-based)")
    parser.add_argument("--height", type=int, default=1500)
    parser.add_argument("-o", "--out", type=Path, default=Path(__file__).with_name("report.png"))
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("chromium is not installed")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        write_report(open_run(args.run_dir), tmp / "report.html")
        harness = HARNESS.format(height=args.height, search=args.search, open=args.open)
        (tmp / "harness.html").write_text(harness, encoding="utf-8")
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu",
             "--allow-file-access-from-files", f"--user-data-dir={tmp / 'profile'}",
             f"--screenshot={args.out.resolve()}",
             f"--window-size=1280,{args.height}", "--virtual-time-budget=3000",
             (tmp / "harness.html").as_uri()],
            check=True, capture_output=True,
        )  # fmt: skip
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
