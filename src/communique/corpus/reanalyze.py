"""Re-analysis: run the current analyzer over the stored documents again, exactly once, resumably.

    reanalyze(store, since="2022-01-01") -> Reanalysis

Every document records the analyzer that produced its rows (``documents.analyzer``: :func:`analyzer_version`,
the package version and the event model's hash) and every run the analyzer it used (``runs.analyzer``).
A re-analysis is a run over the documents whose analyzer is not the current one: each is analysed from its
stored text and metadata, and its rows are replaced, its analyzer recorded and a ``document_analyses`` row
written in one transaction; so a re-analysis killed at any point and started again analyses each remaining
document once and none twice. An analyst's corrections hold: the rows are replaced through
:meth:`~communique.corpus.store.base.Store.replace_document`, which applies them (corpus/corrections.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from communique.corpus.provenance import analyzer_version

if TYPE_CHECKING:
    from communique.corpus.store import Store

PAGE = 50  # documents read per query, and placed in their real-world events together


@dataclass
class Reanalysis:
    run_id: int
    analyzer: str
    analysed: int = 0
    remaining_at_start: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (document id, error)


def pending(store: Store, since: str | None = None, analyzer: str | None = None) -> int:
    """How many stored documents (published on or after ``since``) another analyzer produced."""
    sql, params = _pending_sql(since, analyzer or analyzer_version())
    return int(store.query(f"SELECT count(*) FROM documents d WHERE {sql}", params)[0][0])


def _pending_sql(since: str | None, version: str) -> tuple[str, list[Any]]:
    sql, params = "(d.analyzer IS NULL OR d.analyzer <> ?)", [version]
    if since:
        sql += " AND d.published >= ?"
        params.append(since)
    return sql, params


def reanalyze(
    store: Store,
    since: str | None = None,
    analyzer: Any = None,
    on_document: Callable[[Reanalysis], None] | None = None,
) -> Reanalysis:
    """Analyse again every stored document (published on or after ``since``, YYYY-MM-DD) that the current
    analyzer has not produced, replacing its rows and keeping its corrections; return what was done.

    A document that fails is recorded in the run's errors and left as it was; the others go on.
    """
    from communique.corpus.clock import now
    from communique.corpus.dedup import merge_events
    from communique.document import Document, to_contract
    from communique.ingest.published import publication_date

    version = analyzer_version()
    run_id = store.start_run(["reanalyze"], {"since": since, "analyzer": version})
    report = Reanalysis(run_id, version, remaining_at_start=pending(store, since))
    status = "failed"
    try:
        if analyzer is None and report.remaining_at_start:
            from communique.pipeline import Analyzer

            analyzer = Analyzer()
        where, params = _pending_sql(since, version)
        last = ""
        while True:
            ids = [
                r[0]
                for r in store.query(
                    f"SELECT d.id FROM documents d WHERE d.id > ? AND {where} ORDER BY d.id LIMIT {PAGE}",
                    [last, *params],
                )
            ]
            if not ids:
                break
            last = ids[-1]
            for doc_id in ids:
                row = store.stored_document(doc_id)
                if row is None:
                    continue
                try:
                    document = Document(
                        text=row["text"],
                        id=row["id"],
                        title=row["title"],
                        published=publication_date(row["published"]) if row["published"] else None,
                        url=row["url"],
                        author=row["author"],
                        source=row["source"],
                        language=row["language"] or "en",
                        genre=row["genre"],
                        bias=row["bias"],
                    )
                    analysed = analyzer.analyze(document)
                    analysed.parsed = None
                    record = to_contract(analysed)
                except Exception as exc:  # one document's failure must not stop the others
                    report.failed.append((doc_id, f"{type(exc).__name__}: {exc}"))
                    with store.transaction():
                        store.execute(
                            "INSERT INTO run_errors (run_id, origin, document_id, error) VALUES (?, ?, ?, ?)",
                            (run_id, row["origin"] or "store", doc_id, f"{type(exc).__name__}: {exc}"),
                        )
                    continue
                from communique.corpus.store import AnalysedDocument

                with store.transaction():
                    store.replace_document(AnalysedDocument(record, row["external_id"], row["origin"]), [])
                    store.execute(
                        "INSERT INTO document_analyses (document_id, analyzer, run_id, analysed_at) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        (doc_id, version, run_id, now()),
                    )
                report.analysed += 1
                if on_document is not None:
                    on_document(report)
            merge_events(store)
        status = "finished"
    finally:
        # Nothing is added or skipped: what the run analysed is its document_analyses rows.
        store.finish_run(run_id, status, {"errors": len(report.failed)})
    return report
