import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_model_has_a_working_admin_changelist_and_add_page(admin_client, admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    assert len(admin.site._registry) >= 14
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(changelist).status_code == 200, changelist
        if model_admin.has_add_permission(request):
            add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            assert admin_client.get(add).status_code == 200, add


def test_admin_is_denied_to_anonymous_and_non_staff(client, manager):
    url = reverse("admin:catalog_service_changelist")
    assert client.get(url).status_code == 302
    client.force_login(manager)
    assert client.get(url).status_code == 302
