"""Roles, the user's region and the checks views call (accounts.access)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import resolve_url
from django.test import RequestFactory

from accounts.access import (
    ROLES,
    get_service_for_user,
    has_role,
    require_role,
    role_required,
    user_region,
    user_roles,
)
from accounts.models import Profile
from catalog.models import Municipality, Region, Service

pytestmark = pytest.mark.django_db


def test_roles_exist_as_groups_after_migrations():
    assert set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == set(ROLES)


def test_roles_imply_the_roles_below_them(professional, editor, manager, admin_user):
    assert user_roles(professional) == {"professional"}
    assert user_roles(editor) == {"editor", "professional"}
    assert user_roles(manager) == {"manager"}
    assert user_roles(admin_user) == set(ROLES)
    assert user_roles(AnonymousUser()) == set()
    assert has_role(editor, "professional") and not has_role(professional, "editor")
    with pytest.raises(ValueError, match="unknown role"):
        has_role(editor, "superhero")


def test_an_inactive_user_has_no_role(editor):
    editor.is_active = False
    assert user_roles(editor) == set()
    with pytest.raises(PermissionDenied):
        require_role(editor, "editor")


def test_role_required_sends_anonymous_to_login_and_forbids_other_roles(professional, manager):
    view = role_required("professional")(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/ammattilainen/")
    request.user = AnonymousUser()
    response = view(request)
    assert (
        response.status_code == 302
        and response["Location"] == f"{resolve_url(settings.LOGIN_URL)}?next=/ammattilainen/"
    )
    request.user = manager
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = professional
    assert view(request).content == b"ok"


def _service_in(municipality: Municipality) -> Service:
    service = Service.objects.create(source="local", source_id=f"test-{municipality.code}", name_fi="Kävelyryhmä")
    service.municipalities.add(municipality)
    return service


def test_service_for_user_is_scoped_to_the_users_region(editor, professional):
    home = Region.objects.create(code="koti", name_fi="Kotialue")
    other = Region.objects.create(code="muu", name_fi="Muu alue")
    ours = _service_in(Municipality.objects.create(code="901", name_fi="Kotikunta", region=home))
    theirs = _service_in(Municipality.objects.create(code="902", name_fi="Muukunta", region=other))
    Profile.objects.create(user=editor, region=home)
    assert user_region(editor) == home
    assert get_service_for_user(editor, ours.id, "editor") == ours
    with pytest.raises(Http404):
        get_service_for_user(editor, theirs.id, "editor")
    with pytest.raises(Http404):
        get_service_for_user(editor, 987654321, "editor")
    with pytest.raises(PermissionDenied):
        get_service_for_user(professional, ours.id, "editor")
