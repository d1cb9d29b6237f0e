"""`communique train events`: learn the event coder's decisions from the annotated corpus, reproducibly.

Steps (seeded; the same annotations and code give the same weights and hash):

1. every labelled sentence is analysed in its article by the current pipeline up to the rules
   (``EventCoder.rule_pass``), and for each of the 16 types the parse's best event of that type is built
   (``EventCoder.event_of_type``), so training sees what the run-time coder can propose;
2. the **sentence model** (one logistic regression per type) is fitted on the train split; its cross-validated
   probabilities on train feed the **event model**, which learns which proposed events are right (right type,
   actor codes, recipient codes where the gold names one, status);
3. the thresholds (which proposals to add, which events to keep) are chosen on the dev split for event F1, the
   event model's probabilities calibrated on dev (isotonic), and the analytics' counting threshold is the
   lowest confidence at which dev events are right at least 80% of the time;
4. the test split is measured once, against the rules alone on the same sentences, and the figures written
   beside the weights (``data/models/event-coder.json``) and printed.
"""

from __future__ import annotations

import json
import pickle
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from communique.document import Document, Event
from communique.evaluation.plover import CodeScore
from communique.stages.events.model import (
    MODEL_DIR,
    MODEL_NAME,
    VECTOR_SCALE,
    WordVectors,
    event_features,
    load_vectors,
    save_model,
    sentence_dense,
    sentence_features,
)
from communique.training.annotations import ANNOTATIONS, CORPUS, LabelledEvent, LabelledSentence, load
from communique.vocabulary import PLOVER_TYPES, RECIPROCAL_TYPES

EQUIVALENT_STATUS = {"historical": "realized"}
RECIPROCAL = RECIPROCAL_TYPES


@dataclass
class Example:
    """One labelled sentence as the coder sees it."""

    sentence: LabelledSentence
    features: list[str]
    rule_events: list[Event]
    proposals: dict[str, Event]  # type -> the parse's event of that type, where it finds one
    dense: Any = None  # event_model.sentence_dense of the sentence
    gold_types: set[str] = field(default_factory=set)


# --- 1. what the coder sees ------------------------------------------------------------------------------


def _coder_and_prefix(analyzer: Any) -> tuple[Any, list[Any]]:
    from communique.stages.events.coder import EventCoder

    index = next(i for i, stage in enumerate(analyzer.stages) if isinstance(stage, EventCoder))
    return analyzer.stages[index], analyzer.stages[:index]


def examples_from(
    sentences: Sequence[LabelledSentence], analyzer: Any, vectors: WordVectors | None, log: Any = print
) -> list[Example]:
    """Analyse each article once and build the examples of its labelled sentences."""
    from communique.document import Sentence
    from communique.pipeline import parse_published

    coder, before = _coder_and_prefix(analyzer)
    coder.model = None  # training sees the rules alone
    by_text: dict[tuple[str, str], list[LabelledSentence]] = defaultdict(list)
    for s in sentences:
        by_text[(s.doc if s.source != "written" else s.sid, s.text)].append(s)
    examples: list[Example] = []
    started = time.monotonic()
    keys = list(by_text)
    texts = [text for _, text in keys]
    for n, (key, parsed) in enumerate(
        zip(keys, analyzer.nlp.pipe(texts, batch_size=16), strict=True), start=1
    ):
        labelled = by_text[key]
        document = Document(text=key[1], id=key[0])
        if labelled[0].published:
            try:
                document.published = parse_published(labelled[0].published)
            except Exception:  # an unreadable date only loses date resolution
                document.published = None
        document.parsed = parsed
        document.sentences = [
            Sentence(index=i, start=s.start_char, end=s.end_char) for i, s in enumerate(parsed.sents)
        ]
        for stage in before:
            stage(document)
        codings = list(coder.rule_pass(document))
        sents = list(parsed.sents)
        for s in labelled:
            overlapping = [i for i, sp in enumerate(sents) if sp.start_char < s.end and sp.end_char > s.start]
            if not overlapping:
                continue
            index = max(
                overlapping, key=lambda i: min(sents[i].end_char, s.end) - max(sents[i].start_char, s.start)
            )
            coding = next((c for c in codings if c.index == index), None)
            span = sents[index]
            rule_events = list(coding.events) if coding else []
            proposals: dict[str, Event] = {}
            if coding is not None:
                for etype in PLOVER_TYPES:
                    event = coder.event_of_type(document, coding, etype)
                    if event is not None and event.type == etype:
                        proposals[etype] = event
            examples.append(
                Example(
                    sentence=s,
                    features=sentence_features(span, rule_events),
                    rule_events=rule_events,
                    proposals=proposals,
                    dense=sentence_dense(span, vectors),
                    gold_types={e.type for e in s.events},
                )
            )
        if n % 100 == 0:
            log(f"  analysed {n}/{len(keys)} texts ({time.monotonic() - started:.0f} s)")
    return examples


