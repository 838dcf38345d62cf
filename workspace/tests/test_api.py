"""The integration API /api/v1/pro/: bearer tokens, roles, curation and local services."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from accounts.models import ApiToken
from accounts.tokens import api_token_issue
from catalog.models import Region, Service, ServiceCuration, Source
from catalog.search.engine import search
from catalog.search.types import SearchFilters

pytestmark = pytest.mark.django_db


def _call(client, method: str, url: str, token: str | None = None, body=None, raw: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    kwargs = {"content_type": "application/json", "data": data} if data is not None else {}
    return getattr(client, method)(url, **kwargs, **headers)


def _service() -> Service:
    return Service.objects.filter(is_public=True, curation__isnull=True, municipalities__code="297").first()


def test_create_user_token_is_the_last_line_and_authenticates(client, demo_catalog, capsys):
    call_command("create_user", "integraatio", "--role", "editor", "--token")
    lines = capsys.readouterr().out.strip().splitlines()
    token = lines[-1]
    assert token.startswith("tarmoa_") and len(token) > 40
    assert ApiToken.objects.get(user__username="integraatio").digest != token  # only the hash is kept
    service = _service()
    response = _call(client, "patch", f"/api/v1/pro/services/{service.source_id}/curation", token, {"note": "x"})
    assert response.status_code == 200, response.content
    # A new token replaces the old one.
    call_command("create_user", "integraatio", "--role", "editor", "--token")
    assert _call(client, "patch", f"/api/v1/pro/services/{service.source_id}/curation", token, {}).status_code == 401


def test_curation_patch_changes_search_at_once(client, editor, demo_catalog):
    token = api_token_issue(user=editor)
    service = _service()
    url = f"/api/v1/pro/services/{service.source_id}/curation"
    response = _call(client, "patch", url, token, {"featured": True, "extra_themes": ["kulttuuri"], "note": "Hyvä"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["featured"] is True and body["extra_themes"] == ["kulttuuri"] and body["note"] == "Hyvä"
    assert body["hidden"] is False and body["source_id"] == service.source_id
    listing = search("", filters=SearchFilters(themes=("kulttuuri",)), page_size=5)
    assert listing.hits[0].service_id == service.id  # featured first in its theme listing

    public = client.get("/api/v1/search?theme=kulttuuri").json()["results"][0]
    assert public["source_id"] == service.source_id and public["featured"] is True

    hidden = _call(client, "patch", url, token, {"hidden": True, "hidden_reason": "Tauolla"})
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    assert hidden.json()["featured"] is True  # fields not sent stay as they were
    assert service.id not in [h.service_id for h in search(service.name_fi).hits]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hidden": "yes"}, "hidden"),
        ({"featured": 1}, "featured"),
        ({"extra_themes": ["kulttuuri", "ei-teema"]}, "extra_themes"),
        ({"extra_themes": "kulttuuri"}, "extra_themes"),
        ({"note": 12}, "note"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_curation_patch_rejects_bad_input_and_stores_nothing(client, editor, demo_catalog, body, field):
    token = api_token_issue(user=editor)
    service = _service()
    response = _call(client, "patch", f"/api/v1/pro/services/{service.source_id}/curation", token, body)
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"] and response.json()["error"]
    assert not ServiceCuration.objects.filter(service=service).exists()


def test_curation_patch_malformed_json_unknown_service_and_auth(client, editor, professional, demo_catalog):
    service = _service()
    url = f"/api/v1/pro/services/{service.source_id}/curation"
    token = api_token_issue(user=editor)
    malformed = _call(client, "patch", url, token, raw='{"hidden": tru')
    assert malformed.status_code == 400 and "JSON" in malformed.json()["error"]
    not_an_object = _call(client, "patch", url, token, raw="[1, 2]")
    assert not_an_object.status_code == 400
    assert _call(client, "patch", "/api/v1/pro/services/no-such-guid/curation", token, {}).status_code == 404

    anonymous = _call(client, "patch", url, None, {"hidden": True})
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"].startswith("Bearer")
    assert _call(client, "patch", url, "tarmoa_wrong", {"hidden": True}).status_code == 401
    assert _call(client, "patch", url, api_token_issue(user=professional), {"hidden": True}).status_code == 403
    assert not ServiceCuration.objects.filter(service=service).exists()


def test_another_regions_service_is_404(client, editor, demo_catalog):
    other = Region.objects.create(code="muu-alue", name_fi="Muu alue")
    editor.tarmoa_profile = None
    from accounts.models import Profile

    Profile.objects.create(user=editor, region=other)
    token = api_token_issue(user=editor)
    service = _service()
    assert _call(client, "patch", f"/api/v1/pro/services/{service.source_id}/curation", token, {}).status_code == 404


def test_local_service_round_trip_search_theme_page_and_detail(
    client, editor, demo_catalog, django_capture_on_commit_callbacks
):
    token = api_token_issue(user=editor)
    with django_capture_on_commit_callbacks(execute=True):  # the embedding job runs after the commit
        created = _call(
            client,
            "post",
            "/api/v1/pro/local-services",
            token,
            {
                "name_fi": "Kallaveden kävelyporukka",
                "summary_fi": "Kaikille avoin kävelyryhmä tiistaisin rantareitillä.",
                "name_sv": "Promenadgruppen vid Kallavesi",
                "themes": ["liikunta", "yhteisollisyys"],
                "municipalities": ["297"],
                "target_groups": ["KR1.1"],
                "free": True,
                "street_address": "Satamakatu 1",
                "postal_code": "70100",
                "post_office": "Kuopio",
                "phone": "044 123 4567",
                "web_url": "https://example.fi/kavely",
                "hours": "ti klo 10–11",
            },
        )
    assert created.status_code == 201, created.content
    source_id, url = created.json()["source_id"], created.json()["url"]
    assert set(created.json()) == {"source_id", "url"}
    service = Service.objects.get(source=Source.LOCAL, source_id=source_id)
    assert url.endswith(f"/palvelu/{service.id}/")

    hits = search("kävelyporukka").hits
    assert hits and hits[0].service_id == service.id
    # Facets and filters see it like a PTV service: in liikunta and in Kuopio, not in kulttuuri.
    for filters, found in (
        (SearchFilters(themes=("liikunta",), municipality="297"), True),
        (SearchFilters(themes=("kulttuuri",)), False),
        (SearchFilters(channel_kinds=("place",)), True),
    ):
        assert (service.id in [h.service_id for h in search("kävelyporukka", filters=filters).hits]) is found
    facets = search("kävelyporukka").facets
    assert any(f["slug"] == "liikunta" for f in facets["themes"])
    theme_page = client.get("/teema/liikunta/?municipality=297").content.decode()
    assert "Kallaveden kävelyporukka" in theme_page
    detail = client.get(f"/palvelu/{service.id}/").content.decode()
    assert "Satamakatu 1" in detail and "ti klo 10–11" in detail and "(Paikallinen)" in detail
    free_only = search("kävelyporukka", filters=SearchFilters(free=True)).hits
    assert service.id in [h.service_id for h in free_only]

    stored = _call(client, "get", f"/api/v1/pro/local-services/{source_id}", token).json()
    assert stored["phone"] == "+358441234567" and stored["free"] is True and stored["target_groups"] == ["KR1.1"]

    with django_capture_on_commit_callbacks(execute=True):
        changed = _call(client, "patch", f"/api/v1/pro/local-services/{source_id}", token, {"name_fi": "Rantakävely"})
    assert changed.status_code == 200 and changed.json()["name_fi"] == "Rantakävely"
    assert changed.json()["street_address"] == "Satamakatu 1"  # untouched fields kept
    assert search("rantakävely").hits[0].service_id == service.id

    assert _call(client, "delete", f"/api/v1/pro/local-services/{source_id}", token).status_code == 204
    service.refresh_from_db()
    assert service.is_public is False and Service.objects.filter(pk=service.pk).exists()  # archived, not deleted
    assert client.get(f"/palvelu/{service.id}/").status_code == 404
    assert service.id not in [h.service_id for h in search("rantakävely").hits]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name_fi"),
        ({"name_fi": "  "}, "name_fi"),
        ({"name_fi": "X", "municipalities": ["091"]}, "municipalities"),
        ({"name_fi": "X", "themes": ["ei"]}, "themes"),
        ({"name_fi": "X", "free": "true"}, "free"),
        ({"name_fi": "X", "phone": "soita"}, "phone"),
        ({"name_fi": "X", "web_url": "javascript:alert(1)"}, "web_url"),
        ({"name_fi": "X", "postal_code": "7010"}, "postal_code"),
        ({"name_fi": "X", "source": "ptv"}, "source"),
    ],
)
def test_local_service_bad_input_is_400_and_nothing_stored(client, editor, demo_catalog, body, field):
    token = api_token_issue(user=editor)
    before = Service.objects.filter(source=Source.LOCAL).count()
    response = _call(client, "post", "/api/v1/pro/local-services", token, body)
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert Service.objects.filter(source=Source.LOCAL).count() == before


def test_local_service_endpoints_need_editor(client, professional, manager, demo_catalog):
    for user in (professional, manager):
        token = api_token_issue(user=user)
        assert _call(client, "post", "/api/v1/pro/local-services", token, {"name_fi": "X"}).status_code == 403
    assert _call(client, "post", "/api/v1/pro/local-services", None, {"name_fi": "X"}).status_code == 401
    ptv = _service()
    editor_token = None
    from conftest import _user

    editor_token = api_token_issue(user=_user("toinen", group="editor"))
    # A PTV service is not a local service: the local endpoints do not reach it.
    response = _call(client, "patch", f"/api/v1/pro/local-services/{ptv.source_id}", editor_token, {"name_fi": "Y"})
    assert response.status_code == 404
    assert _call(client, "delete", f"/api/v1/pro/local-services/{ptv.source_id}", editor_token).status_code == 404


def test_openapi_is_generated_and_documents_the_pro_endpoints(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    assert "patch" in paths["/api/v1/pro/services/{source_id}/curation"]
    assert {"post"} <= set(paths["/api/v1/pro/local-services"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/pro/local-services/{source_id}"])
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert paths["/api/v1/pro/local-services"]["post"]["security"] == [{"bearerAuth": []}]
    assert "401" in paths["/api/v1/pro/local-services"]["post"]["responses"]
