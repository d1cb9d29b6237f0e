"""The store the web, API and load tests share: the bundled samples, the seed and ~40 corpus articles.

Built once per test session (analysing ~45 articles in this process takes a while), into a temporary file.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "baku-bishkek.txt"
CORPUS = SHARED / "corpora" / "allsides-geopolitics.jsonl.gz"
# Corpus articles about states with many relations, so the network, balance and map have edges to draw.
TOPICAL = ("Russia", "China", "Iran", "Ukraine", "Turkey", "Azerbaijan", "Kyrgyz")
# A stored article whose title and text carry markup, so every page that shows stored text (article, events,
# relations, convergence evidence) is tested for showing it as text and running nothing.
HOSTILE_STORED = {
    "title": "<img src=x onerror=\"alert('stored title ran')\">Azerbaijan and Kyrgyzstan sign a trade pact",
    "published": "2022-10-20",
    "source": "hostile wire",
    "text": (
        "Azerbaijan and Kyrgyzstan sign a trade pact\n\n"
        "Azerbaijani President Ilham Aliyev and Kyrgyz President Sadyr Japarov signed a trade agreement "
        "<script>alert('stored script ran')</script> in Baku on Wednesday.\n\n"
        "Kyrgyzstan praised Azerbaijan for its support <img src=x onerror=\"alert('stored onerror ran')\">, "
        "officials said. <a href=\"javascript:alert('stored link ran')\">Read more</a>\n"
    ),
}


def corpus_records(n: int = 40, chars: int = 3000) -> list[dict]:
    """The first ``n`` shared-corpus articles naming a busy state, cut to about ``chars`` at a paragraph end."""
    records: list[dict] = []
    if n <= 0 or not CORPUS.exists():  # n = 0 would otherwise read the whole corpus looking for the 0th
        return records
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            text = record.get("text") or ""
            if not any(word in text[:chars] for word in TOPICAL):
                continue
            if len(text) > chars:
                cut = text.rfind("\n", 0, chars)
                text = text[:cut] if cut > 0 else text[:chars]
            records.append({**record, "text": text})
            if len(records) == n:
                break
    return records


# Another outlet's report of the Middle Corridor talks in the bundled samples (written for these tests), so a
# stored article has "other articles reporting the same events"; and a wire copy of that sample, so it has a
# near-duplicate.
SAME_EVENT = {
    "title": "Bayramov holds rail freight talks in Tbilisi",
    "published": "2024-05-16",
    "source": "Caspian Courier",
    "text": (
        "Bayramov holds rail freight talks in Tbilisi\n\n"
        "Azerbaijani Foreign Minister Jeyhun Bayramov met Georgian officials in Tbilisi on Thursday to discuss "
        "faster rail freight on the Middle Corridor, the Azerbaijani foreign ministry said.\n\n"
        "The ministry said the talks also covered customs checks at the border crossing.\n"
    ),
}
MIDDLE_CORRIDOR_SAMPLE = "tbilisi-transit-talks.txt"


def source_records(corpus: int = 40) -> list[dict]:
    """The samples, the seed (if the shared folder is there), an article full of markup (``HOSTILE_STORED``),
    another report of a sample's event and a copy of that sample, and ``corpus`` corpus articles, as JSON
    records."""
    from communique.ingest.read import sample_documents

    records = [
        {
            "text": d.text,
            "published": d.published.isoformat() if d.published else None,
            "source": d.source,
            "title": d.title,
        }
        for d in sample_documents()
    ]
    if SEED.exists():
        records.append(
            {
                "text": SEED.read_text(encoding="utf-8"),
                "published": "2022-10-13",
                "source": "seed",
                "title": "Baku and Bishkek",
            }
        )
    sample = (resources.files("communique") / "samples" / MIDDLE_CORRIDOR_SAMPLE).read_text(encoding="utf-8")
    copy = {
        "text": sample,
        "published": "2024-05-17",
        "source": "wire copy",
        "title": "Middle Corridor (wire copy)",
        "url": "https://example.org/wire/middle-corridor",
    }
    return [*records, HOSTILE_STORED, SAME_EVENT, copy, *corpus_records(corpus)]


def write_records(records: list[dict], path: Path) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def build(db: Path, records: list[dict], analyzer: object | None = None) -> Path:
    """Ingest ``records`` into the SQLite store at ``db`` in this process (through the real ingest path)."""
    from communique.corpus.run import IngestSettings, ingest, use_analyzer
    from communique.corpus.store import open_store

    source = write_records(records, db.with_suffix(".jsonl"))
    if analyzer is not None:
        use_analyzer(analyzer)
    store = open_store(str(db))
    try:
        ingest([str(source)], store, IngestSettings(workers=0, chunk_size=8))
    finally:
        store.close()
    return db


_built: dict[int, Path] = {}


def web_store(analyzer: object | None = None, corpus: int = 40) -> Path:
    """The shared test store's path (built on first use, with the session's ``analyzer`` when given)."""
    if corpus not in _built:
        db = Path(tempfile.mkdtemp(prefix="communique-web-")) / "web.db"
        _built[corpus] = build(db, source_records(corpus), analyzer)
    return _built[corpus]


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    build(target, source_records(int(sys.argv[2]) if len(sys.argv) > 2 else 40))
    print(target)