# --- matching predictions to gold ------------------------------------------------------------------------


def _codes(mentions: Iterable[Any]) -> set[str]:
    return {m.code for m in mentions if m.code}


def event_right(event: Event, gold: Sequence[LabelledEvent]) -> bool:
    """Right type, an actor code in common (or both without codes), the gold recipient where it names one, and
    the status (historical counts as realized)."""
    for g in gold:
        if g.type != event.type:
            continue
        if EQUIVALENT_STATUS.get(g.status, g.status) != EQUIVALENT_STATUS.get(event.status, event.status):
            continue
        actors, gold_actors = _codes(event.actor), _codes(g.actor)
        recipients, gold_recipients = _codes(event.recipient), _codes(g.recipient)
        if event.type in RECIPROCAL:
            actors, gold_actors = actors | recipients, gold_actors | gold_recipients
            gold_recipients = set()
        if gold_actors and not actors & gold_actors:
            continue
        if gold_recipients and not recipients & gold_recipients:
            continue
        return True
    return False


def measure(predictions: Sequence[tuple[Example, list[Event]]]) -> dict[str, Any]:
    """Type F1 (per sentence, the set of types), actor and recipient code F1 (per sentence and type), event F1."""
    types, actors, recipients, events = CodeScore(), CodeScore(), CodeScore(), CodeScore()
    for example, predicted in predictions:
        gold = example.sentence.events
        types.add({e.type for e in predicted}, example.gold_types)
        for etype in {e.type for e in predicted} | example.gold_types:
            p = [e for e in predicted if e.type == etype]
            g = [e for e in gold if e.type == etype]
            actors.add(
                {(etype, c) for e in p for c in _codes(e.actor)},
                {(etype, c) for e in g for c in _codes(e.actor)},
            )
            recipients.add(
                {(etype, c) for e in p for c in _codes(e.recipient)},
                {(etype, c) for e in g for c in _codes(e.recipient)},
            )
        right = sum(event_right(e, gold) for e in predicted)
        events.tp += min(right, len(gold))
        events.fp += len(predicted) - right
        events.fn += max(0, len(gold) - right)
    return {
        "sentences": len(predictions),
        "type": types.as_dict(),
        "actor_code": actors.as_dict(),
        "recipient_code": recipients.as_dict(),
        "event": events.as_dict(),
    }


# --- 2. fitting ----------------------------------------------------------------------------------------


class Vocabulary:
    def __init__(self, rows: Iterable[Iterable[str]], min_count: int = 2) -> None:
        counts: Counter[str] = Counter()
        for row in rows:
            counts.update(set(row))
        self.names = sorted(f for f, n in counts.items() if n >= min_count)
        self.index = {f: i for i, f in enumerate(self.names)}

    def matrix(self, rows: Sequence[Iterable[str] | dict[str, float]]) -> Any:
        from scipy.sparse import csr_matrix

        data, indices, indptr = [], [], [0]
        for row in rows:
            items = row.items() if isinstance(row, dict) else ((f, 1.0) for f in set(row))
            cols = {}
            for name, value in items:
                column = self.index.get(name)
                if column is not None:
                    cols[column] = value
            for column in sorted(cols):
                indices.append(column)
                data.append(cols[column])
            indptr.append(len(indices))
        return csr_matrix((data, indices, indptr), shape=(len(rows), len(self.names)), dtype=np.float64)


def _sentence_matrix(vocab: Vocabulary, examples: Sequence[Example], dense: bool) -> Any:
    from scipy.sparse import csr_matrix, hstack

    x = vocab.matrix([e.features for e in examples])
    if not dense:
        return x
    vectors = np.stack([e.dense for e in examples]) * VECTOR_SCALE
    return hstack([x, csr_matrix(vectors)]).tocsr()


