"""What the search asks of PostgreSQL besides its tables (no models: catalog.apps reads it at start).

- LANGUAGE_CONFIGS: the text search configuration of each language, the same for indexing
  (catalog.search.indexing, events.indexing) and for parsing queries (catalog.search.sql).
- SESSION_SETTINGS: set on every new connection (catalog.apps): the pg_trgm threshold of the
  vocabulary lookup, the HNSW candidate list and iterative scans that keep filters exact.
"""

LANGUAGE_CONFIGS = {"fi": "finnish", "sv": "swedish", "en": "english"}
SESSION_SETTINGS = {
    "pg_trgm.word_similarity_threshold": "0.5",
    "hnsw.ef_search": "100",
    "hnsw.iterative_scan": "relaxed_order",
}
