"""Score events sentence by sentence on densely labelled news (``news-sentences``).

Each line of the set is a sentence of a real article with every political event it states
(type, trigger, actor and recipient words and countries, status), or none. The sentences of
one article, joined with single spaces, are one text; eventwire analyses it (with the
article's publication date) and each extracted event belongs to the sentence its evidence
overlaps most, and to each sentence that tells it again (``Event.tellings``: one record per
event, which lists every sentence telling it). Three scores, each precision / recall / F1:

* detection: does the sentence hold an event;
* type: (sentence, PLOVER type) pairs;
* dyad: events matched one to one within a sentence on type, actor country and recipient
  country (a null gold country matches anything; the parties of CONSULT, AGREE and
  COOPERATE may come in either order).

For the tuned part, the held-out part (``eventwire.eval.splits``, by article: the learned
model never trains on it) and both.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from eventwire.eval.extraction import events_of
from eventwire.eval.scores import precision_recall_f1
from eventwire.eval.splits import PARTS, Part, part_of
from eventwire.model import Event

SET_NAME = "news-sentences"
UNORDERED = {"CONSULT", "AGREE", "COOPERATE"}


@dataclass(frozen=True)
class GoldEvent:
    type: str
    actor_country: str | None
    recipient_country: str | None
    status: str | None = None
    trigger: str | None = None


@dataclass(frozen=True)
class Predicted:
    type: str
    actor_country: str | None
    recipient_country: str | None
    status: str


@dataclass
class SentenceResult:
    doc: str
    index: int
    text: str
    part: Part
    gold: list[GoldEvent]
    predicted: list[Predicted] = field(default_factory=list)

    def dyad_hits(self) -> int:
        """One-to-one matches (augmenting paths: the sets are small)."""
        edges = [[j for j, g in enumerate(self.gold) if _dyad_match(g, p)]
                 for p in self.predicted]  # fmt: skip
        owner: dict[int, int] = {}

        def augment(i: int, seen: set[int]) -> bool:
            for j in edges[i]:
                if j in seen:
                    continue
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
            return False

        return sum(augment(i, set()) for i in range(len(self.predicted)))


def _country_ok(gold: str | None, predicted: str | None) -> bool:
    return gold is None or gold == predicted


def _dyad_match(gold: GoldEvent, pred: Predicted) -> bool:
    if gold.type != pred.type:
        return False
    if _country_ok(gold.actor_country, pred.actor_country) and _country_ok(
        gold.recipient_country, pred.recipient_country
    ):
        return True
    return gold.type in UNORDERED and _country_ok(
        gold.actor_country, pred.recipient_country
    ) and _country_ok(gold.recipient_country, pred.actor_country)


@dataclass
class SentencesReport:
    sentences: list[SentenceResult]

    def scores(self, part: Part | None = None) -> dict:
        chosen = [s for s in self.sentences if part is None or s.part == part]
        has_gold = sum(bool(s.gold) for s in chosen)
        has_pred = sum(bool(s.predicted) for s in chosen)
        both = sum(bool(s.gold) and bool(s.predicted) for s in chosen)
        gold_types = {(id(s), e.type) for s in chosen for e in s.gold}
        pred_types = {(id(s), e.type) for s in chosen for e in s.predicted}
        dyads = sum(s.dyad_hits() for s in chosen)
        n_gold = sum(len(s.gold) for s in chosen)
        n_pred = sum(len(s.predicted) for s in chosen)
        by_type: dict[str, dict[str, int]] = {}
        for kind in sorted({t for _, t in gold_types | pred_types}):
            g = {k for k in gold_types if k[1] == kind}
            p = {k for k in pred_types if k[1] == kind}
            by_type[kind] = {"gold": len(g), "predicted": len(p), "hits": len(g & p)}
        return {
            "sentences": len(chosen),
            "articles": len({s.doc for s in chosen}),
            "gold_events": n_gold,
            "predicted_events": n_pred,
            "detection": precision_recall_f1(both, has_pred, both, has_gold),
            "type": precision_recall_f1(len(gold_types & pred_types), len(pred_types),
                                        len(gold_types & pred_types), len(gold_types)),
            "dyad": precision_recall_f1(dyads, n_pred, dyads, n_gold),
            "by_type": by_type,
        }

    def summary(self) -> dict:
        return {"set": SET_NAME, "all": self.scores(),
                **{part: self.scores(part) for part in PARTS}}  # fmt: skip

    def format_text(self, verbose: bool = False) -> str:
        parts = {"all": self.scores(), **{p: self.scores(p) for p in PARTS}}
        lines = [f"sentences ({SET_NAME}): P / R / F1 of detection, type and dyad"]
        lines.append(f"  {'part':<9} {'articles':>8} {'sentences':>9}  {'detection':<18}"
                     f"{'type':<18}{'dyad':<18}")  # fmt: skip
        for name, s in parts.items():
            cells = [f"{s[k]['precision']:.2f} {s[k]['recall']:.2f} {s[k]['f1']:.3f}"
                     for k in ("detection", "type", "dyad")]  # fmt: skip
            lines.append(f"  {name:<9} {s['articles']:>8} {s['sentences']:>9}  " +
                         "".join(f"{c:<18}" for c in cells))  # fmt: skip
        lines.append("  type F1 by PLOVER type (tune | held-out):")
        tune, held = parts["tune"]["by_type"], parts["held-out"]["by_type"]
        for kind in sorted(set(tune) | set(held)):
            cells = []
            for side in (tune, held):
                t = side.get(kind, {"gold": 0, "predicted": 0, "hits": 0})
                f1 = precision_recall_f1(t["hits"], t["predicted"], t["hits"], t["gold"])["f1"]
                cells.append(f"{t['hits']:>3}/{t['gold']:<3} pred {t['predicted']:<3} {f1:.2f}")
            lines.append(f"    {kind:<10} {cells[0]:<24} | {cells[1]}")
        if verbose:
            lines.append("sentences of the tuned part where type or dyad went wrong:")
            for s in self.sentences:
                if s.part != "tune":
                    continue  # the held-out part is scored, never read
                if s.dyad_hits() == len(s.gold) == len(s.predicted):
                    continue
                gold = [f"{e.type} {e.actor_country}->{e.recipient_country}" for e in s.gold]
                pred = [f"{e.type} {e.actor_country}->{e.recipient_country}"
                        for e in s.predicted]  # fmt: skip
                lines.append(f"  {s.doc}#{s.index} gold {gold} pred {pred}: {s.text[:200]!r}")
        return "\n".join(lines)


def load_sentences(folder: Path) -> dict[str, list[dict]]:
    """The labelled sentences of every ``*.jsonl`` under ``folder``, by article, in order."""
    folder = Path(folder)
    files = sorted(folder.glob("*.jsonl")) if folder.is_dir() else [folder]
    if not files:
        raise FileNotFoundError(f"{folder}: no *.jsonl files")
    docs: dict[str, list[dict]] = {}
    for path in files:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    docs.setdefault(row["doc"], []).append(row)
    return {doc: sorted(rows, key=lambda r: r["i"]) for doc, rows in sorted(docs.items())}


def _owners(event: Event, spans: list[tuple[int, int]]) -> list[int]:
    """The sentences that tell the event: for its evidence and for each of its other
    tellings (``Event.tellings``), the sentence that span overlaps most."""
    owners: list[int] = []
    for told in (event.evidence, *event.tellings):
        best, most = None, 0
        for k, (start, end) in enumerate(spans):
            overlap = min(end, told.end) - max(start, told.start)
            if overlap > most:
                best, most = k, overlap
        if best is not None and best not in owners:
            owners.append(best)
    return owners


def evaluate_sentences(
    path: Path,
    *,
    model: str | None = None,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> SentencesReport:
    """Run eventwire on every article of a ``news-sentences``-style folder and score it."""
    docs = load_sentences(Path(path))
    names = list(docs)[:limit] if limit is not None else list(docs)
    texts = []
    for name in names:
        rows = docs[name]
        texts.append((" ".join(r["text"] for r in rows), rows[0].get("published")))
    found = events_of(texts, model, progress, names=names)
    results: list[SentenceResult] = []
    for name, events in zip(names, found, strict=True):
        rows, spans, cursor = docs[name], [], 0
        for row in rows:
            spans.append((cursor, cursor + len(row["text"])))
            cursor += len(row["text"]) + 1
        part = part_of(SET_NAME, name)
        sentences = [
            SentenceResult(name, row["i"], row["text"], part, [
                GoldEvent(e["type"], e.get("actor_country"), e.get("recipient_country"),
                          e.get("status"), e.get("trigger"))
                for e in row["events"]
            ])
            for row in rows
        ]  # fmt: skip
        for event in events:
            for k in _owners(event, spans):
                sentences[k].predicted.append(Predicted(
                    event.event_type,
                    event.actor.country if event.actor else None,
                    event.recipient.country if event.recipient else None,
                    event.status,
                ))  # fmt: skip
        results.extend(sentences)
    return SentencesReport(results)
