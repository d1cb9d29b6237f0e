"""The Ray engine stores exactly what the local engine stores, survives a killed actor, and resumes from shards.

One Ray (2 CPUs, no dashboard) serves the module and is shut down at its end. The input is 24 short real
articles of the shared corpus plus an exact and a near copy, so links go through the Ray path too.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from pathlib import Path

import pytest

from communique.corpus import run as corpus_module
from communique.corpus.ray_engine import RaySettings, ingest_ray, read_shard
from communique.corpus.run import IngestSettings, ingest
from communique.corpus.store import open_store
from tests.corpus.test_corpus import corpus_records
from tests.corpus.test_kill_resume import table_contents

ray = pytest.importorskip("ray")

ARTICLES = 24


@pytest.fixture(scope="module")
def ray_cluster():
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING")
    yield
    if started:
        ray.shutdown()


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    records = corpus_records(ARTICLES, chars=600)
    copy = dict(records[5], ID="copy-of-5")
    near = dict(records[12], ID="near-12", text=records[12]["text"] + "\n\nThis story has been updated.")
    path = tmp_path_factory.mktemp("ray-input") / "articles.jsonl"
    too_long = {
        "ID": "too-long",
        "text": "Baku welcomed the Kyrgyz delegation. " * 30_000,
    }  # over the 1M limit
    path.write_text(
        "\n".join(json.dumps(r) for r in [*records, copy, near, too_long]) + "\n", encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def local_rows(analyzer, source, tmp_path_factory) -> dict[str, list[tuple]]:
    """The store the local engine builds from the input (in this process, with the session's model)."""
    corpus_module._analyzer = analyzer
    db = tmp_path_factory.mktemp("local") / "local.db"
    with open_store(db) as store:
        ingest([str(source)], store, IngestSettings(workers=0, chunk_size=4))
    return table_contents(db)


def ray_settings(tmp_path: Path) -> RaySettings:
    return RaySettings(actors=2, shard_dir=str(tmp_path / "shards"))


@pytest.fixture(scope="module")
def ray_run(ray_cluster, source, tmp_path_factory):
    """One uninterrupted Ray run of the input into SQLite: (database, shard directory, report)."""
    work = tmp_path_factory.mktemp("ray-run")
    with open_store(work / "ray.db") as store:
        report = ingest_ray([str(source)], store, IngestSettings(chunk_size=4), ray_settings(work))
    return work / "ray.db", work / "shards", report


def test_ray_engine_stores_the_same_rows_as_the_local_engine(ray_run, local_rows):
    db, _, report = ray_run
    assert (report.added, report.linked, report.errors) == (ARTICLES, 2, 1)
    assert len(local_rows["documents"]) == ARTICLES and local_rows["events"], (
        "the comparison must be non-trivial"
    )
    assert table_contents(db) == local_rows


def test_ray_engine_writes_one_shard_row_per_analysed_document(ray_run):
    _, shards, _ = ray_run
    rows = [row for shard in sorted(shards.glob("shard-*.parquet")) for row in read_shard(shard)]
    analysed = [row["id"] for row in rows if row["result"]]
    assert len(analysed) == len(set(analysed)) == ARTICLES
    assert (shards / "COMPLETE").exists()


def test_a_document_the_actors_cannot_analyse_is_a_shard_error_and_a_run_error(ray_run, source):
    db, shards, _ = ray_run
    failed = [
        row for shard in sorted(shards.glob("shard-*.parquet")) for row in read_shard(shard) if row["error"]
    ]
    assert [row["content_key"] for row in failed] == ["too-long"] and failed[0]["result"] is None
    assert "limit" in failed[0]["error"]
    with open_store(db) as store:
        assert [origin for _, origin, _, _ in store.run_errors()] == [f"{source}:{ARTICLES + 3}"]


@pytest.mark.postgres
def test_ray_shards_load_into_postgresql_with_the_rows_of_sqlite(ray_run, source, pg_database, tmp_path):
    from tests.corpus.test_postgres import contents

    db, shards, _ = ray_run
    resumed = tmp_path / "shards"
    shutil.copytree(shards, resumed, ignore=shutil.ignore_patterns("COMPLETE"))  # an interrupted run's shards
    with open_store(pg_database) as pg, open_store(db) as sqlite:
        report = ingest_ray(
            [str(source)], pg, IngestSettings(chunk_size=4), RaySettings(actors=2, shard_dir=str(resumed))
        )
        assert report.added == ARTICLES  # all from the shards: only the failed document goes to Ray again
        assert contents(pg) == contents(sqlite)


def test_a_worker_actor_killed_mid_run_loses_and_duplicates_nothing(
    ray_cluster, source, local_rows, tmp_path
):
    killed: list[int] = []

    def kill_first_worker(path: Path, block) -> None:
        if not killed:
            pid = block.column("worker")[0].as_py()
            os.kill(pid, signal.SIGKILL)  # the actor process dies; Ray restarts it and retries its batches
            killed.append(pid)

    db = tmp_path / "ray.db"
    with open_store(db) as store:
        report = ingest_ray(
            [str(source)],
            store,
            IngestSettings(chunk_size=4),
            ray_settings(tmp_path),
            on_shard=kill_first_worker,
        )
        runs = store.runs()
    assert killed, "a worker should have been killed"
    assert report.added == ARTICLES and runs[-1]["status"] == "finished"
    assert table_contents(db) == local_rows


def test_an_interrupted_ray_run_resumes_from_its_shards_without_analysing_them_again(
    ray_cluster, source, local_rows, tmp_path
):
    class Stop(Exception):
        pass

    def stop_after_first_shard(path: Path, block) -> None:
        raise Stop  # the driver dies after writing its first shard, before loading it

    db = tmp_path / "ray.db"
    with open_store(db) as store:
        with pytest.raises(Stop):
            ingest_ray(
                [str(source)],
                store,
                IngestSettings(chunk_size=4),
                ray_settings(tmp_path),
                on_shard=stop_after_first_shard,
            )
        shards = sorted((tmp_path / "shards").glob("shard-*.parquet"))
        assert len(shards) == 1
        first = {row["id"] for row in read_shard(shards[0])}
        assert store.counts(("documents",))["documents"] == 0  # the run stopped before loading its shard

        report = ingest_ray([str(source)], store, IngestSettings(chunk_size=4), ray_settings(tmp_path))
    later = [
        row["id"]
        for shard in sorted((tmp_path / "shards").glob("shard-*.parquet"))[1:]
        for row in read_shard(shard)
    ]
    assert first and not first & set(later), "documents of the existing shard must not be analysed again"
    assert report.added == ARTICLES and len(first) + len(later) == ARTICLES + 1  # and the failed one
    assert table_contents(db) == local_rows
