"""The event scorer: match predicted events to gold events and count what agrees.

A prediction matches a gold event when its type is one the gold accepts and the actor and
recipient countries agree (in either order where the gold is ``symmetric`` or the prediction
is ``reciprocal``). Predictions and gold events are paired one to one by an exact maximum-weight
assignment: as many required gold events as possible, then as many optional ones, then the
pairs whose fields (status, source, date, place, mode, quantities) agree best.

Required gold matched: true positives. Optional gold matched: neither rewarded nor punished.
Unmatched predictions: false positives. Unmatched required gold: false negatives. Field accuracy
is counted over the matched required pairs, for each field the gold gives.
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from eventwire.eval.gold import GoldArticle, GoldEvent, GoldParty, GoldQuantity, load_gold_dir
from eventwire.eval.splits import PARTS, SPLIT_SETS, part_of
from eventwire.model import Actor, Event, Quantity

FIELDS: tuple[str, ...] = ("status", "source", "date", "location", "mode", "quantities")

Extractor = Callable[[str, date | None], list[Event]]


# --- loose text comparison -------------------------------------------------------------------

def _fold(text: str) -> str:
    """Lower case, accents and punctuation removed, single spaces; a leading 'the' dropped."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("\u2019", "'").replace(".", "")  # "U.S." and "US" are the same name
    text = re.sub(r"[^\w']+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def loose_match(a: str | None, b: str | None) -> bool:
    """True when one name contains the other as whole words, ignoring case and 'the'."""
    if not a or not b:
        return False
    fa, fb = _fold(a), _fold(b)
    if not fa or not fb:
        return False
    return f" {fa} " in f" {fb} " or f" {fb} " in f" {fa} "


def _singular(text: str) -> str:
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in _fold(text).split())


_WORD = re.compile(r"[a-z0-9]{3,}")


def _evidence_overlap(gold: GoldEvent, pred: Event) -> int:
    """0..9: the share of the gold evidence's words found in the predicted evidence."""
    if not gold.evidence or pred.evidence is None:
        return 0
    gold_words = set(_WORD.findall(_fold(gold.evidence)))
    if not gold_words:
        return 0
    pred_words = set(_WORD.findall(_fold(pred.evidence.text)))
    return int(9 * len(gold_words & pred_words) / len(gold_words))


# --- matching --------------------------------------------------------------------------------

def _country(actor: Actor | None) -> str | None:
    if actor is None or not actor.country:
        return None
    return actor.country.strip().upper()


def _party_ok(gold: GoldParty | None, actor: Actor | None) -> bool:
    """Gold without a country accepts anyone (and no one); otherwise the codes must agree, or
    the party have no country where the gold's list holds a null."""
    if gold is None or gold.countries is None:
        return True
    country = _country(actor)
    if country is None:
        return gold.accepts_none
    return country in gold.countries


def orientation(gold: GoldEvent, pred: Event) -> str | None:
    """How ``pred`` can match ``gold``: "same", "reversed", or None when it cannot."""
    if pred.event_type not in gold.event_types:
        return None
    if _party_ok(gold.actor, pred.actor) and _party_ok(gold.recipient, pred.recipient):
        return "same"
    if gold.symmetric or pred.reciprocal:
        if _party_ok(gold.actor, pred.recipient) and _party_ok(gold.recipient, pred.actor):
            return "reversed"
    return None


@dataclass
class FieldCheck:
    """One scored field of a matched pair."""

    name: str
    correct: bool
    gold: object
    predicted: object


