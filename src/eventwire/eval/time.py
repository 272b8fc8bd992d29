"""Score eventwire's temporal expressions against TimeML gold (TimeBank, AQUAINT).

The gold marks every temporal expression inline as ``<TIMEX3 type=... value=...>`` inside
``<TEXT>``; the document creation time (``functionInDocument="CREATION_TIME"``) is the
publication date the expressions are resolved against, and is itself not scored. Offsets are
taken in the TEXT content with all tags stripped, which is the text eventwire parses.

Metrics follow TempEval-3: recognition precision/recall/F1 with strict spans (same start and
end) and relaxed spans (any overlap); value F1 counts a relaxed match whose normalised value is
equal; type accuracy is the share of relaxed matches with the same TimeML type. Each gold
expression is matched to at most one prediction (greedily, exact spans first, then largest
overlap), so that one long prediction cannot claim two gold expressions.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from eventwire.eval.scores import add_counts, precision_recall_f1

__all__ = ["TimeDoc", "TimeReport", "Timex", "evaluate_time", "load_tml", "score_doc"]

TYPES = ("DATE", "TIME", "DURATION", "SET")


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    type: str
    value: str | None
    text: str = ""


@dataclass
class TimeDoc:
    name: str
    corpus: str
    text: str
    dct: dt.date | None
    gold: list[Timex]


@dataclass
class Counts:
    gold: int = 0
    pred: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type_ok: int = 0

    def add(self, other: Counts) -> None:
        add_counts(self, other)

    def prf(self, hits: int, pred: int | None = None) -> dict[str, float]:
        pred = self.pred if pred is None else pred
        return precision_recall_f1(hits, pred, hits, self.gold)

    def summary(self) -> dict:
        # Relaxed-match counts can differ between the gold and predicted side only when
        # matching is not one-to-one; it is one-to-one here, so one number serves both.
        return {
            "gold": self.gold,
            "predicted": self.pred,
            "strict": self.prf(self.strict),
            "relaxed": self.prf(self.relaxed),
            "value": self.prf(self.value),
            "type_accuracy": round(self.type_ok / self.relaxed, 4) if self.relaxed else 0.0,
        }


@dataclass
class DocResult:
    name: str
    corpus: str
    counts: Counts
    # (gold, predicted) pairs; either side None for a miss or a spurious prediction.
    pairs: list[tuple[Timex | None, Timex | None]] = field(default_factory=list)


@dataclass
class TimeReport:
    docs: list[DocResult]

    def _total(self, keep: Callable[[DocResult], bool] = lambda d: True) -> Counts:
        total = Counts()
        for doc in self.docs:
            if keep(doc):
                total.add(doc.counts)
        return total

    def by_type(self) -> dict[str, dict]:
        """Recall per gold type, precision per predicted type (relaxed and value)."""
        out: dict[str, dict] = {}
        for kind in TYPES:
            gold = [g for d in self.docs for g, _ in d.pairs if g is not None and g.type == kind]
            pred = [p for d in self.docs for _, p in d.pairs if p is not None and p.type == kind]
            found = [(g, p) for d in self.docs for g, p in d.pairs
                     if g is not None and p is not None and g.type == kind]
            right = [(g, p) for d in self.docs for g, p in d.pairs
                     if g is not None and p is not None and p.type == kind]
            out[kind] = {
                "gold": len(gold),
                "predicted": len(pred),
                "relaxed_recall": round(len(found) / len(gold), 4) if gold else 0.0,
                "value_recall": round(sum(g.value == p.value for g, p in found) / len(gold), 4)
                if gold else 0.0,
                "relaxed_precision": round(len(right) / len(pred), 4) if pred else 0.0,
            }
        return out

    def summary(self) -> dict:
        corpora = sorted({d.corpus for d in self.docs})
        return {
            "documents": len(self.docs),
            **self._total().summary(),
            "corpora": {c: {"documents": sum(d.corpus == c for d in self.docs),
                            **self._total(lambda d, c=c: d.corpus == c).summary()}
                        for c in corpora},
            "types": self.by_type(),
        }

    def format_text(self, verbose: bool = False) -> str:
        s = self.summary()
        lines = [f"time: {s['documents']} documents, {s['gold']} gold, {s['predicted']} predicted"]

        def block(label: str, part: dict) -> None:
            lines.append(
                f"  {label:<10} strict F1 {part['strict']['f1']:.3f}  relaxed P "
                f"{part['relaxed']['precision']:.3f} R {part['relaxed']['recall']:.3f} F1 "
                f"{part['relaxed']['f1']:.3f}  value P "
                f"{part['value']['precision']:.3f} R {part['value']['recall']:.3f} F1 "
                f"{part['value']['f1']:.3f}  type acc {part['type_accuracy']:.3f}"
            )

        block("all", s)
        for name, part in s["corpora"].items():
            block(name, part)
        for kind, part in s["types"].items():
            lines.append(
                f"  {kind:<10} gold {part['gold']:>4} pred {part['predicted']:>4}  relaxed R "
                f"{part['relaxed_recall']:.3f} P {part['relaxed_precision']:.3f}  value R "
                f"{part['value_recall']:.3f}"
            )
        if verbose:
            for doc in self.docs:
                for gold, pred in doc.pairs:
                    if gold is not None and pred is not None and gold.value == pred.value and (
                            gold.start, gold.end) == (pred.start, pred.end):
                        continue
                    g = f"{gold.text!r} {gold.type} {gold.value}" if gold else "-"
                    p = f"{pred.text!r} {pred.type} {pred.value}" if pred else "-"
                    lines.append(f"  {doc.corpus}/{doc.name}: gold {g} | pred {p}")
        return "\n".join(lines)


# --- reading TimeML ------------------------------------------------------------------------


def _walk(elem: ET.Element, parts: list[str], found: list[Timex], offset: int) -> int:
    if elem.text:
        parts.append(elem.text)
        offset += len(elem.text)
    for child in elem:
        start = offset
        offset = _walk(child, parts, found, offset)
        if child.tag == "TIMEX3" and child.get("functionInDocument") != "CREATION_TIME":
            found.append(Timex(start, offset, child.get("type", "DATE"), child.get("value")))
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    return offset


def _dct(root: ET.Element) -> dt.date | None:
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            value = (timex.get("value") or "")[:10]
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return None
    return None


def load_tml(path: Path, corpus: str | None = None) -> TimeDoc:
    """One TimeML document: the TEXT content with tags stripped, its DCT and its TIMEX3s."""
    root = ET.parse(path).getroot()
    body = root.find("TEXT")
    parts: list[str] = []
    found: list[Timex] = []
    if body is not None:
        _walk(body, parts, found, 0)
    text = "".join(parts)
    gold = [Timex(t.start, t.end, t.type, t.value, text[t.start:t.end]) for t in found]
    return TimeDoc(path.name, corpus or path.parent.name, text, _dct(root), gold)


def _files(path: Path, limit: int | None) -> list[tuple[Path, str]]:
    if path.is_file():
        return [(path, path.parent.name)]
    files = sorted(path.rglob("*.tml"))[: limit if limit is not None else None]
    # The corpus is the first folder below the one given (TimeBank/, AQUAINT/).
    return [(f, f.relative_to(path).parts[0] if len(f.relative_to(path).parts) > 1
             else path.name) for f in files]


# --- predicting and scoring ----------------------------------------------------------------


def predict(doc: TimeDoc, parsed: Doc) -> list[Timex]:
    """eventwire's temporal expressions in one document, in TimeML terms."""
    from eventwire.extract.dates import find_dates

    refs = find_dates(parsed, doc.dct, kinds=("date", "time", "duration", "set"))
    out = []
    for ref in refs:
        if ref.span is None:
            continue
        start, end = ref.span
        out.append(Timex(start, end, ref.kind.upper(), ref.timex, doc.text[start:end]))
    return out


