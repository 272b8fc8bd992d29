"""Which part of an evaluation set is for tuning and which is only ever scored.

Before anything was tuned or trained on a set, a share of it was set aside: its errors are
never read while developing, and every report gives its score beside the tuned part's, so
that the README shows how much of a gain carries over to text nobody looked at. The split is
a hash of the set's name and each unit's key (an article, a document, a snippet), so it is the
same on every machine and does not move when the set grows:

==================  =======================  =========================================
set                 unit (never split)       held out
==================  =======================  =========================================
dev-news            article                  about 40%
case2021-dev        snippet                  about 40%
ipe-dev             article (``doc_id``)     about 40%
news-sentences      article (``doc``)        about 40%; the learned model trains on the
                                             rest only
==================  =======================  =========================================

The seed article and ``plover-gsr`` are not split: earlier releases were tuned on all of them
(the PLOVER project's other half is kept apart by the maintainers).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Literal

Part = Literal["tune", "held-out"]
SPLIT_SETS = frozenset({"dev-news", "case2021-dev", "ipe-dev", "news-sentences"})
PARTS: tuple[Part, ...] = ("tune", "held-out")
HELD_OUT_PERCENT = 40


def part_of(set_name: str, key: str | int) -> Part:
    """The part of ``set_name`` that the unit ``key`` belongs to."""
    digest = hashlib.sha256(f"eventwire-split/{set_name}/{key}".encode()).digest()
    return "held-out" if int.from_bytes(digest[:4], "big") % 100 < HELD_OUT_PERCENT else "tune"


def select(set_name: str, keys: Iterable[str | int], part: Part | None) -> set[str | int]:
    """The keys of ``part`` (all of them for None)."""
    return {k for k in keys if part is None or part_of(set_name, k) == part}