def check_fields(gold: GoldEvent, pred: Event) -> list[FieldCheck]:
    """The fields the gold gives, each marked right or wrong for this prediction."""
    checks: list[FieldCheck] = []
    if gold.status_informative:
        checks.append(FieldCheck("status", pred.status in gold.status, gold.status, pred.status))
    if gold.source is not None:
        src = pred.attribution.source if pred.attribution is not None else None
        ok = any(loose_match(src, s) for s in gold.source)
        checks.append(FieldCheck("source", ok, gold.source, src))
    if gold.date is not None:
        value = pred.date.value if pred.date is not None else None
        ok = value is not None and value.strip()[:10] in {d.strip()[:10] for d in gold.date}
        checks.append(FieldCheck("date", ok, gold.date, value))
    if gold.location_country is not None or gold.location_names is not None:
        loc = pred.location
        ok = False
        shown = None
        if loc is not None:
            shown = f"{loc.name or loc.text} ({loc.country or '?'})"
            if gold.location_country and loc.country:
                ok = loc.country.strip().upper() in gold.location_country
            if not ok and gold.location_names:
                ok = any(
                    loose_match(candidate, name)
                    for candidate in (loc.name, loc.text)
                    for name in gold.location_names
                )
        wanted = list(gold.location_country or ()) + list(gold.location_names or ())
        checks.append(FieldCheck("location", ok, tuple(wanted), shown))
    if gold.mode is not None:
        accepted = {m.strip().casefold() if m else None for m in gold.mode}
        mode = pred.mode.strip().casefold() if pred.mode else None
        checks.append(FieldCheck("mode", mode in accepted, gold.mode, pred.mode))
    if gold.quantities is not None:
        ok = all(_quantity_found(g, pred.quantities) for g in gold.quantities)
        wanted = tuple(f"{g.value:g} {g.item or g.unit or ''}".strip() for g in gold.quantities)
        got = tuple(q.text for q in pred.quantities)
        checks.append(FieldCheck("quantities", ok, wanted, got))
    return checks


def _quantity_found(gold: GoldQuantity, predicted: list[Quantity]) -> bool:
    """A predicted quantity with the gold's value, and its item and unit where the gold has them."""
    for q in predicted:
        if q.value is None or abs(q.value - gold.value) > 1e-9:
            continue
        if gold.unit and (q.unit or "").casefold() != gold.unit.casefold():
            continue
        if gold.item and f" {_singular(gold.item)} " not in f" {_singular(q.item or q.text)} ":
            continue
        return True
    return False


