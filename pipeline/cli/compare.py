"""Commands of the `compare` family (filled in by its own change)."""

from __future__ import annotations

import click

commands: list[click.Command] = []
