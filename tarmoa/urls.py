from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from front import views as front_views
from front.urls import api_urlpatterns

urlpatterns = [
    path("healthz", front_views.healthz, name="healthz"),
    *api_urlpatterns,
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("front.urls")),
    path("", include("survey.urls")),
    path("", include("events.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("workspace.urls")),
    prefix_default_language=False,
)

handler500 = "front.views.server_error"
