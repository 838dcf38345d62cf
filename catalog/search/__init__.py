"""Hybrid service search: what a resident means, in Finnish, Swedish and English.

What is indexed (catalog.search.indexing, refreshed after every ingest or edit):
- `search_vector`: one tsvector holding each language's texts parsed by its own
  PostgreSQL configuration (`finnish`, `swedish`, `english`), weighted
  A name > B keywords, theme names and code-list labels > C summary > D description
  and how-to-start; beside them Voikko's lemmas of the Finnish texts ("unta" -> "uni") and,
  marked with "~", the parts of compounds and derivations ("~uni" for "unettomuus",
  "~jumppa" for "vesijumppa"), same weights (catalog.search.morphology: PostgreSQL has no
  Voikko dictionary, so Python builds them). GIN index; used for matching.
- `search_head`: the same without D. Small, so ranking thousands of matches stays cheap.
- `catalog_searchword`: the distinct words of names, keywords and labels (a
  materialized view with a pg_trgm index): typos and compounds are resolved against
  these few thousand words instead of against every service.
- `index_theme_ids`, `index_municipality_ids`: copies of the link tables on the row, so
  filters and facet counts need no join.
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
   gets the help below. The query's language (fi, sv, en) picks the floors of step 3.
2. Lexical terms: the query's content words (stop words of any of the three languages and
   Finnish function words dropped: "for", "kan", "saa", "mistä") OR-ed, parsed by all three
   configurations (a Swede may type Finnish), with Voikko's lemmas of them as whole words and
   as compound parts (`'uni' | '~uni'`), plus vocabulary expansions: look-alikes for words
   the texts do not contain and Voikko does not know (pg_trgm word similarity >= 0.6,
   length within two letters: "kuntosli" -> "kuntosali"), longer compounds that really hold
   the word ("jumppa" -> "vesijumppa", by Voikko's parts: "liikunta" does not hold "unta")
   and the parts of a typed compound. The curated lexicon (SearchSynonymGroup, editors keep
   it in the admin) adds the synonyms of words the catalog barely uses ("juon" ->
   "alkoholi, päihde"); a synonym's match counts 0.3 of a typed word's. A Swedish or English
   word whose stem the catalog holds mostly as another language's word ("sova" -> "sov", as
   Finnish "sovitaan"; counted per language in `catalog_searchlexemelanguage`) is left to its
   synonyms (query.foreign_words). One statement
   fetches the expansions and how many services hold each word and lemma
   (`catalog_searchlexeme`, from ts_stat). Words, lemmas and expansions in more than 6 % of
   the public services, or in more than 500, are left to the semantic side when rarer words
   exist. Sentences (3+ words) and all-common queries match on `search_head` only.
3. One statement answers the rest: the lexical list (up to 200, ts_rank on `search_head`),
   the semantic list (the query embedded with the `query: ` prefix, nearest 100 by cosine
   distance through HNSW; kept from the floor of the query's language up and within 0.06
   of the best hit; a query none of whose words means anything here, nonsense, needs the
   good-match similarity) and the theme and municipality counts. Both lists are ranked over
   all public services and the filters (theme, municipality with region-wide and
   nationwide services included, target group, service language, free of charge, channel
   kind) then narrow their union, so every facet's count is exactly what choosing it
   returns; services the region hid (`index_hidden`) never appear.
4. Fusion: weighted reciprocal rank fusion (catalog.search.fusion; weights chosen on the
   tuning set by scripts/tune_search.py), a semantic hit counting by its similarity (full
   weight from 0.90, little near the floor), and services of the query's nearest themes
   raised by 5 % (engine.THEME_BOOST). "Free" and an age or life stage in the query
   (catalog.search.understanding) raise the score of services that fit by 15 % each:
   soft boosts, shown as removable chips, never filters.
5. The page's services come with their themes, municipalities, organisations and which of
   the query's lexemes they hold in one more statement; the search log is one INSERT.
   Upcoming events are ranked in one more statement (events/search.py) with the same text,
   query vector and floors, and take their places in the services' lists by their own
   ts_rank and similarity before one fusion of both kinds (front.search), so an event ranks
   where it would among services. A cancelled event is found by its words only.
6. Each result says why it matched: query words found as whole words or lemmas, words
   found only as compound parts, synonyms from the lexicon, else "close in meaning"; never
   a stop word and never a word inside another ("unta" in "kelluntavöitä"). The result is a
   good match when the best similarity reaches the calibrated good-match floor, or a
   result in the top five matches more than half of the query's content words; otherwise
   ("koiran rokotus") it carries the nearest themes, a "whole region" option when a
   municipality was chosen, and related searches from the nearest services' keywords.

Modules (each imports only those above it; none imports another app):
- postgres: the text search configuration of each language (indexing and queries) and the
  per-connection settings (catalog.apps); no models.
- cache: ProcessCache, themes and municipalities by id, clear_process_caches().
- types: SearchFilters, Hit, SearchResult, LexicalTerms, QueryTooLong.
- embeddings: the e5 backends, passage vectors and the (cached) query vector.
- morphology: Voikko's lemmas and compound parts (no Django; nothing without libvoikko).
- lexicon: the editors' synonym groups (SearchSynonymGroup), cached a minute.
- indexing: what is indexed (above), called after every ingest or edit.
- sql: fetch_all, the filters, the lexical and semantic list builders (shared with
  events.search) and `rankings`, the one statement of step 3.
- query: steps 1 and 2: normalize_query, query_words (the one way a query is split into
  words), a municipality named in the query, word analysis and lexical_terms.
- understanding: free of charge and target groups read from the query (step 4).
- fusion: step 4.
- results: steps 5 and 6: card_services, why_terms and explain, facets, nearest_themes,
  related_searches, and warm_up (gunicorn.conf.py).
- engine: `search()`, the entry point, which runs the steps in order.
"""
