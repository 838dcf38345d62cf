"""The event page's place, price and accessibility read as sentences (issue #16: ", Väinölänniemenkatu 2",
"Maksuton – Maksuton" and no accessibility although the source carries it)."""

import re

import pytest
from django.urls import reverse

from events.models import Event

pytestmark = pytest.mark.django_db


def _where(html: str) -> str:
    section = html.split('id="where-title"', 1)[1].split("</section>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", "", section.split("</h2>", 1)[1]).split())


def _event(**changes) -> Event:
    event = Event.objects.get(source="lahella", source_id="90001")
    Event.objects.filter(id=event.id).update(**changes)
    return event


def test_place_without_a_name_does_not_start_with_a_comma(client, demo_catalog):
    event = _event(
        location_name_fi="", location_name_sv="", location_name_en="", street_address_fi="Väinölänniemenkatu 2"
    )
    where = _where(client.get(reverse("events:detail", args=[event.id])).content.decode())
    assert where.startswith("Väinölänniemenkatu 2"), where
    assert not where.startswith(",")


def test_place_parts_are_joined_once(client, demo_catalog):
    event = _event(location_name_fi="Väinölänniemi", street_address_fi="Väinölänniemenkatu 2", postal_code="70100")
    where = _where(client.get(reverse("events:detail", args=[event.id])).content.decode())
    assert where.startswith("Väinölänniemi, Väinölänniemenkatu 2, 70100"), where


def test_free_event_does_not_repeat_its_price(client, demo_catalog):
    event = _event(is_free=True, offers=[{"is_free": True, "price": {"fi": "Maksuton"}, "info_url": ""}])
    html = client.get(reverse("events:detail", args=[event.id])).content.decode()
    assert "Maksuton – Maksuton" not in html
    assert "Maksuton" in html


def test_price_detail_is_kept_and_shown_in_the_readers_language(client, demo_catalog):
    offers = [{"is_free": False, "price": {"fi": "10 €, opiskelijat 5 €", "en": "€10, students €5"}, "info_url": ""}]
    event = _event(is_free=False, offers=offers)
    html = client.get(reverse("events:detail", args=[event.id])).content.decode()
    assert "Maksullinen – <span>10 €, opiskelijat 5 €</span>" in html
    html = client.get("/en" + reverse("events:detail", args=[event.id])).content.decode()
    assert "€10, students €5" in html and "opiskelijat" not in html


def test_accessibility_from_the_source_is_shown(client, demo_catalog):
    event = _event(accessibility=["ac_wheelchair", "ac_inductionloop"])
    html = client.get(reverse("events:detail", args=[event.id])).content.decode()
    assert "Esteetön pyörätuolilla" in html and "Induktiosilmukka" in html
