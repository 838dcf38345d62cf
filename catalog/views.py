from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from catalog import selectors
from catalog.health import health_report


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/home.html", {"themes": selectors.theme_list()})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    from catalog.search.forms import SearchForm

    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = selectors.service_search_simple(query=form.cleaned_data["q"])
    return render(
        request,
        "catalog/search.html",
        {"form": form, "query": request.GET.get("q", "")[:200], "results": results},
    )
