"""Score police events sentence by sentence on IndiaPoliceEvents (``ipe-dev``).

Every sentence of the corpus's lower-cased Times of India articles is labelled with what the
police did in it. eventwire analyses each whole article (with its publication date) and a
sentence is predicted

* ARREST when an event of type COERCE whose actor is the police has its evidence (or one of
  its other tellings) overlapping the sentence;
* KILL for an ASSAULT by the police;
* FORCE for an ASSAULT or a COERCE by the police,

where "the police" is an actor of sector COP or whose words name the police. Precision,
recall and F1 per label over all sentences, for the tuned part, the held-out part
(``eventwire.eval.splits``, by article) and both; the corpus paper's keyword baseline on this
half (ARREST 0.50, KILL 0.43, FORCE 0.63 F1) is printed beside them.

That reading (the README's) makes every arrest a use of force and every police shooting a
killing, which the corpus's annotators do not: of its sentences labelled ARREST, hardly any
is also labelled FORCE. A second table reads the labels by PLOVER mode, as the codebook
separates them: ARREST is a COERCE of mode "arrest"; FORCE an ASSAULT, or a COERCE of
another mode than arrest, curfew, martial law or censorship; KILL an ASSAULT whose sentence
tells a death ("one was killed in police firing", "shot dead").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eventwire.eval.extraction import events_of
from eventwire.eval.scores import precision_recall_f1
from eventwire.eval.splits import PARTS, Part, part_of
from eventwire.model import Actor, Event

SET_NAME = "ipe-dev"
LABELS = ("ARREST", "KILL", "FORCE")
LABEL_TYPES = {"ARREST": {"COERCE"}, "KILL": {"ASSAULT"}, "FORCE": {"ASSAULT", "COERCE"}}
# The corpus paper's keyword baseline on this half (ipe-dev/README.md).
BASELINE = {"ARREST": 0.50, "KILL": 0.43, "FORCE": 0.63}
POLICE_WORDS = re.compile(
    r"\b(police\w*|cops?|constables?|constabulary|gendarm\w*|law enforcement)\b", re.IGNORECASE
)


# COERCE modes that are no use of force.
NOT_FORCE_MODES = frozenset({"arrest", "curfew", "martial-law", "censor"})
KILLING_WORDS = re.compile(r"\b(kill\w*|death|deaths|dead|die[ds]?|dying|lynch\w*|murder\w*)\b",
                           re.IGNORECASE)  # fmt: skip


def is_police(actor: Actor | None) -> bool:
    return actor is not None and (actor.sector == "COP" or bool(POLICE_WORDS.search(actor.text)))


def labels_of(event: Event) -> set[str]:
    """The sentence labels one event gives (none unless the police act)."""
    if not is_police(event.actor):
        return set()
    return {label for label, types in LABEL_TYPES.items() if event.event_type in types}


def labels_by_mode(event: Event) -> set[str]:
    """The sentence labels one event gives, read by PLOVER mode (see the module doc)."""
    if not is_police(event.actor):
        return set()
    if event.event_type == "COERCE":
        if event.mode == "arrest":
            return {"ARREST"}
        return set() if event.mode in NOT_FORCE_MODES else {"FORCE"}
    if event.event_type == "ASSAULT":
        kills = bool(KILLING_WORDS.search(event.evidence.text if event.evidence else ""))
        return {"FORCE", "KILL"} if kills else {"FORCE"}
    return set()


@dataclass
class Sentence:
    doc_id: int
    start: int
    end: int
    text: str
    gold: frozenset[str]
    part: Part
    predicted: frozenset[str] = frozenset()
    by_mode: frozenset[str] = frozenset()  # the labels read by PLOVER mode


def _sentence_spans(full_text: str, sentences: list[str]) -> list[tuple[int, int]]:
    """Each sentence's offsets in the article: they appear there in order."""
    spans, cursor = [], 0
    for text in sentences:
        at = full_text.find(text, cursor)
        if at < 0:  # not verbatim: fall back to where the previous one ended
            at = cursor
        spans.append((at, at + len(text)))
        cursor = at + len(text)
    return spans


