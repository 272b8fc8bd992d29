"""Evaluation against gold data.

``gold`` reads ``eventwire-gold/1`` files; ``events`` scores predicted events against them.
Scorers for other tasks (places, dates, attribution) sit beside ``events`` as their own modules.
"""

from eventwire.eval.events import (
    ArticleResult,
    FieldCheck,
    Match,
    Report,
    evaluate,
    match_article,
    score_articles,
)
from eventwire.eval.gold import (
    GoldArticle,
    GoldEvent,
    GoldFormatError,
    GoldParty,
    GoldQuantity,
    load_gold_dir,
    load_gold_file,
)

__all__ = [
    "ArticleResult",
    "FieldCheck",
    "GoldArticle",
    "GoldEvent",
    "GoldFormatError",
    "GoldParty",
    "GoldQuantity",
    "Match",
    "Report",
    "evaluate",
    "load_gold_dir",
    "load_gold_file",
    "match_article",
    "score_articles",
]
