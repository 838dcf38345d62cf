"""JSON API: /api/v1/search, the same site search as the search page (public, anonymous).

A Django REST framework view, so drf-spectacular documents it in /api/v1/openapi.json from
the parameters and response shapes declared here.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.i18n import localized
from catalog.search.results import matched_words
from front.forms import SearchForm
from front.search import KINDS, SiteItem, site_search
from tarmoa.lib.api import ErrorSerializer

PAGE_SIZE = 20
THEME_SLUGS = ["yhteisollisyys", "luonto", "liikunta", "kulttuuri", "toimeentulo", "ohjaus", "ravitsemus", "mieli"]


def _error(message: str, fields: dict | None = None) -> Response:
    return Response({"error": message, "fields": fields or {}}, status=400)


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


class _WhySerializer(serializers.Serializer):
    matched_words = serializers.ListField(child=serializers.CharField())
    close_in_meaning = serializers.BooleanField(required=False)
    themes = serializers.ListField(child=serializers.CharField())


class SearchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.ChoiceField(choices=["ptv", "lahella", "linkedevents", "local"])
    source_id = serializers.CharField(help_text="PTV GUID for PTV services")
    name = serializers.CharField()
    summary = serializers.CharField()
    themes = serializers.ListField(child=serializers.CharField())
    municipalities = serializers.ListField(child=serializers.CharField())
    url = serializers.URLField()
    score = serializers.FloatField()
    featured = serializers.BooleanField(
        required=False,
        help_text="Services only: featured by the region's editors (listed first where there is no query text)",
    )
    start = serializers.DateTimeField(required=False, allow_null=True, help_text="Events only: the next start")
    why = _WhySerializer()


class _ThemeCount(serializers.Serializer):
    slug = serializers.CharField()
    count = serializers.IntegerField()


class _MunicipalityCount(serializers.Serializer):
    code = serializers.CharField()
    count = serializers.IntegerField()


class _Facets(serializers.Serializer):
    themes = _ThemeCount(many=True)
    municipalities = _MunicipalityCount(many=True)


class _Suggestions(serializers.Serializer):
    themes = serializers.ListField(child=serializers.CharField())
    whole_region = serializers.BooleanField()
    related = serializers.ListField(child=serializers.CharField())


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="The normalised query")
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_count = serializers.IntegerField()
    good_match = serializers.BooleanField(help_text="False when nothing matched well; see suggestions")
    municipality = serializers.CharField(
        help_text="The municipality filter in effect: the parameter, or a region municipality named in q when the "
        "parameter is absent (send municipality= to search the whole region)"
    )
    results = SearchResultSerializer(many=True)
    facets = _Facets()
    suggestions = _Suggestions(required=False)


def _param(name: str, type_, description: str = "", **kwargs) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, description=description, **kwargs)


SEARCH_PARAMETERS = [
    _param("q", str, "Words or a whole sentence, at most 200 characters. Empty lists services by the filters."),
    _param("lang", str, "Language of names and summaries (falls back to Finnish).", enum=["fi", "sv", "en"],
           default="fi"),
    _param("theme", str, "Theme slug; repeat for several.", enum=THEME_SLUGS, many=True, explode=True),
    _param("municipality", str, "Three-digit municipality code of the region, e.g. 297. Region-wide and "
           "nationwide services are included.", pattern="^[0-9]{3}$"),
    _param("target_group", str, "PTV target group code (KR1.1 seniors, KR1.2 families, KR1.3 youth, KR1.4 "
           "chronically ill, KR1.6 disabled)."),
    _param("language", str, "Language the service is given in.", enum=["fi", "sv", "en"]),
    _param("free", OpenApiTypes.BOOL, "Only free-of-charge services."),
    _param("channel", str, "How the service is used; repeat for several.", enum=["place", "phone", "online"],
           many=True, explode=True),
    _param("kind", str, "service, event or all (default): events are ranked like services and merged by score; "
           "facets count services.", enum=list(KINDS), default="all"),
    _param("sort", str, "Order: relevance (empty), name or updated.", enum=["", "name", "updated"]),
    _param("page", OpenApiTypes.INT, "Page of 20 results, 1-500.", default=1),
]  # fmt: skip


class SearchView(APIView):
    """Hybrid (full-text + semantic) search of the region's public services and events."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="searchServices",
        summary="Hybrid (full-text + semantic) search of public services and events",
        description="Without `q`, a theme or a municipality lists services by name, featured ones first. "
        "Searches are logged for statistics without IP address, cookie or user.",
        parameters=SEARCH_PARAMETERS,
        responses={200: SearchResponseSerializer, 400: ErrorSerializer},
        tags=["search"],
    )
    def get(self, request):
        return search(request._request)


def search(request: HttpRequest) -> Response:
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
    return Response(body)
