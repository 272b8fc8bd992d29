"""TimeML scoring: reading .tml files, one-to-one matching, TempEval-3 metrics, the report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from eventwire.eval.time import Timex, evaluate_time, load_tml, score_doc


def _tag(tid: str, kind: str, value: str, text: str, role: str = "NONE") -> str:
    return (f'<TIMEX3 tid="{tid}" type="{kind}" value="{value}" '
            f'functionInDocument="{role}">{text}</TIMEX3>')


TML = (
    '<?xml version="1.0" ?>\n<TimeML>\n<DOCID>TEST0001</DOCID>\n'
    f'<DCT>{_tag("t0", "DATE", "2021-03-05", "2021-03-05", "CREATION_TIME")}</DCT>\n'
    "<TITLE>Harbour reopens</TITLE>\n<TEXT>\n"
    'The harbour <EVENT eid="e1" class="OCCURRENCE">reopened</EVENT> '
    f'{_tag("t1", "DATE", "2021-03-04", "Thursday")} after repairs that lasted '
    f'{_tag("t2", "DURATION", "P3M", "three months")}, the port authority said.\n'
    f'Ferries will run {_tag("t3", "SET", "P1D", "daily")} from '
    f'{_tag("t4", "DATE", "2021-04", "April")}.\n'
    "</TEXT>\n</TimeML>\n"
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "time" / "Mini"
    folder.mkdir(parents=True)
    (folder / "doc1.tml").write_text(TML, encoding="utf-8")
    return tmp_path / "time"


def test_load_tml_strips_tags_and_keeps_offsets(corpus: Path) -> None:
    doc = load_tml(corpus / "Mini" / "doc1.tml")
    assert doc.dct == dt.date(2021, 3, 5)
    assert doc.corpus == "Mini"
    assert "<" not in doc.text and "reopened Thursday" in doc.text
    assert [(g.text, g.type, g.value) for g in doc.gold] == [
        ("Thursday", "DATE", "2021-03-04"), ("three months", "DURATION", "P3M"),
        ("daily", "SET", "P1D"), ("April", "DATE", "2021-04"),
    ]
    for g in doc.gold:  # the creation time is not among the scored expressions
        assert doc.text[g.start:g.end] == g.text


def test_score_doc_strict_relaxed_and_value() -> None:
    gold = [Timex(0, 8, "DATE", "2021-03-04"), Timex(20, 32, "DURATION", "P3M"),
            Timex(40, 45, "SET", "P1D")]
    pred = [Timex(0, 8, "DATE", "2021-03-04"),     # exact, right value
            Timex(17, 32, "DURATION", "P2M"),      # overlaps, wrong value
            Timex(60, 65, "DATE", "2021")]         # spurious
    counts, pairs = score_doc(gold, pred)
    assert (counts.gold, counts.pred) == (3, 3)
    assert (counts.strict, counts.relaxed, counts.value, counts.type_ok) == (1, 2, 1, 2)
    s = counts.summary()
    assert s["relaxed"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert s["value"]["f1"] == pytest.approx(1 / 3, abs=1e-4)
    assert len(pairs) == 4  # two matches, one miss, one spurious


def test_one_prediction_matches_one_gold_expression() -> None:
    gold = [Timex(0, 5, "DATE", "2021"), Timex(10, 15, "DATE", "2022")]
    counts, _ = score_doc(gold, [Timex(0, 15, "DATE", "2021")])
    assert counts.relaxed == 1 and counts.value == 1


def test_evaluate_time_end_to_end(corpus: Path) -> None:
    seen: list[str] = []
    report = evaluate_time(corpus, progress=seen.append)
    assert seen == ["doc1.tml"]
    summary = report.summary()
    json.dumps(summary)
    assert summary["documents"] == 1 and summary["gold"] == 4
    assert set(summary["corpora"]) == {"Mini"}
    assert set(summary["types"]) == {"DATE", "TIME", "DURATION", "SET"}
    # Every expression here is plain enough to be found with its value.
    assert summary["value"]["recall"] == 1.0
    text = report.format_text(verbose=True)
    assert "value" in text and "Mini" in text
    assert evaluate_time(corpus, limit=0).summary()["documents"] == 0