def _overlap(a: Timex, b: Timex) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def score_doc(gold: list[Timex], pred: list[Timex]) -> tuple[Counts, list]:
    """Match one document's predictions to its gold one-to-one and count the hits."""
    pairs: list[tuple[Timex | None, Timex | None]] = []
    options = sorted(
        ((g, p) for g in gold for p in pred if _overlap(g, p) > 0),
        key=lambda gp: ((gp[0].start, gp[0].end) != (gp[1].start, gp[1].end), -_overlap(*gp)),
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    for g, p in options:
        if id(g) in used_g or id(p) in used_p:
            continue
        used_g.add(id(g))
        used_p.add(id(p))
        pairs.append((g, p))
    pairs += [(g, None) for g in gold if id(g) not in used_g]
    pairs += [(None, p) for p in pred if id(p) not in used_p]
    pairs.sort(key=lambda gp: (gp[0] or gp[1]).start)  # type: ignore[union-attr]
    counts = Counts(gold=len(gold), pred=len(pred))
    for g, p in pairs:
        if g is None or p is None:
            continue
        counts.relaxed += 1
        counts.strict += (g.start, g.end) == (p.start, p.end)
        counts.value += g.value is not None and g.value == p.value
        counts.type_ok += g.type == p.type
    return counts, pairs


def evaluate_time(path: Path, *, model: str | None = None, limit: int | None = None,
                  progress: Callable[[str], None] | None = None) -> TimeReport:
    """Score eventwire on a .tml file or every .tml file under a folder."""
    from eventwire.nlp import load

    nlp = load(model)
    docs = [load_tml(f, corpus) for f, corpus in _files(Path(path), limit)]
    results: list[DocResult] = []
    parsed_docs: Iterable = nlp.pipe((d.text for d in docs), batch_size=8)
    for doc, parsed in zip(docs, parsed_docs, strict=True):
        if progress is not None:
            progress(doc.name)
        counts, pairs = score_doc(doc.gold, predict(doc, parsed))
        results.append(DocResult(doc.name, doc.corpus, counts, pairs))
    return TimeReport(results)
