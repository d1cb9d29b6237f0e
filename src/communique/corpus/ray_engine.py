"""The Ray engine: the local ingestion run (:mod:`communique.corpus.run`) with its analysis on a Ray Data actor pool.

    ingest_ray(["corpus.jsonl.gz"], store, RaySettings(address="head:6379", actors=8)) -> IngestReport

What stays the same as the local engine: sources are read and triaged in the driver, in input order, by the
same :class:`~communique.corpus.run.Triage` (content ids, exact and near copies), and each new document is
analysed by :func:`~communique.corpus.run.analyse_chunk`, so both engines store identical rows.

What Ray adds:

* **An actor pool.** Every actor loads the :class:`~communique.pipeline.Analyzer` (model and knowledge base) once,
  then analyses batches of ``chunk_size`` documents; Ray Data spreads the batches over the actors of every node
  and restarts an actor that dies, retrying its batches (``max_restarts``/``max_task_retries`` unlimited).
* **Parquet shards.** Each block of results the pool returns is written by the driver as one Parquet file in the
  run's shard directory (one row per document: ``id``, ``content_key``, ``origin``, ``result`` — the
  :class:`~communique.corpus.store.AnalysedDocument` as JSON — ``error`` and the ``worker`` pid), atomically (written
  beside, then renamed), and then loaded into the store through :meth:`Store.write_batch`, the store's one
  write path, which skips any document already stored.
* **Resuming.** The shard directory is named after the store and the sources. A run that stops before the end
  leaves it without its ``COMPLETE`` marker; the next run with the same store and sources first loads every
  shard already there (documents analysed before the stop are not analysed again), then triages the input,
  which now skips whatever is stored. Loading is exactly once because the store dedupes by content id.

The input is processed in waves of ``wave`` new documents (triage, analysis, load), so the driver holds one
wave at a time, not the whole corpus. Links to copies and read errors of a wave are written after its
documents, so a link's target is always stored first.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from communique.corpus.dedup import merge_events
from communique.corpus.run import (
    Chunk,
    Incoming,
    IngestReport,
    IngestSettings,
    ProgressCallback,
    Task,
    Triage,
    analyse_chunk,
    read_sources,
    store_results,
    use_analyzer,
)
from communique.corpus.store import AnalysedDocument, DocumentError, DocumentLink, Store
from communique.errors import EngineError

log = logging.getLogger(__name__)

SHARD_COLUMNS = ("id", "content_key", "origin", "result", "error", "worker")
COMPLETE = "COMPLETE"
DEFAULT_SHARD_ROOT = "communique-shards"


@dataclass
class RaySettings:
    """Where and how wide the Ray run goes; recorded with the run."""

    address: str | None = None  # a running cluster ("head:6379" or "auto"); None starts Ray on this machine
    actors: int = 2  # analysis actors (each holds one Analyzer)
    cpus_per_actor: float = 1.0
    wave: int = 2000  # new documents triaged, analysed and loaded together (bounds the driver's memory)
    shard_dir: str | None = None  # default: ./communique-shards/<run key>
    extra: dict[str, Any] = field(default_factory=dict)  # more ray.init keyword arguments (tests)


ShardCallback = Callable[[Path, "Any"], None]  # (shard path, the shard as a pyarrow Table)


# -- the actor --------------------------------------------------------------------------------------------------


class AnalyserActor:
    """One analysis actor of the pool: loads the Analyzer once, then turns batches of tasks into shard rows."""

    def __init__(self, analysis_batch: int = 8) -> None:
        from communique.pipeline import Analyzer

        analyzer = Analyzer()
        analyzer.analysis_batch = analysis_batch  # type: ignore[attr-defined]
        use_analyzer(analyzer)  # analyse_chunk's, as in a local worker process
        self.pid = os.getpid()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        tasks: Chunk = [pickle.loads(payload) for payload in batch["task"]]
        rows: dict[str, list[Any]] = {name: [] for name in SHARD_COLUMNS}
        for task, result in zip(tasks, analyse_chunk(tasks), strict=True):
            assert isinstance(task, Task)
            rows["id"].append(task.incoming.document.id)
            rows["content_key"].append(task.incoming.external_id or task.incoming.document.url)
            rows["origin"].append(task.incoming.origin)
            rows["worker"].append(self.pid)
            if isinstance(result, AnalysedDocument):
                rows["result"].append(encode_result(result))
                rows["error"].append(None)
            else:
                assert isinstance(result, DocumentError)
                rows["result"].append(None)
                rows["error"].append(result.error)
        return rows


def encode_result(item: AnalysedDocument) -> str:
    """An analysed document as the JSON text of a shard's ``result`` column."""
    return json.dumps(
        {
            "record": item.record,
            "external_id": item.external_id,
            "origin": item.origin,
            "signature": item.signature.hex() if item.signature is not None else None,
        },
        ensure_ascii=False,
    )


