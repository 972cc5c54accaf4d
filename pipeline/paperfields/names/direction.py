"""Which way a metric is better: accuracy up, error and perplexity down, unknown otherwise.

:func:`metric_direction` reads the words of a metric name (as written or
canonical) against two short lists of well-known metrics. A word that means a
cost or an error wins over one that means a score: "top-1 error" and "word
error rate" are lower is better. Names it does not know ("record-high score",
"quality") get None, and a leaderboard keeps their entries in paper order and
says so.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["Direction", "metric_direction"]

Direction = Literal["higher", "lower"]

_HIGHER = frozenset(
    {
        "accuracy", "accuracies", "acc", "f1", "f", "fscore", "f-score", "precision", "recall",
        "map", "ap", "auc", "auroc", "auprc", "mrr", "ndcg", "bleu", "rouge", "meteor", "cider",
        "spice", "chrf", "em", "exact", "hit", "hits", "pass", "success", "win", "iou", "miou",
        "psnr", "ssim", "clip", "correlation", "correlations", "spearman", "pearson", "kendall",
        "tau", "r2", "throughput", "speedup", "bertscore", "mauve", "agreement", "kappa",
        "coverage", "fidelity", "mcc", "sacrebleu", "top1", "top5", "p", "r",
    }
)  # fmt: skip
_LOWER = frozenset(
    {
        "error", "errors", "err", "wer", "cer", "ter", "perplexity", "ppl", "loss", "fid",
        "kid", "lpips", "latency", "mse", "rmse", "mae", "eer", "runtime", "cost", "costs",
        "memory", "flops", "bpc", "bpb", "distance", "ece", "fpr", "far", "frr", "miss",
        "hallucination", "hallucinations", "toxicity", "regret", "time",
    }
)  # fmt: skip
_WORD = re.compile(r"[a-z]+\d*|\d+")


def metric_direction(name: str) -> Direction | None:
    """Return ``"higher"`` or ``"lower"`` when the metric's better direction is known, else None.

    Args:
        name: The metric name, as written or canonical (``"top-1 accuracy"``,
            ``"WER"``, ``"Recall@1"``, ``"CLIP-I score"``).
    """
    words = _WORD.findall(name.casefold().replace("top-", "top"))
    verdict: Direction | None = None
    for position, word in enumerate(words):
        stem = word.rstrip("0123456789") or word
        if stem in ("p", "r") and not (position + 1 < len(words) and words[position + 1].isdigit()):
            continue  # "P@1", "R@10" only; a lone letter says nothing
        if stem in _LOWER or word in _LOWER:
            verdict = "lower"
        elif (stem in _HIGHER or word in _HIGHER) and verdict != "lower":
            verdict = "higher"
    return verdict
