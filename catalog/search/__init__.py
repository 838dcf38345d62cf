"""Hybrid service search: what a resident means, in Finnish, Swedish and English.

What is indexed (catalog.search.indexing, refreshed after every ingest or edit):
- `search_vector`: one tsvector holding each language's texts parsed by its own
  PostgreSQL configuration (`finnish`, `swedish`, `english`), weighted
  A name > B keywords, theme names and code-list labels > C summary > D description
  and how-to-start. GIN index; used for matching.
- `search_head`: the same without D. Small, so ranking thousands of matches stays cheap.
- `catalog_searchword`: the distinct words of names, keywords and labels (a
  materialized view with a pg_trgm index): typos and compounds are resolved against
  these few thousand words instead of against every service.
- `index_theme_ids`, `index_municipality_ids`: copies of the link tables on the row, so
  filters and facet counts need no join (the hashed sub-plan of a municipality filter
  cost ~1 ms twice a search at 20,000 services).
- Effective values, not source values: the region's curation (ServiceCuration) is an
  overlay that the indexer applies. Theme ids include the region's extra themes,
  `index_hidden` and `index_featured` copy its flags, and the region's own summary
  replaces the source's in the C weight and in the embedded text. Listings without query
  text put featured services first (`service_listing_idx` is ordered so).
- one multilingual-e5-small passage vector per service (pgvector, HNSW, cosine),
  embedded from name, summary, keywords and description; unchanged text is not
  re-embedded (content hash), identical texts share one vector.

How a query is answered (catalog.search.engine.search):
1. Normalise: whitespace folded, control characters dropped, at most 200 characters
   (longer input is an error the caller turns into a message). Values reach SQL only as
   parameters; input with no letters or digits (emoji, punctuation) finds nothing and
   gets the help below.
2. Lexical terms: the query's words OR-ed, parsed by all three configurations (a Swede
   may type Finnish), plus vocabulary expansions: look-alikes for words the texts do not
   contain (pg_trgm word similarity >= 0.6, length within two letters: "kuntosli" ->
   "kuntosali"), longer compounds containing a word ("jumppa" -> "vesijumppa") and the
   parts of a typed compound ("tupakkavieroitus" -> "tupakka", "vieroitus"). One
   statement fetches the expansions and how many services hold each word
   (`catalog_searchlexeme`, from ts_stat). Words and expansions in more than 6 % of the
   public services, or in more than 500, are left to the semantic side when rarer words
   exist: they would select thousands of rows and tell little apart (measured: p95 110 ms
   -> 30 ms at 20,000 services, and nDCG@10 0.703 -> 0.726). Sentences (3+ words) and
   all-common queries match on `search_head` only.
3. One statement answers the rest: the lexical list (up to 200, ts_rank on
   `search_head`), the semantic list (the query embedded with the `query: ` prefix,
   nearest 100 by cosine distance through HNSW, iterative scans keep filters exact;
   kept when similarity >= 0.75 and within 0.06 of the best hit) and the theme and
   municipality counts over their union. A query of common words only ranks lexically
   just the semantic side's 100 nearest services (ranking every match of "työ" took
   76 ms). Filters (theme, municipality with region-wide and nationwide services
   included, target group, service language, free of charge, channel kind) apply inside
   both lists, so facet counts and the result count describe what can be opened;
   services the region hid (`index_hidden`) never appear. Values reach SQL only as parameters.
4. Fusion: weighted reciprocal rank fusion, score = sum of w / (60 + rank), with
   w = 1.0 lexical and 2.5 semantic. `make eval` measured the choice (README).
5. The page's services come with their themes, municipalities and organisations in one
   more statement; the search log is one INSERT: four round trips. Upcoming events are
   ranked the same way in one more statement (events/search.py) with the same text and
   the same query vector, so a query is embedded once.
6. Each result says why it matched (query words found in its texts, else "close in
   meaning") and lists its themes. When nothing matches well (no lexical match and
   best similarity < 0.84) the result carries the nearest themes (by embedding the
   theme descriptions), a "whole region" option when a municipality was chosen, and
   related searches from the nearest services' keywords.

Modules (each imports only those above it; none imports another app):
- postgres: the text search configuration of each language (indexing and queries) and the
  per-connection settings (catalog.apps); no models.
- cache: ProcessCache, themes and municipalities by id, clear_process_caches().
- types: SearchFilters, Hit, SearchResult, LexicalTerms, QueryTooLong.
- embeddings: the e5 backends, passage vectors and the (cached) query vector.
- indexing: what is indexed (above), called after every ingest or edit.
- sql: fetch_all, the filters, the lexical and semantic list builders (shared with
  events.search) and `rankings`, the one statement of step 3.
- query: steps 1 and 2: normalize_query, query_words (the one way a query is split into
  words), a municipality named in the query, word analysis and lexical_terms.
- fusion: step 4.
- results: steps 5 and 6: card_services, matched_words, facets, nearest_themes,
  related_searches, and warm_up (gunicorn.conf.py).
- engine: `search()`, the entry point, which runs the steps in order.
"""