def decode_row(row: dict[str, Any]) -> AnalysedDocument | DocumentError:
    """The store item a shard row stands for."""
    if row.get("result"):
        data = json.loads(row["result"])
        signature = bytes.fromhex(data["signature"]) if data.get("signature") else None
        return AnalysedDocument(data["record"], data.get("external_id"), data.get("origin"), signature)
    return DocumentError(row.get("origin") or "", row.get("id"), row.get("error") or "analysis failed")


# -- shards -----------------------------------------------------------------------------------------------------


def run_key(store: Store, sources: Sequence[str]) -> str:
    """A short, stable name for (this store, these sources): the shard directory of their runs."""
    target = str(getattr(store, "url", None) or repr(type(store)))
    if "://" not in target and target != ":memory:":
        target = os.path.abspath(target)
    from communique import __version__

    material = json.dumps(
        [str(target), [os.path.abspath(s) if os.path.exists(s) else s for s in sources], __version__]
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


def shard_directory(store: Store, sources: Sequence[str], settings: RaySettings) -> Path:
    if settings.shard_dir:
        return Path(settings.shard_dir)
    return Path(DEFAULT_SHARD_ROOT) / run_key(store, sources)


def read_shard(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


def write_shard(directory: Path, number: int, table: Any) -> Path:
    """Write one shard atomically: a reader sees the whole file or none (a half-written one is never named)."""
    import pyarrow.parquet as pq

    final = directory / f"shard-{number:06d}.parquet"
    partial = directory / f".partial-{number:06d}-{os.getpid()}.parquet"
    pq.write_table(table, partial)
    os.replace(partial, final)
    return final


def existing_shards(directory: Path) -> list[Path]:
    return sorted(directory.glob("shard-*.parquet"))


# -- the run ----------------------------------------------------------------------------------------------------


def _connect(settings: RaySettings) -> bool:
    """Join the cluster at ``settings.address`` or start Ray here; True when this call started it."""
    import ray

    if ray.is_initialized():
        return False
    try:
        if settings.address:
            ray.init(address=settings.address, logging_level=logging.WARNING, **settings.extra)
        else:
            cpus = max(1, int(round(settings.actors * settings.cpus_per_actor)))
            ray.init(num_cpus=cpus, include_dashboard=False, logging_level=logging.WARNING, **settings.extra)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise EngineError(
            f"cannot start or reach Ray at {settings.address or 'this machine'}: {exc}"
        ) from exc
    return True


def analyse_on_ray(tasks: list[Task], settings: IngestSettings, ray_settings: RaySettings) -> Iterator[Any]:
    """Analyse tasks on the actor pool; yield the result blocks (pyarrow Tables of shard rows) as they finish."""
    import ray.data

    logging.getLogger("ray.data").setLevel(logging.WARNING)  # Ray Data's per-dataset INFO lines would
    # interleave with the CLI's progress bar; warnings and errors still show
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # the CLI shows its own progress
    chunk = max(1, settings.chunk_size)
    items = [{"task": pickle.dumps(task)} for task in tasks]
    blocks = max(1, -(-len(items) // chunk))
    dataset = ray.data.from_items(items, override_num_blocks=blocks)
    results = dataset.map_batches(
        AnalyserActor,
        fn_constructor_kwargs={"analysis_batch": settings.analysis_batch},
        batch_size=chunk,
        batch_format="numpy",
        # no more actors than batches: a small wave (a resumed run's leftovers) loads the model only where needed
        compute=ray.data.ActorPoolStrategy(size=max(1, min(ray_settings.actors, blocks))),
        num_cpus=ray_settings.cpus_per_actor,
        # An actor that dies is restarted and its batches retried: Ray Data's default for actor pools
        # (max_restarts=-1, max_task_retries=-1); tests/corpus/test_ray_engine.py kills one to hold it to that.
    )
    yield from results.iter_batches(batch_size=None, batch_format="pyarrow")


def ingest_ray(
    sources: Iterable[str],
    store: Store,
    settings: IngestSettings | None = None,
    ray_settings: RaySettings | None = None,
    on_progress: ProgressCallback | None = None,
    on_shard: ShardCallback | None = None,
) -> IngestReport:
    """Read, deduplicate, analyse on Ray and store every document of the sources; safe to rerun and to kill.

    Ends with the same store rows as :func:`communique.corpus.run.ingest` on the same input.
    """
    settings = settings or IngestSettings()
    ray_settings = ray_settings or RaySettings()
    sources = list(sources)
    directory = shard_directory(store, sources, ray_settings)
    recorded = {
        **settings.__dict__,
        "engine": "ray",
        **{k: v for k, v in asdict(ray_settings).items() if k != "extra"},
        "shard_dir": str(directory),
    }
    run_id = store.start_run(sources, recorded)
    report = IngestReport(run_id)
    started = time.perf_counter()
    status = "failed"
    started_ray = False

    def write(items: Sequence[AnalysedDocument | DocumentLink | DocumentError]) -> None:
        if not items:
            return
        store_results(store, run_id, items, report)
        report.seconds = time.perf_counter() - started
        if on_progress:
            on_progress(report)

    try:
        if (directory / COMPLETE).exists():  # a finished run's shards are all stored: start a fresh set
            shutil.rmtree(directory)
        directory.mkdir(parents=True, exist_ok=True)
        shards = existing_shards(directory)
        for shard in shards:  # resume: what an interrupted run analysed is loaded, not analysed again
            try:
                write([decode_row(row) for row in read_shard(shard)])
            except (OSError, ValueError) as exc:  # unreadable: its documents are analysed again below
                log.warning("shard %s unreadable (%s): analysing its documents again", shard, exc)
                shard.unlink(missing_ok=True)
        number = len(shards)
        feed_states: dict[str, tuple[str | None, str | None]] = {}
        triage = Triage(store, settings.near_threshold)
        for tasks, others in _waves(
            read_sources(sources, feed_states, store, settings.published),
            triage,
            report,
            ray_settings.wave,
            on_progress,
        ):
            if tasks:
                started_ray = _connect(ray_settings) or started_ray
                for block in analyse_on_ray(tasks, settings, ray_settings):
                    path = write_shard(directory, number, block)
                    number += 1
                    if on_shard:  # between writing the shard and loading it: the window a crash resumes from
                        on_shard(path, block)
                    write([decode_row(row) for row in block.to_pylist()])
            write(others)
        report.clusters = merge_events(store)
        for url, (etag, modified) in feed_states.items():
            store.set_feed_state(url, etag, modified)
        (directory / COMPLETE).write_text(f"run {run_id}\n", encoding="utf-8")
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        if started_ray:
            import ray

            ray.shutdown()
        report.seconds = time.perf_counter() - started
        store.finish_run(run_id, status, report.__dict__)
    return report


def _waves(
    items: Iterable[Incoming | DocumentError],
    triage: Triage,
    report: IngestReport,
    size: int,
    on_progress: ProgressCallback | None,
) -> Iterator[tuple[list[Task], list[DocumentLink | DocumentError]]]:
    """The triaged input in waves of at most ``size`` new documents, with the links and errors met meanwhile."""
    tasks: list[Task] = []
    others: list[DocumentLink | DocumentError] = []
    for item in items:
        decided = triage.decide(item) if isinstance(item, Incoming) else item
        if decided is None:
            report.skipped += 1
            if on_progress and report.skipped % 100 == 0:
                on_progress(report)
        elif isinstance(decided, Task):
            tasks.append(decided)
            if len(tasks) >= size:
                yield tasks, others
                tasks, others = [], []
        else:
            others.append(decided)
    if tasks or others:
        yield tasks, others
