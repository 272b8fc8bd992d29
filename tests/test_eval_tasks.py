"""The scorers for labelled snippets (CASE 2021), police sentences (IndiaPoliceEvents) and
densely labelled news sentences, and the tuned/held-out split they report by.

Each scorer is checked twice: its arithmetic with predictions fixed by the test (the
extractor replaced), and end to end on a few sentences written here, with the real model.
The fixture folders are made by the tests in the formats the READMEs in ../shared describe.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwire.eval import police, sentences, snippets
from eventwire.eval.splits import PARTS, part_of, select
from eventwire.model import Actor, Event, Evidence


def _event(kind: str, start: int, end: int, actor: tuple[str, str | None, str | None] | None,
           recipient: str | None = None, reciprocal: bool = False) -> Event:  # fmt: skip
    """A hand-made event: ``actor`` is (words, country, sector)."""
    return Event(
        id=f"{kind}-{start}", article_id="a", event_type=kind, status="asserted",
        actor=Actor(text=actor[0], country=actor[1], sector=actor[2], span=(0, 1))
        if actor else None,
        recipient=Actor(text="them", country=recipient, span=(2, 3)) if recipient else None,
        reciprocal=reciprocal, evidence=Evidence(start=start, end=end, text="x"), confidence=0.9,
    )  # fmt: skip


def _fixed(monkeypatch, module, answers: list[list[Event]]) -> None:
    def events_of(texts, model=None, progress=None, names=None) -> Iterator[list[Event]]:
        assert len(texts) == len(answers)
        yield from answers

    monkeypatch.setattr(module, "events_of", events_of)


# -- the split ---------------------------------------------------------------------------------


def test_the_split_is_fixed_and_about_forty_percent() -> None:
    keys = [f"article-{k}" for k in range(1000)]
    held = select("news-sentences", keys, "held-out")
    assert 330 < len(held) < 470
    assert select("news-sentences", keys, "tune") == set(keys) - held
    assert select("news-sentences", keys, None) == set(keys)
    # a hash of the set and the key: the same on every run, different across sets
    assert part_of("ipe-dev", 12) == part_of("ipe-dev", "12")
    assert {part_of("ipe-dev", k) for k in range(50)} == set(PARTS)
    assert [part_of("ipe-dev", k) for k in range(50)] != [part_of("dev-news", k) for k in range(50)]


# -- snippets ----------------------------------------------------------------------------------


def _snippet_folder(root: Path, rows: list[tuple[str, str, str]]) -> Path:
    folder = root / "case2021-dev"
    folder.mkdir()
    lines = ["id\tEventSnippet\tSubType"] + ["\t".join(r) for r in rows]
    (folder / "snippets.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = {"types": {"ARREST": ["COERCE"], "GRENADE": ["ASSAULT"]},
               "non_events": ["NATURAL_DISASTER"], "skipped": ["OTHER"]}  # fmt: skip
    (folder / "plover-map.json").write_text(json.dumps(mapping), encoding="utf-8")
    return folder


def test_snippet_scores(tmp_path: Path, monkeypatch) -> None:
    folder = _snippet_folder(tmp_path, [
        ("1", "one", "ARREST"), ("2", "two", "ARREST"), ("3", "three", "GRENADE"),
        ("4", "four", "NATURAL_DISASTER"), ("5", "five", "NATURAL_DISASTER"), ("6", "six", "OTHER"),
    ])  # fmt: skip
    _fixed(monkeypatch, snippets, [
        [_event("COERCE", 0, 3, None)], [_event("ASSAULT", 0, 3, None)], [],
        [_event("PROTEST", 0, 3, None)], [], [_event("ASSAULT", 0, 3, None)],
    ])  # fmt: skip
    s = snippets.evaluate_snippets(folder).scores()
    assert s["subtypes"]["ARREST"] == {"snippets": 2, "hits": 1, "recall": 0.5}
    assert s["subtypes"]["GRENADE"]["recall"] == 0.0
    assert s["macro_recall"] == 0.25 and s["micro_recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert (s["false_alarms"], s["disaster_snippets"], s["false_alarm_rate"]) == (1, 2, 0.5)
    assert "OTHER" not in s["subtypes"]  # skipped subtypes are not scored


def test_snippets_end_to_end(tmp_path: Path) -> None:
    folder = _snippet_folder(tmp_path, [
        ("1", "Police in Lahore arrested twelve men accused of smuggling weapons.", "ARREST"),
        ("2", "Heavy rain flooded three villages in the north on Sunday.", "NATURAL_DISASTER"),
    ])  # fmt: skip
    report = snippets.evaluate_snippets(folder)
    s = report.scores()
    assert s["subtypes"]["ARREST"]["hits"] == 1 and s["false_alarms"] == 0
    text = report.format_text()
    assert "macro R" in text and "held-out" in text


# -- police ------------------------------------------------------------------------------------


def _police_folder(root: Path, docs: list[tuple[int, str, list[tuple[str, list[str]]]]]) -> Path:
    folder = root / "ipe-dev"
    folder.mkdir()
    with open(folder / "metadata.jsonl", "w", encoding="utf-8") as meta, \
            open(folder / "sents.jsonl", "w", encoding="utf-8") as sents:  # fmt: skip
        for doc_id, date, rows in docs:
            full = " ".join(text for text, _ in rows)
            meta.write(json.dumps({"doc_id": doc_id, "date": date, "url": "",
                                   "full_text": full}) + "\n")  # fmt: skip
            for k, (text, labels) in enumerate(rows):
                sents.write(json.dumps({"doc_id": doc_id, "sent_id": k, "sent_labels": labels,
                                        "sent_text": text}) + "\n")  # fmt: skip
    return folder


def test_police_scores(tmp_path: Path, monkeypatch) -> None:
    rows = [("aaaa bbbb.", ["ARREST", "ANY_ACTION"]), ("cccc dddd.", ["KILL", "FORCE"]),
            ("eeee ffff.", [])]  # fmt: skip
    folder = _police_folder(tmp_path, [(2, "2002-03-01", rows)])
    _fixed(monkeypatch, police, [[
        _event("COERCE", 0, 10, ("the police", None, None)),  # ARREST and FORCE, sentence 1
        _event("ASSAULT", 11, 21, ("a mob", None, "CVL")),  # not the police: nothing
        _event("ASSAULT", 22, 32, ("cops", None, None)),  # KILL and FORCE, sentence 3
    ]])  # fmt: skip
    s = police.evaluate_police(folder).scores()
    assert (s["ARREST"]["hits"], s["ARREST"]["predicted"], s["ARREST"]["gold"]) == (1, 1, 1)
    assert (s["KILL"]["hits"], s["KILL"]["predicted"], s["KILL"]["gold"]) == (0, 1, 1)
    assert (s["FORCE"]["hits"], s["FORCE"]["predicted"], s["FORCE"]["gold"]) == (0, 2, 1)
    report = police.evaluate_police(folder)
    assert "by PLOVER mode" in report.format_text()
    assert report.summary()["by_mode"]["all"]["FORCE"]["predicted"] == 2
    assert police.is_police(Actor(text="the constables", span=(0, 1)))
    assert police.is_police(Actor(text="gendarmes", sector="COP", span=(0, 1)))
    assert not police.is_police(Actor(text="soldiers", sector="MIL", span=(0, 1)))


def test_police_end_to_end_on_lower_case_text(tmp_path: Path) -> None:
    rows = [("police arrested 14 men in the old city on friday night.", ["ARREST"]),
            ("the market stayed shut.", [])]  # fmt: skip
    report = police.evaluate_police(_police_folder(tmp_path, [(4, "2002-03-02", rows)]))
    s = report.scores()
    assert s["sentences"] == 2 and s["ARREST"]["gold"] == 1
    assert "ARREST [0.50]" in report.format_text()


def test_police_labels_by_plover_mode() -> None:
    def event(kind: str, mode: str | None, evidence: str = "x") -> Event:
        e = _event(kind, 0, len(evidence), ("police", None, "COP"))
        return e.model_copy(update={"mode": mode, "evidence": Evidence(
            start=0, end=len(evidence), text=evidence)})  # fmt: skip

    assert police.labels_by_mode(event("COERCE", "arrest")) == {"ARREST"}
    assert police.labels_by_mode(event("COERCE", "curfew")) == set()
    assert police.labels_by_mode(event("COERCE", "restrict")) == {"FORCE"}
    assert police.labels_by_mode(event("ASSAULT", None, "police opened fire")) == {"FORCE"}
    assert police.labels_by_mode(event("ASSAULT", None, "two were killed in police firing")) == {
        "FORCE", "KILL"}  # fmt: skip
    # the README's reading: any COERCE is an arrest and a use of force
    assert police.labels_of(event("COERCE", "curfew")) == {"ARREST", "FORCE"}
    mob = _event("ASSAULT", 0, 5, ("a mob", None, "CVL"))
    assert police.labels_by_mode(mob) == set() == police.labels_of(mob)


# -- news sentences ----------------------------------------------------------------------------


def _sentence_folder(root: Path, rows: list[dict]) -> Path:
    folder = root / "news-sentences"
    folder.mkdir()
    with open(folder / "region.jsonl", "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    return folder


def _row(doc: str, i: int, text: str, events: list[tuple]) -> dict:
    return {"doc": doc, "i": i, "text": text, "published": "2024-05-01", "events": [
        {"type": t, "actor_country": a, "recipient_country": r, "status": "asserted",
         "trigger": None, "actor": None, "recipient": None} for t, a, r in events]}  # fmt: skip


def test_sentence_scores(tmp_path: Path, monkeypatch) -> None:
    folder = _sentence_folder(tmp_path, [
        _row("d", 0, "aaaa bbbb.", [("ACCUSE", "FRA", "RUS"), ("ACCUSE", "USA", "RUS")]),
        _row("d", 1, "cccc dddd.", [("CONSULT", "IND", "PAK")]),
        _row("d", 2, "eeee ffff.", []),
    ])  # fmt: skip
    # sentence 0 spans 0-10, sentence 1 11-21, sentence 2 22-32
    _fixed(monkeypatch, sentences, [[
        _event("ACCUSE", 0, 10, ("x", "FRA", None), "RUS"),  # a dyad hit
        _event("ACCUSE", 0, 10, ("x", "DEU", None), "RUS"),  # type hit, dyad miss
        _event("CONSULT", 9, 21, ("x", "PAK", None), "IND"),  # mostly in sentence 1: either order
        _event("PROTEST", 22, 32, ("x", None, None)),  # a false detection
    ]])  # fmt: skip
    s = sentences.evaluate_sentences(folder).scores()
    assert s["detection"] == {"precision": pytest.approx(2 / 3, abs=1e-4), "recall": 1.0,
                              "f1": pytest.approx(0.8, abs=1e-4)}  # fmt: skip
    assert s["type"]["precision"] == pytest.approx(2 / 3, abs=1e-4) and s["type"]["recall"] == 1
    assert s["dyad"] == {"precision": 0.5, "recall": pytest.approx(2 / 3, abs=1e-4),
                         "f1": pytest.approx(4 / 7, abs=1e-4)}  # fmt: skip


def test_a_record_told_in_several_sentences_counts_in_each(tmp_path: Path, monkeypatch) -> None:
    folder = _sentence_folder(tmp_path, [
        _row("d", 0, "aaaa bbbb.", [("ASSAULT", "COL", "COL")]),
        _row("d", 1, "cccc dddd.", []),
        _row("d", 2, "eeee ffff.", [("ASSAULT", "COL", "COL")]),
    ])  # fmt: skip
    attack = _event("ASSAULT", 0, 10, ("x", "COL", None), "COL")
    attack = attack.model_copy(update={"tellings": [Evidence(start=22, end=32, text="x")]})
    _fixed(monkeypatch, sentences, [[attack]])
    s = sentences.evaluate_sentences(folder).scores()
    assert s["type"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_a_null_gold_country_matches_anything() -> None:
    result = sentences.SentenceResult("d", 0, "t", "tune", [
        sentences.GoldEvent("ASSAULT", None, "IRQ")])  # fmt: skip
    result.predicted = [sentences.Predicted("ASSAULT", None, "IRQ", "asserted"),
                        sentences.Predicted("ASSAULT", "SYR", "IRQ", "asserted")]  # fmt: skip
    assert result.dyad_hits() == 1  # one to one
    result.predicted = [sentences.Predicted("ASSAULT", "SYR", "TUR", "asserted")]
    assert result.dyad_hits() == 0


def test_sentences_end_to_end(tmp_path: Path) -> None:
    folder = _sentence_folder(tmp_path, [
        _row("d", 0, "Germany accused Russia of jamming satellite signals over the Baltic.",
             [("ACCUSE", "DEU", "RUS")]),
        _row("d", 1, "The weather was mild.", []),
    ])  # fmt: skip
    report = sentences.evaluate_sentences(folder)
    assert report.scores()["dyad"]["recall"] == 1.0
    assert "detection" in report.format_text()
