"""The two-factor page: set up a TOTP authenticator app, or confirm a sign-in with its code."""

from __future__ import annotations

import base64

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_record
from tarmoa.lib.clientip import client_ip
from tarmoa.lib.ratelimit import rate_limit


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Tunnistuskoodi"),
        help_text=gettext_lazy("Kuusinumeroinen koodi todennussovelluksesta"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not (token.isascii() and token.isdigit()):
            raise forms.ValidationError(_("Koodissa on vain numeroita."))
        return token


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/ammattilainen/"


def _setup_device(user) -> TOTPDevice:
    """The user's unconfirmed device waiting for its first code (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Tarmoa", confirmed=False)


@never_cache
@login_required
@rate_limit("otp", methods=["POST"])
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """With a confirmed device: ask its code. Without: show the QR code, then confirm the device with a code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = _setup_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
                audit_record(request.user, "otp_device_confirmed", address=client_ip(request))
            else:
                audit_record(request.user, "otp_verified", address=client_ip(request))
            otp_login(request, device)
            return redirect(_next(request))
        audit_record(request.user, "otp_failed", address=client_ip(request))
        form.add_error(
            "token", _("Koodi ei kelpaa. Tarkista, että puhelimen kello on oikeassa ajassa, ja yritä uudelleen.")
        )
    context = {"form": form, "setting_up": setting_up, "next": _next(request)}
    if setting_up:
        context["qr_data_uri"] = segno.make(device.config_url, error="m").svg_data_uri(
            scale=5, dark="#000", light="#fff"
        )
        context["secret"] = " ".join(
            base64.b32encode(device.bin_key).decode().rstrip("=")[i : i + 4] for i in range(0, 32, 4)
        ).strip()
    return render(request, "registration/two_factor.html", context, status=400 if form.errors else 200)
