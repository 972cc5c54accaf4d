"""The offline extractor's learned components: small logistic classifiers over candidates.

Where the rules stall, three classifiers over the binary features of :mod:`.features`
decide: whether a method, task or metric mention is kept (``keep_methods``,
``keep_tasks``, ``keep_metrics``), which method is the paper's own when the rules name
none or doubt remains (``proposed``), and which figure in a metric's sentence is its
value (``value``). Their weights are plain JSON shipped with the package
(``paperfields/data/offline_model.json``), written by the deterministic training script
``bench/train_offline_model.py`` from the ``dev`` parts of the three guideline-labelled
gold files only (the example page, the SciREX abstracts labelled under the same
guidelines and the recent arXiv abstracts); the script chose each model's
regularisation, features and threshold by cross-validation inside those parts. Applying
them is a dictionary look-up and a sum per candidate, so the extractor stays fast and
needs nothing beyond the standard library.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["MODEL_FILE", "Model", "load_models", "model", "use_models"]

MODEL_FILE = "data/offline_model.json"
_override: list[Mapping[str, Model]] = []


@dataclass(frozen=True, slots=True)
class Model:
    """One logistic classifier: bias, feature weights and the decision threshold.

    Args:
        bias: the intercept.
        weights: weight per binary feature name (absent features weigh 0).
        threshold: a candidate is accepted when its probability is at least this.
        enabled: whether the extractor applies the model (cross-validation may
            find that it does not help, and then the rules decide alone).
        beside_rules: the ``proposed`` model's threshold for adding a name to those the
            rules already call the paper's own (stricter than ``threshold``, which
            applies where the rules name none); None means ``threshold``.
    """

    bias: float
    weights: Mapping[str, float]
    threshold: float
    enabled: bool = True
    beside_rules: float | None = None

    def probability(self, features: Iterable[str]) -> float:
        """The probability that a candidate with these active features is accepted."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def accepts(self, features: Iterable[str]) -> bool:
        """Whether the probability reaches the threshold."""
        return self.probability(features) >= self.threshold

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Model:
        """Read a model from its JSON object (``bias``, ``weights``, ``threshold``,
        ``enabled`` and, for ``proposed``, ``beside_rules_threshold``)."""
        beside = data.get("beside_rules_threshold")
        return cls(
            bias=float(data["bias"]),
            weights={str(k): float(v) for k, v in data["weights"].items()},
            threshold=float(data["threshold"]),
            enabled=bool(data.get("enabled", True)),
            beside_rules=None if beside is None else float(beside),
        )


@cache
def load_models() -> dict[str, Model]:
    """The shipped models by name, read once from the package data.

    Returns:
        ``{"keep_methods": Model, ...}``; empty when the file is absent.
    """
    path = resources.files("paperfields").joinpath(MODEL_FILE)
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: Model.from_json(spec) for name, spec in data["models"].items()}


def model(name: str) -> Model | None:
    """The model of that name in use (the shipped one unless :func:`use_models` says
    otherwise) when it is enabled, else None."""
    found = (_override[-1] if _override else load_models()).get(name)
    return found if found is not None and found.enabled else None


@contextmanager
def use_models(models: Mapping[str, Model]) -> Iterator[None]:
    """Apply other models inside the block: cross-validation (each fold's models on its
    held-out papers) and tests; ``{}`` lets the rules decide alone.

    Args:
        models: models by name, as :func:`load_models` gives them.
    """
    _override.append(models)
    try:
        yield
    finally:
        _override.pop()
