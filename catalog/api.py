"""JSON API: /api/v1/search (the same engine as the search page) and its OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET
from psycopg import sql

from catalog import services
from catalog.i18n import localized
from catalog.search.engine import search as run_search
from catalog.search.forms import SearchForm

OPENAPI_PATH = Path(__file__).resolve().parent / "openapi.json"
PAGE_SIZE = 20


def _error(message: str, fields: dict | None = None) -> JsonResponse:
    return JsonResponse({"error": message, "fields": fields or {}}, status=400)


KINDS = {"all", "service", "event"}


_SENTINEL_ID = 2147483647


def _url_maker(request: HttpRequest, view_name: str):
    """id -> absolute URL of a detail page in the active language: reverse() once, not once per result."""
    head, tail = request.build_absolute_uri(reverse(view_name, args=[_SENTINEL_ID])).split(str(_SENTINEL_ID), 1)
    return lambda object_id: f"{head}{object_id}{tail}"


def _service_dict(url, service, scores: dict, why: dict, lang: str) -> dict:
    """One service of the results; `url` makes its page's address (from _url_maker)."""
    return {
        "id": service.id,
        "source": service.source,
        "source_id": service.source_id,
        "name": localized(service, "name", lang).text,
        "summary": localized(service, "summary", lang).text,
        "themes": [t.slug for t in service.card_themes],
        "municipalities": sorted(m.code for m in service.card_municipalities),
        "url": url(service.id),
        "score": round(scores.get(service.id, 0.0), 6),
        "why": why,
    }


def _service_results(request: HttpRequest, ids: list[int], scores: dict, result, lang: str) -> list[dict]:
    """Services on a merged page that the engine's own page did not load."""
    from catalog.search.engine import card_services, matched_words

    services = list(card_services(ids).values())
    with translation.override(lang):
        url = _url_maker(request, "catalog:service")
        return [
            _service_dict(
                url,
                s,
                scores,
                {"matched_words": matched_words(result.searched, s), "themes": [t.slug for t in s.card_themes]},
                lang,
            )
            for s in services
        ]


_EVENT_FIELDS = ["id", "source", "source_id", "municipality_id", "start_time"] + [
    f"{name}_{lang}" for name in ("name", "short_description") for lang in ("fi", "sv", "en")
]
# Raw SQL: the rows the API shows with their theme ids in one round trip; the index columns
# (vectors, tsvectors) are never loaded.
_EVENT_SQL = sql.SQL(
    "select {fields}, array(select theme_id from events_event_themes t where t.event_id = e.id) "
    "from events_event e where e.id = any(%(ids)s)"
).format(fields=sql.SQL(", ").join(sql.Identifier("e", f) for f in _EVENT_FIELDS))


def _event_results(request: HttpRequest, hits, lang: str) -> list[dict]:
    from catalog.models import Municipality, Theme
    from catalog.search.engine import cached_objects, fetch_all

    ids = [h.service_id for h in hits]
    themes, municipalities = cached_objects(Theme), cached_objects(Municipality)
    events, event_themes = {}, {}
    for row in fetch_all(_EVENT_SQL, {"ids": ids}) if ids else []:
        event = SimpleNamespace(**dict(zip(_EVENT_FIELDS, row[:-1], strict=True)))
        events[event.id] = event
        event_themes[event.id] = sorted((themes[i] for i in row[-1] if i in themes), key=lambda t: t.order)
    with translation.override(lang):
        event_url = _url_maker(request, "events:detail")
        urls = {i: event_url(i) for i in events}
    out = []
    for hit in hits:
        event = events.get(hit.service_id)
        if event is None:
            continue
        out.append(
            {
                "id": event.id,
                "source": event.source,
                "source_id": event.source_id,
                "name": localized(event, "name", lang).text,
                "summary": localized(event, "short_description", lang).text,
                "themes": [t.slug for t in event_themes[event.id]],
                "municipalities": [municipalities[event.municipality_id].code]
                if event.municipality_id in municipalities
                else [],
                "url": urls[event.id],
                "score": round(hit.score, 6),
                "why": {"matched_words": [], "close_in_meaning": hit.lexical_rank is None,
                        "themes": [t.slug for t in event_themes[event.id]]},
                "start": event.start_time.isoformat() if event.start_time else None,
            }
        )  # fmt: skip
    return out


@require_GET
def search(request: HttpRequest) -> JsonResponse:
    lang = request.GET.get("lang", "fi")
    if lang not in {"fi", "sv", "en"}:
        return _error("lang must be fi, sv or en", {"lang": [lang]})
    kind = request.GET.get("kind", "all")
    if kind not in KINDS:
        return _error("kind must be all, service or event", {"kind": [kind]})
    # `kind` is checked above; the HTML form spells "all" as an empty value.
    data = request.GET.copy()
    data.pop("kind", None)
    form = SearchForm(data)
    if not form.is_valid():
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        return _error("invalid parameters", errors)
    filters = form.search_filters()
    with translation.override(lang):
        result = run_search(
            form.cleaned_data["q"], filters=filters, page=form.cleaned_data["page"] or 1, page_size=PAGE_SIZE
        )
        if result.query:
            services.search_log_record(
                query=result.query, language=lang, filters=filters.as_dict(), result_count=result.count
            )
        scores = {h.service_id: h.score for h in result.hits}
        url = _url_maker(request, "catalog:service")
        results = [
            _service_dict(url, service, scores, result.why.get(service.id, {}), lang) for service in result.services
        ]
    if kind != "service" and result.query:
        # Events ranked like services; merged by fused score into one list (`source` tells which).
        from events.search import search_events

        event_hits = search_events(result.event_query, result.filters)
        page = result.page
        merged = sorted(
            [("service", h) for h in (result.hits if kind == "all" else [])] + [("event", h) for h in event_hits],
            key=lambda item: -item[1].score,
        )
        window = merged[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        by_service = {r["id"]: r for r in results}
        service_ids = [h.service_id for k, h in window if k == "service" and h.service_id not in by_service]
        if service_ids:
            results += _service_results(request, service_ids, scores, result, lang)
            by_service = {r["id"]: r for r in results}
        by_event = {r["id"]: r for r in _event_results(request, [h for k, h in window if k == "event"], lang)}
        results = [by_service[h.service_id] if k == "service" else by_event[h.service_id] for k, h in window
                   if (by_service if k == "service" else by_event).get(h.service_id)]  # fmt: skip
        result.count = len(merged)
    elif kind == "event":
        results = []
        result.count = 0
    body = {
        "query": result.query,
        "count": result.count,
        "page": result.page,
        "page_count": result.page_count,
        "good_match": result.good_match,
        "municipality": result.filters.municipality,
        "results": results,
        "facets": result.facets,
    }
    if result.suggestions:
        body["suggestions"] = {
            "themes": [t.slug for t in result.suggestions.get("themes", [])],
            "whole_region": result.suggestions.get("whole_region", False),
            "related": result.suggestions.get("related", []),
        }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(json.loads(OPENAPI_PATH.read_text(encoding="utf-8")), json_dumps_params={"ensure_ascii": False})
