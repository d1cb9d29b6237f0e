"""Do the South Caucasus and Central Asia resolve? Mentions of the region's states, capitals, leaders and places.

    python benchmarks/region.py [--n 100] [--seed 18] [--corpus PATH] [--target 0.9]

Draws ``--n`` articles (seeded, so every run reads the same ones) from the Tehran Times regional set
(``../shared/corpora/tehrantimes-region.jsonl.gz``) and runs the actor stages over them. Independently of the
analysis, every occurrence in the text of a surface listed in ``benchmarks/region-terms.tsv`` (a state's name or
adjective, its capital, a leader's or foreign minister's surname, a place of the region, each with the state code
a reader gives it) is a *mention to resolve*. It is resolved when an actor mention overlapping it carries that
code. Prints the share overall and by kind (state, capital, leader, minister, place), the unresolved surfaces
with a few words of context, and exits 1 below ``--target`` (the issue's 90%).

The count is not the general mention benchmark (benchmarks/mentions.py counts every actor the analysis found);
this one starts from the text, so a name the analysis never saw counts against it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "tehrantimes-region.jsonl.gz"
TERMS = Path(__file__).with_name("region-terms.tsv")
ACTOR_STAGES = ("actors", "coreference")


@dataclass(frozen=True)
class Term:
    surface: str
    code: str
    kind: str


@dataclass
class Occurrence:
    document: str
    start: int
    end: int
    term: Term
    resolved_to: str | None  # the code of the overlapping actor mention, or None when no actor covers it


def read_terms(path: Path = TERMS) -> list[Term]:
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("surface\t"):
            continue
        surface, code, kind = line.split("\t")
        terms.append(Term(surface, code, kind))
    return terms


def draw_articles(path: Path, n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` articles drawn at random (seeded), in corpus order."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        articles = [json.loads(line) for line in lines if line.strip()]
    articles = [a for a in articles if (a.get("text") or "").strip()]
    if n >= len(articles):
        return articles
    chosen = sorted(random.Random(seed).sample(range(len(articles)), n))
    return [articles[i] for i in chosen]


def analyse(articles: list[dict[str, Any]]) -> list[Any]:
    """The records read as ``communique ingest`` reads them (page furniture removed, a missing date taken from
    the text), after the actor stages."""
    from communique.document import Document
    from communique.ingest.records import document_from_record
    from communique.pipeline import Analyzer

    analyzer = Analyzer()
    analyzer.stages = [s for s in analyzer.stages if s.name in ACTOR_STAGES]
    documents = [document_from_record(a) for a in articles]
    return [d for d in analyzer.analyze_documents(documents) if isinstance(d, Document)]


def term_pattern(terms: list[Term]) -> re.Pattern[str]:
    # longest first, so "Nagorno-Karabakh" is one occurrence, not "Karabakh" inside it; a surface glued to a
    # letter ("Armenians" is still the adjective's plural) counts, one preceded by a letter does not
    alternatives = sorted({t.surface for t in terms}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(a) for a in alternatives) + r")(?=s?\b)")


def occurrences(documents: list[Any], terms: list[Term]) -> list[Occurrence]:
    by_surface = {t.surface: t for t in terms}
    pattern = term_pattern(terms)
    found = []
    for document in documents:
        spans = [(m.start, m.end, actor.code) for actor in document.actors for m in actor.mentions]
        for match in pattern.finditer(document.text):
            term = by_surface[match.group(1)]
            codes = [code for start, end, code in spans if start < match.end() and match.start() < end]
            resolved = term.code if term.code in codes else next((c for c in codes if c), None)
            found.append(Occurrence(document.id, match.start(), match.end(), term, resolved))
    return found


_PLACE_BEFORE = re.compile(r"\b(?:in|at|to|from|near|into|outside|inside|via|across)\s+(?:the\s+)?$", re.I)
_FORMAT_AFTER = re.compile(r"^\s+(?:peace\s+)?(?:process|talks|format|meeting|summit|negotiations)\b", re.I)


def miss_kind(o: Occurrence, text: str) -> str:
    """How the text uses a name that did not resolve: the name of a negotiation format ('the Astana process'),
    the place where something happens ('held in Baku': no actor by design, PLOVER codes who acts), or other."""
    if _FORMAT_AFTER.match(text[o.end : o.end + 30]):
        return "a format named for the city"
    if _PLACE_BEFORE.search(text[max(0, o.start - 20) : o.start]):
        return "the place where something happens"
    return "other"


def report(found: list[Occurrence], texts: dict[str, str], top: int) -> float:
    def share(ok: int, total: int) -> str:
        return f"{ok / total:6.1%}" if total else "     -"

    right = [o for o in found if o.resolved_to == o.term.code]
    print(
        f"{len(texts)} articles, {len(found)} mentions of the region's states, capitals, leaders and places; "
        f"resolved to the right state: {share(len(right), len(found))}"
    )
    print(f"\n{'kind':10} {'mentions':>9} {'resolved':>9}")
    kinds = Counter(o.term.kind for o in found)
    for kind, total in kinds.most_common():
        ok = sum(1 for o in right if o.term.kind == kind)
        print(f"{kind:10} {total:9} {share(ok, total):>9}")
    wrong = Counter(
        f"{o.term.surface} -> {o.resolved_to or 'nothing'} (want {o.term.code})"
        for o in found
        if o not in right
    )
    print(f"\nmost frequent unresolved or misresolved (of {len(found) - len(right)}):")
    for surface, count in wrong.most_common(top):
        print(f"{count:5}  {surface}")
    why = Counter(miss_kind(o, texts[o.document]) for o in found if o not in right)
    print(
        "\nthe misses by how the text uses the name: " + ", ".join(f"{k} {v}" for k, v in why.most_common())
    )
    misses = [o for o in found if o not in right][: top // 2]
    if misses:
        print("\nin context:")
    for o in misses:
        text = texts[o.document]
        before, after = text[max(0, o.start - 40) : o.start], text[o.end : o.end + 40]
        print(
            f"  {o.document} {o.start}-{o.end}: …{before}[{text[o.start : o.end]}]{after}…".replace("\n", " ")
        )
    return len(right) / len(found) if found else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="articles to draw (default 100)")
    parser.add_argument("--seed", type=int, default=18, help="seed of the draw (default 18)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--top", type=int, default=30, help="unresolved surfaces to list (default 30)")
    parser.add_argument("--target", type=float, default=0.9, help="exit 1 below this share (default 0.9)")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus} (the benchmark reads ../shared)", file=sys.stderr)
        return 2
    articles = draw_articles(args.corpus, args.n, args.seed)
    documents = analyse(articles)
    rate = report(occurrences(documents, read_terms()), {d.id: d.text for d in documents}, args.top)
    return 0 if rate >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
