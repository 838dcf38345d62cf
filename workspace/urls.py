from django.urls import path

from workspace import views

app_name = "workspace"

urlpatterns = [
    path("ammattilainen/", views.home, name="home"),
    path("ammattilainen/palvelut/", views.services, name="services"),
    path("ammattilainen/palvelut/<int:service_id>/", views.curation, name="curation"),
]