def fit_sentence_model(
    examples: Sequence[Example], c: float, seed: int, dense: bool = True
) -> tuple[Vocabulary, np.ndarray, np.ndarray, np.ndarray | None]:
    from sklearn.linear_model import LogisticRegression

    vocab = Vocabulary(e.features for e in examples)
    x = _sentence_matrix(vocab, examples, dense)
    width = x.shape[1]
    coef = np.zeros((width, len(PLOVER_TYPES)))
    intercept = np.full(len(PLOVER_TYPES), -8.0)
    for j, etype in enumerate(PLOVER_TYPES):
        y = np.array([etype in e.gold_types for e in examples])
        if y.sum() < 2:
            continue
        model = LogisticRegression(C=c, max_iter=3000, random_state=seed).fit(x, y)
        coef[:, j] = model.coef_[0]
        intercept[j] = model.intercept_[0]
    n = len(vocab.names)
    return vocab, coef[:n], intercept, (coef[n:] if dense else None)


def sentence_probabilities(
    model: tuple[Vocabulary, np.ndarray, np.ndarray, np.ndarray | None], examples: Sequence[Example]
) -> list[dict[str, float]]:
    vocab, coef, intercept, dense_coef = model
    full = np.vstack([coef, dense_coef]) if dense_coef is not None else coef
    scores = _sentence_matrix(vocab, examples, dense_coef is not None) @ full + intercept
    probabilities = 1.0 / (1.0 + np.exp(-scores))
    return [dict(zip(PLOVER_TYPES, row.tolist(), strict=True)) for row in probabilities]


def cross_validated(
    examples: Sequence[Example], c: float, seed: int, folds: int = 5
) -> list[dict[str, float]]:
    """Sentence-model probabilities for each training example from a model that did not see its article."""

    def key(e: Example) -> str:
        return e.sentence.doc if e.sentence.source != "written" else e.sentence.sid

    docs = sorted({key(e) for e in examples})
    random.Random(seed).shuffle(docs)
    fold_of = {d: i % folds for i, d in enumerate(docs)}
    result: list[dict[str, float]] = [{} for _ in examples]
    for fold in range(folds):
        train = [e for e in examples if fold_of[key(e)] != fold]
        held = [i for i, e in enumerate(examples) if fold_of[key(e)] == fold]
        model = fit_sentence_model(train, c, seed)
        for i, p in zip(held, sentence_probabilities(model, [examples[i] for i in held]), strict=True):
            result[i] = p
    return result


def candidates(
    example: Example, probabilities: dict[str, float], floor: float
) -> list[tuple[Event, dict[str, float], str]]:
    """The events the run-time coder would judge: the rules' own, and proposals of types above ``floor``."""
    out = [
        (e, event_features(e, probabilities, "rules", e.confidence >= 0.75), "rules")
        for e in example.rule_events
    ]
    coded = {e.type for e in example.rule_events}
    for etype, p in sorted(probabilities.items(), key=lambda kv: -kv[1])[:2]:
        if p >= floor and etype not in coded and etype in example.proposals:
            event = example.proposals[etype]
            out.append((event, event_features(event, probabilities, "learned"), "learned"))
    return out


