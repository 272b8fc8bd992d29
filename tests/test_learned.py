"""The learned part of the event stage: the word classes, the linear models and their file,
the packaged models, and ``make train``'s code on a small set of sentences written here."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from eventwire import nlp
from eventwire.extract.actors import find_actors
from eventwire.extract.events.find import PROPOSE, find_events
from eventwire.extract.events.learned import (
    NONE,
    EventModels,
    LinearModel,
    event_models,
    load_models,
    save_models,
    token_features,
)
from eventwire.lexicon import event_lexicon
from eventwire.word_classes import word_classes


def test_words_alike_share_a_class() -> None:
    classes = word_classes()
    assert classes is not None and len(classes) > 200_000
    attack, assault = classes.get("attack"), classes.get("Assault")
    assert attack is not None and assault is not None and attack == classes.get("ATTACK")
    assert attack.fine == assault.fine  # alike words, one cluster
    assert classes.get("zzqqxx") is None
    assert 0 <= attack.coarse < 64 and 0 <= attack.fine < 512


def test_a_linear_model_scores_one_or_many_feature_lists_alike() -> None:
    weights = np.array([[1.0, -1.0, 0.0], [0.0, 2.0, 0.5]], dtype=np.float32)
    model = LinearModel(("A", "B", "C"), {"x": 0, "y": 1}, weights,
                        np.array([0.1, 0.0, -0.1], dtype=np.float32))  # fmt: skip
    batch = [["x"], [], ["y", "unknown"], ["unknown"], ["x", "y"]]
    many = model.chances_many(batch)
    for features, chances in zip(batch, many, strict=True):
        assert model.chances(features) == pytest.approx(chances)
        assert sum(chances.values()) == pytest.approx(1.0)
    assert many[1] == pytest.approx(many[3])  # no known feature: the bias alone
    assert many[0]["A"] > many[0]["B"] and many[2]["B"] > many[2]["A"]
    # x and y together: A 1.1, B 1.0, C 0.4 before the softmax
    assert many[4]["A"] > many[4]["B"] > many[4]["C"]
    binary = LinearModel(("EVENT",), {"x": 0}, np.array([[2.0]], dtype=np.float32),
                         np.array([0.0], dtype=np.float32))  # fmt: skip
    assert binary.chances(["x"])["EVENT"] == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert binary.chances([])["EVENT"] == pytest.approx(0.5)


def test_models_survive_their_file(tmp_path: Path) -> None:
    trigger = LinearModel(("ASSAULT", NONE), {"l=attack": 0, "bias": 1},
                          np.array([[2.0, -2.0], [0.0, 1.0]], dtype=np.float32),
                          np.array([0.0, 0.5], dtype=np.float32))  # fmt: skip
    scorer = LinearModel(("EVENT",), {"type=ASSAULT": 0}, np.array([[1.0]], dtype=np.float32),
                         np.array([-0.5], dtype=np.float32))  # fmt: skip
    path = tmp_path / "model.npz"
    save_models(path, EventModels(trigger, scorer, about={"data": "test"}))
    loaded = load_models(path)
    assert loaded.about == {"data": "test"}
    assert loaded.trigger.classes == trigger.classes and loaded.scorer.classes == ("EVENT",)
    features = ["l=attack", "bias"]
    assert loaded.trigger.chances(features) == pytest.approx(trigger.chances(features), abs=1e-3)


def test_the_packaged_models_say_what_they_were_trained_on() -> None:
    models = event_models()
    assert models is not None, "run make train"
    about = models.about
    assert "news-sentences" in about["data"] and "tuned part" in about["data"]
    assert about["trigger_words"] > 5000 and about["candidate_records"] > 500
    assert models.event_classes and NONE in models.trigger.classes


def test_the_trigger_model_reads_a_word_in_its_sentence() -> None:
    doc = nlp.parse("Rebels torched a police post in the north on Monday.")
    actors = find_actors(doc)
    torched = next(t for t in doc if t.text == "torched")
    features = token_features(torched, actors, event_lexicon(), None)
    assert "l=torch" in features and "subj=REB" in features
    assert any(f.startswith("lC=") for f in features)  # its word class
    chances = event_models().trigger.chances(features)
    assert max(chances, key=chances.get) == "ASSAULT"


def test_without_models_the_lexicon_and_rules_decide_alone() -> None:
    from eventwire.pipeline import analyze

    text = "Rebels torched a police post in the north of Mali on Monday."
    analysis = analyze(text)
    doc = nlp.parse(text)
    actors = find_actors(doc)
    kwargs = dict(article_id="x", published=None, actors=actors, attributions=[],
                  places=analysis.places, dates=[], quantities=[])  # fmt: skip
    with_models = find_events(doc, **kwargs)
    alone = find_events(doc, models=None, **kwargs)
    assert {e.event_type for e in alone} <= {e.event_type for e in with_models}
    assert 0.5 < PROPOSE < 1


# -- make train, on sentences written here ----------------------------------------------

SENTENCES = [
    ("Rebels attacked an army base near the border on Monday.", "ASSAULT", "attacked"),
    ("Police arrested dozens of protesters outside the parliament.", "COERCE", "arrested"),
    ("The two ministers met in the capital to discuss trade.", "CONSULT", "met"),
    ("Thousands of farmers marched through the city against the new tax.", "PROTEST",
     "marched"),
    ("The government accused its neighbour of arming the militias.", "ACCUSE", "accused"),
    ("Gunmen killed four villagers in a night raid.", "ASSAULT", "killed"),
    ("The weather stayed mild for most of the week.", None, None),
    # the lexicon reads an event here that the coders did not list: a record to learn from
    ("The minister called the plan an attack on the poor.", None, None),
    ("Troops shelled the hills again, residents said.", None, None),
    ("Officials said the market would reopen next month.", None, None),
]  # fmt: skip


def _write_set(root: Path, articles: int) -> Path:
    folder = root / "eval" / "news-sentences"
    folder.mkdir(parents=True)
    with open(folder / "made-up.jsonl", "w", encoding="utf-8") as handle:
        for n in range(articles):
            for i, (text, kind, trigger) in enumerate(SENTENCES):
                events = [] if kind is None else [{
                    "type": kind, "trigger": trigger, "actor": None, "recipient": None,
                    "actor_country": None, "recipient_country": None, "status": "asserted"}]
                handle.write(json.dumps({"doc": f"article-{n}", "i": i, "text": text,
                                         "published": "2024-01-01", "events": events}) + "\n")
    return root


def test_make_train_fits_and_writes_both_models(tmp_path: Path) -> None:
    from eventwire.train.events import train

    shared = _write_set(tmp_path / "shared", articles=16)
    out = tmp_path / "event_model.npz"
    lines: list[str] = []
    models = train(shared, out, log=lines.append)
    assert out.is_file() and any("out-of-fold" in line for line in lines)
    loaded = load_models(out)
    assert loaded.about["trigger_words"] == models.about["trigger_words"] > 0
    assert set(loaded.trigger.classes) >= {"ASSAULT", NONE}
    # the held-out part of the set was never read: only the tuned articles were used
    assert "tuned part" in loaded.about["data"]
    assert "articles" in loaded.about["data"]
