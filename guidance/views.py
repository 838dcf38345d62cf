"""The professional's side of service guidance: the card with the client, the shortlist, referrals."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import PROFESSIONAL, role_required, user_region
from catalog.models import Municipality, Service, Theme
from catalog.search.engine import search
from catalog.search.query import fit_query
from catalog.search.types import SearchFilters
from events.models import Event
from events.selectors import EventFilters, upcoming
from guidance.forms import GuidanceForm, ReferralForm, ShortlistForm
from guidance.models import Referral, Shortlist
from guidance.selectors import referrals_of, shortlist_context
from guidance.services import (
    ClientContact,
    GuidanceError,
    referral_access_log,
    referral_create,
    referral_link_token,
    referral_set_status,
    shortlist_create,
)
from survey.card import CARD_BY_KEY
from survey.services import Answers, event_fits_age, recommendations

SESSION_KEY = "guidance_shortlist"
MAX_ITEMS = 30


def _picked(request: HttpRequest) -> dict[str, list[int]]:
    data = request.session.get(SESSION_KEY) or {}
    return {kind: [i for i in data.get(kind, []) if isinstance(i, int)][:MAX_ITEMS] for kind in ("services", "events")}


def _picked_objects(request: HttpRequest) -> tuple[list[Service], list[Event]]:
    picked = _picked(request)
    services = Service.objects.filter(id__in=picked["services"], is_public=True).order_by("name_fi")
    events = Event.objects.filter(id__in=picked["events"], is_public=True).order_by("name_fi")
    return list(services), list(events)


@role_required(PROFESSIONAL)
@require_GET
def card(request: HttpRequest) -> HttpResponse:
    """Themes, age band and home municipality ticked with the client -> services and events to pick from."""
    region = user_region(request.user)
    form = GuidanceForm(request.GET or None, region=region)
    context = {"form": form, "picked": _picked_objects(request)}
    if request.GET and form.is_valid():
        data = form.cleaned_data
        answers = Answers(
            municipality=data["municipality"],
            age_band=data["age_band"],
            support=list(data["themes"]),
            wish=" ".join(data["q"].split()),
            professional=True,
        )
        context["recommendations"] = recommendations(answers) if data["themes"] else []
        slugs = tuple(dict.fromkeys(s for key in data["themes"] for s in CARD_BY_KEY[key].catalog_themes))
        today = timezone.localdate()
        if slugs:
            filters = EventFilters(start=today, end=today + timedelta(days=60), themes=slugs,
                                   municipality=data["municipality"])  # fmt: skip
            # Age-aware as the services are: more candidates than shown, those for other ages left out.
            fitting = [pair for pair in upcoming(filters, limit=80) if event_fits_age(pair[0], data["age_band"])]
            context["events"] = fitting[:8]
        if data["q"]:
            found = search(fit_query(data["q"]), filters=SearchFilters(municipality=data["municipality"]), page_size=10)
            context["search_results"] = found.services
    return render(request, "guidance/card.html", context, status=400 if form.errors else 200)


@role_required(PROFESSIONAL)
@require_POST
def pick(request: HttpRequest) -> HttpResponse:
    """Add an item to (or take it off) the shortlist being gathered in this session."""
    kind, action = request.POST.get("kind"), request.POST.get("action")
    try:
        item_id = int(request.POST.get("id", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Virheellinen palvelu tai tapahtuma."))
    if kind not in ("services", "events") or action not in ("add", "remove") or not 0 < item_id < 2**31:
        return HttpResponseBadRequest(_("Virheellinen palvelu tai tapahtuma."))
    model = Service if kind == "services" else Event
    if action == "add" and not model.objects.filter(id=item_id, is_public=True).exists():
        raise Http404
    picked = _picked(request)
    ids = [i for i in picked[kind] if i != item_id]
    if action == "add":
        if len(ids) >= MAX_ITEMS:
            messages.error(request, _("Listalla voi olla enintään 30 kohdetta."))
        else:
            ids.append(item_id)
    picked[kind] = ids
    request.session[SESSION_KEY] = picked
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("guidance:card")
    return redirect(back)


@role_required(PROFESSIONAL)
@require_POST
def shortlist_make(request: HttpRequest) -> HttpResponse:
    """Turn the gathered items into a shortlist the client takes home (no personal data in it)."""
    form = ShortlistForm(request.POST)
    services, events = _picked_objects(request)
    if not form.is_valid() or not (services or events):
        messages.error(request, _("Lisää listalle vähintään yksi palvelu tai tapahtuma."))
        return redirect("guidance:card")
    themes = Theme.objects.filter(services__in=services).distinct() if services else Theme.objects.none()
    shortlist = shortlist_create(
        user=request.user,
        region=user_region(request.user),
        services=services,
        events=events,
        themes=list(themes),
        language=form.cleaned_data["language"],
    )
    request.session.pop(SESSION_KEY, None)
    return redirect("guidance:shortlist", token=shortlist.token)


def public_shortlist_url(request: HttpRequest, shortlist: Shortlist, name: str = "guidance_public:shortlist") -> str:
    with translation.override(shortlist.language):
        return request.build_absolute_uri(reverse(name, args=[shortlist.token]))


@role_required(PROFESSIONAL)
@require_GET
def shortlist(request: HttpRequest, token: str) -> HttpResponse:
    """The professional's view of a made shortlist: its link, QR code, print view and PDF, and a referral."""
    item = Shortlist.objects.filter(token=token[:40], created_by=request.user).first()
    if item is None:
        raise Http404
    context = shortlist_context(item)
    context.update(
        public_url=public_shortlist_url(request, item),
        pdf_url=public_shortlist_url(request, item, "guidance_public:shortlist_pdf"),
        qr_url=public_shortlist_url(request, item, "guidance_public:shortlist_qr"),
    )
    return render(request, "guidance/shortlist_made.html", context)


