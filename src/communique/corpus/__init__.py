"""The corpus: the ingestion run and its one write path (run), near-duplicate detection (dedup), the store (store/),
relations and balance over time (relations), exports (exports), the Ray engine (ray_engine) and watched sources
(watch)."""
