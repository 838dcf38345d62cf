from django.urls import path

from dashboard import indicator_views, views

app_name = "dashboard"

urlpatterns = [
    path("ammattilainen/johto/", views.page, name="page"),
    path("ammattilainen/johto/indikaattorit/", indicator_views.indicator_themes, name="indicator_themes"),
    path("ammattilainen/johto/<slug:panel>.csv", views.csv_export, name="csv"),
]
