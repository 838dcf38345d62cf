"""Editors follow up residents' error reports and forward them to the service's upstream owner."""

from __future__ import annotations

import pytest
from django.core import mail

from catalog.models import ErrorReport, Service

pytestmark = pytest.mark.django_db


def _service_with_email() -> Service:
    for service in Service.objects.filter(is_public=True, municipalities__code="297").order_by("id"):
        if any(c.emails for c in service.channels.all()):
            return service
    raise AssertionError("the demo region has a service with a channel email")


def _report(service: Service) -> ErrorReport:
    return ErrorReport.objects.create(service=service, message="Aukioloajat ovat muuttuneet syksyllä.")


def test_editor_sees_the_queue_and_forwards_a_report_by_email(client, editor, demo_catalog):
    service = _service_with_email()
    report = _report(service)
    client.force_login(editor)
    queue = client.get("/ammattilainen/virheilmoitukset/?status=new").content.decode()
    assert f"/ammattilainen/virheilmoitukset/{report.id}/" in queue
    page = client.get(f"/ammattilainen/virheilmoitukset/{report.id}/").content.decode()
    contact = next(e["value"] for c in service.channels.all() for e in c.emails)
    assert contact in page and "Aukioloajat ovat muuttuneet" in page

    response = client.post(f"/ammattilainen/virheilmoitukset/{report.id}/muuta/", {"action": "forward"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [contact]
    assert "Aukioloajat ovat muuttuneet" in mail.outbox[0].body and service.source_id in mail.outbox[0].body
    report.refresh_from_db()
    assert report.status == "forwarded" and report.forwarded_to == contact and report.forwarded_at is not None


def test_editor_changes_the_status_and_bad_status_changes_nothing(client, editor, demo_catalog):
    report = _report(_service_with_email())
    client.force_login(editor)
    url = f"/ammattilainen/virheilmoitukset/{report.id}/muuta/"
    client.post(url, {"status": "in_progress"})
    report.refresh_from_db()
    assert report.status == "in_progress"
    client.post(url, {"status": "deleted"})
    report.refresh_from_db()
    assert report.status == "in_progress"
    assert client.get("/ammattilainen/virheilmoitukset/?status=nonsense").status_code == 400


def test_forwarding_without_a_contact_address_records_nothing(client, editor, demo_catalog):
    service = next(
        s
        for s in Service.objects.filter(is_public=True, municipalities__code="297").order_by("id")
        if not any(c.emails for c in s.channels.all())
    )
    report = _report(service)
    client.force_login(editor)
    response = client.post(f"/ammattilainen/virheilmoitukset/{report.id}/muuta/", {"action": "forward"}, follow=True)
    assert "ei välitetty" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "new" and not report.forwarded_to and not mail.outbox


def test_report_views_are_for_editors_of_the_region(client, professional, editor, demo_catalog):
    from accounts.models import Profile
    from catalog.models import Region

    report = _report(_service_with_email())
    for url in ("/ammattilainen/virheilmoitukset/", f"/ammattilainen/virheilmoitukset/{report.id}/"):
        assert client.get(url)["Location"].startswith("/accounts/login/")
        client.force_login(professional)
        assert client.get(url).status_code == 403
        client.logout()
    client.force_login(professional)
    assert client.post(f"/ammattilainen/virheilmoitukset/{report.id}/muuta/", {"action": "forward"}).status_code == 403
    Profile.objects.create(user=editor, region=Region.objects.create(code="lappi", name_fi="Lappi"))
    client.force_login(editor)
    assert client.get(f"/ammattilainen/virheilmoitukset/{report.id}/").status_code == 404
    assert client.get("/ammattilainen/virheilmoitukset/999999/").status_code == 404
    assert not mail.outbox


def test_forward_goes_to_the_owners_own_address_and_says_where_it_came_from(client, editor, demo_catalog):
    service = _service_with_email()
    owner = service.organization_roles.exclude(role="Producer").first().organization
    owner.emails = [{"value": "kirjaamo@kunta.example.fi", "language": "fi"}]
    owner.save(update_fields=["emails"])
    report = _report(service)
    client.force_login(editor)
    page = client.get(f"/ammattilainen/virheilmoitukset/{report.id}/").content.decode()
    assert "kirjaamo@kunta.example.fi" in page and "organisaation oma sähköpostiosoite" in page
    assert 'value="kirjaamo@kunta.example.fi"' in page  # the form holds it, for the editor to change

    client.post(f"/ammattilainen/virheilmoitukset/{report.id}/muuta/", {"action": "forward"})
    assert mail.outbox[0].to == ["kirjaamo@kunta.example.fi"]
    report.refresh_from_db()
    assert report.forwarded_to == "kirjaamo@kunta.example.fi"


def test_without_an_organisation_address_the_channel_is_named_as_the_origin(client, editor, demo_catalog):
    from catalog.selectors import service_upstream_owner

    service = _service_with_email()
    contact = service_upstream_owner(service=service)
    assert contact["email"] and contact["origin"]
    channel_emails = {e["value"] for c in service.channels.all() for e in c.emails}
    detail_emails = {e["value"] for d in service.channel_details.values() for e in d.get("emails", [])}
    assert contact["email"] in channel_emails | detail_emails
    client.force_login(editor)
    page = client.get(f"/ammattilainen/virheilmoitukset/{_report(service).id}/").content.decode()
    assert contact["origin"] in page


def test_editor_changes_the_forward_address_and_a_bad_one_sends_nothing(client, editor, demo_catalog):
    report = _report(_service_with_email())
    client.force_login(editor)
    url = f"/ammattilainen/virheilmoitukset/{report.id}/muuta/"
    refused = client.post(url, {"action": "forward", "to": "ei osoite"})
    assert refused.status_code == 400 and not mail.outbox
    report.refresh_from_db()
    assert report.status == "new" and not report.forwarded_to

    client.post(url, {"action": "forward", "to": "oikea.yllapitaja@example.fi"})
    assert mail.outbox[0].to == ["oikea.yllapitaja@example.fi"]
    report.refresh_from_db()
    assert report.status == "forwarded" and report.forwarded_to == "oikea.yllapitaja@example.fi"


def test_an_address_written_for_a_service_without_one_is_used(client, editor, demo_catalog):
    service = next(
        s
        for s in Service.objects.filter(is_public=True, municipalities__code="297").order_by("id")
        if not any(c.emails for c in s.channels.all()) and not s.channel_details
    )
    report = _report(service)
    client.force_login(editor)
    client.post(f"/ammattilainen/virheilmoitukset/{report.id}/muuta/", {"action": "forward", "to": "a@example.fi"})
    assert mail.outbox[0].to == ["a@example.fi"]
