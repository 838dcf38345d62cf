from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("ammattilainen/johto/", views.page, name="page"),
    path("ammattilainen/johto/<slug:panel>.csv", views.csv_export, name="csv"),
]
