"""python -m eventwire.train [--shared ../shared] [--skip-word-classes]"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from eventwire.extract.events.learned import MODEL
from eventwire.word_classes import TABLE


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m eventwire.train", description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"),
                        help="the shared data folder (default ../shared)")
    parser.add_argument("--skip-word-classes", action="store_true",
                        help="keep the word classes already built")
    parser.add_argument("--model", help="spaCy model (default: eventwire's default)")
    args = parser.parse_args()
    started = time.perf_counter()
    if not args.skip_word_classes or not TABLE.is_file():
        from eventwire.train.word_classes import build

        words = build(TABLE)
        print(f"train: wrote {TABLE} ({words:,} words, {TABLE.stat().st_size:,} bytes)")
        from eventwire.word_classes import word_classes

        word_classes.cache_clear()
    from eventwire.train.events import train

    train(args.shared, MODEL, args.model)
    print(f"train: done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
