"""The learned half of the event coder: which PLOVER types a sentence reports, and how far to trust each event.

Two linear models, trained by ``communique train events`` on the project's own annotated sentences
(``annotations/events/``, docs/annotation.md) and shipped as ``data/models/event-coder.npz`` with their
metadata and hash in ``event-coder.json``:

- the **sentence model** reads what the parse gives of a sentence (lemmas and lemma pairs, verbs with their
  relation to the root, negation and modals, entity labels) and what the rules coded in it (their types,
  triggers and statuses), and gives a probability for each of the 16 types: one logistic regression per type;
- the **event model** reads one coded event (its type and that type's sentence probability, trigger, status,
  participants: how many, self-dyad or not, by parse or by inference, whether the rules or the sentence model
  proposed it) and gives the probability that it is right. That probability, calibrated on the annotation
  corpus's dev split, is the event's ``confidence``.

The rules still find the trigger, the participants, the status and the date (``events.py``); this model
keeps, drops and adds events. Features are strings, mapped to columns through the trained vocabulary; a
feature never seen in training is ignored. Nothing is downloaded: weights are numpy arrays in the package.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL_DIR = Path(__file__).resolve().parents[2] / "data" / "models"
MODEL_NAME = "event-coder"
VECTOR_SCALE = 3.0  # the sentence vector's weight against the binary features, fixed before training

_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")
_KEEP_POS = {"VERB", "NOUN", "PROPN", "ADJ", "ADV", "AUX", "ADP", "PART", "NUM"}
_NEGATIONS = {"not", "n't", "never", "no", "neither", "nor", "without"}


def sentence_features(sent: Any, rule_events: Sequence[Any]) -> list[str]:
    """What the sentence model sees of one spaCy sentence span and the rule events coded in it."""
    features: list[str] = []
    lemmas: list[str] = []
    for token in sent:
        if token.is_punct or token.is_space:
            continue
        lemma = token.lemma_.lower() if token.pos_ != "PROPN" else token.ent_type_ or "propn"
        lemmas.append(lemma)
        if token.pos_ in _KEEP_POS and not (token.is_stop and token.pos_ not in {"AUX", "ADP", "PART"}):
            features.append("w:" + lemma)
        if token.pos_ in {"VERB", "AUX"} or token.dep_ == "ROOT":
            features.append(f"v:{lemma}:{token.dep_}")
            for child in token.children:
                if child.dep_ in {
                    "dobj",
                    "nsubj",
                    "nsubjpass",
                    "prep",
                    "xcomp",
                    "ccomp",
                    "neg",
                    "aux",
                    "dative",
                }:
                    other = child.lemma_.lower() if child.pos_ != "PROPN" else child.ent_type_ or "propn"
                    features.append(f"d:{lemma}:{child.dep_}:{other}")
        if token.dep_ == "ROOT":
            features.append("root:" + lemma)
        if token.lower_ in _NEGATIONS:
            features.append("neg:" + token.head.lemma_.lower())
        if token.tag_ == "MD":
            features.append("md:" + token.lower_)
    features.extend(f"b:{a}_{b}" for a, b in zip(lemmas, lemmas[1:], strict=False))
    features.extend({"ent:" + ent.label_ for ent in sent.ents})
    for event in rule_events:
        features.append("rule:" + event.type)
        features.append(f"rule:{event.type}:{event.status}")
        features.append(f"trig:{event.trigger.text.lower()}:{event.type}")
    if not rule_events:
        features.append("rule:none")
    return features


def event_features(
    event: Any, type_probability: dict[str, float], origin: str, by_parse: bool = True
) -> dict[str, float]:
    """What the event model sees of one coded event (``origin``: "rules" or "learned")."""
    p = type_probability.get(event.type, 0.0)
    best = max(type_probability.values()) if type_probability else 0.0
    actor_codes = {x.code for x in event.actor if x.code}
    recipient_codes = {x.code for x in event.recipient if x.code}
    features = {
        "bias:" + origin: 1.0,
        "type:" + event.type: 1.0,
        f"type:{event.type}:{origin}": 1.0,
        "logit_p": _logit(p),
        "p_gap": p - best,
        "is_best": 1.0 if p >= best else 0.0,
        "status:" + event.status: 1.0,
        "attribution:" + event.attribution: 1.0,
        "trig:" + event.trigger.text.lower(): 1.0,
        "rule_confidence": float(event.confidence),
        "actors:" + str(min(len(event.actor), 3)): 1.0,
        "recipients:" + str(min(len(event.recipient), 3)): 1.0,
        "by_parse" if by_parse else "inferred": 1.0,
    }
    if actor_codes & recipient_codes:
        features["self_dyad"] = 1.0
    if not recipient_codes:
        features["no_recipient_code"] = 1.0
    for side, participants in (("actor", event.actor), ("recipient", event.recipient)):
        for x in participants:
            features[f"{side}_sector:{x.sector or 'state'}"] = 1.0
            if x.actor_id is None:
                features[f"{side}_unnamed"] = 1.0
    return features


@dataclass
class WordVectors:
    """Static word vectors distilled from all-MiniLM-L6-v2 (``training/distill.py``), with SIF weights."""

    index: dict[str, int]
    vectors: np.ndarray  # (words, dims) float32
    weights: np.ndarray  # (words,)

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    def sentence_vector(self, text: str) -> np.ndarray:
        """The weighted mean of the vectors of the sentence's known words, unit length (zeros if none)."""
        rows = [self.index[w] for w in _WORD.findall(text.lower()) if w in self.index]
        if not rows:
            return np.zeros(self.dims, dtype=np.float32)
        mean = (self.vectors[rows] * self.weights[rows, None]).sum(axis=0)
        norm = float(np.linalg.norm(mean))
        return np.asarray(mean / norm if norm else mean, dtype=np.float32)


