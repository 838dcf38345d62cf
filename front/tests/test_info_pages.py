"""Accessibility statement, privacy notice and contact page: in every language, from settings,
linked from every footer (issue #16)."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

PAGES = ["/saavutettavuus/", "/tietosuoja/", "/yhteystiedot/"]


@pytest.mark.parametrize("prefix", ["", "/sv", "/en"])
@pytest.mark.parametrize("path", PAGES)
def test_info_pages_answer_in_every_language(client, prefix, path):
    response = client.get(prefix + path)
    assert response.status_code == 200
    assert f'<html lang="{(prefix or "/fi")[1:]}">' in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/haku/?q=kirjasto", "/kartoitus/", "/tapahtumat/", "/tietosuoja/"])
def test_every_footer_links_the_info_pages(client, path):
    html = client.get(path).content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    for page in PAGES:
        assert f'href="{page}"' in footer


@override_settings(
    TARMOA_CONTROLLER_NAME="Esimerkkialueen hyvinvointialue",
    TARMOA_CONTROLLER_ADDRESS="PL 1, 70100 Kuopio",
    TARMOA_DPO_EMAIL="tietosuojavastaava@esimerkki.example",
    SEARCH_LOG_RETENTION_MONTHS=13,
    REFERRAL_RETENTION_DAYS=45,
)
def test_privacy_notice_says_what_is_kept_why_how_long_and_who_controls_it(client):
    html = client.get("/tietosuoja/").content.decode()
    assert "Esimerkkialueen hyvinvointialue" in html and "PL 1, 70100 Kuopio" in html
    assert 'href="mailto:tietosuojavastaava@esimerkki.example"' in html
    for heading in ("Hakuloki", "Hyvinvointikartoituksen tilastot", "Virheilmoitukset", "Hyvinvointilähetteet"):
        assert heading in html
    assert "13 kuukautta" in html
    assert "45 päivää" in html
    assert html.count("Kuinka kauan") == 4 and html.count("Miksi") >= 4


@pytest.mark.parametrize(
    ("days", "stated"),
    [(365, "12 kuukautta ilmoituksen jättämisestä"), (30, "1 kuukausi ilmoituksen"), (45, "45 päivää ilmoituksen")],
)
def test_privacy_notice_states_the_error_report_period_the_purge_uses(client, settings, days, stated):
    settings.ERROR_REPORT_RETENTION_DAYS = days
    html = client.get("/tietosuoja/").content.decode()
    reports = html.split('id="reports-title"', 1)[1].split("</section>", 1)[0]
    assert stated in reports


def test_referral_retention_defaults_to_90_days(client, settings):
    if hasattr(settings, "REFERRAL_RETENTION_DAYS"):
        del settings.REFERRAL_RETENTION_DAYS
    assert "90 päivää" in client.get("/tietosuoja/").content.decode()


def test_controller_defaults_to_the_regions_name(client, demo_catalog):
    html = client.get("/tietosuoja/").content.decode()
    assert "Pohjois-Savon hyvinvointialue" in html


@override_settings(TARMOA_ACCESSIBILITY_EMAIL="saavutettavuus@esimerkki.example")
def test_accessibility_statement_lists_the_projects_checks_and_feedback_channel(client):
    html = client.get("/saavutettavuus/").content.decode()
    assert "Automaattiset tarkistukset" in html and "axe-core" in html
    assert "Käsin tehtävät tarkistukset" in html
    assert 'href="mailto:saavutettavuus@esimerkki.example"' in html
    assert "saavutettavuusvaatimukset.fi" in html


@override_settings(TARMOA_CONTACT_PHONE="+358171822320", TARMOA_CONTACT_EMAIL="palaute@esimerkki.example")
def test_contact_page_shows_the_regions_contacts(client):
    html = client.get("/yhteystiedot/").content.decode()
    assert '<a href="tel:+358171822320">017 182 2320</a>' in html
    assert "palaute@esimerkki.example" in html
    assert "112" in html


def test_a_malformed_review_date_stops_start_up():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tarmoa.settings", "TARMOA_ACCESSIBILITY_REVIEWED": "eilen"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "TARMOA_ACCESSIBILITY_REVIEWED" in result.stderr
