"""/api/v1/pro/: the workspace's integration API (not under a language prefix)."""

from django.urls import path

from workspace import api

api_urlpatterns = [
    path("api/v1/pro/services/<str:source_id>/curation", api.CurationView.as_view(), name="api_curation"),
    path("api/v1/pro/local-services", api.LocalServiceListView.as_view(), name="api_local_services"),
    path("api/v1/pro/local-services/<str:source_id>", api.LocalServiceDetailView.as_view(), name="api_local_service"),
]
