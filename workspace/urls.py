from django.urls import path

from workspace import reports, views

app_name = "workspace"

urlpatterns = [
    path("ammattilainen/", views.home, name="home"),
    path("ammattilainen/palvelut/", views.services, name="services"),
    path("ammattilainen/palvelut/<int:service_id>/", views.curation, name="curation"),
    path("ammattilainen/virheilmoitukset/", reports.report_list, name="reports"),
    path("ammattilainen/virheilmoitukset/<int:report_id>/", reports.report_detail, name="report"),
    path("ammattilainen/virheilmoitukset/<int:report_id>/muuta/", reports.report_update, name="report_update"),
]
