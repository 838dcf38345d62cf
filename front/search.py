"""One site search for the resident pages and the public API.

Services come from the catalog's engine, upcoming events from events.search with the same
text and query vector (one embedding a search); here they are merged once, by fused score,
and the search is logged once. The search page and `/api/v1/search` both call
`site_search` and differ only in how they present its answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog import services as catalog_services
from catalog.search.engine import search
from catalog.search.results import card_services
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
        loaded.update(card_services(missing))
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
        # Only events asked for: services are not ranked at all.
        mode="none" if kind == "event" else "hybrid",
    )
    site = SiteSearch(services=result, kind=kind)
    if kind != "service" and result.query:
        site.events = search_events(result.event_query, result.filters)
    service_hits = result.hits if kind != "event" else []
    # Stable sort: on equal scores services come first.
    site.merged = sorted(
        [("service", h) for h in service_hits] + [("event", h) for h in site.events], key=lambda item: -item[1].score
    )
    if log and result.query:
        logged = {**filters.as_dict(), **({"kind": "event"} if kind == "event" else {})}
        site.log_id = catalog_services.search_log_record(
            query=result.query,
            language=language,
            filters=logged,
            result_count=len(site.events) if kind == "event" else result.count,
        )
    return site
