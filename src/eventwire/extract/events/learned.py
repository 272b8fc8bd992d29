"""The learned part of the event stage: two small linear models trained by ``make train``.

* The **trigger model** reads one word in its sentence (its lemma and word class, what the
  lexicon says of it, its dependents, its subject's sector, its head) and gives the chance
  that it tells an event of each PLOVER type, or none. It proposes events the lexicon does
  not know ("hurled a grenade", "torched a bus") and its chances feed the scorer.
* The **record scorer** reads a candidate record (its type, the trigger model's chance for
  that type, the lexicon's prior, whether the parties are named, placed or missing, the
  status, whether the trigger is a noun inside another phrase or the content of a speech
  act) and gives the chance that the record is an event a careful coder would list. That
  chance is the confidence of a record the trigger model proposed (a record the lexicon gives
  keeps the confidence its rules give: on the evaluation sets the scorer did not improve on
  them, see the README).

Both are trained on the tuned part of ``../shared/eval/news-sentences`` (every political
event of 696 real news sentences, labelled with its trigger words), never on its held-out
part (``eventwire.eval.splits``) or on any other evaluation set. The weights ship as package
data (``data/event_model.npz``, a few hundred kB) and run on a CPU with numpy; without them
(before ``make train``) the event stage runs on the lexicon and its rules alone.

The features are built here, by the same functions at training and at run time.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.tokens import Token

from eventwire.extract.actors import ActorMentions
from eventwire.extract.events.syntax import inherited_subject, inside_noun_phrase, is_passive
from eventwire.lexicon import EventLexicon, Trigger
from eventwire.model import Actor, Event
from eventwire.word_classes import WordClasses, word_classes

MODEL = Path(__file__).resolve().parents[2] / "data" / "event_model.npz"
NONE = "NONE"
# Words whose part of speech can tell an event.
CANDIDATE_POS = frozenset({"VERB", "AUX", "NOUN", "PROPN", "ADJ"})
_CHILD_DEPS = frozenset({"prt", "prep", "dobj", "nsubj", "nsubjpass", "agent", "compound",
                         "amod", "aux", "auxpass", "neg", "dative", "attr", "acomp", "xcomp",
                         "advmod", "npadvmod", "poss", "det"})  # fmt: skip
_ARGUMENT_DEPS = frozenset({"dobj", "nsubjpass", "nsubj", "attr", "compound", "amod", "agent"})
# Verbs under which what is told is said, not done ("accused X of attacking").
SPEECH_LEMMAS = frozenset({"say", "tell", "accuse", "claim", "allege", "deny", "urge", "call",
                           "demand", "warn", "threaten", "report", "announce", "state",
                           "condemn", "blame", "fear", "suspect", "believe", "think",
                           "expect", "hope", "want", "ask", "plan", "promise", "vow",
                           "pledge", "agree", "decide", "order", "seek"})  # fmt: skip


def _word(prefix: str, lemma: str, out: list[str], classes: WordClasses | None) -> None:
    out.append(f"{prefix}={lemma}")
    found = classes.get(lemma) if classes is not None else None
    if found is not None:
        out.append(f"{prefix}R={found.row}")
        out.append(f"{prefix}C={found.coarse}")
        out.append(f"{prefix}F={found.fine}")


def _lexicon_pos(tok: Token) -> str | None:
    if tok.pos_ in {"VERB", "AUX"}:
        return "VERB"
    if tok.pos_ in {"NOUN", "PROPN"}:
        return "NOUN"
    return None


def token_features(
    tok: Token, actors: ActorMentions, lexicon: EventLexicon, reading: Trigger | None
) -> list[str]:
    """What the trigger model reads of one word; ``reading`` is the lexicon's satisfied
    reading of it, if any."""
    classes = word_classes()
    lemma = tok.lemma_.lower()
    out = ["bias", f"p={tok.pos_}", f"t={tok.tag_}", f"d={tok.dep_}", f"lp={lemma}|{tok.pos_}"]
    _word("l", lemma, out, classes)
    pos = _lexicon_pos(tok)
    if pos is not None:
        out.extend(f"lex={t.type}" for t in lexicon.triggers_for(lemma, pos))
    if reading is not None:
        out.append(f"lexok={reading.type}")
        out.append(f"lexokm={reading.type}|{reading.mode}")
    head = tok.head
    if head.i != tok.i:
        out.append(f"dh={tok.dep_}|{head.lemma_.lower()}")
        out.append(f"dhp={tok.dep_}|{head.pos_}")
        found = classes.get(head.lemma_.lower()) if classes is not None else None
        if found is not None:
            out.append(f"hC={found.coarse}")
    for child in tok.children:
        if child.dep_ not in _CHILD_DEPS:
            continue
        lemma_c = child.lemma_.lower()
        out.append(f"c={child.dep_}|{lemma_c}")
        if child.dep_ in _ARGUMENT_DEPS:
            found = classes.get(lemma_c) if classes is not None else None
            if found is not None:
                out.append(f"cC={child.dep_}|{found.coarse}")
            actor = actors.at(child)
            if actor is not None:
                out.append(f"ca={child.dep_}|{actor.sector}")
        elif child.dep_ == "prep":
            for obj in child.children:
                if obj.dep_ != "pobj":
                    continue
                lemma_o = obj.lemma_.lower()
                out.append(f"pp={child.lower_}|{lemma_o}")
                found = classes.get(lemma_o) if classes is not None else None
                if found is not None:
                    out.append(f"ppC={child.lower_}|{found.coarse}")
                actor = actors.at(obj)
                if actor is not None:
                    out.append(f"ppa={child.lower_}|{actor.sector}")
    if tok.pos_ in {"VERB", "AUX"}:
        if is_passive(tok):
            out.append("passive")
        subject = inherited_subject(tok)
        if subject is not None:
            actor = actors.at(subject)
            out.append(f"subj={actor.sector if actor else 'none'}")
            if actor is not None:
                out.append(f"subjk={actor.kind}")
                out.append(f"subjc={bool(actor.country)}")
            found = classes.get(subject.lemma_.lower()) if classes is not None else None
            if found is not None:
                out.append(f"sC={found.coarse}")
    if tok.ent_type_:
        out.append(f"ent={tok.ent_type_}")
    return out


def _party(role: str, actor: Actor | None, out: list[str], event_type: str) -> None:
    if actor is None:
        out.append(f"{role}=none")
        out.append(f"{role}={event_type}|none")
        return
    out.append(f"{role}S={actor.sector}")
    out.append(f"{role}={event_type}|{actor.sector}")
    out.append(f"{role}K={actor.kind}")
    out.append(f"{role}B={'implied' if actor.implied else actor.country_basis}")


def _bin(value: float, step: float = 0.1) -> str:
    return f"{min(int(value / step), int(1 / step) - 1)}"


def speech_governed(tok: Token) -> bool:
    """Whether a word sits in what a speech or thought verb governs ("said the army had
    attacked", "accused them of attacking")."""
    seen = 0
    while tok.head.i != tok.i and seen < 6:
        tok = tok.head
        seen += 1
        if tok.pos_ in {"VERB", "AUX"} and tok.lemma_.lower() in SPEECH_LEMMAS:
            return True
    return False


def record_features(event: Event, tok: Token, trigger: Trigger, proposed: bool,
                    chances: dict[str, float] | None) -> list[str]:  # fmt: skip
    """What the record scorer reads of one candidate record."""
    kind = event.event_type
    out = ["bias", f"type={kind}", f"pos={tok.pos_}|{kind}", f"dep={tok.dep_}",
           f"status={event.status}", f"status={event.status}|{kind}",
           f"src={'proposed' if proposed else 'lexicon'}",
           f"prior={_bin(trigger.confidence)}", f"prior={_bin(trigger.confidence)}|{kind}",
           f"conf={_bin(event.confidence)}"]  # fmt: skip
    if chances is not None:
        p = chances.get(kind, 0.0)
        out.append(f"p={_bin(p)}")
        out.append(f"p={_bin(p)}|{kind}")
        out.append(f"none={_bin(chances.get(NONE, 0.0))}")
    _party("a", event.actor, out, kind)
    _party("r", event.recipient, out, kind)
    if event.attribution is not None:
        out.append("attributed")
    if tok.pos_ in {"NOUN", "PROPN"}:
        if inside_noun_phrase(tok):
            out.append("inside_np")
        if any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in tok.children):
            out.append("definite")
        if tok.tag_ in {"NNS", "NNPS"}:
            out.append("plural")
    if speech_governed(tok):
        out.append(f"speech|{kind}")
    if event.quantities:
        out.append("counts")
    if event.location is not None:
        out.append("placed")
    return out


