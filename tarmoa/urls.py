from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from front import views as front_views
from front.urls import api_urlpatterns
from tarmoa.lib.ratelimit import rate_limit

urlpatterns = [
    path("healthz", front_views.healthz, name="healthz"),
    *api_urlpatterns,
]

urlpatterns += i18n_patterns(
    # The admin's own login form counts in the same login limit (django-axes locks both).
    path("admin/login/", rate_limit("login", methods=["POST"])(admin.site.login)),
    path("admin/", admin.site.urls),
    path("", include("front.urls")),
    path("", include("survey.urls")),
    path("", include("events.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("workspace.urls")),
    prefix_default_language=False,
)

handler500 = "front.views.server_error"