@role_required(PROFESSIONAL)
@require_http_methods(["GET", "POST"])
@never_cache
def referral_new(request: HttpRequest, token: str) -> HttpResponse:
    """A hyte referral for the services of a shortlist, with the client's consent."""
    item = Shortlist.objects.filter(token=token[:40], created_by=request.user).first()
    if item is None:
        raise Http404
    region = user_region(request.user)
    form = ReferralForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = referral_create(
                user=request.user,
                region=region,
                kind=data["kind"],
                client=ClientContact(data["first_name"], data["phone"], data["email"], data["contact_preference"]),
                consent=data["consent"],
                services=list(item.services.all()),
                themes=list(item.themes.all()),
                municipality=Municipality.objects.filter(code=data["municipality"]).first(),
                note=data["note"],
                language=item.language,
                receiver_url=lambda t: request.build_absolute_uri(reverse("guidance_public:receiver", args=[t])),
            )
        except GuidanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Lähete lähetetty vastaanottajalle."))
            return redirect("guidance:referral", referral_id=referral.id)
    context = {"form": form, "shortlist": item, "services": list(item.services.order_by("name_fi"))}
    return render(request, "guidance/referral_new.html", context, status=400 if form.errors else 200)


@role_required(PROFESSIONAL)
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    return render(request, "guidance/referrals.html", {"referrals": referrals_of(request.user)})


def _own_referral(request: HttpRequest, referral_id) -> Referral:
    referral = Referral.objects.filter(id=referral_id, professional=request.user).first()
    if referral is None:
        raise Http404
    return referral


@role_required(PROFESSIONAL)
@require_http_methods(["GET", "POST"])
@never_cache
def referral_detail(request: HttpRequest, referral_id) -> HttpResponse:
    """What happened to the referral; the client's link to hand over; withdraw."""
    referral = _own_referral(request, referral_id)
    if request.method == "POST":
        if request.POST.get("status") != Referral.Status.WITHDRAWN or referral.is_closed:
            return HttpResponseBadRequest(_("Lähetteen voi perua vain, kun se on vielä kesken."))
        referral_set_status(
            referral=referral, status=Referral.Status.WITHDRAWN, actor="professional", user=request.user
        )
        return redirect("guidance:referral", referral_id=referral.id)
    referral_access_log(referral=referral, actor="professional", user=request.user)
    client_token = referral_link_token(referral, "client")
    with translation.override(referral.language):
        client_url = request.build_absolute_uri(reverse("guidance_public:client", args=[client_token]))
        client_qr_url = reverse("guidance_public:client_qr", args=[client_token])
    context = {
        "referral": referral,
        "events": referral.events.select_related("user"),
        "services": list(referral.services.order_by("name_fi")),
        "client_url": client_url,
        "client_qr_url": client_qr_url,
    }
    return render(request, "guidance/referral.html", context)
