"""Signing in without staff rights, the workspace home per role, password reset by email, create_user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.access import user_roles
from catalog.models import Region

pytestmark = pytest.mark.django_db
PASSWORD = "Kuopion-Torikatu-2026"


@pytest.fixture
def region(db) -> Region:
    # The demo catalog, when a test before loaded it, already holds this (the first) region.
    return Region.objects.get_or_create(code="pohjois-savo", defaults={"name_fi": "Pohjois-Savon hyvinvointialue"})[0]


def test_a_professional_without_staff_rights_signs_in_at_the_login_page(client, professional):
    professional.set_password(PASSWORD)
    professional.save()
    page = client.get("/accounts/login/?next=/ammattilainen/")
    assert page.status_code == 200 and 'name="username"' in page.content.decode()
    response = client.post("/accounts/login/", {"username": "ammattilainen", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/ammattilainen/"
    home = client.get("/ammattilainen/").content.decode()
    assert "/ammattilainen/kartoitus/" in home  # the guidance card
    assert "/admin/ingest/" not in home  # not an admin's task


def test_wrong_password_is_refused_with_a_message(client, professional):
    response = client.post("/accounts/login/", {"username": "ammattilainen", "password": "väärä"})
    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous
    assert 'role="alert"' in response.content.decode()


def test_workspace_home_needs_login_and_says_when_a_user_has_no_role(client):
    assert client.get("/ammattilainen/")["Location"].startswith("/accounts/login/")
    client.force_login(User.objects.create_user("uusi"))
    assert "ei ole vielä roolia" in client.get("/ammattilainen/").content.decode()


def test_admin_sees_the_sync_runs_in_the_workspace(client, admin_user):
    client.force_login(admin_user)
    assert "/admin/ingest/ingestrun/" in client.get("/ammattilainen/").content.decode()


def test_only_admins_see_the_indicator_mapping_in_the_workspace(client, admin_user, professional, editor, manager):
    link = 'href="/ammattilainen/johto/indikaattorit/"'
    client.force_login(admin_user)
    assert link in client.get("/ammattilainen/").content.decode()
    assert client.get("/ammattilainen/johto/indikaattorit/").status_code == 200
    for user in (professional, editor, manager):
        client.force_login(user)
        assert link not in client.get("/ammattilainen/").content.decode(), user.username
        assert client.get("/ammattilainen/johto/indikaattorit/").status_code == 403


def test_logout_is_a_post_and_ends_the_session(client, professional):
    client.force_login(professional)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/ammattilainen/").status_code == 302


def test_password_reset_mails_a_link_that_sets_a_new_password(client, professional):
    professional.email = "ammattilainen@example.org"
    professional.save()
    client.post("/accounts/password_reset/", {"email": "ammattilainen@example.org"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_url = client.get(path)["Location"]  # Django swaps the token for a session and redirects
    response = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    assert client.login(username="ammattilainen", password=PASSWORD)


def test_create_user_is_idempotent_and_switches_roles(region, monkeypatch, capsys):
    monkeypatch.setenv("TARMOA_USER_PASSWORD", PASSWORD)
    call_command("create_user", "liisa", "--role", "editor", "--email", "liisa@example.org")
    call_command("create_user", "liisa", "--role", "editor", "--email", "liisa@example.org")
    user = User.objects.get(username="liisa")
    assert user_roles(user) == {"editor", "professional"} and not user.is_staff
    assert user.check_password(PASSWORD) and user.tarmoa_profile.region == region
    call_command("create_user", "liisa", "--role", "manager")
    user = User.objects.get(username="liisa")
    assert user_roles(user) == {"manager"}
    assert "Updated user liisa" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "editor", "--region", "lappi"], "Unknown region"),
        (["--role", "editor", "--email", "ei-osoite"], "Not a valid email"),
    ],
)
def test_create_user_refuses_bad_input_with_a_reason(region, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_user", "liisa", *args)
    assert not User.objects.filter(username="liisa").exists()


def test_create_user_refuses_a_weak_password(region, monkeypatch):
    monkeypatch.setenv("TARMOA_USER_PASSWORD", "12345")
    with pytest.raises(CommandError, match="password refused"):
        call_command("create_user", "liisa", "--role", "professional")
    assert not User.objects.filter(username="liisa").exists()
