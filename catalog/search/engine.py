"""The hybrid search engine; the design is in the package docstring (catalog/search/__init__.py)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from pgvector.django import CosineDistance
from psycopg import sql

from catalog.models import ChargeType, Service, ServiceChannel, Theme

SESSION_SETTINGS = {
    "pg_trgm.word_similarity_threshold": "0.5",
    "hnsw.ef_search": "100",
    "hnsw.iterative_scan": "relaxed_order",
}
CONFIGS = {"fi": "finnish", "sv": "swedish", "en": "english"}
LEXICAL_LIMIT = 200
EXPANSIONS_PER_WORD = 3
EXPANSION_MIN_SIMILARITY = 0.6
COMPOUND_MIN_LENGTH = 8
SENTENCE_WORDS = 3
COMMON_SHARE = 0.06
COMPOUND_PART_MIN_LENGTH = 4
VECTOR_LIMIT = 100
RRF_K = 60
# Measured with `make eval` on the demo region (labels written before tuning).
LEXICAL_WEIGHT = 1.0
VECTOR_WEIGHT = 2.5
VECTOR_MIN_SIMILARITY = 0.75  # below this a vector-only hit is not shown
VECTOR_MARGIN = 0.06  # keep vector hits within this of the best one
GOOD_MATCH_SIMILARITY = 0.84  # a vector-only result set is "good" from here up
NATIONWIDE = ("Nationwide", "NationwideExceptAlandIslands")
CHANNEL_KINDS = {
    "place": [ServiceChannel.Kind.LOCATION],
    "phone": [ServiceChannel.Kind.PHONE],
    "online": [ServiceChannel.Kind.E_SERVICE, ServiceChannel.Kind.WEB_PAGE],
}
# Columns a result card never shows; loading them costs more than the rest of the row.
HEAVY_FIELDS = ("embedding", "search_vector", "search_head", "search_text")
SORTS = {"name": ("name_fi", "id"), "updated": ("-source_modified", "id")}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# "Loaded at" of a per-process cache that was never loaded. Not 0.0: time.monotonic()
# counts from boot, so a machine up for less than a cache's lifetime would trust an empty cache.
NEVER = float("-inf")


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


def query_vector(query: str) -> np.ndarray:
    return np.asarray(_query_vector(query), dtype=np.float32)


# --- filtering ----------------------------------------------------------------------
def public_services() -> QuerySet[Service]:
    return Service.objects.filter(is_public=True).exclude(curation__hidden=True)


def apply_filters(queryset: QuerySet[Service], filters: SearchFilters) -> QuerySet[Service]:
    through_themes = Service.themes.through.objects.filter(service_id=OuterRef("pk"))
    if filters.themes:
        queryset = queryset.filter(
            Exists(through_themes.filter(theme__slug__in=filters.themes))
            | Q(curation__extra_themes__slug__in=filters.themes)
        )
    if filters.municipality:
        in_municipality = Service.municipalities.through.objects.filter(
            service_id=OuterRef("pk"), municipality__code=filters.municipality
        )
        queryset = queryset.filter(Exists(in_municipality) | Q(area_type__in=NATIONWIDE))
    if filters.target_group:
        concepts = Service.concepts.through.objects.filter(service_id=OuterRef("pk"), concept__kind="target_group")
        queryset = queryset.filter(
            Exists(
                concepts.filter(
                    Q(concept__code=filters.target_group) | Q(concept__code__startswith=filters.target_group + ".")
                )
            )
        )
    if filters.service_language:
        queryset = queryset.filter(languages__contains=[filters.service_language])
    if filters.free:
        queryset = queryset.filter(charge_type=ChargeType.FREE)
    if filters.channel_kinds:
        kinds = [k for name in filters.channel_kinds for k in CHANNEL_KINDS.get(name, [])]
        channels = Service.channels.through.objects.filter(service_id=OuterRef("pk"), servicechannel__kind__in=kinds)
        queryset = queryset.filter(Exists(channels))
    return queryset


# --- the two lists ------------------------------------------------------------------
_VOCABULARY_SQL = sql.SQL(
    # Raw SQL for a LATERAL join over the vocabulary (a materialized view, no model):
    # one round trip for all query words; measured about 1 ms at 20,000 services.
    "select q.plain, v.word, word_similarity(q.plain, v.plain) as similarity "
    "from unnest(%s::text[]) as q(plain) "
    "cross join lateral ("
    "  select w.word, w.plain from catalog_searchword w where q.plain <%% w.plain "
    "  order by word_similarity(q.plain, w.plain) desc, w.services desc limit {limit}"
    ") as v "
    # Parts of a compound the resident typed ("hiihtokurssi" -> "hiihto", "kurssi"): a scan
    # of the small vocabulary, only for long words.
    "union all "
    "select q.plain, v.word, 1.0 from unnest(%s::text[]) as q(plain) "
    "cross join lateral ("
    "  select w.word from catalog_searchword w "
    "  where length(q.plain) >= {compound} and length(w.plain) >= {part} and w.plain <> q.plain "
    "  and strpos(q.plain, w.plain) > 0 order by length(w.plain) desc, w.services desc limit {limit}"
    ") as v"
).format(
    limit=sql.Literal(EXPANSIONS_PER_WORD),
    compound=sql.Literal(COMPOUND_MIN_LENGTH),
    part=sql.Literal(COMPOUND_PART_MIN_LENGTH),
)


def _unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def expand_words(words: list[str], known: set[str] | None = None) -> list[str]:
    return list(_expand_words_cached(tuple(words), frozenset(known or ())))


@lru_cache(maxsize=1024)
def _expand_words_cached(words: tuple[str, ...], known: frozenset[str]) -> tuple[str, ...]:
    # The same query is expanded for services and for events within one request.
    return tuple(_expand_words(list(words), set(known)))


def _expand_words(words: list[str], known: set[str] | None = None) -> list[str]:
    """Vocabulary words close to the query's words: typo fixes and compounds.

    Compounds both ways: "jumppa" -> "vesijumppa", "tupakkavieroitus" -> "tupakka",
    "vieroitus". Look-alike spellings ("kuntosli" -> "kuntosali") only for words the
    catalog's texts do not contain (`known`), so a correct word is never "fixed".
    Only words of 4+ letters are looked up.
    """
    known = known or set()
    plains = sorted({_unaccent(w) for w in words if len(w) >= 4})
    if not plains:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_VOCABULARY_SQL.as_string(connection.connection), [plains, plains])
        rows = cursor.fetchall()
    known_plain = {_unaccent(w) for w in known}
    extra = []
    for plain, word, similarity in rows:
        candidate = _unaccent(word)
        if word in words or candidate == plain:
            continue
        compound = plain in candidate or candidate in plain
        # A typo changes a word's length by a letter or two; "missä" is no misspelt "missbruk".
        look_alike = (
            plain not in known_plain
            and similarity >= EXPANSION_MIN_SIMILARITY
            and abs(len(candidate) - len(plain)) <= 2
        )
        if compound or look_alike:
            extra.append(word)
    return list(dict.fromkeys(extra))


_FREQUENCY_SQL = sql.SQL(
    # Raw SQL: lexemes of each word in the three configurations joined to the frequency
    # view (no model); one round trip, about 1 ms.
    "select q.w, coalesce(max(l.ndoc), 0) from unnest(%s::text[]) as q(w) "
    "cross join lateral unnest("
    "  tsvector_to_array(to_tsvector('finnish', q.w)) || tsvector_to_array(to_tsvector('swedish', q.w)) "
    "  || tsvector_to_array(to_tsvector('english', q.w))) as x(lexeme) "
    "left join catalog_searchlexeme l on l.lexeme = x.lexeme group by q.w"
)
_public_count_cache: tuple[float, int] = (NEVER, 0)


def _public_count() -> int:
    global _public_count_cache
    import time

    loaded_at, count = _public_count_cache
    if time.monotonic() - loaded_at > 300:
        count = Service.objects.filter(is_public=True).count()
        _public_count_cache = (time.monotonic(), count)
    return count


def word_frequencies(words: list[str]) -> dict[str, int]:
    """How many public services contain each word (any of its lexemes); stop words are left out."""
    if not words:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_FREQUENCY_SQL.as_string(connection.connection), [list(dict.fromkeys(words))])
        return dict(cursor.fetchall())


def ts_query(query: str, expansions: list[str] | None = None) -> SearchQuery:
    """OR of the query's words (and expansions), parsed by each language configuration.

    Stop words ("on", "och", "the") drop out in PostgreSQL; a whole sentence matches on
    its content words, and more matching words rank higher.
    """
    text = " OR ".join([*re.findall(r"\w+", query), *(expansions or [])])
    combined = None
    for config in CONFIGS.values():
        part = SearchQuery(text, search_type="websearch", config=config)
        combined = part if combined is None else combined | part
    return combined


def lexical_ranking(query: str, base: QuerySet[Service]) -> list[tuple[int, float]]:
    """Full-text matches of the query and its vocabulary expansions, ranked on the head vector.

    Ranking uses `search_head` (no descriptions): measured 3 us a row against 15 us for
    trigram similarity on every matched row, which is why typos go through the small
    vocabulary instead (README, "Search performance").
    """
    words = [w.lower() for w in re.findall(r"\w+", query)]
    frequency = word_frequencies(words)
    limit = COMMON_SHARE * max(_public_count(), 1)
    # Words in more than a tenth of the services ("luonto", "työ") select thousands of rows
    # to rank and tell little apart; with rarer words present they are left to the
    # semantic side, and so are expansions that common. A sentence, or a query of common
    # words only, matches on names, keywords and summaries rather than every description.
    common = {w for w, n in frequency.items() if n > limit}
    known = {w for w, n in frequency.items() if n > 0}
    candidates = expand_words(words, known)
    expansion_frequency = word_frequencies(candidates)
    expansions = [w for w in candidates if expansion_frequency.get(w, 0) <= limit]
    rare = [w for w in words if w not in common]
    tsq = ts_query(" ".join(rare), expansions) if rare or expansions else ts_query(query)
    match_on = "search_head" if len(words) >= SENTENCE_WORDS or not rare else "search_vector"
    rows = (
        base.filter(**{match_on: tsq})
        .annotate(lexical=SearchRank(F("search_head"), tsq))
        .order_by("-lexical", "id")
        .values_list("id", "lexical")[:LEXICAL_LIMIT]
    )
    return list(rows)


def vector_ranking(query: str, base: QuerySet[Service]) -> list[tuple[int, float]]:
    vector = query_vector(query)
    rows = list(
        base.filter(embedding__isnull=False)
        .annotate(distance=CosineDistance("embedding", vector))
        .order_by("distance")
        .values_list("id", "distance")[:VECTOR_LIMIT]
    )
    if not rows:
        return []
    best = 1.0 - rows[0][1]
    floor = max(VECTOR_MIN_SIMILARITY, best - VECTOR_MARGIN)
    return [(sid, 1.0 - dist) for sid, dist in rows if 1.0 - dist >= floor]


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
    # Raw SQL: `service_id = any(array)` binds the whole id list as one parameter; the ORM's
    # IN (...) resolved each of up to 300 ids in Python (measured ~2 ms a request).
    "select 't', t.slug, count(*) from catalog_service_themes st join catalog_theme t on t.id = st.theme_id "
    "where st.service_id = any(%s) group by t.slug "
    "union all "
    "select 'm', m.code, count(*) from catalog_service_municipalities sm "
    "join catalog_municipality m on m.id = sm.municipality_id where sm.service_id = any(%s) group by m.code"
)


def facet_counts(ids: list[int]) -> dict[str, list[dict]]:
    """Theme and municipality counts over the whole result set, in one query."""
    facets: dict[str, list[dict]] = {"themes": [], "municipalities": []}
    if not ids:
        return facets
    with connection.cursor() as cursor:
        cursor.execute(_FACETS_SQL.as_string(connection.connection), [ids, ids])
        rows = cursor.fetchall()
    for kind, value, count in sorted(rows, key=lambda r: (r[0], -r[2], r[1])):
        if kind == "t":
            facets["themes"].append({"slug": value, "count": count})
        else:
            facets["municipalities"].append({"code": value, "count": count})
    return facets


_lookup_cache: dict[str, tuple[float, dict]] = {}


def _cached_objects(model) -> dict:
    """Themes and municipalities by id, cached a minute in this process (a handful of rows)."""
    import time

    key = model.__name__
    loaded_at, objects = _lookup_cache.get(key, (NEVER, {}))
    if time.monotonic() - loaded_at > 60:
        objects = model.objects.in_bulk()
        _lookup_cache[key] = (time.monotonic(), objects)
    return objects


_CARD_SQL = sql.SQL(
    # Raw SQL: one round trip for the three link tables of a result page, ids bound as one
    # array (measured: four ORM queries cost ~2 ms of CPU a request under load).
    "select 't', service_id, theme_id, '' from catalog_service_themes where service_id = any(%s) "
    "union all select 'm', service_id, municipality_id, '' from catalog_service_municipalities "
    "where service_id = any(%s) "
    "union all select 'o', service_id, organization_id, role from catalog_serviceorganization "
    "where service_id = any(%s)"
)


def attach_card_data(services: list[Service]) -> None:
    """Themes, municipalities and organisations a result card shows, without per-row managers.

    Sets `card_themes`, `card_municipalities` and `card_organizations` on each service.
    """
    from catalog.models import Municipality, Organization

    ids = [s.id for s in services]
    themes, municipalities = _cached_objects(Theme), _cached_objects(Municipality)
    by_id = {s.id: s for s in services}
    for service in services:
        service.card_themes, service.card_municipalities, service.card_organizations = [], [], []
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(_CARD_SQL.as_string(connection.connection), [ids, ids, ids])
        rows = cursor.fetchall()
    roles = []
    for kind, service_id, object_id, role in rows:
        if kind == "t" and object_id in themes:
            by_id[service_id].card_themes.append(themes[object_id])
        elif kind == "m" and object_id in municipalities:
            by_id[service_id].card_municipalities.append(municipalities[object_id])
        elif kind == "o":
            roles.append((service_id, object_id, role))
    organizations = Organization.objects.only("id", "name_fi", "name_sv", "name_en").in_bulk({r[1] for r in roles})
    # Responsible organisations first, then producers.
    for service_id, organization_id, _role in sorted(roles, key=lambda r: r[2] == "Producer"):
        organization = organizations.get(organization_id)
        if organization is not None and organization not in by_id[service_id].card_organizations:
            by_id[service_id].card_organizations.append(organization)
    for service in services:
        service.card_themes.sort(key=lambda t: t.order)
        service.card_municipalities.sort(key=lambda m: m.name_fi)


def clear_process_caches() -> None:
    """Forget the per-process copies of themes, municipalities and counts (tests, admin edits)."""
    global _municipality_cache, _public_count_cache
    _lookup_cache.clear()
    _municipality_cache = (NEVER, [])
    _public_count_cache = (NEVER, 0)
    _query_vector.cache_clear()
    _expand_words_cached.cache_clear()


def nearest_themes(query: str, limit: int = 3) -> list[Theme]:
    """Themes closest in meaning to the query (for the no-results help)."""
    themes = list(Theme.objects.all())
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


_municipality_cache: tuple[float, list[tuple[str, str]]] = (NEVER, [])


def _region_municipality_names() -> list[tuple[str, str]]:
    """(code, unaccented lower-case name) for the region's municipalities in fi and sv; cached 5 min."""
    global _municipality_cache
    import time

    from catalog.models import Municipality

    loaded_at, names = _municipality_cache
    if time.monotonic() - loaded_at > 300:
        names = []
        for municipality in Municipality.objects.filter(region__isnull=False):
            for name in {municipality.name_fi, municipality.name_sv}:
                if name and not name.isdigit():
                    names.append((municipality.code, _unaccent(name)))
        _municipality_cache = (time.monotonic(), names)
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
    """Search public services. `mode` is hybrid, lexical or vector (the last two for `make eval`).

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
    base = apply_filters(public_services(), filters)
    page = max(1, page)
    if query and not has_words(query):
        hits = []  # only symbols or emoji: nothing to look for, the caller shows help instead
    elif not query:
        ids = list(base.order_by(*SORTS.get(sort or "name")).values_list("id", flat=True))
        hits = [Hit(sid, 0.0) for sid in ids]
    else:
        lexical = lexical_ranking(query, base) if mode in {"hybrid", "lexical"} else []
        vector = vector_ranking(query, base) if mode in {"hybrid", "vector"} else []
        hits = fuse(lexical, vector)
        if sort in SORTS:
            order = {
                sid: i
                for i, sid in enumerate(
                    base.filter(id__in=[h.service_id for h in hits]).order_by(*SORTS[sort]).values_list("id", flat=True)
                )
            }
            hits.sort(key=lambda h: order.get(h.service_id, 0))
    result = SearchResult(
        query=shown_query, filters=filters, hits=hits, count=len(hits), page=page, page_size=page_size
    )
    result.detected_municipality = detected
    page_hits = hits[(page - 1) * page_size : page * page_size]
    by_id = Service.objects.defer(*HEAVY_FIELDS).in_bulk([h.service_id for h in page_hits])
    result.services = [by_id[h.service_id] for h in page_hits if h.service_id in by_id]
    attach_card_data(result.services)
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
    result.facets = facet_counts([h.service_id for h in hits])
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
