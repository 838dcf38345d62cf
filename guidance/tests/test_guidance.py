"""Service guidance end to end: the card, the client's shortlist (page, PDF, QR, expiry), referrals with
consent, the receiver's and the client's pages, the status loop, the view log and the purge."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.tokens import api_token_issue
from catalog.models import Region, Service, Source
from guidance.models import Referral, ReferralAccess, ReferralEvent, ReferralReceiver, Shortlist

pytestmark = pytest.mark.django_db
PHONE, EMAIL, NAME = "+358509876543", "maija.asiakas@example.com", "Maija"


@pytest.fixture
def receivers(demo_catalog):
    region = Region.objects.get()
    for kind in Referral.Kind.values:
        ReferralReceiver.objects.create(
            region=region, kind=kind, name=f"{kind} vastaanottaja", email=f"{kind}@example.fi"
        )
    return region


def _services(n=2) -> list[Service]:
    return list(Service.objects.filter(source=Source.PTV, is_public=True, municipalities__code="297")[:n])


def _shortlist_via_card(client) -> Shortlist:
    for service in _services():
        client.post("/ammattilainen/ohjaus/valitse/", {"kind": "services", "id": service.id, "action": "add"})
    response = client.post("/ammattilainen/ohjaus/lista/", {"language": "fi"})
    assert response.status_code == 302
    return Shortlist.objects.get()


def test_card_recommends_by_theme_and_age_and_gathers_a_shortlist(client, professional, demo_catalog):
    client.force_login(professional)
    page = client.get("/ammattilainen/ohjaus/?themes=liikunta&age_band=65-74&municipality=297&q=kuntosali")
    html = page.content.decode()
    assert page.status_code == 200 and "Lisää listalle" in html and "Hakutulokset" in html
    service = _services(1)[0]
    back = client.post(
        "/ammattilainen/ohjaus/valitse/",
        {"kind": "services", "id": service.id, "action": "add", "next": "https://evil.example/"},
    )
    assert back["Location"] == "/ammattilainen/ohjaus/"  # never an outside address
    assert "Poista listalta" in client.get("/ammattilainen/ohjaus/").content.decode()
    for bad in ({"kind": "users", "id": 1, "action": "add"}, {"kind": "services", "id": "x", "action": "add"}):
        assert client.post("/ammattilainen/ohjaus/valitse/", bad).status_code == 400
    assert (
        client.post("/ammattilainen/ohjaus/valitse/", {"kind": "services", "id": 2**30, "action": "add"}).status_code
        == 404
    )


def test_shortlist_page_pdf_qr_and_expiry(client, professional, demo_catalog):
    client.force_login(professional)
    shortlist = _shortlist_via_card(client)
    made = client.get(f"/ammattilainen/ohjaus/lista/{shortlist.token}/").content.decode()
    assert f"/lista/{shortlist.token}/" in made and "Tee lähete" in made
    client.logout()  # the client opens it without an account
    page = client.get(f"/lista/{shortlist.token}/")
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    for service in shortlist.services.all():
        assert service.name_fi in html
    assert "ammattilainen" not in html.lower().split("<footer")[0]  # nothing about the client or the professional
    pdf = client.get(f"/lista/{shortlist.token}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    qr = client.get(f"/lista/{shortlist.token}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert client.get("/lista/eiolemassa/").status_code == 404
    Shortlist.objects.filter(pk=shortlist.pk).update(expires=timezone.now() - timedelta(minutes=1))
    gone = client.get(f"/lista/{shortlist.token}/")
    assert gone.status_code == 410 and "ei ole enää voimassa" in gone.content.decode()
    assert client.get(f"/lista/{shortlist.token}/pdf/").status_code == 410


def _referral_post(client, shortlist, **changes):
    data = {
        "kind": "liikunta",
        "municipality": "297",
        "first_name": NAME,
        "contact_preference": "phone",
        "phone": "050 987 6543",
        "email": EMAIL,
        "note": "Toivoo vesiliikuntaa",
        "consent": "on",
        **changes,
    }
    return client.post(f"/ammattilainen/ohjaus/lista/{shortlist.token}/lahete/", data)


def test_no_consent_no_referral(client, professional, receivers):
    client.force_login(professional)
    shortlist = _shortlist_via_card(client)
    response = _referral_post(client, shortlist, consent="")
    assert response.status_code == 400 and "suostumusta" in response.content.decode()
    response = _referral_post(client, shortlist, phone="")
    assert response.status_code == 400 and "puhelinnumero" in response.content.decode()
    assert not Referral.objects.exists() and not mail.outbox


def test_referral_loop_receiver_client_and_professional(
    client, professional, receivers, django_capture_on_commit_callbacks
):
    client.force_login(professional)
    shortlist = _shortlist_via_card(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = _referral_post(client, shortlist)
    referral = Referral.objects.get()
    assert response["Location"] == f"/ammattilainen/lahetteet/{referral.id}/"
    assert referral.client_phone == PHONE and referral.status == "sent" and referral.consent_at
    assert referral.receiver_email == "liikunta@example.fi"
    assert list(referral.services.all()) == list(shortlist.services.all())

    [message] = mail.outbox
    assert message.to == ["liikunta@example.fi"]
    assert PHONE not in message.body and NAME not in message.body and EMAIL not in message.body  # link only
    receiver_path = re.search(r"https?://[^/]+(/lahete/\S+/)", message.body).group(1)

    detail = client.get(f"/ammattilainen/lahetteet/{referral.id}/").content.decode()
    client_path = re.search(r'value="https?://[^/]+(/oma-lahete/[^"]+/)"', detail).group(1)
    client.logout()

    receiver_page = client.get(receiver_path)
    assert receiver_page.status_code == 200 and PHONE in receiver_page.content.decode()
    assert ReferralAccess.objects.filter(referral=referral, actor="receiver").count() == 1
    from audit.models import AuditEvent

    seen = AuditEvent.objects.filter(action="referral_view", target=f"referral:{referral.id}")
    assert seen.filter(actor_name="receiver").count() == 1 and seen.filter(actor=professional).count() == 1
    assert client.post(receiver_path, {"status": "contacted"}).status_code == 302
    assert client.post(receiver_path, {"status": "withdrawn"}).status_code == 400  # not the receiver's to set

    client_page = client.get(client_path)
    assert client_page.status_code == 200 and PHONE not in client_page.content.decode()
    assert client.post(client_path, {"status": "started"}).status_code == 302
    assert client.post(client_path, {"status": "completed"}).status_code == 400

    history = list(ReferralEvent.objects.filter(referral=referral).values_list("status", "actor"))
    assert history == [("sent", "professional"), ("contacted", "receiver"), ("started", "client")]
    client.force_login(professional)
    html = client.get(f"/ammattilainen/lahetteet/{referral.id}/").content.decode()
    assert "Asiakas aloitti" in html and "Vastaanottaja" in html
    assert (
        client.get("/ammattilainen/lahetteet/").content.decode().count(f"/ammattilainen/lahetteet/{referral.id}/") == 1
    )

    # Forged or swapped links do nothing.
    assert client.get(receiver_path.replace("/lahete/", "/oma-lahete/")).status_code == 410
    assert client.get("/lahete/abc:def/").status_code == 410


def test_purge_erases_client_data_everywhere_and_keeps_statistics(client, professional, receivers):
    client.force_login(professional)
    shortlist = _shortlist_via_card(client)
    _referral_post(client, shortlist)
    referral = Referral.objects.get()
    kept = Referral.objects.create(
        kind="kulttuuri", region=referral.region, contact_preference="email", client_email="tuore@example.com",
        consent_at=timezone.now(),
    )  # fmt: skip
    Referral.objects.filter(pk=referral.pk).update(updated=timezone.now() - timedelta(days=91))
    call_command("purge_referrals")
    referral.refresh_from_db()
    assert referral.purged and referral.kind == "liikunta" and referral.status == "sent"
    assert referral.municipality.code == "297" and referral.services.count() == 2
    assert (referral.client_first_name, referral.client_phone, referral.client_email, referral.note) == ("",) * 4
    kept.refresh_from_db()
    assert kept.client_email == "tuore@example.com" and kept.purged is None
    # No trace of the purged client anywhere in the database.
    with connection.cursor() as cursor:
        cursor.execute("select table_name from information_schema.tables where table_schema = current_schema()")
        for (table,) in cursor.fetchall():
            cursor.execute(
                f'select count(*) from "{table}" t where t::text like %s or t::text like %s',
                [f"%{PHONE}%", f"%{EMAIL}%"],
            )  # noqa: S608
            assert cursor.fetchone()[0] == 0, table


def test_guidance_views_need_the_professional_role(client, manager, demo_catalog):
    urls = ["/ammattilainen/ohjaus/", "/ammattilainen/lahetteet/"]
    for url in urls:
        assert client.get(url)["Location"].startswith("/accounts/login/")
        client.force_login(manager)
        assert client.get(url).status_code == 403
        client.logout()


def _api(client, method, url, token=None, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return getattr(client, method)(url, data=json.dumps(body) if body is not None else None,
                                   content_type="application/json", **headers)  # fmt: skip


def test_api_shortlist_and_referral(client, professional, manager, receivers):
    token = api_token_issue(user=professional)
    guids = [s.source_id for s in _services()]
    made = _api(
        client, "post", "/api/v1/pro/shortlists", token, {"services": guids, "themes": ["liikunta"], "language": "sv"}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert "/sv/lista/" in body["url"] and body["qr"].endswith("/qr.svg") and body["pdf"].endswith("/pdf/")
    assert _api(client, "post", "/api/v1/pro/shortlists", token, {"services": ["nope"]}).status_code == 400
    assert _api(client, "post", "/api/v1/pro/shortlists", token, {}).status_code == 400

    referral_body = {"kind": "kulttuuri", "services": guids, "themes": ["kulttuuri"],
                     "client": {"first_name": NAME, "phone": "0509876543", "contact_preference": "phone"},
                     "note": "", "consent": True}  # fmt: skip
    for bad in (
        {**referral_body, "consent": False},
        {**referral_body, "kind": "ruoka"},
        {**referral_body, "consent": "yes"},
    ):
        assert _api(client, "post", "/api/v1/pro/referrals", token, bad).status_code == 400
    assert not Referral.objects.exists()
    created = _api(client, "post", "/api/v1/pro/referrals", token, referral_body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "sent" and "/lahete/" in data["receiver_url"] and "/oma-lahete/" in data["client_url"]

    url = f"/api/v1/pro/referrals/{data['id']}"
    got = _api(client, "get", url, token).json()
    assert got["client"]["phone"] == PHONE and got["history"][0]["status"] == "sent"
    assert ReferralAccess.objects.filter(actor="professional").count() == 1
    assert _api(client, "post", f"{url}/status", token, {"status": "completed"}).json()["status"] == "completed"
    assert _api(client, "post", f"{url}/status", token, {"status": "done"}).status_code == 400
    assert _api(client, "get", url).status_code == 401
    assert _api(client, "get", url, api_token_issue(user=manager)).status_code == 403
    other = Region.objects.create(code="muu", name_fi="Muu")
    Referral.objects.filter(id=data["id"]).update(region=other)
    assert _api(client, "get", url, token).status_code == 404
