"""What the search takes and gives: filters, hits, the result, the lexical terms of a query."""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog.models import Service


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
    # The engine's factor on the fused score: the nearest themes' (THEME_BOOST) times the query
    # understanding's (engine._boost); the site's fusion with events applies it again (front.search).
    boost: float = 1.0


@dataclass(frozen=True)
class LexicalTerms:
    text: str  # words OR-ed for websearch_to_tsquery
    match_on: str  # search_vector (all texts) or search_head (no descriptions)
    common_only: bool  # every word is common: no rarer word or expansion to look for
    lemmas: str = ""  # Voikko's lemmas of the words, a tsquery in text form
    synonyms: str = ""  # the lexicon's words for them, OR-ed like `text`
    synonym_lemmas: str = ""  # and their lemmas

    def params(self) -> dict[str, str]:
        """The statement parameters of catalog.search.sql.lexical_cte."""
        return {
            "tsq": self.text,
            "lemma_tsq": self.lemmas,
            "syn_tsq": self.synonyms,
            "syn_lemma_tsq": self.synonym_lemmas,
        }


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
    language: str = "fi"  # the query's language, whose floors apply (engine.query_language)
    vector_floor: float = 0.0  # the similarity from which a hit by meaning only is shown
    lexical: list[tuple[int, float]] = field(default_factory=list)  # the services' lexical list (id, ts_rank)
    vector: list[tuple[int, float]] = field(default_factory=list)  # and semantic list (id, similarity)
    understood: dict = field(default_factory=dict)  # soft boosts read from the query (understanding)
    sorted: bool = False  # ordered by name or date rather than by relevance
    why_terms: object = None  # catalog.search.results.WhyTerms of the query

    @property
    def event_query(self) -> str:
        """The text to search events with: what the services were searched with, or the whole
        query when it named only a town (then the services are a listing, events still match it)."""
        return self.searched or self.query

    @property
    def page_count(self) -> int:
        return max(1, (self.count + self.page_size - 1) // self.page_size)
