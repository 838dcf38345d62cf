"""Editors add local services in the workspace, archive them, and read every service's change history."""

from __future__ import annotations

import pytest

from accounts.tokens import api_token_issue
from catalog.models import Service, Source, Theme
from catalog.search.engine import search

pytestmark = pytest.mark.django_db

FORM = {
    "name_fi": "Digitaalinen unikoulu",
    "summary_fi": "Omahoito-ohjelma unettomuuteen verkossa.",
    "themes": [],
    "free": "free",
    "languages": ["fi", "sv"],
    "web_url": "https://example.fi/unikoulu",
    "phone": "017 123 456",
}


def _form(**changes) -> dict:
    data = {**FORM, **changes}
    data["themes"] = [Theme.objects.get(slug="mieli").id]
    return data


def test_editor_adds_a_local_service_that_residents_find(client, editor, demo_catalog):
    client.force_login(editor)
    page = client.get("/ammattilainen/paikalliset/uusi/")
    assert page.status_code == 200 and "Uusi paikallinen palvelu" in page.content.decode()
    response = client.post("/ammattilainen/paikalliset/uusi/", _form())
    assert response.status_code == 302
    service = Service.objects.get(source=Source.LOCAL, name_fi="Digitaalinen unikoulu")
    assert response["Location"] == f"/ammattilainen/paikalliset/{service.id}/"
    assert service.charge_type == "FreeOfCharge" and service.languages == ["fi", "sv"]
    assert service.id in [h.service_id for h in search("unikoulu").hits]
    detail = client.get(f"/palvelu/{service.id}/").content.decode()
    assert "+35817123456" in detail and "https://example.fi/unikoulu" in detail
    # The form shows what was stored, the listing marks it local.
    edit = client.get(response["Location"]).content.decode()
    assert 'value="Digitaalinen unikoulu"' in edit and 'value="+35817123456"' in edit
    assert "Digitaalinen unikoulu" in client.get("/ammattilainen/palvelut/?state=local").content.decode()


def test_bad_phone_or_missing_name_is_a_form_error_and_nothing_is_stored(client, editor, demo_catalog):
    client.force_login(editor)
    for data, message in ((_form(phone="soita minulle"), "Tarkista puhelinnumero"), (_form(name_fi=""), "")):
        response = client.post("/ammattilainen/paikalliset/uusi/", data)
        assert response.status_code == 400 and message in response.content.decode()
    assert not Service.objects.filter(source=Source.LOCAL).exists()


def test_archive_takes_it_off_the_public_side_and_keeps_it(client, editor, demo_catalog):
    client.force_login(editor)
    client.post("/ammattilainen/paikalliset/uusi/", _form())
    service = Service.objects.get(source=Source.LOCAL)
    response = client.post(f"/ammattilainen/paikalliset/{service.id}/arkistoi/")
    assert response.status_code == 302
    service.refresh_from_db()
    assert not service.is_public and client.get(f"/palvelu/{service.id}/").status_code == 404
    assert "Digitaalinen unikoulu" in client.get("/ammattilainen/palvelut/?state=archived").content.decode()
    assert client.get(f"/ammattilainen/paikalliset/{service.id}/arkistoi/").status_code == 405


def test_local_views_need_editor_and_a_local_service(client, professional, manager, editor, demo_catalog):
    ptv = Service.objects.filter(source=Source.PTV, is_public=True).first()
    urls = ["/ammattilainen/paikalliset/uusi/", f"/ammattilainen/palvelut/{ptv.id}/historia/"]
    for url in urls:
        assert client.get(url)["Location"].startswith("/accounts/login/")
        for user in (professional, manager):
            client.force_login(user)
            assert client.get(url).status_code == 403
        client.logout()
    client.force_login(professional)
    assert client.post("/ammattilainen/paikalliset/uusi/", _form()).status_code == 403
    client.force_login(editor)
    assert client.get(f"/ammattilainen/paikalliset/{ptv.id}/").status_code == 404  # PTV data is not edited here
    assert client.post(f"/ammattilainen/paikalliset/{ptv.id}/arkistoi/").status_code == 404
    assert not Service.objects.filter(source=Source.LOCAL).exists()


def test_history_shows_who_changed_what_in_the_form_and_through_the_api(client, editor, demo_catalog):
    service = Service.objects.filter(source=Source.PTV, is_public=True, curation__isnull=True).first()
    client.force_login(editor)
    client.post(f"/ammattilainen/palvelut/{service.id}/", {"featured": "on", "note": "Hyvä ryhmille"})
    token = api_token_issue(user=editor)
    client.patch(
        f"/api/v1/pro/services/{service.source_id}/curation",
        data='{"hidden": true, "hidden_reason": "Tauolla"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    page = client.get(f"/ammattilainen/palvelut/{service.id}/historia/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("toimittaja") >= 2  # both changes name the editor
    assert "Piilota asukkailta: ei → kyllä" in html and "Tauolla" in html
    assert "Nosta ensimmäiseksi" in html
