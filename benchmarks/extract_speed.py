"""How fast is extraction? Times ``eventwire.analyze()`` on ~700-word articles.

The articles are built from the bundled samples (and, when ``--shared`` points at a folder with
``seed/*.txt``, from the seed article too) by repeating their paragraphs up to about 700 words.
The model is loaded once, outside the timing; one warm-up run is not counted.

    python benchmarks/extract_speed.py [--shared ../shared] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from eventwire import nlp
from eventwire.ingest import article_from_text
from eventwire.ingest.samples import sample_articles
from eventwire.model import Article
from eventwire.pipeline import analyze

TARGET_WORDS = 700


def lengthen(article: Article, words: int = TARGET_WORDS) -> Article:
    """The article's paragraphs, repeated in order until the text has about ``words`` words."""
    paragraphs = [p.strip() for p in article.text.split("\n\n") if p.strip()]
    if not paragraphs:
        return article
    chosen: list[str] = []
    count = 0
    while count < words:
        paragraph = paragraphs[len(chosen) % len(paragraphs)]
        chosen.append(paragraph)
        count += len(paragraph.split())
    return article_from_text(
        "\n\n".join(chosen), published=article.published, source=f"{article.source} (x{words}w)"
    )


def build_articles(shared: Path | None) -> list[Article]:
    articles = sample_articles()
    seed = shared / "seed" if shared else None
    if seed and seed.is_dir():
        for path in sorted(seed.glob("*.txt")):
            articles.append(article_from_text(path.read_text(encoding="utf-8"), source=str(path)))
    return [lengthen(a) for a in articles]


def machine() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
    }


def run(shared: Path | None, repeat: int, model: str | None) -> dict[str, object]:
    started = time.perf_counter()
    nlp.load(model)
    load_seconds = time.perf_counter() - started
    articles: list[Article] = []
    failed: list[str] = []
    for article in build_articles(shared):
        # Untimed first pass: warms lazy tables and caches, and keeps a broken article from
        # turning the whole measurement into a traceback.
        try:
            analyze(article, model=model)
        except Exception as err:
            failed.append(f"{article.source}: {type(err).__name__}: {err}")
            continue
        articles.append(article)
    for line in failed:
        print(f"extract_speed: skipped {line}", file=sys.stderr)
    if not articles:
        raise SystemExit("extract_speed: every article failed")
    seconds: list[float] = []
    words = 0
    for _ in range(repeat):
        for article in articles:
            started = time.perf_counter()
            analyze(article, model=model)
            seconds.append(time.perf_counter() - started)
            words += len(article.text.split())
    return {
        "model": nlp.resolve_model_name(model),
        "articles": len(articles),
        "articles_failed": len(failed),
        "runs": len(seconds),
        "words_per_article": round(words / len(seconds)),
        "model_load_s": round(load_seconds, 3),
        "median_s_per_article": round(statistics.median(seconds), 4),
        "mean_s_per_article": round(statistics.fmean(seconds), 4),
        "words_per_s": round(words / sum(seconds)),
        "machine": machine(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"),
                        help="folder holding seed/*.txt (skipped when absent)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the articles")
    parser.add_argument("--model", help="spaCy model (default: $EVENTWIRE_MODEL or the default)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    result = run(args.shared, max(args.repeat, 1), args.model)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    m = result["machine"]
    print(f"eventwire extraction speed ({result['model']})")
    print(f"machine: {m['cpus']} CPUs, {m['processor']}, {m['platform']}, Python {m['python']}")
    skipped = result["articles_failed"]
    print(f"{result['articles']} articles of ~{result['words_per_article']} words, "
          f"{result['runs']} timed runs (model load {result['model_load_s']} s, not counted)"
          + (f"; {skipped} failed and skipped" if skipped else ""))
    print(f"median {result['median_s_per_article']} s/article, "
          f"mean {result['mean_s_per_article']} s/article, {result['words_per_s']} words/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
