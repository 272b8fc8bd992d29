"""Word meaning for the learned models: which words are alike.

Each lower-case English word is mapped to one of 20,000 word vectors (the vectors of spaCy's
``en_core_web_md`` 3.8.0, "Explosion Vectors", CC0; a word without a vector of its own shares
its nearest neighbour's) and to the clusters those vectors fall into (64 coarse and 512 fine,
k-means). A feature such as "the trigger's cluster is 37" lets a model trained on "attack"
and "bombard" score "assault" and "shell" too. ``make train`` builds the table
(``eventwire.train.word_classes``); it ships as package data (``data/word_classes.npz``,
a few MB), so nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TABLE = Path(__file__).parent / "data" / "word_classes.npz"


@dataclass(frozen=True)
class WordClass:
    row: int  # the vector the word has (or shares)
    coarse: int  # its cluster among 64
    fine: int  # its cluster among 512


class WordClasses:
    def __init__(self, words: list[str], rows: np.ndarray, coarse: np.ndarray, fine: np.ndarray):
        self._index = {w: i for i, w in enumerate(words)}
        self._rows, self._coarse, self._fine = rows, coarse, fine

    def __len__(self) -> int:
        return len(self._index)

    def get(self, word: str) -> WordClass | None:
        """The classes of a word (lower-cased), or None for a word without a vector."""
        i = self._index.get(word.lower())
        if i is None:
            return None
        row = int(self._rows[i])
        return WordClass(row, int(self._coarse[row]), int(self._fine[row]))


def load_word_classes(path: Path = TABLE) -> WordClasses:
    with np.load(path, allow_pickle=False) as data:
        words = data["words"].tobytes().decode("utf-8").split("\n")
        return WordClasses(words, data["rows"], data["coarse"], data["fine"])


@functools.cache
def word_classes() -> WordClasses | None:
    """The packaged table (loaded once per process), or None before ``make train`` made it."""
    return load_word_classes() if TABLE.is_file() else None