@cache
def load_vectors(directory: Path = MODEL_DIR) -> WordVectors | None:
    path = directory / "word-vectors.npz"
    if not path.is_file():
        return None
    with np.load(path) as arrays:
        words = arrays["words"].tolist()
        return WordVectors(
            index={str(w): i for i, w in enumerate(words)},
            vectors=arrays["vectors"].astype(np.float32),
            weights=arrays["weights"].astype(np.float32),
        )


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return np.asarray(vector / norm if norm else vector, dtype=np.float32)


def sentence_dense(sent: Any, vectors: WordVectors | None) -> np.ndarray:
    """The sentence's dense features, each part of unit length: the distilled MiniLM vector of its words, and
    the parser's own contextual token vectors (spaCy's ``doc.tensor``, computed anyway) averaged over the
    sentence and at its root. Costs a few array operations per sentence."""
    parts = [vectors.sentence_vector(sent.text) if vectors is not None else np.zeros(0, dtype=np.float32)]
    tensor = sent.doc.tensor
    if tensor is not None and int(getattr(tensor, "size", 0)):
        parts.append(_unit(np.asarray(tensor[sent.start : sent.end]).mean(axis=0)))
        parts.append(_unit(np.asarray(tensor[sent.root.i])))
    return np.concatenate(parts).astype(np.float32)


def counting_threshold() -> float:
    """The confidence at or above which an event counts in the analytics: ``COMMUNIQUE_MIN_CONFIDENCE`` if set,
    else the shipped model's ``count_threshold`` (chosen on the annotation corpus's dev split: the lowest
    confidence at which events are right at least half the time), else 0 (no model: every event counts)."""
    value = os.environ.get("COMMUNIQUE_MIN_CONFIDENCE")
    if value:
        try:
            return float(value)
        except ValueError as exc:
            raise ValueError(f"COMMUNIQUE_MIN_CONFIDENCE={value!r} is not a number between 0 and 1") from exc
    model = load_model()
    return model.count_threshold if model is not None else 0.0


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)))