@dataclass
class PoliceReport:
    sentences: list[Sentence]

    def scores(self, part: Part | None = None, by_mode: bool = False) -> dict:
        chosen = [s for s in self.sentences if part is None or s.part == part]
        out: dict = {"sentences": len(chosen), "articles": len({s.doc_id for s in chosen})}
        for label in LABELS:
            said = [label in (s.by_mode if by_mode else s.predicted) for s in chosen]
            gold = sum(label in s.gold for s in chosen)
            pred = sum(said)
            hits = sum(label in s.gold and p for s, p in zip(chosen, said, strict=True))
            out[label] = {"gold": gold, "predicted": pred, "hits": hits,
                          **precision_recall_f1(hits, pred, hits, gold)}  # fmt: skip
        return out

    def summary(self) -> dict:
        return {"set": SET_NAME, "all": self.scores(),
                **{part: self.scores(part) for part in PARTS},
                "by_mode": {"all": self.scores(by_mode=True),
                            **{part: self.scores(part, by_mode=True) for part in PARTS}},
                "baseline_f1": BASELINE}  # fmt: skip

    def format_text(self, verbose: bool = False) -> str:
        lines = [f"police ({SET_NAME}): sentence-level P / R / F1 per label "
                 "(keyword baseline F1 in brackets)"]  # fmt: skip
        for by_mode in (False, True):
            lines.append("  by PLOVER mode (ARREST = COERCE/arrest, FORCE = ASSAULT or other "
                         "COERCE, KILL = an ASSAULT told with a death):" if by_mode else
                         "  as the set's README reads them (ARREST = COERCE, KILL = ASSAULT, "
                         "FORCE = either):")  # fmt: skip
            lines.append(f"  {'part':<9} {'sentences':>9}  " + "  ".join(
                f"{label + f' [{BASELINE[label]:.2f}]':<20}" for label in LABELS))  # fmt: skip
            parts = {"all": self.scores(by_mode=by_mode),
                     **{p: self.scores(p, by_mode=by_mode) for p in PARTS}}  # fmt: skip
            for name, s in parts.items():
                cells = [f"{s[label]['precision']:.2f} {s[label]['recall']:.2f} "
                         f"{s[label]['f1']:.3f}" for label in LABELS]  # fmt: skip
                lines.append(f"  {name:<9} {s['sentences']:>9}  " +
                             "  ".join(f"{c:<20}" for c in cells))  # fmt: skip
        if verbose:
            lines.append("errors in the tuned part (label: gold/predicted):")
            for s in self.sentences:
                if s.part != "tune" or s.gold & set(LABELS) == s.predicted:
                    continue
                lines.append(f"  {s.doc_id} gold {sorted(s.gold & set(LABELS))} predicted "
                             f"{sorted(s.predicted)}: {s.text[:220]!r}")  # fmt: skip
        return "\n".join(lines)


def evaluate_police(
    path: Path,
    *,
    model: str | None = None,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> PoliceReport:
    """Run eventwire on every article of an ``ipe-dev``-style folder and score its sentences."""
    folder = Path(path)
    if not (folder / "metadata.jsonl").is_file() or not (folder / "sents.jsonl").is_file():
        raise FileNotFoundError(f"{folder}: expected metadata.jsonl and sents.jsonl")
    with open(folder / "metadata.jsonl", encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle if line.strip()]
    docs = docs[:limit] if limit is not None else docs
    by_doc: dict[int, list[dict]] = {d["doc_id"]: [] for d in docs}
    with open(folder / "sents.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["doc_id"] in by_doc:
                by_doc[row["doc_id"]].append(row)
    found = events_of([(d["full_text"], d.get("date")) for d in docs], model, progress,
                      names=[str(d["doc_id"]) for d in docs])  # fmt: skip
    sentences: list[Sentence] = []
    for doc, events in zip(docs, found, strict=True):
        rows = sorted(by_doc[doc["doc_id"]], key=lambda r: r["sent_id"])
        spans = _sentence_spans(doc["full_text"], [r["sent_text"] for r in rows])
        part = part_of(SET_NAME, doc["doc_id"])
        for row, (start, end) in zip(rows, spans, strict=True):
            predicted: set[str] = set()
            by_mode: set[str] = set()
            for event in events:
                told = (event.evidence, *event.tellings)
                if any(ev.start < end and start < ev.end for ev in told):
                    predicted |= labels_of(event)
                    by_mode |= labels_by_mode(event)
            sentences.append(Sentence(doc["doc_id"], start, end, row["sent_text"],
                                      frozenset(row["sent_labels"]), part,
                                      frozenset(predicted), frozenset(by_mode)))  # fmt: skip
    return PoliceReport(sentences)
