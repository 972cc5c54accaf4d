"""Comparing the papers of a run: the run index, the result shapes and their text tables.

:mod:`.index` streams a run's ``records.jsonl`` once into a :class:`~.index.RunIndex`
(canonical names, groups, matrices, side-by-side views); :mod:`.views` holds the
result shapes; :mod:`.tables` renders them for the terminal, Markdown or CSV.
A run's user-defined fields (:mod:`.userfields`) become mentions too
(:mod:`.user_mentions`), so every view takes them. The exporters
(:mod:`paperfields.export`) build on the same index.
"""