@dataclass
class LinearModel:
    """A multinomial (or, with one class named, binary) logistic model over named features."""

    classes: tuple[str, ...]
    index: dict[str, int]
    weights: np.ndarray  # (features, classes), or (features, 1) for a binary model
    bias: np.ndarray

    def chances(self, features: list[str]) -> dict[str, float]:
        return self.chances_many([features])[0]

    def chances_many(self, batch: list[list[str]]) -> list[dict[str, float]]:
        """``chances`` of many feature lists in one pass (what the event stage asks of a
        whole article at once)."""
        if not batch:
            return []
        rows: list[int] = []
        starts: list[int] = []
        for features in batch:
            starts.append(len(rows))
            rows.extend(self.index[f] for f in features if f in self.index)
        z = np.tile(self.bias, (len(batch), 1))
        if rows:
            # reduceat sums each segment; an empty one would get the next segment's first
            # row (or the zero row added at the end), so those are zeroed: a word with no
            # known feature keeps the bias alone
            lengths = np.diff([*starts, len(rows)])
            stacked = np.vstack([self.weights[rows], np.zeros((1, self.weights.shape[1]))])
            sums = np.add.reduceat(stacked, starts, axis=0)
            z += np.where(lengths[:, None] > 0, sums, 0.0)
        if len(self.classes) == 1:  # binary: the chance of the one class
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return [{self.classes[0]: float(v)} for v in p]
        z = np.exp(z - z.max(axis=1, keepdims=True))
        p = z / z.sum(axis=1, keepdims=True)
        return [dict(zip(self.classes, map(float, row), strict=True)) for row in p]


