"""PolNeAR scoring: reading brat standoff, one-to-one span matching, the attribution rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.eval.attribution import (
    Attr,
    Span,
    evaluate_attribution,
    load_ann,
    load_corpus,
    match_attributions,
    match_spans,
    score_doc,
)

# the shared gold data sits beside the checkout (../shared), as the Makefile expects
REAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "attribution"

PORT = "The minister said the port would reopen.\n"
FERRY = (
    '"The ferries," the harbour master said, "will run daily from Monday."\n'
    "It was reported that the bridge is closed.\n"
)


def _where(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def _t(ident: str, label: str, text: str, *phrases: str, quoted: str | None = None) -> str:
    """A brat text-bound line; several phrases make a discontinuous span."""
    parts = [_where(text, p) for p in phrases]
    offsets = ";".join(f"{a} {b}" for a, b in parts)
    shown = quoted if quoted is not None else " ".join(text[a:b] for a, b in parts)
    return f"{ident}\t{label} {offsets}\t{shown}"


def _port_ann(with_content: bool = True) -> str:
    lines = [
        _t("T1", "Source", PORT, "The minister"),
        _t("T2", "Cue", PORT, "said"),
        _t("T3", "Content", PORT, "the port would reopen"),
        _t("T4", "Attribution", PORT, "said"),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1"
        if with_content else "E1\tAttribution:T4 Cue:T2 Source:T1",
    ]
    return "\n".join(lines) + "\n"


def _ferry_ann(bad_quote: bool = False) -> str:
    lines = [
        _t("T1", "Content", FERRY, '"The ferries,', 'will run daily from Monday."'),
        _t("T2", "Source", FERRY, "the harbour master",
           quoted="the harbor master" if bad_quote else None),
        _t("T3", "Cue", FERRY, "said"),
        _t("T4", "Attribution", FERRY, "said"),
        "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2",
        _t("T5", "Cue", FERRY, "It was reported"),
        _t("T6", "Content", FERRY, "the bridge is closed"),
        _t("T7", "Attribution-no-source", FERRY, "It was reported"),
        "E2\tAttribution-no-source:T7 Cue:T5 Content:T6",
        "E3\tAttribution-no-source:T7 ",  # an event without arguments: dropped
        _t("T8", "Discuss", FERRY, "the bridge"),
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "attribution" / "polnear-dev"
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "paper_2021-03-05_port.txt").write_text(PORT, encoding="utf-8")
    (root / "text" / "paper_2021-03-06_ferry.txt").write_text(FERRY, encoding="utf-8")
    ann = root / "attributions"
    (ann / "paper_2021-03-05_port_ab12.ann").write_text(_port_ann(), encoding="utf-8")
    # A second annotator's file for the same article, sorted after the first: set aside.
    (ann / "paper_2021-03-05_port_cd34.ann").write_text(_port_ann(False), encoding="utf-8")
    (ann / "paper_2021-03-06_ferry_ab12.ann").write_text(_ferry_ann(), encoding="utf-8")
    return tmp_path / "attribution"


def _span(start: int, end: int, text: str = "") -> Span:
    return Span(((start, end),), text)


def test_load_ann_reads_events_and_discontinuous_spans(corpus: Path) -> None:
    doc = load_ann(corpus / "polnear-dev" / "attributions" / "paper_2021-03-06_ferry_ab12.ann")
    assert doc.name == "paper_2021-03-06_ferry" and doc.publisher == "paper"
    assert doc.mismatches == 0 and doc.dropped == 1  # E3 has no arguments
    quoted, passive = doc.gold
    assert quoted.source is not None and quoted.source.text == "the harbour master"
    (content,) = quoted.content
    assert len(content.parts) == 2
    # Matching uses the extent: from the first part's start to the last part's end.
    assert FERRY[content.start:content.end].startswith('"The ferries,"')
    assert FERRY[content.start:content.end].endswith('Monday."')
    assert passive.source is None and passive.cue is not None
    assert passive.cue.text == "It was reported"


def test_quoted_text_that_differs_from_the_offsets_is_counted(tmp_path: Path) -> None:
    (tmp_path / "x_2021_ferry.txt").write_text(FERRY, encoding="utf-8")
    ann = tmp_path / "x_2021_ferry_zz99.ann"
    ann.write_text(_ferry_ann(bad_quote=True), encoding="utf-8")
    doc = load_ann(ann)
    assert doc.mismatches == 1 and len(doc.gold) == 2


def test_load_corpus_keeps_one_annotation_per_article(corpus: Path) -> None:
    loaded = load_corpus(corpus)
    assert [d.name for d in loaded.docs] == ["paper_2021-03-05_port", "paper_2021-03-06_ferry"]
    assert loaded.docs[0].annotation == "paper_2021-03-05_port_ab12.ann"
    assert loaded.set_aside == ["paper_2021-03-05_port_cd34.ann"]
    assert loaded.docs[0].gold[0].content  # the first file (with content) was used
    assert len(load_corpus(corpus / "polnear-dev", limit=1).docs) == 1


def test_exact_and_overlap_matching_is_one_to_one() -> None:
    gold = [_span(0, 10), _span(20, 30)]
    # One long prediction covers both gold spans but may claim only one of them.
    pairs = match_spans(gold, [_span(0, 30)])
    assert sum(g is not None and p is not None for g, p in pairs) == 1
    # The exact match is taken before a larger overlap.
    pairs = match_spans([_span(0, 10)], [_span(0, 12), _span(0, 10)])
    assert (_span(0, 10), _span(0, 10)) in pairs
    gold_attr = [Attr(_span(0, 5), _span(6, 10), (_span(11, 30),))]
    pred_attr = [Attr(_span(0, 5), _span(6, 10), (_span(11, 25),)),  # content overlaps only
                 Attr(_span(40, 45), _span(46, 50), (_span(51, 60),))]  # spurious
    counts, _, _ = score_doc(gold_attr, pred_attr)
    content = counts.roles["content"]
    assert (content.gold, content.pred, content.exact, content.overlap) == (1, 2, 0, 1)
    assert counts.roles["source"].exact == 1
    summary = counts.summary()["roles"]["content"]
    assert summary["overlap"]["recall"] == 1.0 and summary["overlap"]["precision"] == 0.5
    assert summary["exact"]["f1"] == 0.0


def test_attribution_rule_needs_cue_and_source_overlap() -> None:
    gold = [Attr(_span(0, 12), _span(13, 17), (_span(18, 40),)),  # with a source
            Attr(None, _span(50, 60), (_span(61, 80),))]          # no source
    wrong_source = Attr(_span(100, 110), _span(13, 17))
    assert not any(g and p for g, p in match_attributions(gold[:1], [wrong_source]))
    assert any(g and p for g, p in match_attributions(gold[:1], [wrong_source],
                                                       need_source=False))
    # Without a gold source, a cue overlap is enough, whatever source is predicted.
    for pred in (Attr(None, _span(55, 58)), Attr(_span(0, 3), _span(55, 58))):
        assert any(g and p for g, p in match_attributions(gold[1:], [pred]))
    # Two predictions on one gold cue: one match, one false positive.
    counts, pairs, _ = score_doc(gold[:1], [Attr(_span(0, 12), _span(13, 17)),
                                           Attr(_span(2, 8), _span(14, 16))])
    assert (counts.gold, counts.pred, counts.matched) == (1, 2, 1)
    assert (_span(0, 12), _span(13, 17)) == (pairs[0][1].source, pairs[0][1].cue)  # type: ignore[union-attr]


def test_gold_without_cue_is_left_out_of_attribution_recall() -> None:
    gold = [Attr(_span(0, 5), None, (_span(6, 20),)), Attr(_span(30, 35), _span(36, 40))]
    counts, _, _ = score_doc(gold, [Attr(_span(30, 35), _span(36, 40))])
    assert (counts.gold, counts.gold_without_cue, counts.matched) == (1, 1, 1)
    assert counts.summary()["attribution"]["recall"] == 1.0
    assert counts.roles["source"].gold == 2  # its source still counts per role


def test_evaluate_attribution_end_to_end(corpus: Path) -> None:
    seen: list[str] = []
    report = evaluate_attribution(corpus, progress=seen.append)
    assert seen == ["paper_2021-03-05_port", "paper_2021-03-06_ferry"]
    summary = report.summary()
    json.dumps(summary)
    assert {"documents", "annotation_files_set_aside", "offset_mismatches", "attribution",
            "attribution_cue_only", "roles", "publishers", "human_ceiling"} <= set(summary)
    assert set(summary["roles"]) == {"source", "cue", "content"}
    assert summary["documents"] == 2 and summary["annotation_files_set_aside"] == 1
    assert summary["attribution"]["gold"] == 3
    assert summary["attribution"]["gold_without_source"] == 1
    # "The minister said the port would reopen." is the plainest case there is.
    assert summary["attribution"]["matched"] >= 1
    text = report.format_text(verbose=True)
    assert "92.3%" in text and "attribution" in text
    one = evaluate_attribution(corpus / "polnear-dev" / "attributions"
                               / "paper_2021-03-05_port_ab12.ann")
    assert one.summary()["documents"] == 1


@pytest.mark.skipif(not REAL.is_dir(), reason="PolNeAR data not in /work/shared/eval")
def test_real_polnear_two_articles() -> None:
    summary = evaluate_attribution(REAL, limit=2).summary()
    assert summary["documents"] == 2
    assert summary["attribution"]["gold"] > 0
    for role in ("source", "cue", "content"):
        assert summary["roles"][role]["gold"] > 0
    parts = [summary["attribution"], summary["attribution_cue_only"]]
    parts += [summary["roles"][r][k] for r in summary["roles"] for k in ("exact", "overlap")]
    for part in parts:
        for key in ("precision", "recall", "f1"):
            assert 0.0 <= part[key] <= 1.0
