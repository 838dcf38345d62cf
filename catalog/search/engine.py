"""The hybrid search engine; the design is in the package docstring (catalog/search/__init__.py)."""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.db import connection
from psycopg import sql

from catalog.models import ChargeType, Service, ServiceChannel, Theme
from catalog.search.postgres import LANGUAGE_CONFIGS

LEXICAL_LIMIT = 200
EXPANSIONS_PER_WORD = 3
EXPANSION_MIN_SIMILARITY = 0.6
COMPOUND_MIN_LENGTH = 8
SENTENCE_WORDS = 3
COMMON_SHARE = 0.06
# ... and never more than this many services: ranking a match costs ~15 us (20,000 services).
COMMON_MAX_SERVICES = 500
COMPOUND_PART_MIN_LENGTH = 4
VECTOR_LIMIT = 100
RRF_K = 60
# Measured with `make eval` on the demo region (labels written before tuning).
LEXICAL_WEIGHT = 1.0
VECTOR_WEIGHT = 2.5
VECTOR_MIN_SIMILARITY = 0.75  # below this a vector-only hit is not shown
VECTOR_MARGIN = 0.06  # keep vector hits within this of the best one
GOOD_MATCH_SIMILARITY = 0.84  # a vector-only result set is "good" from here up
NATIONWIDE = (Service.AreaType.NATIONWIDE.value, Service.AreaType.NATIONWIDE_EXCEPT_ALAND.value)
CHANNEL_KINDS = {
    "place": [ServiceChannel.Kind.LOCATION],
    "phone": [ServiceChannel.Kind.PHONE],
    "online": [ServiceChannel.Kind.E_SERVICE, ServiceChannel.Kind.WEB_PAGE],
}
SORTS = ("name", "updated")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ProcessCache:
    """Values kept in this process for `seconds` after they were loaded, by key.

    A key never loaded is simply absent (no "loaded at" sentinel: time.monotonic() counts from
    boot, and a zero once made a freshly booted machine trust empty caches). Two threads may
    both load a missing value; the last one stays. clear_process_caches() empties them all.
    """

    instances: list[ProcessCache] = []

    def __init__(self, seconds: float, *, max_entries: int = 64) -> None:
        self.seconds, self.max_entries = seconds, max_entries
        self._entries: dict = {}
        ProcessCache.instances.append(self)

    def get(self, key, load):
        entry = self._entries.get(key)
        if entry is not None and time.monotonic() - entry[0] <= self.seconds:
            return entry[1]
        value = load()
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (time.monotonic(), value)
        return value

    def clear(self) -> None:
        self._entries.clear()


class QueryTooLong(ValueError):
    pass


@dataclass(frozen=True)
class SearchFilters:
    themes: tuple[str, ...] = ()
    municipality: str = ""
    target_group: str = ""
    service_language: str = ""
    free: bool = False
    channel_kinds: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        data = {
            "themes": list(self.themes),
            "municipality": self.municipality,
            "target_group": self.target_group,
            "service_language": self.service_language,
            "free": self.free,
            "channel_kinds": list(self.channel_kinds),
        }
        return {k: v for k, v in data.items() if v}


@dataclass
class Hit:
    service_id: int
    score: float
    lexical_rank: int | None = None
    vector_rank: int | None = None
    similarity: float | None = None


