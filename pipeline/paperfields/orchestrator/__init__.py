"""The orchestrator: the only package that knows the order of the stages.

``ingest -> extract -> ground -> records.jsonl`` runs as one stream
(:mod:`.runner`): papers are read one at a time, chosen (:mod:`.selection`:
``--limit``, ``--sample``), handed to a bounded pool of workers (:mod:`.pool`),
grounded and wrapped into records (:mod:`.records`), and appended by the sink
(:mod:`.sink`) as each finishes. A rerun resumes from what the run folder
already holds (:mod:`.resume`); ``run.json`` is the manifest (:mod:`.manifest`);
the display is :mod:`.progress` and ``--dry-run`` is :mod:`.dryrun`. With
``--batch`` the pool is replaced by :mod:`.batch` (the OpenAI Batch API: input
files :mod:`.batch_spool`, state :mod:`.batch_state`, collection
:mod:`.batch_collect`, ``batch status|cancel`` :mod:`.batch_control`).

The public entry points (``run_pipeline``, ``ingest_stage``, ``extract_stage``)
are re-exported by :mod:`paperfields`; this package itself imports nothing, so
loading one of its modules does not load the others.
"""
