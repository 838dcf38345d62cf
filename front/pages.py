"""The public-sector information pages: accessibility statement, privacy notice, contact.

Their facts come from settings the region fills in (TARMOA_CONTROLLER_NAME, TARMOA_CONTACT_EMAIL,
...; see .env.example) and from the retention settings the code itself uses, so the notice
says what the service really keeps.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog.i18n import localized
from catalog.selectors import region_current

# Referrals are another app's; their retention setting may not exist in every deployment yet.
REFERRAL_RETENTION_DEFAULT_DAYS = 90


def whole_months(days: int) -> int | None:
    """`days` as whole months when it is one (365 -> 12, 30 -> 1), else None: the notice then says days."""
    months = round(days / 30.4375)
    return months if months >= 1 and abs(days - months * 30.4375) <= 2 else None


def site_facts() -> dict:
    """The region's contact and controller details for the information pages."""
    region = region_current()
    region_name = localized(region, "name").text if region else settings.TARMOA_REGION_NAME
    return {
        "controller_name": settings.TARMOA_CONTROLLER_NAME or region_name,
        "controller_address": settings.TARMOA_CONTROLLER_ADDRESS,
        "contact_email": settings.TARMOA_CONTACT_EMAIL,
        "contact_phone": settings.TARMOA_CONTACT_PHONE,
        "dpo_email": settings.TARMOA_DPO_EMAIL,
        "accessibility_email": settings.TARMOA_ACCESSIBILITY_EMAIL,
        "accessibility_reviewed": dt.date.fromisoformat(settings.TARMOA_ACCESSIBILITY_REVIEWED),
        "search_log_months": settings.SEARCH_LOG_RETENTION_MONTHS,
        # The period the daily purge (catalog.privacy.error_report_purge) really uses.
        "error_report_days": settings.ERROR_REPORT_RETENTION_DAYS,
        "error_report_months": whole_months(settings.ERROR_REPORT_RETENTION_DAYS),
        "referral_days": getattr(settings, "REFERRAL_RETENTION_DAYS", REFERRAL_RETENTION_DEFAULT_DAYS),
    }


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "front/pages/accessibility.html", site_facts())


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "front/pages/privacy.html", site_facts())


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "front/pages/contact.html", site_facts())
