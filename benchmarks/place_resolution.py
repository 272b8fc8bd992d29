"""How much of extract's time goes to finding and resolving places.

Times ``find_places`` (place finding and gazetteer resolution with context) against the whole
of extract (parse + ``analyze_doc``) on the development articles and the seed article, after a
warm-up that loads the model and the gazetteer. The issue's target: places under 20%.

    .venv/bin/python benchmarks/place_resolution.py [--repeat N] [FOLDER_OR_FILE ...]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from eventwire import nlp
from eventwire.extract.places import find_places
from eventwire.ingest import article_from_text
from eventwire.pipeline import analyze_doc

DEFAULT_INPUTS = ("../shared/eval/dev-news", "../shared/seed")


def _texts(inputs: list[str]) -> list[Path]:
    files: list[Path] = []
    for item in inputs:
        path = Path(item)
        files.extend(sorted(path.glob("*.txt")) if path.is_dir() else [path])
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", default=list(DEFAULT_INPUTS))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pipeline = nlp.load()
    articles = [article_from_text(p.read_text(encoding="utf-8")) for p in _texts(args.inputs)]
    find_places(pipeline("Warm-up in Vladivostok."))
    parse_s = analyze_s = places_s = 0.0
    for _ in range(args.repeat):
        for article in articles:
            started = time.perf_counter()
            doc = pipeline(article.text)
            parsed = time.perf_counter()
            analyze_doc(article, doc)
            analysed = time.perf_counter()
            find_places(doc)
            places_s += time.perf_counter() - analysed
            parse_s += parsed - started
            analyze_s += analysed - parsed
    n = len(articles) * args.repeat
    total = parse_s + analyze_s
    print(f"{len(articles)} articles x {args.repeat}: parse {1000 * parse_s / n:.1f} ms, "
          f"analyze_doc {1000 * analyze_s / n:.1f} ms, of which find_places "
          f"{1000 * places_s / n:.1f} ms per article")
    print(f"find_places share of extract (parse + analyze_doc): {100 * places_s / total:.1f}%")


if __name__ == "__main__":
    main()