def fit_event_model(
    rows: list[tuple[dict[str, float], bool]], c: float, seed: int
) -> tuple[Vocabulary, np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    vocab = Vocabulary((r[0] for r in rows), min_count=2)
    x = vocab.matrix([r[0] for r in rows])
    y = np.array([r[1] for r in rows])
    model = LogisticRegression(C=c, max_iter=3000, random_state=seed).fit(x, y)
    return vocab, model.coef_[0], float(model.intercept_[0])


def predict(
    example: Example,
    probabilities: dict[str, float],
    event_vocab: Vocabulary,
    event_coef: np.ndarray,
    event_intercept: float,
    add: float,
    keep: float,
    calibrate: Any = None,
) -> list[tuple[Event, float]]:
    out: list[tuple[Event, float]] = []
    for event, features, origin in candidates(example, probabilities, add):
        raw = float(1 / (1 + np.exp(-(event_vocab.matrix([features]) @ event_coef + event_intercept)[0])))
        confidence = float(calibrate([raw])[0]) if calibrate is not None else raw
        if origin == "rules" or confidence >= keep:  # rule events are always kept, with their confidence
            out.append((event, confidence))
    return out


# --- the command -------------------------------------------------------------------------------------------


def fit_and_measure(
    split: dict[str, list[Example]], seed: int, word_vectors: bool, log: Any = print
) -> dict[str, Any]:
    """Steps 2-4 on examples already built: fit on train, choose thresholds and calibrate on dev, measure on test.
    Returns the model as saved (its ``metrics`` included)."""
    from sklearn.isotonic import IsotonicRegression

    c_sentence, c_event, floor = 1.0, 0.5, 0.1
    train_p = cross_validated(split["train"], c_sentence, seed)
    rows = [
        (features, event_right(event, ex.sentence.events))
        for ex, p in zip(split["train"], train_p, strict=True)
        for event, features, _ in candidates(ex, p, floor)
    ]
    log(f"event model: {len(rows)} candidate events from train, {sum(r[1] for r in rows)} right")
    event_vocab, event_coef, event_intercept = fit_event_model(rows, c_event, seed)
    sentence_model = fit_sentence_model(split["train"], c_sentence, seed)
    vocab, coef, intercept, dense_coef = sentence_model
    dev_p = sentence_probabilities(sentence_model, split["dev"])

    def run(
        exs: Sequence[Example], ps: Sequence[dict[str, float]], add: float, keep: float, calibrate: Any = None
    ) -> list[tuple[Example, list[tuple[Event, float]]]]:
        return [
            (ex, predict(ex, p, event_vocab, event_coef, event_intercept, add, keep, calibrate))
            for ex, p in zip(exs, ps, strict=True)
        ]

    best = (-1.0, 0.5, 0.5)
    for add in (0.1, 0.15, 0.2, 0.3, 0.4):
        for keep in (0.15, 0.2, 0.3, 0.4, 0.5):
            f1 = measure([(ex, [e for e, _ in found]) for ex, found in run(split["dev"], dev_p, add, keep)])[
                "event"
            ]["f1"]
            if f1 > best[0]:
                best = (f1, add, keep)
    _, add, keep = best
    # Calibrate on dev: every candidate's raw probability against whether it is right.
    dev_all = run(split["dev"], dev_p, add, 0.0)
    raw = [(c, event_right(e, ex.sentence.events)) for ex, found in dev_all for e, c in found]
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(
        [r[0] for r in raw], [float(r[1]) for r in raw]
    )
    knots = sorted({round(float(x), 4) for x in iso.X_thresholds_})
    calibration = [(x, round(float(iso.predict([x])[0]), 4)) for x in knots]
    keep_calibrated = float(iso.predict([keep])[0])
    # The analytics count an event that is more likely right than wrong on dev (calibrated confidence).
    count_threshold = next((t for t in np.arange(0.3, 0.95, 0.05) if _precision_at(raw, iso, t) >= 0.5), 0.5)
    test_p = sentence_probabilities(sentence_model, split["test"])
    test_found = run(split["test"], test_p, add, keep_calibrated, iso.predict)
    learned = measure([(ex, [e for e, _ in found]) for ex, found in test_found])
    rules_only = measure([(ex, ex.rule_events) for ex in split["test"]])
    at_count = [
        event_right(e, ex.sentence.events)
        for ex, found in test_found
        for e, c in found
        if c >= count_threshold
    ]
    at_08 = [event_right(e, ex.sentence.events) for ex, found in test_found for e, c in found if c >= 0.8]
    by_threshold = {}
    for t in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        hits = [event_right(e, ex.sentence.events) for ex, found in test_found for e, c in found if c >= t]
        by_threshold[f"{t:.1f}"] = {
            "events": len(hits),
            "right": round(sum(hits) / len(hits), 3) if hits else None,
        }
    # The same table for self-dyads (an actor code also among the recipients) and for the other events: one
    # calibration serves both, and a hand check found counted self-dyads right far less often.
    by_kind: dict[str, dict[str, dict[str, Any]]] = {"self_dyad": {}, "other": {}}
    for t in (0.0, 0.3, 0.5, 0.8):
        for kind, wanted in (("self_dyad", True), ("other", False)):
            hits = [
                event_right(e, ex.sentence.events)
                for ex, found in test_found
                for e, c in found
                if c >= t and bool(_codes(e.actor) & _codes(e.recipient)) == wanted
            ]
            by_kind[kind][f"{t:.1f}"] = {
                "events": len(hits),
                "right": round(sum(hits) / len(hits), 3) if hits else None,
            }
    metrics = {
        "test_by_confidence": by_threshold,
        "test_by_confidence_and_kind": by_kind,
        "test": learned,
        "test_rules_only": rules_only,
        "dev_event_f1": best[0],
        "test_precision_at_count_threshold": round(sum(at_count) / len(at_count), 3) if at_count else None,
        "test_events_at_count_threshold": len(at_count),
        "test_precision_at_0.8": round(sum(at_08) / len(at_08), 3) if at_08 else None,
        "test_events_at_0.8": len(at_08),
        "splits": {k: len(v) for k, v in split.items()},
    }
    model = {
        "types": list(PLOVER_TYPES),
        "sentence_vocab": vocab.names,
        "sentence_coef": coef,
        "sentence_intercept": intercept,
        "dense_coef": dense_coef,
        "word_vectors": word_vectors,
        "event_vocab": event_vocab.names,
        "event_coef": event_coef,
        "event_intercept": event_intercept,
        "add_threshold": add,
        "keep_threshold": round(keep_calibrated, 4),
        "count_threshold": round(float(count_threshold), 2),
        "calibration": calibration,
        "metrics": metrics,
        "seed": seed,
    }
    return model


def train_events(
    annotations: Path = ANNOTATIONS,
    corpus: Path = CORPUS,
    out: Path = MODEL_DIR,
    seed: int = 13,
    limit: int | None = None,
    cache: Path | None = None,
    extra: Sequence[Path] = (),
    log: Any = print,
) -> dict[str, Any]:
    """Train, choose thresholds on dev, measure on test, write the model; returns the metadata written."""
    random.seed(seed)
    np.random.seed(seed)
    sentences = load(annotations, corpus, extra)
    base_sids = {s.sid for s in load(annotations, corpus)} if extra else {s.sid for s in sentences}
    if limit:  # a smoke run: the first sentences of the corpus, and every extra one
        sentences = [s for s in sentences if s.sid in base_sids][:limit] + [
            s for s in sentences if s.sid not in base_sids
        ]
    log(f"{len(sentences)} labelled sentences ({Counter(s.split for s in sentences)})")
    # The analysis of a sentence depends on its article and the rules, not on the labels: a cache (kept by
    # sentence ID and text) spares re-parsing articles on a re-run; its labels are always the current ones.
    vectors = load_vectors(out) or load_vectors()
    log(f"word vectors: {'yes' if vectors else 'none (communique train vectors makes them)'}")
    cached: dict[tuple[str, str], Example] = (
        pickle.loads(cache.read_bytes()) if cache and cache.is_file() else {}
    )
    missing = [s for s in sentences if (s.sid, s.sentence) not in cached]
    if missing:
        from communique.pipeline import Analyzer

        for example in examples_from(missing, Analyzer(), vectors, log):
            cached[(example.sentence.sid, example.sentence.sentence)] = example
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_bytes(pickle.dumps(cached))
    examples = []
    for s in sentences:
        found = cached.get((s.sid, s.sentence))
        if found is not None:
            example = found
            example.sentence = s
            example.gold_types = {e.type for e in s.events}
            examples.append(example)
    split = {name: [e for e in examples if e.sentence.split == name] for name in ("train", "dev", "test")}
    if not split["train"] or not split["dev"]:
        raise ValueError("training needs labelled sentences in both the train and the dev split")
    if extra:
        # The figures the corrections change: the same test split, measured by a model fitted without them.
        without = {name: [e for e in exs if e.sentence.sid in base_sids] for name, exs in split.items()}
        before = fit_and_measure(without, seed, vectors is not None, log)["metrics"]
        split["test"] = without["test"]  # corrections are not measured on themselves
    model = fit_and_measure(split, seed, vectors is not None, log)
    if extra:
        model["metrics"]["without_corrections"] = {k: before[k] for k in ("test", "test_precision_at_0.8")}
        model["metrics"]["corrections"] = sum(s.sid not in base_sids for s in sentences)
    metrics = model["metrics"]
    model.update({"command": "communique train events", "annotations": len(sentences)})
    digest = save_model(model, out, MODEL_NAME)
    log(json.dumps(metrics, indent=2))
    log(f"wrote {out / (MODEL_NAME + '.npz')} (sha256 {digest})")
    return {**metrics, "sha256": digest}


def _precision_at(raw: list[tuple[float, bool]], iso: Any, threshold: float) -> float:
    hits = [right for c, right in raw if float(iso.predict([c])[0]) >= threshold]
    return sum(hits) / len(hits) if len(hits) >= 10 else 0.0
