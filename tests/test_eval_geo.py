"""The geoparsing scorer: both corpus formats, recognition counts, error metrics."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.eval.geo import (
    GeoFileScore,
    PredictedPlace,
    auc_of_errors,
    evaluate_geo,
    great_circle_km,
    load_geo_file,
    score_article,
)

TEXT = "Rain fell on Lyon and Paris, and the Paris police closed roads near Bigtown."
WEB_NEWS = f"""<?xml version="1.0" ?>
<articles>
  <article file="0">
    <title>t</title>
    <text>{TEXT}</text>
    <toponyms>
      <toponym><extractedName>Lyon</extractedName><type>Literal</type>
        <start>13</start><end>17</end><latitude>45.75</latitude><longitude>4.85</longitude>
      </toponym>
      <toponym><extractedName>Paris</extractedName><type>Literal</type>
        <start>22</start><end>27</end><latitude>48.85</latitude><longitude>2.35</longitude>
      </toponym>
      <toponym><extractedName>Paris</extractedName><type>Non_Literal_Modifier</type>
        <start>37</start><end>42</end><latitude>48.85</latitude><longitude>2.35</longitude>
      </toponym>
      <toponym><extractedName>roads</extractedName><type>Literal_Expression</type>
        <start>57</start><end>62</end><latitude /><longitude />
      </toponym>
    </toponyms>
  </article>
</articles>
"""
LGL = f"""<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="7">
    <text><![CDATA[{TEXT}]]></text>
    <toponyms>
      <toponym><start>13</start><end>17</end><phrase>Lyon</phrase>
        <gaztag geonameid="1"><name>Lyon</name><lat>45.75</lat><lon>4.85</lon></gaztag>
      </toponym>
    </toponyms>
  </article>
</articles>
"""


def test_both_formats_load_toponyms_only(tmp_path: Path) -> None:
    (tmp_path / "GeoWebNews.xml").write_text(WEB_NEWS, encoding="utf-8")
    (tmp_path / "LGL.xml").write_text(LGL, encoding="utf-8")
    web = load_geo_file(tmp_path / "GeoWebNews.xml")
    assert [t.text for t in web[0].toponyms] == ["Lyon", "Paris", "Paris"]  # no expressions
    lgl = load_geo_file(tmp_path / "LGL.xml")
    assert (lgl[0].ident, lgl[0].toponyms[0].lat) == ("7", 45.75)


def test_scores_recognition_and_resolution() -> None:
    article = load_geo_file_from_text(WEB_NEWS)
    score = GeoFileScore("x")
    predicted = [PredictedPlace(13, 17, 45.76, 4.84),  # Lyon, right
                 PredictedPlace(22, 27, 33.66, -95.55),  # Paris, Texas: wrong
                 PredictedPlace(68, 75, None, None)]  # Bigtown: not gold, unplaced
    given = [(45.76, 4.84), (48.86, 2.34), (None, None)]
    score_article(score, article, predicted, given)
    s = score.summary()
    assert s["recognition_exact"] == {"precision": round(2 / 3, 4), "recall": round(2 / 3, 4),
                                      "f1": round(2 / 3, 4)}
    assert s["resolution_recognised"]["toponyms"] == 2
    assert s["resolution_recognised"]["accuracy_161km"] == 0.5
    given_scores = s["resolution_given_spans"]
    assert (given_scores["toponyms"], given_scores["unplaced"]) == (3, 1)
    assert given_scores["accuracy_161km"] == round(2 / 3, 4)


def test_error_metrics() -> None:
    assert great_circle_km(0, 0, 0, 1) == pytest.approx(111.2, abs=0.2)
    assert auc_of_errors([0.0, 0.0]) == 0.0
    assert auc_of_errors([20039.0, 20039.0]) == pytest.approx(1.0)
    assert 0 < auc_of_errors([1.0, 100.0, 5000.0]) < 1
    assert auc_of_errors([]) is None


def test_evaluate_geo_end_to_end(tmp_path: Path) -> None:
    (tmp_path / "GeoWebNews.xml").write_text(WEB_NEWS, encoding="utf-8")
    seen: list[str] = []
    report = evaluate_geo(tmp_path, progress=seen.append)
    assert seen == ["0"]
    summary = report.summary()["files"]["GeoWebNews.xml"]
    assert summary["gold_toponyms"] == 3
    assert summary["resolution_given_spans"]["accuracy_161km"] == 1.0
    assert "acc@161km" in report.format_text(verbose=True)


def load_geo_file_from_text(xml: str):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one.xml"
        path.write_text(xml, encoding="utf-8")
        return load_geo_file(path)[0]
