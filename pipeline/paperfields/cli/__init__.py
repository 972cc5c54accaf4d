"""The ``paperfields`` command line: one click group, one module per command family.

Each command is thin: it builds a :class:`~paperfields.config.RunConfig`, calls
one library function and prints a summary. Exit codes: 0 when every paper is
ok, 1 when some papers failed (they are listed in ``errors.jsonl``), 2 for a
usage or input error. A :class:`~paperfields.errors.PipelineError` becomes a
one-line message on stderr; set ``PAPERFIELDS_RAISE_ERRORS=1`` to see the
traceback instead.
"""

from __future__ import annotations

import click

from . import batch as _batch
from . import cache as _cache
from . import compare as _compare
from . import evaluate as _evaluate
from . import export as _export
from . import run as _run

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="paperfields")
def main() -> None:
    """Turn scientific paper abstracts into validated, structured, comparable records.

    Start with `paperfields run examples/hf-papers-page.txt`.
    """


for _module in (_run, _compare, _export, _evaluate, _cache, _batch):
    for _command in _module.commands:
        main.add_command(_command)
