from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from catalog import selectors, services
from events.selectors import EventFilters, period, upcoming
from front.forms import TARGET_GROUPS, ErrorReportForm, SearchForm, region_municipality_codes
from front.health import health_report
from front.search import site_search
from tarmoa.lib.ratelimit import hit, rate_limit
from tarmoa.lib.selko import SELKO_COOKIE

MUNICIPALITY_COOKIE = "tarmoa_kunta"


def _language() -> str:
    return (get_language() or "fi")[:2]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    start, end = period("week")
    return render(
        request,
        "front/home.html",
        {
            "upcoming_events": upcoming(EventFilters(start=start, end=end), limit=3),
            "themes": selectors.theme_list(),
            "municipalities": selectors.region_municipalities(),
            "chosen_municipality": request.COOKIES.get(MUNICIPALITY_COOKIE, ""),
        },
    )


@require_POST
def choose_reading(request: HttpRequest) -> HttpResponse:
    """Turn plain Finnish (selkokieli) on or off; remembered in a cookie, like the municipality."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    if request.POST.get("selko") == "1":
        response.set_cookie(SELKO_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(SELKO_COOKIE)
    return response


@require_POST
def choose_municipality(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("municipality", "")
    target = request.POST.get("next") or "/"
    # Only a path on this site: redirect() would read any other text as a view name (a 500).
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    # Checked against the region's codes in memory: no query with whatever was posted (NUL bytes included).
    if code and code in region_municipality_codes():
        response.set_cookie(
            MUNICIPALITY_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=settings.SECURE_COOKIES,
        )
    else:
        response.delete_cookie(MUNICIPALITY_COOKIE)
    return response


def _search_page(request: HttpRequest, *, theme=None) -> HttpResponse:
    data = request.GET.copy()
    chosen = request.COOKIES.get(MUNICIPALITY_COOKIE, "")
    # A remembered municipality that is no longer (or never was) the region's is ignored, not an error.
    if "municipality" not in data and chosen and chosen in region_municipality_codes():
        data["municipality"] = chosen
    if theme is not None:
        data.setlist("theme", [theme.slug])
    form = SearchForm(data)
    result = site = None
    events = []
    kind = (form.cleaned_data.get("kind") or "all") if form.is_valid() else "all"
    if form.is_valid() and (theme is not None or form.cleaned_data["q"] or form.search_filters().as_dict()):
        site = site_search(
            query=form.cleaned_data["q"],
            filters=form.search_filters(),
            kind=kind,
            page=form.cleaned_data["page"] or 1,
            sort=form.cleaned_data["sort"],
            detect_municipality="municipality" not in data,
            language=_language(),
            ignore=tuple(form.cleaned_data["ignore"]),
        )
        result = site.services
        if result.page == 1:
            events = site.top_events(20 if kind == "event" else 3)
    query_without_page = data.copy()
    query_without_page.pop("page", None)
    if theme is not None:
        query_without_page.pop("theme", None)
    query = form.cleaned_data.get("q", "") if form.is_valid() else request.GET.get("q", "")
    if result is not None:
        # Facet counts beside each municipality, like the theme checkboxes.
        counts = {item["code"]: item["count"] for item in result.facets.get("municipalities", [])}
        form.fields["municipality"].choices = [
            (code, f"{label} ({counts.get(code, 0)})" if code else label)
            for code, label in form.fields["municipality"].choices
        ]
    chips = []
    if result is not None and result.understood:
        # What the search read from the query, each with a link that takes it away.
        labels = dict(TARGET_GROUPS)
        for key, value in result.understood.items():
            without = query_without_page.copy()
            without.appendlist("ignore", key)
            label = _("maksuton") if key == "free" else labels.get(value, value)
            chips.append({"label": label, "remove_url": f"?{without.urlencode()}"})
    detected = None
    if result is not None and result.detected_municipality:
        detected = selectors.region_municipalities().filter(code=result.detected_municipality).first()
        if detected is not None:
            # The select says what the search did: the detected town, removable through the chip.
            form.data = form.data.copy()
            form.data["municipality"] = detected.code
    searched = bool(request.GET) and result is not None
    return render(
        request,
        "front/search.html",
        {
            "form": form,
            "theme": theme,
            "query": query[: settings.SEARCH_QUERY_MAX_LENGTH],
            "result": result,
            "log_ref": services.search_log_click_ref(log_id=site.log_id) if site and site.log_id else "",
            "base_query": query_without_page.urlencode(),
            "detected_municipality": detected,
            "chips": chips,
            "events": events,
            "kind": "" if kind == "all" else kind,
            "active_filter_count": _active_filter_count(form, theme=theme),
            "without_municipality": _query_without(query_without_page, "municipality"),
            # After a submitted search the results heading takes the focus (static/js/results.js).
            "focus_results": searched,
        },
        status=400 if form.errors else 200,
    )


def _active_filter_count(form: SearchForm, *, theme=None) -> int:
    """How many choices in the collapsed filter panel differ from their defaults (its summary shows it)."""
    if not form.is_valid():
        return 0
    data = form.cleaned_data
    count = len(data.get("channel") or ()) + (0 if theme is not None else len(data.get("theme") or ()))
    count += sum(1 for name in ("municipality", "target_group", "language", "free", "kind", "sort") if data.get(name))
    if "municipality" in form.data and form.data["municipality"] and not data.get("municipality"):
        count += 1  # a detected municipality shown in the select
    return count


def _query_without(query, name: str) -> str:
    """The query string with `name` set empty (an empty municipality turns detection off)."""
    data = query.copy()
    data[name] = ""
    return data.urlencode()


@rate_limit("search")
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    return _search_page(request)


@require_GET
def service_detail(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_for_resident(service_id=service_id)
    if service is None:
        raise Http404
    ref = request.GET.get("hakuloki", "")
    if ref:
        # A signed, one-time reference (catalog.services.search_log_click_ref): a forged or
        # reused one changes nothing. Either way the address loses the parameter; over the
        # click limit the click is simply not counted.
        if not hit(request, "click"):
            services.search_log_click(ref=ref, service_id=service.id)
        return redirect("front:service", service_id=service.id)
    context = selectors.service_detail_context(service=service)
    context.update(_distances(context["channels"], request.GET.get("etaisyys", "")))
    return render(request, "front/service_detail.html", {**context, "report_form": ErrorReportForm()})


def _distances(channels: list[dict], place: str) -> dict:
    """Distances from a typed address or postcode (the form that works without JavaScript)."""
    place = " ".join(place.split())[:100]
    if not place:
        return {"distance_from": ""}
    origin = selectors.location_for_text(text=place)
    if origin is None:
        return {
            "distance_from": place,
            "distance_error": _("Emme tunnistaneet paikkaa. Kirjoita postinumero (esimerkiksi 70100) tai kunnan nimi."),
        }
    for item in channels:
        channel = item["channel"]
        if channel.has_location:
            item["distance_km"] = selectors.distance_km(origin, (channel.latitude, channel.longitude))
    return {"distance_from": place}


@require_POST
def report_error(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_for_resident(service_id=service_id)
    if service is None:
        raise Http404
    form = ErrorReportForm(request.POST)
    if form.is_valid():
        # Per client (the real address behind the trusted proxy); no global cap anyone could use up.
        wait = hit(request, "report")
        if wait:
            form.add_error("message", _("Liian monta ilmoitusta lyhyessä ajassa. Yritä myöhemmin uudelleen."))
            response = render(
                request,
                "front/service_detail.html",
                {**selectors.service_detail_context(service=service), "report_form": form},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        # A bot fills the hidden "website" field: it gets the same thanks and nothing is stored.
        if not form.cleaned_data["website"]:
            services.error_report_create(service=service, message=form.cleaned_data["message"])
        messages.success(
            request,
            _(
                "Kiitos! Alueen sisällöntuottajat käyvät ilmoituksen läpi ja välittävät sen tarvittaessa "
                "palvelun tiedoista vastaavalle organisaatiolle."
            ),
        )
        return redirect(reverse("front:service", args=[service.id]) + "#report-title")
    context = selectors.service_detail_context(service=service)
    return render(request, "front/service_detail.html", {**context, "report_form": form}, status=400)


@rate_limit("search")
@require_GET
def theme(request: HttpRequest, slug: str) -> HttpResponse:
    theme_obj = selectors.theme_list().filter(slug=slug).first()
    if theme_obj is None:
        raise Http404
    return _search_page(request, theme=theme_obj)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    status, report = health_report()
    return JsonResponse(report, status=status)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 in the site's look and language; falls back to a static page if rendering fails too."""
    from django.template.loader import render_to_string

    try:
        html = render_to_string("500.html", request=request)
    except Exception:  # the error may be in the database or templates themselves
        html = render_to_string("500_plain.html")
    return HttpResponse(html, status=500)
