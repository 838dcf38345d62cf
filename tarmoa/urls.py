from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.renderers import OpenApiJsonRenderer2
from drf_spectacular.views import SpectacularJSONAPIView

from dashboard.api_urls import api_urlpatterns as dashboard_api_urlpatterns
from front import views as front_views
from front.urls import api_urlpatterns
from guidance.api_urls import api_urlpatterns as guidance_api_urlpatterns
from tarmoa.lib.metrics import metrics
from tarmoa.lib.ratelimit import rate_limit
from workspace.api_urls import api_urlpatterns as workspace_api_urlpatterns

# The admin in the site's own words and the reader's language, not "Djangon ylläpito".
admin.site.site_header = _("Tarmoa – ylläpito")
admin.site.site_title = _("Tarmoa – ylläpito")
admin.site.index_title = _("Ylläpidon etusivu")

urlpatterns = [
    path("healthz", front_views.healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    *api_urlpatterns,
    *workspace_api_urlpatterns,
    *guidance_api_urlpatterns,
    *dashboard_api_urlpatterns,
    # Generated from the code (drf-spectacular): every endpoint above is documented there.
    path(
        "api/v1/openapi.json",
        SpectacularJSONAPIView.as_view(renderer_classes=[OpenApiJsonRenderer2]),  # served as application/json
        name="api_openapi",
    ),
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
    path("", include("guidance.urls")),
    path("", include("guidance.public_urls")),
    path("", include("dashboard.urls")),
    prefix_default_language=False,
)

if settings.OIDC_ENABLED:
    # The identity provider's callback and the sign-in start (README, "Sign-in").
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))

handler500 = "front.views.server_error"
