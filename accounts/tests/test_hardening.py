"""Login hardening (issue #15): lockout per user and per address, audit log, TOTP 2FA, short sessions."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from audit.services import audit_record

pytestmark = pytest.mark.django_db
PASSWORD = "Kuopion-Torikatu-2026"


@pytest.fixture
def staff_editor(editor):
    editor.set_password(PASSWORD)
    editor.save()
    return editor


def _login(client, username, password, address="203.0.113.10"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_repeated_wrong_passwords_lock_the_username_even_with_the_right_one(client, staff_editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "toimittaja", "väärä").status_code == 200
    assert _login(client, "toimittaja", "väärä").status_code == 429  # the failure that locks
    # Before: the 51st try with the right password logged in.
    locked = _login(client, "toimittaja", PASSWORD, address="198.51.100.99")  # another address too
    assert locked.status_code == 429
    assert "tilapäisesti estetty" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="lockout", actor_name="toimittaja").exists()


def test_repeated_failures_from_one_address_lock_the_address_for_other_usernames(client, staff_editor, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, f"arvaus{n}", "väärä", address="192.0.2.50")
    assert _login(client, "toimittaja", PASSWORD, address="192.0.2.50").status_code == 429
    # The same user from another address is not locked by that address's failures.
    assert _login(client, "toimittaja", PASSWORD, address="192.0.2.51").status_code == 302


def test_logins_and_failed_logins_are_in_the_audit_log(client, staff_editor):
    _login(client, "toimittaja", "väärä")
    assert _login(client, "toimittaja", PASSWORD).status_code == 302
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.actor_name == "toimittaja" and failed.actor is None and failed.address == "203.0.113.10"
    assert "väärä" not in str(failed.detail)
    ok = AuditEvent.objects.get(action="login")
    assert ok.actor == staff_editor


def test_audit_record_takes_a_user_a_name_or_nobody(editor):
    assert audit_record(editor, "export", "dashboard:searches", {"rows": 12}).actor == editor
    assert audit_record("ptv-beat", "sync_start", "ingest:ptv").actor_name == "ptv-beat"
    assert audit_record(None, "sync_start").actor_name == ""
    with pytest.raises(ValueError):
        audit_record(editor, "made_up_action")


def test_curation_changes_in_the_workspace_are_audited(client, editor):
    from catalog.models import Region, Service

    Region.objects.get_or_create(code="pohjois-savo", defaults={"name_fi": "Pohjois-Savon hyvinvointialue"})
    service = Service.objects.create(
        source="ptv", source_id="a-1", name_fi="Uimahalli", is_public=True, area_type="Nationwide"
    )
    client.force_login(editor)
    response = client.post(f"/ammattilainen/palvelut/{service.id}/", {"featured": "on", "note": "Hyvä"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="curation")
    assert event.actor == editor and event.target == f"service:{service.id}"
    assert event.detail["featured"] is True


def test_the_audit_log_is_read_only_in_the_admin(admin_client):
    event = audit_record("x", "sync_start", "ingest:ptv")
    assert admin_client.get("/admin/audit/auditevent/").status_code == 200
    assert admin_client.get(f"/admin/audit/auditevent/{event.id}/change/").status_code == 200
    admin_client.post(f"/admin/audit/auditevent/{event.id}/delete/", {"post": "yes"})
    assert AuditEvent.objects.filter(id=event.id).exists()
    assert admin_client.get("/admin/audit/auditevent/add/").status_code == 403


def test_sessions_last_hours_not_weeks():
    assert django_settings.SESSION_COOKIE_AGE <= 12 * 3600


def _code(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(device.digits)


def test_an_editor_must_set_up_and_use_a_second_factor_when_required(client, staff_editor, settings):
    settings.TARMOA_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a wrong code; not under test here
    assert _login(client, "toimittaja", PASSWORD).status_code == 302
    page = client.get("/ammattilainen/palvelut/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/kaksivaiheinen/")
    setup = client.get(page["Location"])
    html = setup.content.decode()
    assert setup.status_code == 200 and 'src="data:image/svg+xml' in html and "<script" not in html.split("</main>")[0]
    assert "no-store" in setup["Cache-Control"]
    device = TOTPDevice.objects.get(user=staff_editor, confirmed=False)
    assert client.post("/accounts/kaksivaiheinen/", {"token": "000000"}).status_code == 400
    response = client.post("/accounts/kaksivaiheinen/", {"token": _code(device), "next": "/ammattilainen/palvelut/"})
    assert response.status_code == 302 and response["Location"] == "/ammattilainen/palvelut/"
    assert client.get("/ammattilainen/palvelut/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "otp_device_confirmed" in actions and "otp_failed" in actions

    # The next sign-in asks the code of the confirmed device (no new QR code).
    client.post("/accounts/logout/")
    _login(client, "toimittaja", PASSWORD)
    page = client.get("/ammattilainen/palvelut/")
    assert page.status_code == 302
    assert "data:image/svg+xml" not in client.get(page["Location"]).content.decode()


def test_a_professional_needs_no_second_factor_and_it_can_be_switched_off(client, professional, editor, settings):
    settings.TARMOA_REQUIRE_2FA = True
    client.force_login(professional)
    assert client.get("/ammattilainen/").status_code == 200
    client.force_login(editor)
    assert client.get("/ammattilainen/").status_code == 302
    settings.TARMOA_REQUIRE_2FA = False
    assert client.get("/ammattilainen/").status_code == 200


def test_two_factor_is_on_by_default_in_production():
    import os
    import subprocess
    import sys

    code = "import django; django.setup(); from django.conf import settings; print(settings.TARMOA_REQUIRE_2FA)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tarmoa.settings", "DJANGO_DEBUG": "0"}
    env.pop("TARMOA_REQUIRE_2FA", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "True"
