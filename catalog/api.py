"""JSON API: /api/v1/search (the same engine as the search page) and its OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from catalog import services
from catalog.i18n import localized
from catalog.search.engine import search as run_search
from catalog.search.forms import SearchForm

OPENAPI_PATH = Path(__file__).resolve().parent / "openapi.json"
PAGE_SIZE = 20


def _error(message: str, fields: dict | None = None) -> JsonResponse:
    return JsonResponse({"error": message, "fields": fields or {}}, status=400)


@require_GET
def search(request: HttpRequest) -> JsonResponse:
    lang = request.GET.get("lang", "fi")
    if lang not in {"fi", "sv", "en"}:
        return _error("lang must be fi, sv or en", {"lang": [lang]})
    form = SearchForm(request.GET)
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
        results = []
        for service in result.services:
            why = result.why.get(service.id, {})
            path = reverse("catalog:service", args=[service.id])
            results.append(
                {
                    "id": service.id,
                    "source": service.source,
                    "source_id": service.source_id,
                    "name": localized(service, "name", lang).text,
                    "summary": localized(service, "summary", lang).text,
                    "themes": [t.slug for t in service.card_themes],
                    "municipalities": sorted(m.code for m in service.card_municipalities),
                    "url": request.build_absolute_uri(path),
                    "score": round(scores.get(service.id, 0.0), 6),
                    "why": why,
                }
            )
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
