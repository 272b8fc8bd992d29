"""Arithmetic every scorer shares: precision, recall and F1 from counts, and adding up
per-document tallies."""

from __future__ import annotations

from dataclasses import fields
from typing import Any


def precision_recall_f1(
    hits_predicted: int, predicted: int, hits_gold: int, gold: int
) -> dict[str, float]:
    """Precision (hits among the predictions), recall (hits among the gold) and F1, rounded
    to four places. The two hit counts differ only where matching is not one to one."""
    p = hits_predicted / predicted if predicted else 0.0
    r = hits_gold / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def add_counts(total: Any, other: Any) -> None:
    """Add a tally dataclass's integer fields into another of its kind, field by field."""
    for spec in fields(total):
        value = getattr(total, spec.name)
        if isinstance(value, int) and not isinstance(value, bool):
            setattr(total, spec.name, value + getattr(other, spec.name))
