"""The scope page and single-service scope overrides (issues #12 and #18).

Admins change which PTV service classes a theme takes in, after a preview counting the
services the change moves; editors include or exclude single services. Both apply at once.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from accounts.tokens import api_token_issue
from audit.models import AuditEvent
from catalog.models import Concept, ScopeStatus, Service, ServiceCuration, Theme
from catalog.search.engine import search
from catalog.search.types import SearchFilters

pytestmark = pytest.mark.django_db
PAGE = "/ammattilainen/laajuus/"


def _out_of_scope() -> Service:
    """A published PTV service of the demo region kept out of scope by its class."""
    service = (
        Service.objects.filter(source="ptv", publishing_status="Published", scope_status=ScopeStatus.CLASS)
        .order_by("id")
        .first()
    )
    assert service is not None and not service.is_public, "the demo region stores out-of-scope services"
    return service


def _top_out_of_scope_class() -> str:
    """The class most services kept out of scope by their class have (none of the themes takes it in)."""
    counts = Counter(
        code
        for code in Concept.objects.filter(
            kind="service_class", services__scope_status=ScopeStatus.CLASS, services__publishing_status="Published"
        ).values_list("code", flat=True)
    )
    taken = {code for codes in Theme.objects.values_list("service_class_codes", flat=True) for code in codes}
    return next(code for code, _ in counts.most_common() if code not in taken)


def _state(theme: Theme) -> tuple[set[int], set[int]]:
    """(public services, public services in the theme with curation) as residents see them."""
    public = set(Service.objects.filter(is_public=True).values_list("id", flat=True))
    in_theme = set(
        Service.objects.filter(is_public=True, index_theme_ids__contains=[theme.id]).values_list("id", flat=True)
    )
    return public, in_theme


def _preview_counts(html: str) -> dict[str, int]:
    return {name: int(value) for name, value in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def test_scope_page_is_for_editors_and_only_admins_change_classes(
    client, professional, editor, admin_user, demo_catalog
):
    change = f"{PAGE}kulttuuri/?action=add&code=P1.1"
    assert client.get(PAGE)["Location"].startswith("/accounts/login/")
    assert client.get(change)["Location"].startswith("/accounts/login/")
    client.force_login(professional)
    assert client.get(PAGE).status_code == 403
    client.force_login(editor)
    page = client.get(PAGE)
    assert page.status_code == 200 and "P27.1" in page.content.decode()
    assert "Lisää luokka" not in page.content.decode()  # editors see the mapping, admins change it
    before = list(Theme.objects.get(slug="kulttuuri").service_class_codes)
    assert client.get(change).status_code == 403
    assert client.post(change, {"action": "add", "code": "P1.1"}).status_code == 403
    assert Theme.objects.get(slug="kulttuuri").service_class_codes == before
    client.force_login(admin_user)
    assert "Lisää luokka" in client.get(PAGE).content.decode()


def test_preview_counts_what_saving_moves_and_saving_applies_at_once(client, admin_user, demo_catalog):
    theme = Theme.objects.get(slug="kulttuuri")
    code = _top_out_of_scope_class()
    service = Service.objects.filter(
        scope_status=ScopeStatus.CLASS, publishing_status="Published", concepts__code=code
    ).first()
    client.force_login(admin_user)
    url = f"{PAGE}{theme.slug}/"

    preview = client.get(url, {"action": "add", "code": code})
    assert preview.status_code == 200
    counts = _preview_counts(preview.content.decode())
    assert counts["public_added"] > 0 and counts["theme_added"] > 0 and counts["public_removed"] == 0
    assert Theme.objects.get(pk=theme.pk).service_class_codes == theme.service_class_codes  # a preview stores nothing

    public_before, theme_before = _state(theme)
    response = client.post(url, {"action": "add", "code": code})
    assert response.status_code == 302 and response["Location"] == PAGE
    public_after, theme_after = _state(theme)
    assert len(public_after - public_before) == counts["public_added"]
    assert len(public_before - public_after) == counts["public_removed"]
    assert len(theme_after - theme_before) == counts["theme_added"]
    assert len(theme_before - theme_after) == counts["theme_removed"]
    # At once, without a sync: the service is public, in its theme and found by search.
    service.refresh_from_db()
    assert service.is_public and service.scope_status == ScopeStatus.IN
    assert service.id in [h.service_id for h in search(service.name_fi).hits]
    themed = search(service.name_fi, filters=SearchFilters(themes=(theme.slug,)))
    assert service.id in [h.service_id for h in themed.hits]
    assert client.get(f"/palvelu/{service.id}/").status_code == 200
    # Recorded: the theme's history (who) and the audit log (what moved).
    record = Theme.history.filter(id=theme.id).latest("history_date")
    assert record.history_user == admin_user and code in record.service_class_codes
    event = AuditEvent.objects.filter(action="scope", target=f"theme:{theme.slug}").latest("time")
    assert event.detail["public_added"] == counts["public_added"] and event.detail["code"] == code

    # Taking the class out again: the preview counts the way back, and saving takes it.
    back = _preview_counts(client.get(url, {"action": "remove", "code": code}).content.decode())
    assert back["public_removed"] == counts["public_added"] and back["theme_removed"] == counts["theme_added"]
    client.post(url, {"action": "remove", "code": code})
    assert _state(theme) == (public_before, theme_before)
    assert service.id not in [h.service_id for h in search(service.name_fi).hits]
    assert client.get(f"/palvelu/{service.id}/").status_code == 404


def test_a_bad_class_change_is_refused_and_changes_nothing(client, admin_user, demo_catalog):
    theme = Theme.objects.get(slug="kulttuuri")
    before = list(theme.service_class_codes)
    client.force_login(admin_user)
    url = f"{PAGE}{theme.slug}/"
    for data in (
        {"action": "add", "code": "P999.9"},  # not a PTV class
        {"action": "add", "code": before[0]},  # already there
        {"action": "remove", "code": "P1.1"},  # not there
        {"action": "drop", "code": "P1.1"},
        {"action": "add", "code": "x" * 200},
    ):
        assert client.post(url, data).status_code == 400, data
        assert client.get(url, data).status_code == 400, data
    assert Theme.objects.get(pk=theme.pk).service_class_codes == before
    assert client.get(f"{PAGE}no-such-theme/", {"action": "add", "code": "P1.1"}).status_code == 404


def test_out_of_scope_services_never_show_to_residents(client, demo_catalog):
    service = _out_of_scope()
    assert client.get(f"/palvelu/{service.id}/").status_code == 404
    assert service.id not in [h.service_id for h in search(service.name_fi).hits]
    page = client.get("/haku/", {"q": service.name_fi}).content.decode()
    assert f"/palvelu/{service.id}/" not in page


def test_editor_includes_and_excludes_a_single_service(client, editor, demo_catalog):
    service = _out_of_scope()
    theme = Theme.objects.get(slug="kulttuuri")
    client.force_login(editor)
    url = f"/ammattilainen/palvelut/{service.id}/"
    assert "Rajauksen ulkopuolella" in client.get("/ammattilainen/palvelut/?state=out_of_scope").content.decode()

    # Its class maps to no theme: including it needs a theme.
    refused = client.post(url, {"scope_override": "include", "scope_reason": "Alueen tärkeä palvelu"})
    assert refused.status_code == 400 and "lisäteema" in refused.content.decode()
    service.refresh_from_db()
    assert not service.is_public and not ServiceCuration.objects.filter(service=service).exists()

    response = client.post(
        url, {"scope_override": "include", "scope_reason": "Alueen tärkeä palvelu", "extra_themes": [theme.id]}
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.is_public
    assert service.id in [h.service_id for h in search(service.name_fi).hits]
    themed = search(service.name_fi, filters=SearchFilters(themes=(theme.slug,)))
    assert service.id in [h.service_id for h in themed.hits]
    assert client.get(f"/palvelu/{service.id}/").status_code == 200
    assert ServiceCuration.history.filter(service_id=service.id, scope_override="include").exists()

    # An in-scope service excluded: gone from residents' views at once.
    other = Service.objects.filter(
        is_public=True, source="ptv", curation__isnull=True, municipalities__code="297"
    ).first()
    client.post(
        f"/ammattilainen/palvelut/{other.id}/", {"scope_override": "exclude", "scope_reason": "Ei hyte-palvelu"}
    )
    other.refresh_from_db()
    assert not other.is_public
    assert client.get(f"/palvelu/{other.id}/").status_code == 404
    assert other.id not in [h.service_id for h in search(other.name_fi).hits]
    # And back to the class mapping.
    client.post(f"/ammattilainen/palvelut/{other.id}/", {"scope_override": ""})
    other.refresh_from_db()
    assert other.is_public


def _patch(client, token: str, service: Service, body):
    return client.patch(
        f"/api/v1/pro/services/{service.source_id}/curation",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.mark.parametrize("value", ["maybe", "INCLUDE", True, 1, None, ["include"]])
def test_api_refuses_an_unknown_scope_override_and_stores_nothing(client, editor, demo_catalog, value):
    service = _out_of_scope()
    response = _patch(client, api_token_issue(user=editor), service, {"scope_override": value, "note": "x"})
    assert response.status_code == 400 and "scope_override" in response.json()["fields"]
    assert not ServiceCuration.objects.filter(service=service).exists()


def test_api_includes_a_service_with_a_theme_and_excludes_one(client, editor, demo_catalog):
    token = api_token_issue(user=editor)
    service = _out_of_scope()
    refused = _patch(client, token, service, {"scope_override": "include"})
    assert refused.status_code == 400
    assert "scope_override" in refused.json()["fields"]
    assert not ServiceCuration.objects.filter(service=service).exists()

    response = _patch(
        client, token, service, {"scope_override": "include", "extra_themes": ["kulttuuri"], "scope_reason": "x"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope_override"] == "include" and body["is_public"] is True and body["scope_status"] == "class"
    assert body["extra_themes"] == ["kulttuuri"] and "hidden" in body and "summary_fi" in body
    assert service.id in [h.service_id for h in search(service.name_fi).hits]

    excluded = _patch(client, token, service, {"scope_override": "exclude"})
    assert excluded.json()["is_public"] is False
    assert service.id not in [h.service_id for h in search(service.name_fi).hits]

    local = Service.objects.filter(source="local").first()
    if local is not None:
        assert _patch(client, token, local, {"scope_override": "exclude"}).status_code in (400, 404)


def test_openapi_documents_the_scope_override(client):
    spec = client.get("/api/v1/openapi.json").json()
    schemas = json.dumps(spec["components"]["schemas"])
    assert "scope_override" in schemas and "scope_status" in schemas
