"""Train the event stage's learned models (``eventwire.extract.events.learned``).

Data: the **tuned part** of ``news-sentences`` (``eventwire.eval.splits``; the held-out part
is never read here). Each of its articles is analysed as eventwire analyses any article; its
gold events give, for every word, the PLOVER type it triggers (the syntactic head of the
gold trigger words) or none, and, for every candidate record, whether its (sentence, type)
is one the coders listed.

1. The trigger model (multinomial logistic regression) learns the type of each candidate
   word. Five folds by article give each article a trigger model that never saw it.
2. With its fold's trigger model, each article's candidate records are collected (words the
   lexicon lacks are tried from a low chance on) and labelled.
3. The record scorer (binary logistic regression) learns which candidates are events; its own
   out-of-fold chances, with the thresholds the event stage uses (``PROPOSE``,
   ``MIN_CONFIDENCE``), give the sentence-level type F1 that ``make train`` reports, against
   the lexicon and rules alone on the same records.
4. Both models are fitted again on all the tuned articles and written, with what they were
   trained on, to ``data/event_model.npz``.

Features seen fewer than ``MIN_COUNT`` times are dropped. Everything is seeded: the same
data and package versions give the same model.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from eventwire import nlp
from eventwire.eval.sentences import load_sentences
from eventwire.eval.splits import part_of
from eventwire.extract.actors import find_actors
from eventwire.extract.attribution import find_article_source, find_attributions
from eventwire.extract.dates import find_dates
from eventwire.extract.events.find import MIN_CONFIDENCE, PROPOSE, Candidate, find_events
from eventwire.extract.events.learned import (
    CANDIDATE_POS,
    NONE,
    EventModels,
    LinearModel,
    save_models,
    token_features,
)
from eventwire.extract.events.triggers import choose_trigger
from eventwire.extract.places import find_places
from eventwire.extract.quantities import find_quantities
from eventwire.extract.setting import find_setting
from eventwire.ingest import make_article
from eventwire.lexicon import event_lexicon

SET_NAME = "news-sentences"
FOLDS = 5
MIN_COUNT = 2
C_TRIGGER = 1.0
C_SCORER = 0.5
KEEP_CLASS = "EVENT"


@dataclass
class Article:
    """One tuned article of the set, analysed up to the event stage."""

    name: str
    doc: object
    stages: dict
    spans: list[tuple[int, int]]  # each gold sentence's characters in the article
    gold_types: list[set[str]]  # per sentence
    trigger_types: dict[int, str] = field(default_factory=dict)  # token index -> gold type


def load_articles(folder: Path, model: str | None = None) -> list[Article]:
    """The tuned articles of ``folder`` (news-sentences), parsed and analysed."""
    docs = {name: rows for name, rows in load_sentences(folder).items()
            if part_of(SET_NAME, name) == "tune"}  # fmt: skip
    names = sorted(docs)
    texts, meta = [], []
    for name in names:
        rows = docs[name]
        text = " ".join(r["text"] for r in rows)
        article = make_article(text, published=rows[0].get("published"))
        texts.append(article.text)
        meta.append((name, article, rows))
    out = []
    for (name, article, rows), doc in zip(meta, nlp.parse_many(texts, model), strict=True):
        spans, cursor = [], 0
        for row in rows:
            spans.append((cursor, cursor + len(row["text"])))
            cursor += len(row["text"]) + 1
        actors = find_actors(doc)
        places = find_places(doc)
        stages = {
            "article_id": article.id, "published": article.published, "actors": actors,
            "attributions": find_attributions(doc, actors), "places": places,
            "dates": find_dates(doc, article.published), "quantities": find_quantities(doc),
            "article_source": find_article_source(doc, actors),
            "setting": find_setting(doc, places),
        }  # fmt: skip
        found = Article(name, doc, stages, spans, [{e["type"] for e in r["events"]} for r in rows])
        for row, (start, _) in zip(rows, spans, strict=True):
            for event in row["events"]:
                trigger = event.get("trigger")
                at = row["text"].find(trigger) if trigger else -1
                if at < 0:
                    continue
                words = doc.char_span(start + at, start + at + len(trigger),
                                      alignment_mode="expand")  # fmt: skip
                if words is not None and len(words):
                    found.trigger_types.setdefault(words.root.i, event["type"])
        out.append(found)
    return out


def token_rows(article: Article) -> Iterable[tuple[list[str], str]]:
    """(features, gold type or NONE) for every candidate word of an article."""
    lexicon = event_lexicon()
    actors = article.stages["actors"]
    for tok in article.doc:
        if tok.pos_ not in CANDIDATE_POS:
            continue
        chosen = choose_trigger(tok, lexicon)
        features = token_features(tok, actors, lexicon, chosen[0] if chosen else None)
        yield features, article.trigger_types.get(tok.i, NONE)


def _fit(rows: list[tuple[list[str], str]], c: float, binary: str | None = None) -> LinearModel:
    """A logistic model over the features seen at least MIN_COUNT times."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for features, _ in rows:
        for f in set(features):
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(names)}
    data, cols, ptr = [], [], [0]
    for features, _ in rows:
        kept = sorted({index[f] for f in features if f in index})
        cols.extend(kept)
        data.extend([1.0] * len(kept))
        ptr.append(len(cols))
    x = csr_matrix((data, cols, ptr), shape=(len(rows), len(names)))
    y = [label for _, label in rows]
    if len(set(y)) < 2:
        raise SystemExit(f"train: every training row has the label {y[0]!r}: too few data")
    model = LogisticRegression(C=c, max_iter=5000, random_state=0).fit(x, y)
    classes = tuple(str(k) for k in model.classes_)
    weights = model.coef_.T.astype(np.float32)
    bias = model.intercept_.astype(np.float32)
    if binary is not None:  # scikit-learn keeps one column for two classes: the second's
        assert binary in classes and len(classes) == 2, classes
        if classes[1] != binary:
            weights, bias = -weights, -bias
        classes = (binary,)
    return LinearModel(classes, index, weights, bias)


