"""File plumbing every stage shares: JSON Lines, whole-or-nothing writes, run-folder names.

:mod:`.jsonl` streams and appends JSON lines, :mod:`.atomic` writes a file
whole or not at all, :mod:`.runfolder` names the files of a run folder and
:mod:`.cells` makes text safe for spreadsheet cells. Nothing here knows about
stages; everything above may use it.
"""
