"""Talking to a model: the backend, its cache, prompts, prices and recorded exchanges.

:mod:`.backend` and :mod:`.batch` are the only modules that import the ``openai``
SDK (output modes, tenacity retries, rate limit; the Files and Batches endpoints
of the Batch API); :mod:`.cache` keeps validated answers in
diskcache; :mod:`.prompts` loads versioned prompt files; :mod:`.pricing` turns
token usage into dollars; :mod:`.recording` saves and replays HTTP exchanges.
:mod:`paperfields.extract.llm` puts them together for one paper.
"""