def _owner(start: int, end: int, spans: list[tuple[int, int]]) -> int | None:
    best, most = None, 0
    for k, (s, e) in enumerate(spans):
        overlap = min(end, e) - max(start, s)
        if overlap > most:
            best, most = k, overlap
    return best


@dataclass
class Record:
    """A candidate record for the scorer: its features, whether its (sentence, type) is gold,
    and what the event stage decides it by."""

    features: list[str]
    label: str
    sentence: int | None
    kind: str
    proposed: bool
    proposal: float  # the trigger model's chance for its type (1.0 for a lexicon reading)
    rule_confidence: float


def collect(article: Article, models: EventModels) -> list[Record]:
    """The article's candidate records, labelled."""
    found: list[Candidate] = []
    find_events(article.doc, models=models, collect=found, **article.stages)
    out = []
    for candidate in found:
        event = candidate.event
        k = _owner(event.evidence.start, event.evidence.end, article.spans)
        right = k is not None and event.event_type in article.gold_types[k]
        proposed = "src=proposed" in candidate.features
        out.append(Record(candidate.features, KEEP_CLASS if right else "NO", k,
                          event.event_type, proposed,
                          candidate.proposal if proposed else 1.0, event.confidence))  # fmt: skip
    return out


def _type_f1(kept: set[tuple[str, int, str]], gold: dict[tuple[str, int], set[str]]) -> float:
    """Sentence-level type F1 of the (article, sentence, type) triples kept."""
    wanted = {(name, k, kind) for (name, k), kinds in gold.items() for kind in kinds}
    hits = len(kept & wanted)
    p = hits / len(kept) if kept else 0.0
    r = hits / len(wanted) if wanted else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def train(shared: Path, out: Path, model: str | None = None, log=print) -> EventModels:
    """Train both models on the tuned part of ``shared/eval/news-sentences``; write ``out``."""
    folder = shared / "eval" / SET_NAME
    articles = load_articles(folder, model)
    log(f"train: {len(articles)} tuned articles of {folder}")
    rows = {a.name: list(token_rows(a)) for a in articles}
    names = sorted(rows)
    random.Random(0).shuffle(names)
    folds = [set(names[k::FOLDS]) for k in range(FOLDS)]
    by_name = {a.name: a for a in articles}
    gold = {(a.name, k): kinds for a in articles for k, kinds in enumerate(a.gold_types)}
    records_of: dict[str, list[Record]] = {}
    for k, fold in enumerate(folds):
        trigger = _fit([r for n in names if n not in fold for r in rows[n]], C_TRIGGER)
        fold_models = EventModels(trigger, None, about={})
        for name in sorted(fold):
            records_of[name] = collect(by_name[name], fold_models)
        log(f"train: fold {k + 1}/{FOLDS}: trigger model fitted, candidates collected")
    # what the scorer adds, on articles it did not see: the records the event stage keeps
    # with the scorer's out-of-fold chances, against those its rules keep on their own
    with_model: set[tuple[str, int, str]] = set()
    rules_only: set[tuple[str, int, str]] = set()
    for fold in folds:
        scorer = _fit([(r.features, r.label) for n in names if n not in fold
                       for r in records_of[n]], C_SCORER, binary=KEEP_CLASS)  # fmt: skip
        for name in fold:
            for r in records_of[name]:
                if r.sentence is None:
                    continue
                key = (name, r.sentence, r.kind)
                chance = scorer.chances(r.features)[KEEP_CLASS]
                if not r.proposed and r.rule_confidence >= MIN_CONFIDENCE:
                    rules_only.add(key)
                    with_model.add(key)
                elif r.proposed and r.proposal >= PROPOSE and chance >= MIN_CONFIDENCE:
                    with_model.add(key)
    f1_model, f1_rules = _type_f1(with_model, gold), _type_f1(rules_only, gold)
    log(f"train: out-of-fold sentence type F1 {f1_model:.3f} with the models, {f1_rules:.3f} "
        "with the lexicon and rules alone")
    all_rows = [r for n in names for r in rows[n]]
    scorer_rows = [(r.features, r.label) for n in names for r in records_of[n]]
    # the fine word classes that held a trigger: the words the model is worth asking about
    trigger_classes = sorted({int(f[3:]) for features, label in all_rows if label != NONE
                              for f in features if f.startswith("lF=")})  # fmt: skip
    models = EventModels(
        trigger=_fit(all_rows, C_TRIGGER),
        scorer=_fit(scorer_rows, C_SCORER, binary=KEEP_CLASS),
        about={
            "data": f"{SET_NAME} (../shared/eval/{SET_NAME}), tuned part: {len(articles)} "
                    f"articles, {sum(len(a.spans) for a in articles)} sentences",
            "trigger_words": len(all_rows),
            "candidate_records": len(scorer_rows),
            "out_of_fold_type_f1": round(f1_model, 4),
            "out_of_fold_type_f1_rules_alone": round(f1_rules, 4),
            "spacy_model": nlp.resolve_model_name(model),
            "trigger_word_classes": trigger_classes,
        },
    )  # fmt: skip
    save_models(out, models)
    log(f"train: wrote {out} ({out.stat().st_size:,} bytes)")
    return models
