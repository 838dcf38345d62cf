"""Hybrid service search: what a resident means, in Finnish, Swedish and English.

What is indexed (catalog.search.indexing, refreshed after every ingest or edit):
- three tsvectors per service, built with PostgreSQL's `finnish`, `swedish` and
  `english` configurations from that language's texts, weighted
  A name > B keywords, theme names and code-list labels > C summary > D description
  and how-to-start;
- `search_text`: names, keywords and labels, lower-cased and unaccented, for pg_trgm
  word similarity (typos, partial words, compound parts such as "jumppa" in "vesijumppa");
- one multilingual-e5-small passage vector per service (pgvector, HNSW, cosine).

How a query is answered (catalog.search.engine):
1. The query is normalised (whitespace, at most 200 characters; longer input is an error
   for the caller, never a crash). All values go to SQL as parameters.
2. Lexical list: every language configuration is tried (a Swede may type Finnish), with
   OR semantics between the query's words so that a whole sentence still matches on its
   content words; rank = best ts_rank_cd over the languages + 0.5 x trigram word
   similarity. Up to 200 candidates.
3. Semantic list: the query is embedded with the `query: ` prefix and the 100 nearest
   services by cosine distance are taken (HNSW with iterative scans so filters hold),
   keeping those within a similarity margin of the best one and above a floor.
4. Fusion: weighted reciprocal rank fusion, score = sum of w / (60 + rank), with the
   weights measured by `make eval` (see scripts/eval_search.py and its README section).
5. Filters (theme, municipality with region-wide and nationwide services included,
   target group, service language, free of charge, channel kind) are applied inside
   both lists, so facets and counts describe what the resident can open.
6. Each result says why it matched: the query words found in it, or "close in meaning",
   and its themes. When nothing matches well the caller gets the nearest themes,
   a wider area and related searches instead of a confident wrong answer.
"""
