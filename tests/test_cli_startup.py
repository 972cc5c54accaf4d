"""Start-up: ``paperfields --help`` loads no command, and the lazy group lists every command."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner
from paperfields.cli import COMMANDS, main

HEAVY = (
    "openai",
    "httpx2",
    "pydantic",
    "rich",
    "diskcache",
    "rapidfuzz",
    "openpyxl",
    "paperfields.schemas",
    "paperfields.orchestrator",
    "paperfields.compare",
    "paperfields.evaluate",
    "paperfields.export",
    "paperfields.cli.run",
)

PROBE = """
import json, sys
from paperfields.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def test_help_imports_no_command_no_sdk_no_pydantic_and_no_rich() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = json.loads(done.stdout.splitlines()[-1])
    assert "Commands:" in done.stdout
    heavy = [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert heavy == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_listed_command_loads_with_the_help_line_the_group_shows(name: str) -> None:
    entry = COMMANDS[name]
    command = getattr(importlib.import_module(f"paperfields.cli.{entry.module}"), entry.attribute)
    assert isinstance(command, click.Command) and command.name == name
    shown = click.Command(name, help=entry.help)
    for limit in (45, 200):
        assert command.get_short_help_str(limit) == shown.get_short_help_str(limit)


def test_help_lists_every_command_and_each_one_runs() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"  {name} " in result.output
    assert CliRunner().invoke(main, ["schema", "--help"]).exit_code == 0
    assert CliRunner().invoke(main, ["nope"]).exit_code == 2
