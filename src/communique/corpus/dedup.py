"""Deduplication: the same article twice, near copies of an article, and the same event told by many articles.

Articles (docs/corpus.md, "Duplicates"):
    exact   the normalised text is identical (same :func:`~communique.document.content_id`): stored once; a copy
            arriving under another id or URL is recorded in ``document_links`` (kind ``exact``).
    near    the estimated Jaccard similarity of word 5-shingles is at least ``NEAR_THRESHOLD`` (MinHash with
            ``PERMUTATIONS`` hash functions, candidates found by LSH banding): the copy is not analysed or
            stored again; a ``document_links`` row (kind ``near``) points it at the stored original.

Events: every counted (event, directed dyad) row of ``event_sources`` joins one ``event_clusters`` row, the
real-world event: same PLOVER type, same actor and recipient, and a date within ``MERGE_WINDOW_DAYS`` days of
the cluster's first date. The clusters are a function of the set of rows only (not of arrival order), so an
interrupted and resumed ingest ends with the same clusters as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from communique.document import normalised_text

if TYPE_CHECKING:
    from communique.corpus.store import Store

SHINGLE_WORDS = 5
PERMUTATIONS = 64
BANDS = 16  # 16 bands of 4 rows: pairs at Jaccard 0.8 become candidates with probability > 0.999
NEAR_THRESHOLD = 0.8
MERGE_WINDOW_DAYS = 3

_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20221013)  # fixed: signatures must compare across runs and machines
_A = _rng.integers(1, 1 << 32, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 1 << 32, size=PERMUTATIONS, dtype=np.uint64)


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the text's overlapping word 5-grams (of the normalised text)."""
    words = normalised_text(text).split()
    if len(words) < SHINGLE_WORDS:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)]
    return np.fromiter((zlib.crc32(g.encode("utf-8")) for g in set(grams)), dtype=np.uint64)


def signature(text: str) -> bytes | None:
    """The MinHash signature of a text (``PERMUTATIONS`` 32-bit minima), or None for a text without words."""
    hashes = shingle_hashes(text)
    if hashes.size == 0:
        return None
    # (a*x + b) mod p over every shingle and permutation; uint64 wrap-around is deterministic, which is all
    # a hash family needs here.
    values = (np.outer(hashes, _A) + _B) % _PRIME
    minima = (values.min(axis=0) & np.uint64(0xFFFFFFFF)).astype("<u4")
    return minima.tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    x = np.frombuffer(a, dtype="<u4")
    y = np.frombuffer(b, dtype="<u4")
    return float(np.count_nonzero(x == y)) / len(x)


class NearDuplicateIndex:
    """LSH index of MinHash signatures: finds a stored document a new text nearly copies."""

    def __init__(self, threshold: float = NEAR_THRESHOLD, bands: int = BANDS) -> None:
        self.threshold = threshold
        self.bands = bands
        self.rows = PERMUTATIONS // bands
        self._buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)
        self._signatures: dict[str, bytes] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def _keys(self, sig: bytes) -> list[tuple[int, bytes]]:
        width = self.rows * 4
        return [(band, sig[band * width : (band + 1) * width]) for band in range(self.bands)]

    def add(self, document_id: str, sig: bytes) -> None:
        if document_id in self._signatures:
            return
        self._signatures[document_id] = sig
        for key in self._keys(sig):
            self._buckets[key].append(document_id)

    def find(self, sig: bytes) -> tuple[str, float] | None:
        """The most similar indexed document at or above the threshold (ties: the smallest id), if any."""
        candidates = {doc_id for key in self._keys(sig) for doc_id in self._buckets.get(key, ())}
        best: tuple[str, float] | None = None
        for doc_id in sorted(candidates):
            score = similarity(sig, self._signatures[doc_id])
            if score >= self.threshold and (best is None or score > best[1]):
                best = (doc_id, score)
        return best


@dataclass
class _Report:
    event_id: str
    actor: str
    recipient: str
    document_id: str
    outlet: str | None
    event_date: str
    score: float


def merge_events(store: Store, window_days: int = MERGE_WINDOW_DAYS) -> int:
    """Place every unplaced ``event_sources`` row in its real-world event; return the clusters rebuilt.

    Every (type, actor, recipient) key with a new row is re-clustered from all of its rows, in one transaction.
    """
    with store.transaction():
        rows = store.query(
            "SELECT es.type, es.quad_class, es.actor, es.recipient, es.event_id, es.document_id, es.outlet, "
            "es.event_date, es.score FROM event_sources es WHERE EXISTS (SELECT 1 FROM event_sources u "
            "WHERE u.cluster_id IS NULL AND u.type = es.type AND u.actor = es.actor AND u.recipient = es.recipient) "
            "ORDER BY es.type, es.actor, es.recipient, es.event_date, es.event_id"
        )
        if not rows:
            return 0
        by_key: dict[tuple[str, str, str, str], list[_Report]] = defaultdict(list)
        for type_, quad, actor, recipient, event_id, doc_id, outlet, event_date, score in rows:
            by_key[(type_, quad, actor, recipient)].append(
                _Report(event_id, actor, recipient, doc_id, outlet, event_date, float(score))
            )
        clusters: list[tuple[Any, ...]] = []
        placements: list[tuple[Any, ...]] = []
        for (type_, quad, actor, recipient), reports in by_key.items():
            for group in _chain(reports, window_days):
                cluster_id = hashlib.sha1(
                    f"{type_}|{actor}|{recipient}|{group[0].event_id}".encode()
                ).hexdigest()[:20]
                outlets = {r.outlet for r in group if r.outlet}
                unattributed = {r.document_id for r in group if not r.outlet}
                clusters.append(
                    (
                        cluster_id,
                        type_,
                        quad,
                        actor,
                        recipient,
                        group[0].event_date,
                        group[-1].event_date,
                        round(sum(r.score for r in group) / len(group), 4),
                        len(group),
                        len({r.document_id for r in group}),
                        len(outlets) + len(unattributed),
                    )
                )
                placements.extend((cluster_id, r.event_id, r.actor, r.recipient) for r in group)
        store.executemany(
            "DELETE FROM event_clusters WHERE type = ? AND actor = ? AND recipient = ?",
            [(k[0], k[2], k[3]) for k in by_key],
        )
        store.executemany(
            "INSERT INTO event_clusters (id, type, quad_class, actor, recipient, event_date, last_date, score, "
            "reports, documents, sources) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            clusters,
        )
        store.executemany(
            "UPDATE event_sources SET cluster_id = ? WHERE event_id = ? AND actor = ? AND recipient = ?",
            placements,
        )
    return len(clusters)


def _chain(reports: list[_Report], window_days: int) -> list[list[_Report]]:
    """Split date-ordered reports into clusters: one starts at the first report not within the window."""
    groups: list[list[_Report]] = []
    start: date | None = None
    for report in reports:
        day = date.fromisoformat(report.event_date)
        if start is None or day - start > timedelta(days=window_days):
            groups.append([])
            start = day
        groups[-1].append(report)
    return groups
