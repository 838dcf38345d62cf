"""PTV `fundingType` on the service page (issue #17): whether public money pays for the service."""

import pytest

from catalog.models import Service

pytestmark = pytest.mark.django_db


def _page(client, service: Service, funding: str, prefix: str = "") -> str:
    Service.objects.filter(id=service.id).update(funding_type=funding)
    html = client.get(f"{prefix}/palvelu/{service.id}/").content.decode()
    return html.split('id="price-title"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def service(demo_catalog) -> Service:
    return Service.objects.filter(is_public=True).first()


def test_a_publicly_funded_service_says_so(client, service):
    price = _page(client, service, "PubliclyFunded")
    assert "<strong>Rahoitus:</strong> Julkisesti rahoitettu palvelu (kunta, hyvinvointialue tai valtio)" in price


def test_a_market_funded_service_says_it_has_no_public_funding(client, service):
    price = _page(client, service, "MarketFunded")
    assert "Yksityinen, markkinaehtoinen palvelu: ei julkista rahoitusta" in price
    assert "Julkisesti rahoitettu" not in price


@pytest.mark.parametrize("funding", ["", "SomethingNew"])
def test_no_funding_line_when_ptv_does_not_say(client, service, funding):
    assert "Rahoitus" not in _page(client, service, funding)


def test_the_funding_line_is_there_in_every_language(client, service):
    for prefix in ("/sv", "/en"):
        assert 'class="funding"' in _page(client, service, "PubliclyFunded", prefix)


def test_the_funding_label_follows_the_ptv_value():
    service = Service(funding_type="MarketFunded")
    assert str(service.funding_label).startswith("Yksityinen")
    assert Service(funding_type="PubliclyFunded").funding_label and not Service().funding_label
