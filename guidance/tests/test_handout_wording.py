"""The client's shortlist handout speaks plainly (selkokieli-friendly Finnish, issue #13): short
labels that say what to do, on the public page, its print view and the PDF's HTML."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from catalog.models import Service, Source
from catalog.templatetags.tarmoa import phone
from events.models import Event
from guidance.selectors import shortlist_context
from guidance.services import shortlist_create

pytestmark = pytest.mark.django_db

PLAIN = ["Soita tähän numeroon", "Osoite", "Milloin auki", "Lisätietoa netissä"]
# The old, officialese labels the handout no longer uses.
OLD = ["Aukiolo:", "Verkkosivu:", "Puhelin:", "Seuraavat ajat", "valittiin kanssasi"]


def _rich_service() -> Service:
    """A demo service that has a phone, an address, opening hours and a web page."""
    for service in Service.objects.filter(source=Source.PTV, is_public=True).prefetch_related("channels"):
        channels = [c for c in service.channels.all() if c.is_public]
        if (
            any(c.phones for c in channels)
            and any(c.kind == "ServiceLocation" and c.street_address_fi for c in channels)
            and any(c.service_hours for c in channels)
            and any(c.web_pages for c in channels)
        ):
            return service
    raise AssertionError("the demo catalog has no service with phone, address, hours and web page")


@pytest.fixture
def shortlist(demo_catalog):
    event = Event.objects.filter(is_public=True, occurrences__isnull=False).distinct().first()
    return shortlist_create(user=None, region=None, services=[_rich_service()], events=[event], language="fi")


def test_the_public_page_uses_plain_labels(client, shortlist):
    html = client.get(f"/lista/{shortlist.token}/").content.decode()
    for phrase in PLAIN + ["Milloin", "Voit mennä niihin itse.", "Tulosta lista tai tallenna se (PDF)"]:
        assert phrase in html, phrase
    for phrase in OLD:
        assert phrase not in html, phrase
    number = next(p["number"] for c in shortlist.services.get().channels.all() for p in c.phones)
    assert phone(number) in html  # grouped for reading, not "+358171822320"


def test_the_printed_handout_uses_the_same_plain_labels(shortlist):
    with translation.override("fi"):
        html = render_to_string(
            "guidance/shortlist_print.html",
            {**shortlist_context(shortlist), "page_url": "https://tarmoa.example/lista/x/", "qr_data_uri": "data:,"},
        )
    for phrase in PLAIN + ["lue QR-koodi puhelimen kameralla", "Soita, jos haluat kysyä lisää."]:
        assert phrase in html, phrase
    for phrase in OLD:
        assert phrase not in html, phrase


def test_an_expired_list_says_so_plainly(client, shortlist):
    from datetime import timedelta

    from django.utils import timezone

    type(shortlist).objects.filter(pk=shortlist.pk).update(expires=timezone.now() - timedelta(minutes=1))
    html = client.get(f"/lista/{shortlist.token}/").content.decode()
    assert "Nyt se ei toimi enää." in html and "Voit myös pyytää uuden listan." in html
