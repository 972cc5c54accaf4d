"""Commands of the `export` family (filled in by its own change)."""

from __future__ import annotations

import click

commands: list[click.Command] = []