@dataclass
class SearchResult:
    query: str
    filters: SearchFilters
    hits: list[Hit]
    count: int
    page: int
    page_size: int
    services: list[Service] = field(default_factory=list)
    why: dict[int, dict] = field(default_factory=dict)
    facets: dict[str, list[dict]] = field(default_factory=dict)
    good_match: bool = True
    suggestions: dict = field(default_factory=dict)
    detected_municipality: str = ""
    # The text actually searched: the query without a detected municipality's name. Events
    # are searched with it too, so the query is embedded once.
    searched: str = ""

    @property
    def event_query(self) -> str:
        """The text to search events with: what the services were searched with, or the whole
        query when it named only a town (then the services are a listing, events still match it)."""
        return self.searched or self.query

    @property
    def page_count(self) -> int:
        return max(1, (self.count + self.page_size - 1) // self.page_size)


def normalize_query(raw: str | None) -> str:
    """Whitespace folded, control characters dropped; raises QueryTooLong past the limit."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", raw or ""))
    text = " ".join(text.split())
    if len(text) > settings.SEARCH_QUERY_MAX_LENGTH:
        raise QueryTooLong(f"query is {len(text)} characters; the limit is {settings.SEARCH_QUERY_MAX_LENGTH}")
    return text


def has_words(query: str) -> bool:
    return any(ch.isalnum() for ch in query)


@lru_cache(maxsize=2048)
def _query_vector(query: str) -> tuple[float, ...]:
    from catalog.search.embeddings import embed_query

    return tuple(float(x) for x in embed_query(query))


def vector_literal(vector: np.ndarray) -> str:
    """pgvector's text form; float32 has 7 significant digits, more only cost sending and parsing."""
    values = vector.tolist()
    return "[" + ("%.7g," * len(values))[:-1] % tuple(values) + "]"


def query_vector(query: str) -> np.ndarray:
    return np.asarray(_query_vector(query), dtype=np.float32)


# --- filtering ----------------------------------------------------------------------
def theme_ids(slugs: tuple[str, ...]) -> list[int]:
    """Ids of the themes with these slugs (unknown slugs match nothing)."""
    by_slug = {t.slug: t.id for t in cached_objects(Theme).values()}
    return [by_slug[slug] for slug in slugs if slug in by_slug]


def municipality_id(code: str) -> int:
    """Id of the municipality with this code; -1 (matches nothing) when unknown."""
    from catalog.models import Municipality

    return next((m.id for m in cached_objects(Municipality).values() if m.code == code), -1)


def filter_sql(filters: SearchFilters) -> tuple[sql.Composable, dict]:
    """The WHERE clause (over `catalog_service s`) of a public service under the filters.

    Raw SQL rather than the ORM: the search runs it inside one statement with both
    rankings and the facets, and building ORM querysets cost ~3 ms of CPU a search
    (README, "Search performance"). Theme and municipality ids come from the per-process
    copies, so no join to the small tables is needed.
    """
    clauses = [
        sql.SQL("s.is_public"),
        sql.SQL("not exists (select 1 from catalog_servicecuration c where c.service_id = s.id and c.hidden)"),
    ]
    params: dict = {}
    if filters.themes:
        params["f_themes"] = theme_ids(filters.themes)
        clauses.append(
            sql.SQL(
                "(s.index_theme_ids && %(f_themes)s::integer[] "
                "or exists (select 1 from catalog_servicecuration c join catalog_servicecuration_extra_themes ce "
                "on ce.servicecuration_id = c.id where c.service_id = s.id and ce.theme_id = any(%(f_themes)s)))"
            )
        )
    if filters.municipality:
        params["f_municipality"] = municipality_id(filters.municipality)
        params["f_nationwide"] = list(NATIONWIDE)
        clauses.append(
            sql.SQL("(s.area_type = any(%(f_nationwide)s) or %(f_municipality)s = any(s.index_municipality_ids))")
        )
    if filters.target_group:
        params["f_group"] = filters.target_group
        params["f_group_children"] = filters.target_group.replace("%", "").replace("_", "") + ".%"
        clauses.append(
            sql.SQL(
                "exists (select 1 from catalog_service_concepts sc join catalog_concept k on k.id = sc.concept_id "
                "where sc.service_id = s.id and k.kind = 'target_group' "
                "and (k.code = %(f_group)s or k.code like %(f_group_children)s))"
            )
        )
    if filters.service_language:
        params["f_language"] = filters.service_language
        clauses.append(sql.SQL("%(f_language)s = any(s.languages)"))
    if filters.free:
        params["f_charge"] = ChargeType.FREE
        clauses.append(sql.SQL("s.charge_type = %(f_charge)s"))
    if filters.channel_kinds:
        params["f_kinds"] = [str(k) for name in filters.channel_kinds for k in CHANNEL_KINDS.get(name, [])]
        clauses.append(
            sql.SQL(
                "exists (select 1 from catalog_service_channels sch join catalog_servicechannel ch "
                "on ch.id = sch.servicechannel_id where sch.service_id = s.id and ch.kind = any(%(f_kinds)s))"
            )
        )
    return sql.SQL(" and ").join(clauses), params


def fetch_all(statement: sql.Composable, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement.as_string(connection.connection), params)
        return cursor.fetchall()


def filtered_ids(filters: SearchFilters, *, sort: str = "name", among: list[int] | None = None) -> list[int]:
    """Ids of the public services under the filters in a listing order (no query text)."""
    where, params = filter_sql(filters)
    if among is not None:
        where = sql.SQL("{} and s.id = any(%(among)s)").format(where)
        params["among"] = among
    order = {"name": "s.name_fi, s.id", "updated": "s.source_modified desc nulls last, s.id"}[sort]
    statement = sql.SQL("select s.id from catalog_service s where {} order by {}").format(where, sql.SQL(order))
    return [row[0] for row in fetch_all(statement, params)]


# --- the two lists ------------------------------------------------------------------
_ANALYSIS_SQL = sql.SQL(
    # Raw SQL, one round trip per query: vocabulary expansions of the query's words and
    # how many public services hold each word and each expansion (materialized views,
    # no models). Measured about 1 ms at 20,000 services.
    "with cand as ("
    # Look-alikes and longer compounds: a LATERAL trigram lookup in the vocabulary.
    "  select q.plain, v.word, word_similarity(q.plain, v.plain)::float8 as similarity "
    "  from unnest(%(plains)s::text[]) as q(plain) cross join lateral ("
    "    select w.word, w.plain from catalog_searchword w where q.plain <%% w.plain "
    "    order by word_similarity(q.plain, w.plain) desc, w.services desc limit {limit}) as v "
    # Parts of a compound the resident typed ("hiihtokurssi" -> "hiihto", "kurssi"): a scan
    # of the small vocabulary, only for long words.
    "  union all select q.plain, v.word, 1.0 from unnest(%(plains)s::text[]) as q(plain) cross join lateral ("
    "    select w.word from catalog_searchword w "
    "    where length(q.plain) >= {compound} and length(w.plain) >= {part} and w.plain <> q.plain "
    "    and strpos(q.plain, w.plain) > 0 order by length(w.plain) desc, w.services desc limit {limit}) as v"
    "), terms as ("
    "  select 'q' as kind, q.w as plain, q.w as word, 1.0::float8 as similarity "
    "  from unnest(%(words)s::text[]) as q(w) "
    "  union all select 'x', plain, word, similarity from cand"
    ") "
    # Lexemes of each term in the three configurations joined to the frequency view.
    "select t.kind, t.plain, t.word, t.similarity, coalesce(("
    "  select max(l.ndoc) from unnest(tsvector_to_array(to_tsvector('finnish', t.word)) "
    "  || tsvector_to_array(to_tsvector('swedish', t.word)) || tsvector_to_array(to_tsvector('english', t.word))"
    "  ) as x(lexeme) join catalog_searchlexeme l on l.lexeme = x.lexeme), 0) "
    "from terms t"
).format(
    limit=sql.Literal(EXPANSIONS_PER_WORD),
    compound=sql.Literal(COMPOUND_MIN_LENGTH),
    part=sql.Literal(COMPOUND_PART_MIN_LENGTH),
)


def _unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Analysis:
    """What the catalog knows of a query's words: frequencies and vocabulary expansions."""

    frequency: dict[str, int]  # query word -> services holding it
    expansions: tuple[tuple[str, int], ...]  # (vocabulary word, services holding it), best first


_analysis_cache = ProcessCache(60, max_entries=1024)


def analyse_words(words: list[str]) -> Analysis:
    """Frequencies and expansions of the words; kept a minute in this process.

    The same query is analysed for services and for events within one request; a minute
    bounds how long a re-indexed catalog can go unnoticed.
    """
    key = tuple(dict.fromkeys(words))
    return _analysis_cache.get(key, lambda: _analyse(key))


def _analyse(words: tuple[str, ...]) -> Analysis:
    if not words:
        return Analysis({}, ())
    plains = sorted({_unaccent(w) for w in words if len(w) >= 4})
    rows = fetch_all(_ANALYSIS_SQL, {"words": list(words), "plains": plains})
    frequency = {word: ndoc for kind, _plain, word, _sim, ndoc in rows if kind == "q"}
    known_plain = {_unaccent(w) for w, n in frequency.items() if n > 0}
    expansions: dict[str, int] = {}
    for kind, plain, word, similarity, ndoc in rows:
        if kind != "x":
            continue
        candidate = _unaccent(word)
        if word in words or candidate == plain:
            continue
        compound = plain in candidate or candidate in plain
        # A typo changes a word's length by a letter or two; "missä" is no misspelt "missbruk".
        # Look-alikes only for words the texts do not contain, so a correct word is never "fixed".
        look_alike = (
            plain not in known_plain
            and similarity >= EXPANSION_MIN_SIMILARITY
            and abs(len(candidate) - len(plain)) <= 2
        )
        if compound or look_alike:
            expansions.setdefault(word, ndoc)
    return Analysis(frequency, tuple(expansions.items()))


def expand_words(words: list[str]) -> list[str]:
    """Vocabulary words close to the query's words: typo fixes and compounds.

    Compounds both ways: "jumppa" -> "vesijumppa", "tupakkavieroitus" -> "tupakka",
    "vieroitus". Look-alike spellings ("kuntosli" -> "kuntosali") only for words the
    catalog's texts do not contain, so a correct word is never "fixed".
    Only words of 4+ letters are looked up.
    """
    return [word for word, _ in analyse_words([w.lower() for w in words]).expansions]


_slow_changing = ProcessCache(300)


def _public_count() -> int:
    """Public services in the catalog; five minutes old at most."""
    return _slow_changing.get("public_count", lambda: Service.objects.filter(is_public=True).count())


@dataclass(frozen=True)
class LexicalTerms:
    text: str  # words OR-ed for websearch_to_tsquery
    match_on: str  # search_vector (all texts) or search_head (no descriptions)
    common_only: bool  # every word is common: no rarer word or expansion to look for


def lexical_terms(query: str) -> LexicalTerms:
    """The words the lexical side looks for (OR-ed) and the column it matches on.

    Words in more than 6 % of the services, or in more than COMMON_MAX_SERVICES of them
    ("luonto", "työ"), select thousands of rows to rank and tell little apart; with rarer
    words present they are left to the semantic side, and so are expansions that common.
    A sentence, or a query of common words only, matches on names, keywords and summaries
    (`search_head`) rather than every description (`search_vector`).
    """
    words = [w.lower() for w in re.findall(r"\w+", query)]
    analysis = analyse_words(words)
    limit = min(COMMON_SHARE * max(_public_count(), 1), COMMON_MAX_SERVICES)
    common = {w for w, n in analysis.frequency.items() if n > limit}
    expansions = [w for w, n in analysis.expansions if n <= limit]
    rare = [w for w in words if w not in common]
    common_only = not rare and not expansions
    match_on = "search_head" if len(words) >= SENTENCE_WORDS or not rare else "search_vector"
    return LexicalTerms(" OR ".join(words if common_only else [*rare, *expansions]), match_on, common_only)


TSQUERY = sql.SQL(" || ").join(
    sql.SQL("websearch_to_tsquery({}, %(tsq)s)").format(sql.Literal(config)) for config in LANGUAGE_CONFIGS.values()
)
_LEXICAL_SQL = sql.SQL(
    # ts_rank on `search_head` (no descriptions): measured 3 us a row against 15 us for
    # trigram similarity on every matched row, which is why typos go through the small
    # vocabulary instead (README, "Search performance").
    "lex as materialized (select s.id, ts_rank(s.search_head, ({tsq}))::float8 as score{carry} from {table} s "
    "where s.{match_on} @@ ({tsq}) and {where} order by score desc, s.id limit {limit})"
)
_VECTOR_SQL = sql.SQL(
    # HNSW nearest neighbours (iterative scans keep filters exact); kept: similarity at
    # least VECTOR_MIN_SIMILARITY and within VECTOR_MARGIN of the best hit.
    "vec as materialized (select s.id, s.embedding <=> %(vector)s::vector as distance{carry} from {table} s "
    "where s.embedding is not null and {where} order by distance limit {limit}), "
    "kept as (select id, 1 - distance as sim{carried} from vec "
    "where 1 - distance >= greatest(%(vector_min)s, 1 - (select min(distance) from vec) - %(vector_margin)s))"
)


def _carry(columns: tuple[tuple[str, str], ...]) -> tuple[sql.Composable, sql.Composable]:
    """(", s.column as name, ...", ", name, ...") for columns a list carries along."""
    if not columns:
        return sql.SQL(""), sql.SQL("")
    selected = sql.SQL("").join(
        sql.SQL(", s.{} as {}").format(sql.Identifier(c), sql.Identifier(n)) for c, n in columns
    )
    return selected, sql.SQL("").join(sql.SQL(", {}").format(sql.Identifier(n)) for _, n in columns)


def lexical_cte(
    table: str, where: sql.Composable, *, match_on: str, limit: int, carry: tuple[tuple[str, str], ...] = ()
) -> sql.Composed:
    """CTE `lex` over `table s` (services or events): full-text matches of %(tsq)s by ts_rank."""
    return _LEXICAL_SQL.format(
        tsq=TSQUERY,
        carry=_carry(carry)[0],
        table=sql.Identifier(table),
        match_on=sql.Identifier(match_on),
        where=where,
        limit=sql.Literal(limit),
    )


def vector_ctes(table: str, where: sql.Composable, *, limit: int, carry: tuple[tuple[str, str], ...] = ()):
    """CTEs `vec` (nearest to %(vector)s) and `kept` (over the floor) over `table s`."""
    selected, carried = _carry(carry)
    return _VECTOR_SQL.format(
        carry=selected, carried=carried, table=sql.Identifier(table), where=where, limit=sql.Literal(limit)
    )


def vector_params(query: str) -> dict:
    """Parameters of vector_ctes: the query's vector and the floor."""
    return {
        "vector": vector_literal(query_vector(query)),
        "vector_min": VECTOR_MIN_SIMILARITY,
        "vector_margin": VECTOR_MARGIN,
    }


def ranked_lists(rows: list[tuple]) -> dict[str, list[tuple[int, float]]]:
    """Rows of (kind, id, value) by kind; the 'l' (ts_rank) and 'v' (similarity) lists best first."""
    lists: dict[str, list[tuple[int, float]]] = {"l": [], "v": [], "t": [], "m": []}
    for kind, object_id, value in rows:
        lists[kind].append((object_id, value))
    for kind in ("l", "v"):
        lists[kind].sort(key=lambda row: (-row[1], row[0]))
    return lists


_FACET_CARRY = (("index_theme_ids", "t"), ("index_municipality_ids", "m"))


def rankings(
    query: str, filters: SearchFilters, mode: str = "hybrid"
) -> tuple[list[tuple[int, float]], list[tuple[int, float]], dict[str, list[dict]]]:
    """Both ranked lists and the facet counts over their union, in one statement.

    Returns (lexical [(id, ts_rank)], vector [(id, similarity)], facets). One round trip
    instead of four: planning, binding the id lists back and the ORM cost ~5 ms of CPU
    a search at 20,000 services (README, "Search performance").
    """
    where, params = filter_sql(filters)
    parts, selects, hit_ids = [], [], []
    if mode in {"hybrid", "vector"}:
        params.update(vector_params(query))
        parts.append(vector_ctes("catalog_service", where, limit=VECTOR_LIMIT, carry=_FACET_CARRY))
        selects.append("select 'v', id, sim from kept")
        hit_ids.append("select id, t, m from kept")
    if mode in {"hybrid", "lexical"}:
        terms = lexical_terms(query)
        params["tsq"] = terms.text
        lexical_where = where
        if terms.common_only and mode == "hybrid":
            # Only words found in thousands of services: they re-rank the semantic side's
            # nearest services instead of ranking all of those thousands (measured: 76-114 ms
            # for "työ" or "sleep nuoret" at 20,000 services, ~3 ms this way).
            lexical_where = sql.SQL("{} and s.id in (select id from vec)").format(where)
        parts.append(
            lexical_cte(
                "catalog_service", lexical_where, match_on=terms.match_on, limit=LEXICAL_LIMIT, carry=_FACET_CARRY
            )
        )
        selects.append("select 'l', id, score from lex")
        hit_ids.append("select id, t, m from lex")
    if not parts:
        return [], [], facet_counts([])
    statement = sql.SQL(
        "with {parts}, hits as ({hit_ids}) {selects} "
        "union all (select 't', x, count(*)::float8 from hits, unnest(hits.t) as x group by x) "
        "union all (select 'm', x, count(*)::float8 from hits, unnest(hits.m) as x group by x)"
    ).format(
        parts=sql.SQL(", ").join(parts),
        hit_ids=sql.SQL(" union ".join(hit_ids)),
        selects=sql.SQL(" union all ".join(selects)),
    )
    lists = ranked_lists(fetch_all(statement, params))
    return lists["l"], lists["v"], _facets(lists["t"], lists["m"])


def fuse(lexical: list[tuple[int, float]], vector: list[tuple[int, float]]) -> list[Hit]:
    hits: dict[int, Hit] = {}
    for rank, (sid, _score) in enumerate(lexical, start=1):
        hit = hits.setdefault(sid, Hit(sid, 0.0))
        hit.lexical_rank = rank
        hit.score += LEXICAL_WEIGHT / (RRF_K + rank)
    for rank, (sid, similarity) in enumerate(vector, start=1):
        hit = hits.setdefault(sid, Hit(sid, 0.0))
        hit.vector_rank = rank
        hit.similarity = similarity
        hit.score += VECTOR_WEIGHT / (RRF_K + rank)
    return sorted(hits.values(), key=lambda h: (-h.score, h.service_id))


# --- explanations, facets, help -----------------------------------------------------
def _stem(word: str) -> str:
    word = word.lower()
    return word if len(word) <= 4 else word[: max(4, len(word) - 3)]


def matched_words(query: str, service: Service) -> list[str]:
    """The query's words found in the service's texts (a light stem so inflections count)."""
    haystack = " ".join(
        [
            service.name_fi,
            service.name_sv,
            service.name_en,
            service.summary_fi,
            service.summary_sv,
            service.summary_en,
            " ".join(service.keywords_fi + service.keywords_sv + service.keywords_en),
            service.description_fi,
            service.description_sv,
            service.description_en,
        ]  # fmt: skip
    ).lower()
    words = [w for w in re.findall(r"\w+", query) if len(w) > 2]
    return [w for w in dict.fromkeys(words) if _stem(w) in haystack]


_FACETS_SQL = sql.SQL(
    # Raw SQL: `service_id = any(array)` binds the whole id list as one parameter.
    "select 't', x, count(*) from catalog_service s, unnest(s.index_theme_ids) as x where s.id = any(%(ids)s) "
    "group by x union all select 'm', x, count(*) from catalog_service s, unnest(s.index_municipality_ids) as x "
    "where s.id = any(%(ids)s) group by x"
)


def facet_counts(ids: list[int]) -> dict[str, list[dict]]:
    """Theme and municipality counts over a result set given as ids (listings without query text)."""
    rows = fetch_all(_FACETS_SQL, {"ids": ids}) if ids else []
    return _facets([(i, n) for k, i, n in rows if k == "t"], [(i, n) for k, i, n in rows if k == "m"])


_FILTERED_FACETS_SQL = sql.SQL(
    # A listing without query text may hold thousands of services: count them where they are
    # selected (an index-only scan of service_listing_idx) instead of binding their ids back.
    "with f as materialized (select s.index_theme_ids as t, s.index_municipality_ids as m "
    "from catalog_service s where {where}) "
    "select 't', x, count(*) from f, unnest(f.t) as x group by x "
    "union all select 'm', x, count(*) from f, unnest(f.m) as x group by x"
)


def filtered_facets(filters: SearchFilters) -> dict[str, list[dict]]:
    """Theme and municipality counts over every public service under the filters."""
    where, params = filter_sql(filters)
    rows = fetch_all(_FILTERED_FACETS_SQL.format(where=where), params)
    return _facets([(i, n) for k, i, n in rows if k == "t"], [(i, n) for k, i, n in rows if k == "m"])


def _facets(theme_counts: list[tuple[int, float]], municipality_counts: list[tuple[int, float]]) -> dict:
    """Facets from (theme id, count) and (municipality id, count): most common first, then by name."""
    from catalog.models import Municipality

    themes, municipalities = cached_objects(Theme), cached_objects(Municipality)
    by_theme = [(themes[i].slug, int(n)) for i, n in theme_counts if i in themes]
    by_municipality = [(municipalities[i].code, int(n)) for i, n in municipality_counts if i in municipalities]
    return {
        "themes": [{"slug": v, "count": n} for v, n in sorted(by_theme, key=lambda r: (-r[1], r[0]))],
        "municipalities": [{"code": v, "count": n} for v, n in sorted(by_municipality, key=lambda r: (-r[1], r[0]))],
    }


_lookup_cache = ProcessCache(60)


def cached_objects(model) -> dict:
    """Themes and municipalities by id, cached a minute in this process (a handful of rows)."""
    return _lookup_cache.get(model.__name__, model.objects.in_bulk)


# What a result card, its "why" and the API read; other columns load on access (deferred).
# In the model's field order, as Model.from_db expects.
_CARD_READS = {"id", "source", "source_id", "source_modified", "area_type", "charge_type", "languages", "is_public"}
_CARD_READS |= {
    f"{name}_{lang}" for name in ("name", "summary", "description", "keywords") for lang in ("fi", "sv", "en")
}
CARD_FIELDS = tuple(f.attname for f in Service._meta.concrete_fields if f.attname in _CARD_READS)
_CARD_SQL = sql.SQL(
    # Raw SQL: a result page's rows with their themes, municipalities and organisations in
    # one round trip (measured: in_bulk plus the link tables cost ~2 ms of CPU a request).
    "select {fields}, "
    "s.index_theme_ids, s.index_municipality_ids, "
    "array(select array[so.organization_id::text, so.role, o.name_fi, o.name_sv, o.name_en] "
    "  from catalog_serviceorganization so join catalog_organization o on o.id = so.organization_id "
    "  where so.service_id = s.id order by so.role = 'Producer', so.id) "
    "from catalog_service s where s.id = any(%(ids)s)"
).format(fields=sql.SQL(", ").join(sql.Identifier("s", f) for f in CARD_FIELDS))
_ORGANIZATION_FIELDS = ["id", "name_fi", "name_sv", "name_en"]


def card_services(ids: list[int]) -> dict[int, Service]:
    """Services by id for result cards: heavy index columns deferred, card data attached.

    Each service gets `card_themes` (in theme order), `card_municipalities` (by name) and
    `card_organizations` (responsible ones first, then producers).
    """
    from catalog.models import Municipality, Organization

    if not ids:
        return {}
    themes, municipalities = cached_objects(Theme), cached_objects(Municipality)
    alias = connection.alias
    out: dict[int, Service] = {}
    for row in fetch_all(_CARD_SQL, {"ids": list(ids)}):
        count = len(CARD_FIELDS)
        service = Service.from_db(alias, CARD_FIELDS, row[:count])
        theme_ids, municipality_ids, organizations = row[count:]
        service.card_themes = sorted((themes[i] for i in theme_ids if i in themes), key=lambda t: t.order)
        service.card_municipalities = sorted(
            (municipalities[i] for i in municipality_ids if i in municipalities), key=lambda m: m.name_fi
        )
        service.card_organizations = []
        seen = set()
        for organization_id, _role, *names in organizations:
            if organization_id not in seen:
                seen.add(organization_id)
                service.card_organizations.append(
                    Organization.from_db(alias, _ORGANIZATION_FIELDS, [int(organization_id), *names])
                )
        out[service.id] = service
    return out


def clear_process_caches() -> None:
    """Forget the per-process copies of themes, municipalities, counts and analyses (tests, admin edits)."""
    for cache in ProcessCache.instances:
        cache.clear()
    _query_vector.cache_clear()


def warm_up() -> None:
    """Load the model, the theme vectors and the per-process copies before the first search.

    A web worker calls this at start (gunicorn.conf.py); otherwise its first searches pay
    for them (the theme vectors alone took ~0.6 s, a p95 spike under load).
    """
    from catalog.models import Municipality

    cached_objects(Municipality)
    _region_municipality_names()
    _public_count()
    nearest_themes("lämmittely")


def nearest_themes(query: str, limit: int = 3) -> list[Theme]:
    """Themes closest in meaning to the query (for the no-results help)."""
    themes = sorted(cached_objects(Theme).values(), key=lambda t: (t.order, t.id))
    if not themes or not has_words(query):
        return themes[:limit]
    vectors = _theme_vectors(tuple((t.id, f"{t.name_fi}. {t.description_fi}") for t in themes))
    scores = vectors @ query_vector(query)
    order = np.argsort(-scores)[:limit]
    return [themes[i] for i in order]


@lru_cache(maxsize=4)
def _theme_vectors(texts: tuple[tuple[int, str], ...]) -> np.ndarray:
    from catalog.search.embeddings import embed_passages

    return embed_passages([text for _, text in texts])


def related_searches(services: list[Service], query: str, limit: int = 5) -> list[str]:
    seen = {w.lower() for w in query.split()}
    out: list[str] = []
    for service in services:
        for keyword in service.keywords_fi:
            if keyword.lower() not in seen and keyword not in out:
                out.append(keyword)
            if len(out) >= limit:
                return out
    return out


def _region_municipality_names() -> list[tuple[str, str]]:
    """(code, unaccented lower-case name) for the region's municipalities in fi and sv; cached 5 min."""
    return _slow_changing.get("municipality_names", _load_region_municipality_names)


def _load_region_municipality_names() -> list[tuple[str, str]]:
    from catalog.models import Municipality

    names = []
    for municipality in Municipality.objects.filter(region__isnull=False):
        for name in {municipality.name_fi, municipality.name_sv}:
            if name and not name.isdigit():
                names.append((municipality.code, _unaccent(name)))
    return names


def split_municipality(query: str) -> tuple[str, str]:
    """Take a region municipality named in the query ("uimahalli iisalmessa") out of its words.

    Returns (remaining query, municipality code or ""). Inflected forms count: the word
    must share the name's first letters (all but the last two, at least five).
    """
    words = query.split()
    for position, word in enumerate(words):
        plain = _unaccent(word.strip(".,!?;:\"'()"))
        for code, name in _region_municipality_names():
            stem = name[: max(5, len(name) - 2)] if len(name) > 5 else name
            if plain.startswith(stem):
                return " ".join(words[:position] + words[position + 1 :]), code
    return query, ""


# --- entry point -----------------------------------------------------------------------
def search(
    query: str,
    *,
    filters: SearchFilters = SearchFilters(),  # noqa: B008 - frozen dataclass
    page: int = 1,
    page_size: int = 20,
    mode: str = "hybrid",
    sort: str = "",
    detect_municipality: bool = True,
) -> SearchResult:
    """Search public services. `mode` is hybrid, lexical or vector (the last two for `make eval`),
    or none: only normalise the query and detect a municipality (a search for events only).

    With `detect_municipality`, a municipality named in the query becomes the
    municipality filter (when none was chosen) and leaves the text query.
    """
    query = normalize_query(query)
    shown_query = query
    detected = ""
    if detect_municipality and not filters.municipality and has_words(query):
        query, detected = split_municipality(query)
        if detected:
            filters = replace(filters, municipality=detected)
    page = max(1, page)
    if mode == "none":
        result = SearchResult(query=shown_query, filters=filters, hits=[], count=0, page=page, page_size=page_size)
        result.detected_municipality, result.searched, result.facets = detected, query, facet_counts([])
        return result
    facets = None
    if query and not has_words(query):
        hits = []  # only symbols or emoji: nothing to look for, the caller shows help instead
    elif not query:
        hits = [Hit(sid, 0.0) for sid in filtered_ids(filters, sort=sort if sort in SORTS else "name")]
        facets = filtered_facets(filters)
    else:
        lexical, vector, facets = rankings(query, filters, mode)
        hits = fuse(lexical, vector)
        if sort in SORTS:
            order = {
                sid: i for i, sid in enumerate(filtered_ids(filters, sort=sort, among=[h.service_id for h in hits]))
            }
            hits.sort(key=lambda h: order.get(h.service_id, 0))
    result = SearchResult(
        query=shown_query, filters=filters, hits=hits, count=len(hits), page=page, page_size=page_size
    )
    result.detected_municipality = detected
    result.searched = query
    page_hits = hits[(page - 1) * page_size : page * page_size]
    by_id = card_services([h.service_id for h in page_hits])
    result.services = [by_id[h.service_id] for h in page_hits if h.service_id in by_id]
    for hit in page_hits:
        service = by_id.get(hit.service_id)
        if service is None:
            continue
        words = matched_words(query, service) if hit.lexical_rank else []
        result.why[hit.service_id] = {
            "matched_words": words,
            "close_in_meaning": hit.vector_rank is not None and not words,
            "themes": [t.slug for t in service.card_themes],
        }
    result.facets = facets if facets is not None else facet_counts([h.service_id for h in hits])
    if query:
        lexical_found = any(h.lexical_rank for h in hits)
        best_similarity = max((h.similarity or 0.0 for h in hits), default=0.0)
        result.good_match = lexical_found or best_similarity >= GOOD_MATCH_SIMILARITY
        if not result.good_match or not hits:
            result.suggestions = {
                "themes": nearest_themes(query),
                "whole_region": bool(filters.municipality),
                "related": related_searches(result.services[:3], query),
            }
    return result