@dataclass
class EventModels:
    trigger: LinearModel
    scorer: LinearModel | None  # None while the scorer's own training records are collected
    about: dict  # what was trained on, and how (make train writes it)

    def worth_reading(self, tok: Token, lexicon: EventLexicon) -> bool:
        """Whether the trigger model need read a word: a verb or noun the lexicon does not
        know (a word it knows whose readings' conditions all fail tells no event: "give" a
        speech) and whose word class held a trigger in training (most words never tell an
        event, and reading every one would cost more than the rest of the event stage)."""
        if tok.pos_ not in {"VERB", "NOUN"}:
            return False
        if lexicon.triggers_for(tok.lemma_.lower(), tok.pos_):
            return False
        classes = word_classes()
        found = classes.get(tok.lemma_) if classes is not None else None
        return found is not None and found.fine in self.event_classes

    @functools.cached_property
    def event_classes(self) -> frozenset[int]:
        return frozenset(self.about.get("trigger_word_classes", ()))


def _linear(data: np.lib.npyio.NpzFile, name: str) -> LinearModel:
    features = data[f"{name}_features"].tobytes().decode("utf-8").split("\n")
    classes = tuple(data[f"{name}_classes"].tobytes().decode("utf-8").split("\n"))
    return LinearModel(classes, {f: i for i, f in enumerate(features)},
                       data[f"{name}_weights"].astype(np.float32),
                       data[f"{name}_bias"].astype(np.float32))  # fmt: skip


def save_models(path: Path, models: EventModels) -> None:
    """Write the models as ``make train`` ships them."""
    arrays = {}
    for name in ("trigger", "scorer"):
        model: LinearModel | None = getattr(models, name)
        if model is None:
            raise ValueError(f"no {name} model to save")
        names = sorted(model.index, key=model.index.get)  # type: ignore[arg-type]
        arrays[f"{name}_features"] = np.frombuffer("\n".join(names).encode("utf-8"), np.uint8)
        arrays[f"{name}_classes"] = np.frombuffer("\n".join(model.classes).encode(), np.uint8)
        arrays[f"{name}_weights"] = model.weights.astype(np.float16)
        arrays[f"{name}_bias"] = model.bias.astype(np.float32)
    arrays["about"] = np.frombuffer(json.dumps(models.about, sort_keys=True).encode(), np.uint8)
    np.savez_compressed(path, **arrays)


def load_models(path: Path = MODEL) -> EventModels:
    with np.load(path, allow_pickle=False) as data:
        about = json.loads(data["about"].tobytes().decode("utf-8"))
        return EventModels(_linear(data, "trigger"), _linear(data, "scorer"), about)


@functools.cache
def event_models() -> EventModels | None:
    """The packaged models (loaded once per process), or None before ``make train``."""
    return load_models() if MODEL.is_file() else None
