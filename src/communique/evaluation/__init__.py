"""Measurement against the reference sets in ../shared: PLOVER records (plover), PLV news sentences (plv), PolNeAR
quotes (quotes) and hand-annotated articles (articles)."""
