from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from catalog import views as catalog_views
from catalog.urls import api_urlpatterns

urlpatterns = [
    path("healthz", catalog_views.healthz, name="healthz"),
    *api_urlpatterns,
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("catalog.urls")),
    path("", include("survey.urls")),
    path("", include("events.urls")),
    prefix_default_language=False,
)

handler500 = "catalog.views.server_error"
