"""Texts in the reader's language: fallbacks marked visibly and with lang, contact items once in
the reader's language, phones formatted, selkokieli on request, the admin in its own words."""

import pytest
from django.template import Context, Template
from django.utils import translation

from catalog.models import Service, ServiceChannel, ServiceCuration, Theme

pytestmark = pytest.mark.django_db


def _render(source: str, **context) -> str:
    return Template("{% load tarmoa %}" + source).render(Context(context))


def test_fallback_description_has_lang_and_a_visible_notice_in_each_language(client, demo_catalog):
    service = Service.objects.filter(is_public=True, description_sv="", description_en="").exclude(description_fi="")
    service = service.first()
    notices = {"sv": "Denna text finns bara på finska", "en": "This text is only in Finnish"}
    for language, notice in notices.items():
        html = client.get(f"/{language}/palvelu/{service.id}/").content.decode()
        # The notice in the reader's language, then the Finnish text marked as Finnish.
        assert f'<p class="fallback-note">{notice}</p><div lang="fi">' in html


def test_text_in_the_readers_language_has_no_notice(client, demo_catalog):
    service = Service.objects.filter(is_public=True).exclude(description_fi="").first()
    html = client.get(f"/palvelu/{service.id}/").content.decode()
    assert "fallback-note" not in html.split('id="desc-title"', 1)[1].split("</section>", 1)[0]


def test_card_summary_fallback_gets_a_short_mark(client, demo_catalog):
    html = client.get("/en/haku/?q=kirjasto").content.decode()
    assert 'lang="fi"' in html.split('class="result-list"', 1)[1]  # the demo's library summaries are Finnish only
    assert '<span class="fallback-note">(in Finnish)</span>' in html


PAGES = [
    {"url": "https://example.fi/uimahalli", "text": "Kuopion uimahalli", "language": "fi"},
    {"url": "https://example.fi/sv/simhall", "text": "Kuopio simhall", "language": "sv"},
    {"url": "https://example.fi/en/pool", "text": "Kuopio Swimming Hall", "language": "en"},
    {"url": "https://example.fi/kartta", "text": "Kartta", "language": ""},
    {"url": "https://example.fi/uimahalli", "text": "Kuopion uimahalli", "language": "fi"},
]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", ["Kuopion uimahalli", "Kartta"]),
        ("sv", ["Kuopio simhall", "Kartta"]),
        ("en", ["Kuopio Swimming Hall", "Kartta"]),
    ],
)
def test_web_pages_are_listed_once_in_the_readers_language(language, expected):
    from catalog.templatetags.tarmoa import for_reader

    with translation.override(language):
        assert [p["text"] for p in for_reader(PAGES)] == expected


def test_a_language_the_source_lacks_falls_back_to_finnish_marked():
    from catalog.templatetags.tarmoa import for_reader

    pages = [p for p in PAGES if p["language"] != "en"]
    with translation.override("en"):
        shown = for_reader(pages)
    assert [(p["text"], p["is_fallback"]) for p in shown] == [("Kuopion uimahalli", True), ("Kartta", False)]


def test_channel_shows_one_language_with_lang_on_fallbacks(client, demo_catalog):
    channel = ServiceChannel.objects.filter(is_public=True, services__is_public=True).exclude(web_pages=[]).first()
    service = channel.services.filter(is_public=True).first()
    ServiceChannel.objects.filter(id=channel.id).update(web_pages=PAGES[:3])
    html = client.get(f"/sv/palvelu/{service.id}/").content.decode()
    assert "Kuopio simhall" in html and "Kuopion uimahalli" not in html and "Swimming Hall" not in html


@pytest.mark.parametrize(
    ("raw", "shown", "link"),
    [
        ("+358171822320", "017 182 2320", "+358171822320"),
        ("0401234567", "040 123 4567", "+358401234567"),
        ("+358 9 12345678", "09 1234 5678", "+358912345678"),
        ("+46812345678", "+46 8 123 456 78", "+46812345678"),
        ("116 123", "116 123", "116123"),
        ("soita meille", "soita meille", ""),
    ],
)
def test_phone_numbers_are_grouped_and_linked_in_e164(raw, shown, link):
    assert _render("{{ n|phone }}|{{ n|phone_e164 }}", n=raw) == f"{shown}|{link}"


def test_channel_phone_is_formatted_with_a_tel_link(client, demo_catalog):
    channel = ServiceChannel.objects.filter(is_public=True, services__is_public=True).exclude(phones=[]).first()
    service = channel.services.filter(is_public=True).first()
    ServiceChannel.objects.filter(id=channel.id).update(phones=[{"number": "+358171822320", "language": ""}])
    html = client.get(f"/palvelu/{service.id}/").content.decode()
    assert '<a href="tel:+358171822320">017 182 2320</a>' in html


def test_selkokieli_is_a_reading_option_of_the_finnish_pages(client, demo_catalog):
    theme = Theme.objects.get(slug="luonto")
    assert theme.description_selko  # filled by the migration, written by a person
    assert theme.description_selko not in client.get("/teema/luonto/").content.decode()
    response = client.post("/selkokieli/", {"selko": "1", "next": "/teema/luonto/"})
    assert response.status_code == 302 and response["Location"] == "/teema/luonto/"
    html = client.get("/teema/luonto/").content.decode()
    assert theme.description_selko in html and "Selkokielellä" in html
    assert 'aria-pressed="true"' in html
    for path in ("/saavutettavuus/", "/tietosuoja/", "/yhteystiedot/", "/", "/kartoitus/"):
        assert 'class="selko"' in client.get(path).content.decode(), path
    # Swedish and English pages have no selkokieli.
    assert theme.description_selko not in client.get("/sv/teema/luonto/").content.decode()
    client.post("/selkokieli/", {"selko": "0", "next": "/"})
    assert theme.description_selko not in client.get("/teema/luonto/").content.decode()


def test_selkokieli_switch_refuses_an_outside_next(client):
    response = client.post("/selkokieli/", {"selko": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_services_plain_language_summary_is_shown_when_asked(client, demo_catalog):
    service = Service.objects.filter(is_public=True).first()
    ServiceCuration.objects.create(service=service, summary_selko="Tässä palvelussa voit uida.")
    assert "Tässä palvelussa voit uida." not in client.get(f"/palvelu/{service.id}/").content.decode()
    client.cookies["tarmoa_selko"] = "1"
    html = client.get(f"/palvelu/{service.id}/").content.decode()
    assert "Tässä palvelussa voit uida." in html and "Selkokielellä" in html


def test_admin_has_its_own_title_not_djangos(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "Tarmoa – ylläpito" in html
    assert "Djangon ylläpito" not in html and "Django administration" not in html
    assert "Palvelutiedot" in html  # the catalog app's label in the admin's language
