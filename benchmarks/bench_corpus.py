"""Build the bulk-ingest benchmark corpus: N articles of about W words, as plain-text files.

The articles are made from the paragraphs of the real news texts in ``../shared/eval/dev-news``
(read from there, never copied into the repository): article k takes paragraphs in a fixed
rotation until it reaches the word target, under a headline of its own, so every run of this
script writes the same corpus. The numbers quoted in the README for ``eventwire bench`` come
from::

    python benchmarks/bench_corpus.py /tmp/eventwire-bench --articles 60 --words 750
    eventwire bench /tmp/eventwire-bench --repeat 2
"""

from __future__ import annotations

import argparse
from pathlib import Path


def paragraphs(folder: Path) -> list[str]:
    found: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        blocks = [" ".join(b.split()) for b in path.read_text(encoding="utf-8").split("\n\n")]
        # the first block is the headline; very short blocks are datelines and bylines
        found += [b for b in blocks[1:] if len(b.split()) >= 12]
    if not found:
        raise SystemExit(f"no paragraphs found under {folder}")
    return found


def build(out: Path, source: Path, articles: int, words: int) -> int:
    paras = paragraphs(source)
    out.mkdir(parents=True, exist_ok=True)
    step = 7  # coprime with any realistic paragraph count: articles mix many sources
    cursor = 0
    for k in range(articles):
        body: list[str] = []
        count = 0
        while count < words:
            para = paras[cursor % len(paras)]
            cursor += step
            body.append(para)
            count += len(para.split())
        text = f"Benchmark article {k + 1}\n\n" + "\n\n".join(body) + "\n"
        (out / f"article-{k + 1:04d}.txt").write_text(text, encoding="utf-8")
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the articles into")
    parser.add_argument("--shared", type=Path, default=Path("../shared"),
                        help="the shared data folder (default ../shared)")
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--words", type=int, default=750)
    args = parser.parse_args()
    n = build(args.out, args.shared / "eval" / "dev-news", args.articles, args.words)
    print(f"wrote {n} articles of ~{args.words} words to {args.out}")


if __name__ == "__main__":
    main()
