"""Whole-article evaluation: hand-annotated articles in the format of ``../shared/eval/articles-dev/``.

Each ``*.json`` file of the folder holds an article's ``text``, its ``published`` date and its gold sections
(actors, events, quotes, dates). The format is defined by the scorer that ships beside the articles
(``score_article.py``): this module analyses each article with the full pipeline and hands the contract JSON
to that scorer, section by section, so the figures are the format's own. It reports, per section, how many
required items were found, and for events the extras against each article's ``max_extra`` and the forbidden
events produced.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from communique.errors import InputError

SECTIONS = ("actors", "dates", "events", "quotes")
_FIGURE = re.compile(r"(\d+)\s*/\s*(\d+)")


@dataclass
class SectionResult:
    found: int = 0
    required: int = 0
    held: bool = True
    misses: list[str] = field(default_factory=list)


@dataclass
class ArticleReport:
    articles: dict[str, dict[str, SectionResult]] = field(default_factory=dict)

    def total(self, section: str) -> tuple[int, int]:
        results = [a[section] for a in self.articles.values() if section in a]
        return sum(r.found for r in results), sum(r.required for r in results)

    def table(self) -> str:
        width = max((len(n) for n in self.articles), default=8)
        lines = [f"{'article':<{width}}  " + "  ".join(f"{s:>9}" for s in SECTIONS)]
        for name, sections in sorted(self.articles.items()):
            cells = []
            for s in SECTIONS:
                r = sections.get(s)
                cells.append(f"{r.found:>3}/{r.required:<3}{'' if r.held else '!':>2}" if r else f"{'-':>9}")
            lines.append(f"{name:<{width}}  " + "  ".join(f"{c:>9}" for c in cells))
        totals = []
        for s in SECTIONS:
            found, required = self.total(s)
            totals.append(f"{found:>3}/{required:<3}  ")
        lines.append(f"{'all':<{width}}  " + "  ".join(f"{c:>9}" for c in totals))
        lines.append(
            "('!': the article's section does not hold: a miss, an extra over max_extra or a forbidden event)"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": {
                name: {
                    s: {"found": r.found, "required": r.required, "held": r.held, "misses": r.misses}
                    for s, r in sections.items()
                }
                for name, sections in self.articles.items()
            },
            "totals": {s: dict(zip(("found", "required"), self.total(s), strict=True)) for s in SECTIONS},
        }


def load_scorer(directory: Path) -> ModuleType:
    path = directory / "score_article.py"
    if not path.is_file():
        raise InputError(f"{directory}: no score_article.py beside the articles (it defines the format)")
    spec = importlib.util.spec_from_file_location("communique_article_scorer", path)
    if spec is None or spec.loader is None:
        raise InputError(f"{path}: cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_articles(directory: str | Path) -> dict[str, dict[str, Any]]:
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(f"{directory}: not a folder of annotated articles")
    articles = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.json"))}
    if not articles:
        raise InputError(f"{directory}: no annotated article (*.json) in it")
    return articles


def score_section(
    scorer: ModuleType, section: str, analysis: dict[str, Any], gold: dict[str, Any]
) -> SectionResult:
    """Run the format's scorer on one section; it prints misses then 'found/required', and returns or raises."""
    function = getattr(scorer, f"score_{section}")
    out = io.StringIO()
    held = True
    with contextlib.redirect_stdout(out):
        try:
            value = function(analysis, gold)
            if isinstance(value, bool):
                held = value
            elif isinstance(value, tuple) and value and isinstance(value[0], bool):
                held = value[0]
        except SystemExit as exit_:
            held = exit_.code in (0, None)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    result = SectionResult(held=held, misses=lines[:-1])
    figure = _FIGURE.search(lines[-1]) if lines else None
    if figure:
        result.found, result.required = int(figure.group(1)), int(figure.group(2))
    return result


def evaluate_articles(directory: str | Path, analyzer: Any) -> ArticleReport:
    from communique.document import to_contract

    directory = Path(directory)
    articles = load_articles(directory)
    scorer = load_scorer(directory)
    report = ArticleReport()
    for name, gold in articles.items():
        document = analyzer.analyze(gold["text"], published=gold.get("published"))
        analysis = json.loads(json.dumps(to_contract(document)))
        report.articles[name] = {
            section: score_section(scorer, section, analysis, gold) for section in SECTIONS if section in gold
        }
    return report