def _max_weight_assignment(weights: list[list[int]]) -> list[tuple[int, int]]:
    """Row/column pairs of maximum total weight (Hungarian method); weight 0 means no edge."""
    rows = len(weights)
    cols = len(weights[0]) if rows else 0
    if rows == 0 or cols == 0:
        return []
    flipped = rows > cols
    if flipped:
        weights = [list(col) for col in zip(*weights, strict=True)]
        rows, cols = cols, rows
    # Minimum-cost assignment of every row to a distinct column, cost = -weight;
    # potentials u (rows) and v (columns), 1-based with column 0 as the free start.
    inf = float("inf")
    u = [0] * (rows + 1)
    v = [0] * (cols + 1)
    owner = [0] * (cols + 1)
    way = [0] * (cols + 1)
    for i in range(1, rows + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (cols + 1)
        used = [False] * (cols + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            delta = inf
            j1 = 0
            for j in range(1, cols + 1):
                if used[j]:
                    continue
                cur = -weights[i0 - 1][j - 1] - u[i0] - v[j]
                if cur < minv[j]:
                    minv[j] = cur
                    way[j] = j0
                if minv[j] < delta:
                    delta = minv[j]
                    j1 = j
            for j in range(cols + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    pairs = [(owner[j] - 1, j - 1) for j in range(1, cols + 1) if owner[j]]
    if flipped:
        pairs = [(c, r) for r, c in pairs]
        weights = [list(col) for col in zip(*weights, strict=True)]
    return sorted((r, c) for r, c in pairs if weights[r][c] > 0)


@dataclass
class Match:
    """A prediction paired with a gold event."""

    gold: GoldEvent
    predicted: Event
    reversed: bool
    fields: list[FieldCheck]

    @property
    def field_errors(self) -> list[FieldCheck]:
        return [f for f in self.fields if not f.correct]


@dataclass
class ArticleResult:
    """The score of one article."""

    article_id: str
    gold: GoldArticle
    predicted: list[Event]
    matches: list[Match]
    optional_matches: list[Match]
    misses: list[GoldEvent]
    false_positives: list[Event]
    seconds: float = 0.0

    @property
    def tp(self) -> int:
        return len(self.matches)

    @property
    def fp(self) -> int:
        return len(self.false_positives)

    @property
    def fn(self) -> int:
        return len(self.misses)

    @property
    def required(self) -> int:
        return self.tp + self.fn

    def field_counts(self) -> dict[str, tuple[int, int]]:
        """Per field: (correct, total) over the matched required pairs."""
        counts = {name: [0, 0] for name in FIELDS}
        for m in self.matches:
            for check in m.fields:
                counts[check.name][1] += 1
                counts[check.name][0] += int(check.correct)
        return {k: (v[0], v[1]) for k, v in counts.items()}


def match_article(gold: GoldArticle, predicted: list[Event]) -> ArticleResult:
    """Pair the predictions with the gold events of one article and sort out TP/FP/FN."""
    golds = gold.events
    n_pred, n_gold = len(predicted), len(golds)
    candidates: dict[tuple[int, int], tuple[bool, list[FieldCheck], int]] = {}
    for i, pred in enumerate(predicted):
        for j, g in enumerate(golds):
            how = orientation(g, pred)
            if how is None:
                continue
            checks = check_fields(g, pred)
            quality = 10 * sum(c.correct for c in checks) + _evidence_overlap(g, pred)
            candidates[(i, j)] = (how == "reversed", checks, quality)

    # Lexicographic preference folded into integer weights: any extra required match beats
    # every optional match, any extra optional match beats every quality difference.
    pairs_max = min(n_pred, n_gold) + 1
    quality_max = 10 * (len(FIELDS) + 1)
    w_optional = quality_max * pairs_max + 1
    w_required = (w_optional + quality_max) * pairs_max + 1
    weights = [[0] * n_gold for _ in range(n_pred)]
    for (i, j), (_, _, quality) in candidates.items():
        weights[i][j] = (w_required if golds[j].required else w_optional) + quality

    matches: list[Match] = []
    optional: list[Match] = []
    used_pred: set[int] = set()
    used_gold: set[int] = set()
    for i, j in _max_weight_assignment(weights):
        rev, checks, _ = candidates[(i, j)]
        m = Match(gold=golds[j], predicted=predicted[i], reversed=rev, fields=checks)
        (matches if golds[j].required else optional).append(m)
        used_pred.add(i)
        used_gold.add(j)
    return ArticleResult(
        article_id=gold.id,
        gold=gold,
        predicted=list(predicted),
        matches=matches,
        optional_matches=optional,
        misses=[g for j, g in enumerate(golds) if g.required and j not in used_gold],
        false_positives=[p for i, p in enumerate(predicted) if i not in used_pred],
    )


# --- report ----------------------------------------------------------------------------------

def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _trim(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def describe_event(pred: Event, width: int = 80) -> str:
    """One line for a predicted event: type, actor -> recipient countries, status, evidence."""
    actor = _country(pred.actor) or "?"
    recipient = "-" if pred.recipient is None else (_country(pred.recipient) or "?")
    arrow = "<->" if pred.reciprocal else "->"
    line = f"{pred.event_type} {actor} {arrow} {recipient} [{pred.status}]"
    if pred.evidence is not None:
        line += f' "{_trim(pred.evidence.text, width)}"'
    return line


def describe_gold(gold: GoldEvent, width: int = 80) -> str:
    """One line for a gold event: types, countries, accepted status, evidence."""
    line = gold.label()
    if gold.status_informative:
        line += f" [{'/'.join(gold.status or ())}]"
    if gold.evidence:
        line += f' "{_trim(gold.evidence, width)}"'
    return line


@dataclass
class Report:
    """Per-article results and their totals."""

    articles: list[ArticleResult]
    gold_dir: Path | None = None
    seconds: float = 0.0

    @property
    def tp(self) -> int:
        return sum(a.tp for a in self.articles)

    @property
    def fp(self) -> int:
        return sum(a.fp for a in self.articles)

    @property
    def fn(self) -> int:
        return sum(a.fn for a in self.articles)

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def field_counts(self) -> dict[str, tuple[int, int]]:
        totals = {name: [0, 0] for name in FIELDS}
        for a in self.articles:
            for name, (correct, total) in a.field_counts().items():
                totals[name][0] += correct
                totals[name][1] += total
        return {k: (v[0], v[1]) for k, v in totals.items()}

    def by_type(self) -> dict[str, dict[str, int]]:
        """TP/FP/FN per event type (a miss counts under the gold's first type)."""
        out: dict[str, dict[str, int]] = {}

        def bump(kind: str, key: str) -> None:
            out.setdefault(kind, {"tp": 0, "fp": 0, "fn": 0})[key] += 1

        for a in self.articles:
            for m in a.matches:
                bump(m.predicted.event_type, "tp")
            for p in a.false_positives:
                bump(p.event_type, "fp")
            for g in a.misses:
                bump(g.event_types[0], "fn")
        return dict(sorted(out.items()))

    @property
    def set_name(self) -> str | None:
        """The evaluation set's name when it is split into a tuned and a held-out part."""
        name = self.gold_dir.name if self.gold_dir is not None else None
        return name if name in SPLIT_SETS else None

    def part_of(self, article: ArticleResult) -> str | None:
        return part_of(self.set_name, article.article_id) if self.set_name else None

    def part_scores(self) -> dict[str, dict[str, float | int]]:
        """Precision, recall and F1 of the tuned and the held-out articles (split sets only)."""
        out: dict[str, dict[str, float | int]] = {}
        if self.set_name is None:
            return out
        for part in PARTS:
            chosen = [a for a in self.articles if self.part_of(a) == part]
            sub = Report(chosen)
            out[part] = {"articles": len(chosen), "required": sub.tp + sub.fn, "tp": sub.tp,
                         "fp": sub.fp, "fn": sub.fn, "precision": round(sub.precision, 4),
                         "recall": round(sub.recall, 4), "f1": round(sub.f1, 4)}  # fmt: skip
        return out

    def summary(self) -> dict:
        """The totals as a JSON-able dict."""
        fields = {
            name: {
                "correct": correct,
                "total": total,
                "accuracy": round(_ratio(correct, total), 4) if total else None,
            }
            for name, (correct, total) in self.field_counts().items()
        }
        return {
            "gold_dir": str(self.gold_dir) if self.gold_dir is not None else None,
            "articles": len(self.articles),
            "required": self.tp + self.fn,
            "predicted": sum(len(a.predicted) for a in self.articles),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "optional_matched": sum(len(a.optional_matches) for a in self.articles),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "fields": fields,
            "by_type": self.by_type(),
            "per_article": [
                {"id": a.article_id, "required": a.required, "predicted": len(a.predicted),
                 "tp": a.tp, "fp": a.fp, "fn": a.fn}
                for a in self.articles
            ],
            "seconds": round(self.seconds, 2),
            "parts": self.part_scores(),
        }

    def format_text(self, verbose: bool = False) -> str:
        """A readable table, totals, field accuracy, and what was missed or wrongly found.

        ``verbose`` adds the field errors of matched pairs and the optional matches.
        """
        width = 140 if verbose else 70
        id_width = max([len("article")] + [len(a.article_id) for a in self.articles])
        lines = [f"{'article':<{id_width}}  {'gold':>4} {'pred':>4} {'TP':>3} {'FP':>3} {'FN':>3}"]
        for a in self.articles:
            lines.append(
                f"{a.article_id:<{id_width}}  {a.required:>4} {len(a.predicted):>4} "
                f"{a.tp:>3} {a.fp:>3} {a.fn:>3}"
            )
        lines.append(
            f"{'TOTAL':<{id_width}}  {self.tp + self.fn:>4} "
            f"{sum(len(a.predicted) for a in self.articles):>4} "
            f"{self.tp:>3} {self.fp:>3} {self.fn:>3}"
        )
        lines.append("")
        lines.append(
            f"precision {self.precision:.3f}  recall {self.recall:.3f}  f1 {self.f1:.3f}  "
            f"({len(self.articles)} articles, "
            f"{sum(len(a.optional_matches) for a in self.articles)} optional matches ignored)"
        )
        for part, score in self.part_scores().items():
            lines.append(
                f"  {part:<9} precision {score['precision']:.3f}  recall {score['recall']:.3f}  "
                f"f1 {score['f1']:.3f}  ({score['articles']} articles, {score['required']} "
                "required events)"
            )
        lines.append("")
        lines.append("field accuracy over matched required events:")
        for name, (correct, total) in self.field_counts().items():
            acc = f"{correct / total:.3f}" if total else "-"
            lines.append(f"  {name:<10} {correct:>4}/{total:<4} {acc}".rstrip())
        types = self.by_type()
        if types:
            lines.append("")
            lines.append("by type:      TP  FP  FN")
            for kind, c in types.items():
                lines.append(f"  {kind:<10} {c['tp']:>4} {c['fp']:>3} {c['fn']:>3}")
        details: list[str] = []
        hidden = 0
        for a in self.articles:
            if self.part_of(a) == "held-out":
                hidden += 1  # scored, never read: see eventwire.eval.splits
                continue
            block: list[str] = []
            block += [f"  MISS  {describe_gold(g, width)}" for g in a.misses]
            block += [f"  FP    {describe_event(p, width)}" for p in a.false_positives]
            if verbose:
                for m in a.matches:
                    for err in m.field_errors:
                        block.append(
                            f"  FIELD {err.name}: got {err.predicted!r}, gold {err.gold!r}"
                            f" -- {describe_gold(m.gold, 50)}"
                        )
                block += [
                    f"  OPT   {describe_event(m.predicted, width)} ~ gold {m.gold.id}"
                    for m in a.optional_matches
                ]
            if block:
                details.append(f"{a.article_id}:")
                details.extend(block)
        if details:
            lines.append("")
            lines.append("misses and false positives:" if not verbose else "details:")
            lines.extend(details)
        if hidden:
            lines.append(f"(the misses and false positives of the {hidden} held-out articles "
                         "are not shown)")  # fmt: skip
        return "\n".join(lines)


def evaluate(
    gold_dir: Path,
    extract: Extractor,
    progress: bool = False,
) -> Report:
    """Run ``extract(text, published)`` on every gold article and score the events."""
    articles = load_gold_dir(Path(gold_dir))
    return score_articles(articles, extract, progress=progress, gold_dir=Path(gold_dir))


def score_articles(
    articles: Iterable[GoldArticle],
    extract: Extractor,
    progress: bool = False,
    gold_dir: Path | None = None,
) -> Report:
    """Score already loaded gold articles (what ``evaluate`` does after loading)."""
    articles = list(articles)
    results: list[ArticleResult] = []
    started = time.perf_counter()
    for n, article in enumerate(articles, 1):
        text = article.read_text()
        t0 = time.perf_counter()
        try:
            predicted = list(extract(text, article.published))
        except Exception as exc:
            raise RuntimeError(f"extractor failed on article {article.id!r}: {exc}") from exc
        result = match_article(article, predicted)
        result.seconds = time.perf_counter() - t0
        results.append(result)
        if progress:
            print(
                f"[{n}/{len(articles)}] {article.id}: tp {result.tp} fp {result.fp} "
                f"fn {result.fn} ({result.seconds:.2f}s)",
                file=sys.stderr,
                flush=True,
            )
    return Report(results, gold_dir=gold_dir, seconds=time.perf_counter() - started)
