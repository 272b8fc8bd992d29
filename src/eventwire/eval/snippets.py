"""Score event finding on labelled socio-political snippets (CASE 2021 task 2, ``case2021-dev``).

Each snippet carries one ACLED-style subtype; ``plover-map.json`` beside the data says which
PLOVER types read it. A snippet of a mapped subtype is a **hit** when eventwire emits at least
one event of one of those types; a snippet of a non-event subtype (natural and man-made
disasters) is a **false alarm** when eventwire emits any event at all; the skipped subtypes
are not scored. Reported: recall per subtype, their mean (macro recall, over the subtypes
present), micro recall and the false-alarm rate, for the tuned part, the held-out part
(``eventwire.eval.splits``) and both. Nothing is said about actors or countries here.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from eventwire.eval.extraction import events_of
from eventwire.eval.splits import PARTS, Part, part_of

SET_NAME = "case2021-dev"


@dataclass(frozen=True)
class Snippet:
    id: str
    text: str
    subtype: str


@dataclass
class SnippetResult:
    snippet: Snippet
    part: Part
    types: tuple[str, ...]  # the PLOVER types eventwire emitted

    def hit(self, wanted: tuple[str, ...]) -> bool:
        return any(t in wanted for t in self.types)


@dataclass
class SnippetReport:
    results: list[SnippetResult]
    mapping: dict[str, tuple[str, ...]]
    non_events: tuple[str, ...]
    skipped: tuple[str, ...] = field(default_factory=tuple)

    def scores(self, part: Part | None = None) -> dict:
        chosen = [r for r in self.results if part is None or r.part == part]
        subtypes: dict[str, dict[str, int]] = {}
        for r in chosen:
            sub = r.snippet.subtype
            if sub in self.mapping:
                tally = subtypes.setdefault(sub, {"snippets": 0, "hits": 0})
                tally["snippets"] += 1
                tally["hits"] += int(r.hit(self.mapping[sub]))
        recalls = {s: t["hits"] / t["snippets"] for s, t in subtypes.items()}
        disasters = [r for r in chosen if r.snippet.subtype in self.non_events]
        alarms = sum(1 for r in disasters if r.types)
        scored = sum(t["snippets"] for t in subtypes.values())
        return {
            "snippets": len(chosen),
            "scored": scored,
            "macro_recall": round(sum(recalls.values()) / len(recalls), 4) if recalls else 0.0,
            "micro_recall": round(sum(t["hits"] for t in subtypes.values()) / scored, 4)
            if scored else 0.0,
            "false_alarm_rate": round(alarms / len(disasters), 4) if disasters else 0.0,
            "false_alarms": alarms,
            "disaster_snippets": len(disasters),
            "subtypes": {s: {**t, "recall": round(recalls[s], 4)}
                         for s, t in sorted(subtypes.items())},  # fmt: skip
        }

    def summary(self) -> dict:
        return {"set": SET_NAME, "all": self.scores(),
                **{part: self.scores(part) for part in PARTS}}  # fmt: skip

    def format_text(self, verbose: bool = False) -> str:
        parts = {"all": self.scores(), **{p: self.scores(p) for p in PARTS}}
        lines = [f"snippets ({SET_NAME}): a snippet is a hit when an event of a type its subtype "
                 "maps to is found"]  # fmt: skip
        lines.append(f"  {'part':<9} {'snippets':>8} {'macro R':>8} {'micro R':>8} "
                     f"{'false alarms':>14}")  # fmt: skip
        for name, s in parts.items():
            lines.append(
                f"  {name:<9} {s['snippets']:>8} {s['macro_recall']:>8.3f} "
                f"{s['micro_recall']:>8.3f} {s['false_alarm_rate']:>8.3f} "
                f"({s['false_alarms']}/{s['disaster_snippets']})"
            )
        lines.append(f"  {'subtype':<30} {'tune':>12} {'held-out':>12}")
        tune, held = parts["tune"]["subtypes"], parts["held-out"]["subtypes"]
        for sub in sorted(set(tune) | set(held)):
            cells = []
            for side in (tune, held):
                t = side.get(sub)
                cells.append(f"{t['hits']:>3}/{t['snippets']:<3} {t['recall']:.2f}" if t else "-")
            lines.append(f"  {sub:<30} {cells[0]:>12} {cells[1]:>12}")
        if verbose:
            lines.append("misses and false alarms of the tuned part:")
            for r in self.results:
                if r.part != "tune":
                    continue  # the held-out part is scored, never read
                sub = r.snippet.subtype
                if sub in self.mapping and not r.hit(self.mapping[sub]):
                    lines.append(f"  MISS {sub} {r.snippet.id} got {list(r.types)}: "
                                 f"{r.snippet.text[:200]!r}")  # fmt: skip
                elif sub in self.non_events and r.types:
                    lines.append(f"  ALARM {sub} {r.snippet.id} got {list(r.types)}: "
                                 f"{r.snippet.text[:200]!r}")  # fmt: skip
        return "\n".join(lines)


def load_snippets(folder: Path) -> tuple[list[Snippet], dict]:
    """The snippets and the PLOVER map of a ``case2021-dev``-style folder."""
    folder = Path(folder)
    table = folder / "snippets.tsv" if folder.is_dir() else folder
    mapping_path = table.parent / "plover-map.json"
    if not table.is_file() or not mapping_path.is_file():
        raise FileNotFoundError(f"{folder}: expected snippets.tsv and plover-map.json")
    with open(table, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    snippets = [Snippet(str(r["id"]), r["EventSnippet"], r["SubType"]) for r in rows]
    return snippets, json.loads(mapping_path.read_text(encoding="utf-8"))


def evaluate_snippets(
    path: Path,
    *,
    model: str | None = None,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> SnippetReport:
    """Run eventwire on every snippet and score hits and false alarms."""
    snippets, mapping = load_snippets(Path(path))
    snippets = snippets[:limit] if limit is not None else snippets
    found = events_of([(s.text, None) for s in snippets], model, progress,
                      names=[s.id for s in snippets])  # fmt: skip
    results = [
        SnippetResult(s, part_of(SET_NAME, s.id), tuple(sorted({e.event_type for e in events})))
        for s, events in zip(snippets, found, strict=True)
    ]
    return SnippetReport(
        results,
        {k: tuple(v) for k, v in mapping["types"].items()},
        tuple(mapping.get("non_events", ())),
        tuple(mapping.get("skipped", ())),
    )
