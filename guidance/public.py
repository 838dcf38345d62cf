"""Pages without sign-in: the client's shortlist (page, PDF, QR), the receiver's and the client's referral pages.

Shortlists sit behind an unguessable token and expire (410 with a friendly page);
referral pages behind signed links that expire. None of them is cached or indexed.
"""

from __future__ import annotations

import io

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from guidance.forms import ClientStatusForm, ReceiverStatusForm
from guidance.models import Shortlist
from guidance.selectors import service_handout, shortlist_context
from guidance.services import GuidanceError, referral_access_log, referral_from_token, referral_set_status


def _shortlist(request: HttpRequest, token: str) -> Shortlist | HttpResponse:
    item = Shortlist.objects.filter(token=token[:40]).first()
    if item is None:
        raise Http404
    if item.expires <= timezone.now():
        return render(request, "guidance/shortlist_gone.html", {"shortlist": item}, status=410)
    return item


def _svg_qr(url: str) -> HttpResponse:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, title="QR")
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@never_cache
def shortlist(request: HttpRequest, token: str) -> HttpResponse:
    item = _shortlist(request, token)
    if isinstance(item, HttpResponse):
        return item
    context = shortlist_context(item)
    context["page_url"] = request.build_absolute_uri(request.path)
    response = render(request, "guidance/shortlist.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@never_cache
def shortlist_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The same handout as a PDF (WeasyPrint), with the QR code of the page's address."""
    from weasyprint import HTML

    item = _shortlist(request, token)
    if isinstance(item, HttpResponse):
        return item
    page_url = request.build_absolute_uri(reverse("guidance_public:shortlist", args=[item.token]))
    qr = segno.make(page_url, error="m").svg_data_uri(scale=4, border=2)
    context = {**shortlist_context(item), "page_url": page_url, "qr_data_uri": qr, "pdf": True}
    html = render_to_string("guidance/shortlist_print.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tarmoa-palvelut-{item.created:%Y-%m-%d}.pdf"'
    return response


@require_GET
def shortlist_qr(request: HttpRequest, token: str) -> HttpResponse:
    item = _shortlist(request, token)
    if isinstance(item, HttpResponse):
        return item
    return _svg_qr(request.build_absolute_uri(reverse("guidance_public:shortlist", args=[item.token])))


def _link_problem(request: HttpRequest) -> HttpResponse:
    message = _("Linkki on vanhentunut tai virheellinen. Ota yhteys lähetteen tehneeseen ammattilaiseen.")
    return render(request, "guidance/link_problem.html", {"message": message}, status=410)


@require_http_methods(["GET", "POST"])
@never_cache
def receiver(request: HttpRequest, token: str) -> HttpResponse:
    """The receiver's page: the referral with the client's contact data (each view logged) and its status."""
    referral = referral_from_token(token, "receiver")
    if referral is None:
        return _link_problem(request)
    form = ReceiverStatusForm(request.POST or None, initial={"status": referral.status})
    if request.method == "POST" and form.is_valid():
        try:
            referral_set_status(referral=referral, status=form.cleaned_data["status"], actor="receiver")
        except GuidanceError as exc:
            form.add_error("status", str(exc))
        else:
            return redirect(request.path + "?tallennettu=1")
    referral_access_log(referral=referral, actor="receiver")
    context = {
        "referral": referral,
        "form": form,
        "saved": request.GET.get("tallennettu") == "1",
        "services": service_handout(list(referral.services.order_by("name_fi"))),
        "events": referral.events.all(),
    }
    return render(request, "guidance/receiver.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@never_cache
def client(request: HttpRequest, token: str) -> HttpResponse:
    """The client's own page: the chosen services, and "I went" / "not for me"."""
    referral = referral_from_token(token, "client")
    if referral is None:
        return _link_problem(request)
    if request.method == "POST":
        form = ClientStatusForm(request.POST)
        if form.is_valid() and not referral.is_closed:
            referral_set_status(referral=referral, status=form.cleaned_data["status"], actor="client")
            return redirect(request.path + "?kiitos=1")
        if not form.is_valid():
            return render(request, "guidance/link_problem.html", {"message": _("Valitse jokin vaihtoehdoista.")},
                          status=400)  # fmt: skip
    context = {
        "referral": referral,
        "thanks": request.GET.get("kiitos") == "1",
        "services": service_handout(list(referral.services.order_by("name_fi"))),
    }
    return render(request, "guidance/client.html", context)


@require_GET
def client_qr(request: HttpRequest, token: str) -> HttpResponse:
    if referral_from_token(token, "client") is None:
        raise Http404
    return _svg_qr(request.build_absolute_uri(reverse("guidance_public:client", args=[token])))
