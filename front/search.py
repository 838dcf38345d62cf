"""One site search for the resident pages and the public API.

Services come from the catalog's engine, upcoming events from events.search with the same
text and query vector (one embedding a search); here they are merged once, by fused score,
and the search is logged once. The search page and `/api/v1/search` both call
`site_search` and differ only in how they present its answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog import services as catalog_services
from catalog.search.engine import is_good_match, search
from catalog.search.fusion import fuse
from catalog.search.results import card_services
from catalog.search.sql import Ranked
from catalog.search.types import Hit, SearchFilters, SearchResult
from events.search import search_events
from events.selectors import event_cards

KINDS = ("all", "service", "event")


@dataclass
class SiteItem:
    kind: str  # "service" or "event"
    hit: Hit
    obj: object  # a card service (catalog.search.results.card_services) or an event card (events.selectors)


@dataclass
class SiteSearch:
    services: SearchResult  # the engine's answer; its `services` are the cards of its own page
    kind: str
    events: list[Hit] = field(default_factory=list)  # upcoming events ranked like services, best first
    merged: list[tuple[str, Hit]] = field(default_factory=list)  # both kinds by fused score
    log_id: int | None = None

    @property
    def count(self) -> int:
        return len(self.merged)

    @property
    def page_count(self) -> int:
        size = self.services.page_size
        return max(1, (self.count + size - 1) // size)

    def page_items(self) -> list[SiteItem]:
        """The merged list's page (services and events interleaved), with their cards loaded."""
        result = self.services
        window = self.merged[(result.page - 1) * result.page_size : result.page * result.page_size]
        loaded = {s.id: s for s in result.services}
        missing = [h.service_id for k, h in window if k == "service" and h.service_id not in loaded]
        loaded.update(card_services(missing, result.why_terms.lexemes if result.why_terms else None))
        events = event_cards([h.service_id for k, h in window if k == "event"])
        items = []
        for kind, hit in window:
            obj = (loaded if kind == "service" else events).get(hit.service_id)
            if obj is not None:
                items.append(SiteItem(kind, hit, obj))
        return items

    def top_events(self, limit: int) -> list[object]:
        """Event cards of the best `limit` events (the search page's events box)."""
        ids = [h.service_id for h in self.events[:limit]]
        cards = event_cards(ids)
        return [cards[i] for i in ids if i in cards]


def _fuse_kinds(result: SearchResult, event_lexical: Ranked, event_vector: Ranked) -> list[tuple[str, Hit]]:
    """Services and events in one ranking: each event takes its place in the services' lexical
    and semantic lists by its own ts_rank and similarity (the same weights, configurations and
    query vector), then both kinds are fused together, so an event ranks where it would among
    services instead of every list's first being equal. A sort or a listing keeps the engine's order."""
    if not event_lexical and not event_vector:
        return [("service", h) for h in result.hits]
    if not result.lexical and not result.vector or result.sorted:
        return [("service", h) for h in result.hits] + [("event", h) for h in fuse(event_lexical, event_vector)]
    lexical = sorted(
        [(("service", i), v) for i, v in result.lexical] + [(("event", i), v) for i, v in event_lexical],
        key=lambda row: -row[1],
    )
    vector = sorted(
        [(("service", i), v) for i, v in result.vector] + [(("event", i), v) for i, v in event_vector],
        key=lambda row: -row[1],
    )
    services = {h.service_id: h for h in result.hits}
    merged = []
    for hit in fuse(lexical, vector):  # type: ignore[arg-type]
        kind, object_id = hit.service_id  # type: ignore[misc]
        engine_hit = services.get(object_id) if kind == "service" else None
        if kind == "service" and engine_hit is None:
            continue  # ranked, but the filters took it out
        # A service keeps the engine's boosts (nearest themes, query understanding) on its place in
        # both kinds' fusion. Hit(...) rather than dataclasses.replace: ~150 hits a search (profiled).
        factor = engine_hit.boost if engine_hit else 1.0
        merged.append(
            (kind, Hit(object_id, hit.score * factor, hit.lexical_rank, hit.vector_rank, hit.similarity, factor))
        )
    merged.sort(key=lambda item: -item[1].score)
    return merged


def site_search(
    *,
    query: str,
    filters: SearchFilters,
    kind: str = "all",
    page: int = 1,
    page_size: int = 20,
    sort: str = "",
    detect_municipality: bool = True,
    language: str = "fi",
    log: bool = True,
    ignore: tuple[str, ...] = (),
) -> SiteSearch:
    """Search services and upcoming events; `kind` is all, service or event. Raises QueryTooLong.

    Events are searched for a query text only (a listing shows services), and on every page
    of the merged list. The search is logged when it had query text: the count is the
    services' (events' for an events-only search), the filters are the ones asked for.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    result = search(
        query,
        filters=filters,
        page=page,
        page_size=page_size,
        sort=sort,
        detect_municipality=detect_municipality,
        ignore=ignore,
        # Only events asked for: services are not ranked at all.
        mode="none" if kind == "event" else "hybrid",
    )
    site = SiteSearch(services=result, kind=kind)
    if kind != "service" and result.query:
        event_lexical, event_vector = search_events(result.event_query, result.filters, floor=result.vector_floor)
        if kind == "event":
            site.events = fuse(event_lexical, event_vector)
            site.merged = [("event", h) for h in site.events]
            result.good_match = is_good_match(site.events, {}, None, result.language) or any(
                h.lexical_rank for h in site.events
            )
        else:
            site.merged = _fuse_kinds(result, event_lexical, event_vector)
            site.events = [h for k, h in site.merged if k == "event"]
    else:
        site.merged = [("service", h) for h in result.hits]
    if log and result.query:
        logged = {**filters.as_dict(), **({"kind": "event"} if kind == "event" else {})}
        site.log_id = catalog_services.search_log_record(
            query=result.query,
            language=language,
            filters=logged,
            result_count=len(site.events) if kind == "event" else result.count,
        )
    return site
