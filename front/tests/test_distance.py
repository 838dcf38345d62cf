"""Distance to service points without JavaScript: a typed postcode, town or address (issue #16)."""

import pytest

from catalog.models import ServiceChannel
from catalog.selectors import distance_km, location_for_text

pytestmark = pytest.mark.django_db


def _located_service():
    channel = (
        ServiceChannel.objects.filter(is_public=True, latitude__isnull=False, services__is_public=True)
        .exclude(street_address_fi="")
        .exclude(postal_code="")
        .first()
    )
    return channel, channel.services.filter(is_public=True).first()


def test_distance_formula_matches_a_known_distance():
    # Kuopio market square to Helsinki railway station: about 338 km as the crow flies.
    assert 330 < distance_km((62.8925, 27.6782), (60.1719, 24.9414)) < 345


def test_postcode_town_and_address_are_found_in_the_catalog(demo_catalog):
    channel, _service = _located_service()
    assert location_for_text(text=channel.postal_code) is not None
    assert location_for_text(text=channel.post_office_fi.upper()) is not None
    lat, lon = location_for_text(text=f"{channel.street_address_fi}, {channel.post_office_fi}")
    assert abs(lat - channel.latitude) < 0.05 and abs(lon - channel.longitude) < 0.05
    assert location_for_text(text="99999") is None
    assert location_for_text(text="") is None


def test_typed_postcode_shows_distances_on_the_page(client, demo_catalog):
    channel, service = _located_service()
    html = client.get(f"/palvelu/{service.id}/", {"etaisyys": channel.postal_code}).content.decode()
    assert " km</span>" in html
    assert f"Etäisyydet paikasta {channel.postal_code}" in html


def test_unknown_place_gets_a_clear_message_not_an_error(client, demo_catalog):
    _channel, service = _located_service()
    response = client.get(f"/palvelu/{service.id}/", {"etaisyys": "<script>x</script>" * 20})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Emme tunnistaneet paikkaa" in html
    assert "<script>x" not in html


def test_the_form_is_there_without_javascript_and_the_button_explains_refusal(client, demo_catalog):
    _channel, service = _located_service()
    html = client.get(f"/palvelu/{service.id}/").content.decode()
    assert '<input type="text" id="distance-from" name="etaisyys"' in html
    assert "data-denied=" in html and "sijainnin käyttö on estetty" in html
