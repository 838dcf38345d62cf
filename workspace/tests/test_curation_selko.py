"""Editors write a service's plain-Finnish (selkokieli) summary in the workspace (issue #16)."""

import pytest

from catalog.models import Service, ServiceCuration

pytestmark = pytest.mark.django_db


def test_editor_writes_a_selkokieli_summary_and_residents_see_it_on_request(client, editor, demo_catalog):
    service = Service.objects.filter(is_public=True).first()
    client.force_login(editor)
    url = f"/ammattilainen/palvelut/{service.id}/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="summary_selko"' in page.content.decode()
    response = client.post(url, {"summary_selko": "  Voit uida ja käydä saunassa.  "})
    assert response.status_code == 302
    assert ServiceCuration.objects.get(service=service).summary_selko == "Voit uida ja käydä saunassa."
    assert "Voit uida ja käydä saunassa." in client.get(url).content.decode()  # the form shows what is saved
    client.logout()
    client.cookies["tarmoa_selko"] = "1"
    assert "Voit uida ja käydä saunassa." in client.get(f"/palvelu/{service.id}/").content.decode()
