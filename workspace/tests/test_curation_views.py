"""Editors curate the region's services in the workspace; the effect shows to residents at once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from catalog.models import Service, Theme
from catalog.search.engine import search
from catalog.search.types import SearchFilters

pytestmark = pytest.mark.django_db


def _a_public_service() -> Service:
    return Service.objects.filter(is_public=True, curation__isnull=True, municipalities__code="297").first()


def test_editor_hides_a_service_with_a_reason_and_residents_no_longer_find_it(client, editor, demo_catalog):
    service = _a_public_service()
    client.force_login(editor)
    url = f"/ammattilainen/palvelut/{service.id}/"
    assert service.name_fi in client.get(url).content.decode()

    refused = client.post(url, {"hidden": "on", "hidden_reason": ""})
    assert refused.status_code == 400 and "miksi palvelu piilotetaan" in refused.content.decode()
    assert not Service.objects.filter(pk=service.pk, curation__hidden=True).exists()  # nothing stored

    response = client.post(url, {"hidden": "on", "hidden_reason": "Toiminta tauolla keväällä"})
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(f"/palvelu/{service.id}/").status_code == 404
    assert service.id not in [h.service_id for h in search(service.name_fi).hits]
    assert "Piilotettu" in client.get("/ammattilainen/palvelut/?state=hidden").content.decode()


def test_editor_adds_a_theme_and_the_theme_page_lists_the_service(client, editor, demo_catalog):
    theme = Theme.objects.get(slug="kulttuuri")
    service = Service.objects.filter(is_public=True, curation__isnull=True).exclude(themes=theme).first()
    client.force_login(editor)
    client.post(
        f"/ammattilainen/palvelut/{service.id}/", {"extra_themes": [theme.id], "note": "Sopii myös kulttuuriin"}
    )
    listing = search("", filters=SearchFilters(themes=("kulttuuri",)), page_size=1000)
    assert service.id in [h.service_id for h in listing.hits]
    assert service.curation.note == "Sopii myös kulttuuriin"


def test_curation_views_are_for_editors_only(client, professional, manager, demo_catalog):
    service = _a_public_service()
    for url in ("/ammattilainen/palvelut/", f"/ammattilainen/palvelut/{service.id}/"):
        assert client.get(url)["Location"].startswith("/accounts/login/")
        for user in (professional, manager):
            client.force_login(user)
            assert client.get(url).status_code == 403
            assert client.post(url, {"hidden": "on", "hidden_reason": "x"}).status_code == 403
        client.logout()
    assert not Service.objects.filter(pk=service.pk, curation__isnull=False).exists()


def test_editor_of_another_region_gets_404_and_odd_filters_get_400(client, editor, demo_catalog):
    from accounts.models import Profile
    from catalog.models import Region

    other = Region.objects.create(code="lappi", name_fi="Lapin hyvinvointialue")
    Profile.objects.create(user=editor, region=other)
    client.force_login(editor)
    service = _a_public_service()
    assert client.get(f"/ammattilainen/palvelut/{service.id}/").status_code == 404
    assert client.get("/ammattilainen/palvelut/?page=0").status_code == 400
    assert client.get("/ammattilainen/palvelut/?state=nonsense").status_code == 400
    assert client.get("/ammattilainen/palvelut/999999/").status_code == 404
    assert User.objects.filter(pk=editor.pk).exists()
