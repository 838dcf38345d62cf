from django.urls import path

from front import api, views

app_name = "front"

urlpatterns = [
    path("", views.home, name="home"),
    path("haku/", views.search, name="search"),
    path("teema/<slug:slug>/", views.theme, name="theme"),
    path("palvelu/<int:service_id>/", views.service_detail, name="service"),
    path("palvelu/<int:service_id>/ilmoita-virhe/", views.report_error, name="report_error"),
    path("kunta/", views.choose_municipality, name="choose_municipality"),
]

api_urlpatterns = [
    path("api/v1/search", api.SearchView.as_view(), name="api_search"),
]