@dataclass
class EventModel:
    """The trained weights, their vocabularies and the decision thresholds chosen on the dev split."""

    types: list[str]
    sentence_vocab: dict[str, int]
    sentence_coef: np.ndarray  # (features, types)
    sentence_intercept: np.ndarray  # (types,)
    dense_coef: np.ndarray | None  # (dims, types): the weights of ``sentence_dense``, when trained with it
    vectors: WordVectors | None
    event_vocab: dict[str, int]
    event_coef: np.ndarray  # (features,)
    event_intercept: float
    add_threshold: float  # a type the rules did not code is proposed at this sentence probability or more
    keep_threshold: float  # an event below this confidence is not reported
    count_threshold: float  # the analytics count events at this confidence or more
    calibration: list[tuple[float, float]]  # (raw probability, calibrated) knots, increasing
    sha256: str

    def type_probabilities(self, features: Iterable[str], sent: Any = None) -> dict[str, float]:
        columns = sorted({self.sentence_vocab[f] for f in features if f in self.sentence_vocab})
        scores = self.sentence_intercept + (self.sentence_coef[columns].sum(axis=0) if columns else 0.0)
        if self.dense_coef is not None and sent is not None:
            dense = sentence_dense(sent, self.vectors)
            if dense.shape[0] == self.dense_coef.shape[0]:
                scores = scores + VECTOR_SCALE * dense @ self.dense_coef
        return dict(zip(self.types, _sigmoid(np.asarray(scores)).tolist(), strict=True))

    def event_probability(self, features: dict[str, float]) -> float:
        total = self.event_intercept
        for name, value in features.items():
            column = self.event_vocab.get(name)
            if column is not None:
                total += float(self.event_coef[column]) * value
        return self.calibrated(float(_sigmoid(np.asarray(total))))

    def calibrated(self, raw: float) -> float:
        if not self.calibration:
            return raw
        xs, ys = zip(*self.calibration, strict=True)
        return float(np.interp(raw, xs, ys))


def save_model(model: dict[str, Any], directory: Path = MODEL_DIR, name: str = MODEL_NAME) -> str:
    """Write the weights (npz) and the metadata (JSON, with the weights' hash); return the hash."""
    directory.mkdir(parents=True, exist_ok=True)
    weights = directory / f"{name}.npz"
    with weights.open("wb") as stream:
        np.savez_compressed(
            stream,
            sentence_vocab=np.array(model["sentence_vocab"]),
            sentence_coef=model["sentence_coef"].astype(np.float32),
            sentence_intercept=model["sentence_intercept"].astype(np.float32),
            event_vocab=np.array(model["event_vocab"]),
            event_coef=model["event_coef"].astype(np.float32),
            dense_coef=(
                model["dense_coef"] if model.get("dense_coef") is not None else np.zeros((0, 0))
            ).astype(np.float32),
        )
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    arrays = {
        "sentence_vocab",
        "sentence_coef",
        "sentence_intercept",
        "event_vocab",
        "event_coef",
        "dense_coef",
    }
    meta = {key: value for key, value in model.items() if key not in arrays}
    meta["sha256"] = digest
    (directory / f"{name}.json").write_text(
        json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return digest


@cache
def load_model(directory: Path = MODEL_DIR, name: str = MODEL_NAME) -> EventModel | None:
    """The shipped model, or None when the package has none (the rules then code alone)."""
    weights, meta_path = directory / f"{name}.npz", directory / f"{name}.json"
    if not weights.is_file() or not meta_path.is_file():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    if digest != meta["sha256"]:
        raise RuntimeError(f"{weights}: hash {digest} is not the one recorded in {meta_path.name}")
    with np.load(weights) as arrays:
        return EventModel(
            types=list(meta["types"]),
            sentence_vocab={str(f): i for i, f in enumerate(arrays["sentence_vocab"].tolist())},
            sentence_coef=arrays["sentence_coef"],
            sentence_intercept=arrays["sentence_intercept"],
            dense_coef=arrays["dense_coef"] if arrays["dense_coef"].size else None,
            vectors=load_vectors(directory) if meta.get("word_vectors") else None,
            event_vocab={str(f): i for i, f in enumerate(arrays["event_vocab"].tolist())},
            event_coef=arrays["event_coef"],
            event_intercept=float(meta["event_intercept"]),
            add_threshold=float(meta["add_threshold"]),
            keep_threshold=float(meta["keep_threshold"]),
            count_threshold=float(meta["count_threshold"]),
            calibration=[(float(a), float(b)) for a, b in meta.get("calibration", [])],
            sha256=digest,
        )
