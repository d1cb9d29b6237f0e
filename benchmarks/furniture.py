"""How often page furniture and photo captions occur in a corpus, in the text as read and in the text ingestion keeps.

    python benchmarks/furniture.py [CORPUS.jsonl.gz]

Every record is read by ingestion (``communique.ingest.records.document_from_record``, which removes furniture as
``communique.ingest.furniture`` finds it); for each marker below, the occurrences and the articles holding one are
counted in the record's text and in the document's text. The markers are plain regular expressions written here,
independently of the rules, so that what the rules miss shows up in the "after" column. Also printed: the share
of characters removed and the spans removed per rule. Default corpus: ../shared/corpora/allsides-geopolitics.jsonl.gz.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from communique.ingest.records import document_from_record  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "allsides-geopolitics.jsonl.gz"
MARKERS = {
    "Hide Caption N of M (galleries)": r"Hide Caption \d+ of \d+",
    "JUST WATCHED / Replay More Videos": r"Replay More Videos|JUST WATCHED",
    "Image copyright / Image caption": r"Image (?:copyright|caption)",
    "Media playback / Media caption": r"Media (?:playback|caption)",
    "Enlarge this image / toggle caption": r"Enlarge this image|toggle caption",
    "Photo: / Photograph: credit": r"\bPhoto(?:graph|grapher)?: ",
    "Name/Reuters|AP|AFP|Getty at line end": r"\w/(?:Reuters|AP|AFP|Getty Images)\s*$",
    "(Photo ...) / (Image ...)": r"\((?:Photo|Image|Credit)\b",
    "Advertisement (a line)": r"^\s*Advertisement\s*$",
    "Click here": r"\bClick here\b",
    "Read more": r"\bRead [Mm]ore\b",
    "Sign up for": r"\bSign up for\b",
    "Facebook Twitter Pinterest": r"Facebook Twitter Pinterest",
    "Story highlights": r"Story [Hh]ighlights",
    "Choose your country (sign-up forms)": r"Choose your country",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"{args.corpus}: not found (the shared corpus is needed)")
    patterns = {name: re.compile(p, re.M) for name, p in MARKERS.items()}
    before: collections.Counter[str] = collections.Counter()
    after: collections.Counter[str] = collections.Counter()
    articles_before: collections.Counter[str] = collections.Counter()
    articles_after: collections.Counter[str] = collections.Counter()
    rules: collections.Counter[str] = collections.Counter()
    articles = chars_read = chars_kept = 0
    with gzip.open(args.corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            read = str(record.get("text") or "").replace("\r\n", "\n")
            if not read.strip():
                continue
            document = document_from_record(record)
            articles += 1
            chars_read += len(read)
            chars_kept += len(document.text)
            rules.update(span["rule"] for span in document.metadata.get("furniture", []))
            for name, pattern in patterns.items():
                found_before, found_after = len(pattern.findall(read)), len(pattern.findall(document.text))
                before[name] += found_before
                after[name] += found_after
                articles_before[name] += found_before > 0
                articles_after[name] += found_after > 0
    removed = chars_read - chars_kept
    print(f"{args.corpus.name}: {articles:,} articles; {chars_read:,} characters read, {chars_kept:,} kept")
    print(f"({removed:,} removed, {100 * removed / max(1, chars_read):.1f}%)\n")
    print(f"{'marker':40} {'before':>8} {'articles':>9} {'after':>8} {'articles':>9}")
    for name in MARKERS:
        print(
            f"{name:40} {before[name]:8,} {articles_before[name]:9,} {after[name]:8,} {articles_after[name]:9,}"
        )
    print("\nspans removed, by rule: " + ", ".join(f"{rule} {n:,}" for rule, n in rules.most_common()))


if __name__ == "__main__":
    main()
