"""The offline extractor: rules and lexicons, no network, no model download.

:mod:`.extractor` is the entry point (:class:`~.extractor.OfflineExtractor`,
:func:`~.extractor.extract_fields`); it splits sentences (:mod:`.sentences`),
finds typed mentions (:mod:`.mentions`: acronyms, chunks, head nouns, known
names), narrows them to entity spans (:mod:`.refine`), finds the paper's own
method (:mod:`.proposed`), reads the figures metrics state (:mod:`.figures`), attaches
attributes (:mod:`.attributes`: roles, a figure's dataset and method) and
picks claims and a summary (:mod:`.claims`). Word lists live in
``paperfields/data/lexicons/`` (:mod:`.lexicons`).
"""
