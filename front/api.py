"""JSON API: /api/v1/search (the same site search as the search page) and its OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from catalog.i18n import localized
from catalog.search.results import matched_words
from front.forms import SearchForm
from front.search import KINDS, SiteItem, site_search
from tarmoa.lib.ratelimit import rate_limit

OPENAPI_PATH = Path(__file__).resolve().parent / "openapi.json"
PAGE_SIZE = 20


def _error(message: str, fields: dict | None = None) -> JsonResponse:
    return JsonResponse({"error": message, "fields": fields or {}}, status=400)


_SENTINEL_ID = 2147483647


def _url_maker(request: HttpRequest, view_name: str):
    """id -> absolute URL of a detail page in the active language: reverse() once, not once per result."""
    head, tail = request.build_absolute_uri(reverse(view_name, args=[_SENTINEL_ID])).split(str(_SENTINEL_ID), 1)
    return lambda object_id: f"{head}{object_id}{tail}"


def _item_dict(item: SiteItem, urls: dict, why: dict, searched: str, lang: str) -> dict:
    """One result of the merged list, service or event, in the documented shape."""
    obj, themes = item.obj, [t.slug for t in item.obj.card_themes]
    body = {
        "id": obj.id,
        "source": obj.source,
        "source_id": obj.source_id,
        "name": localized(obj, "name", lang).text,
        "themes": themes,
        "url": urls[item.kind](obj.id),
        "score": round(item.hit.score, 6),
    }
    if item.kind == "service":
        # A service on the engine's own page has its "why"; one the merge brought in gets its words here.
        body["summary"] = localized(obj, "summary", lang).text
        body["municipalities"] = sorted(m.code for m in obj.card_municipalities)
        body["featured"] = bool(obj.card_featured)
        body["why"] = why.get(obj.id) or {"matched_words": matched_words(searched, obj), "themes": themes}
    else:
        body["summary"] = localized(obj, "short_description", lang).text
        body["municipalities"] = [obj.card_municipality.code] if obj.card_municipality else []
        body["why"] = {"matched_words": [], "close_in_meaning": item.hit.lexical_rank is None, "themes": themes}
        body["start"] = obj.start_time.isoformat() if obj.start_time else None
    return body


@rate_limit("api", json=True)
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
    with translation.override(lang):
        site = site_search(
            query=form.cleaned_data["q"],
            filters=form.search_filters(),
            kind=kind,
            page=form.cleaned_data["page"] or 1,
            page_size=PAGE_SIZE,
            language=lang,
        )
        urls = {"service": _url_maker(request, "front:service"), "event": _url_maker(request, "events:detail")}
    result = site.services
    body = {
        "query": result.query,
        "count": site.count,
        "page": result.page,
        "page_count": site.page_count,
        "good_match": result.good_match,
        "municipality": result.filters.municipality,
        "results": [_item_dict(item, urls, result.why, result.searched, lang) for item in site.page_items()],
        "facets": result.facets,
    }
    if result.suggestions:
        body["suggestions"] = {
            "themes": [t.slug for t in result.suggestions.get("themes", [])],
            "whole_region": result.suggestions.get("whole_region", False),
            "related": result.suggestions.get("related", []),
        }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@rate_limit("api", json=True)
@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(json.loads(OPENAPI_PATH.read_text(encoding="utf-8")), json_dumps_params={"ensure_ascii": False})
