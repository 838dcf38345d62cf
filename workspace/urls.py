from django.urls import path

from workspace import local_views, reports, scope_views, views

app_name = "workspace"

urlpatterns = [
    path("ammattilainen/", views.home, name="home"),
    path("ammattilainen/palvelut/", views.services, name="services"),
    path("ammattilainen/palvelut/<int:service_id>/", views.curation, name="curation"),
    path("ammattilainen/paikalliset/uusi/", local_views.local_service_edit, name="local_new"),
    path("ammattilainen/paikalliset/<int:service_id>/", local_views.local_service_edit, name="local_edit"),
    path(
        "ammattilainen/paikalliset/<int:service_id>/arkistoi/",
        local_views.local_service_archive_view,
        name="local_archive",
    ),
    path("ammattilainen/palvelut/<int:service_id>/historia/", views.history, name="history"),
    path("ammattilainen/seuranta/", views.follow_up, name="follow_up"),
    path("ammattilainen/laajuus/", scope_views.scope, name="scope"),
    path("ammattilainen/laajuus/<slug:slug>/", scope_views.scope_change, name="scope_change"),
    path("ammattilainen/virheilmoitukset/", reports.report_list, name="reports"),
    path("ammattilainen/virheilmoitukset/<int:report_id>/", reports.report_detail, name="report"),
    path("ammattilainen/virheilmoitukset/<int:report_id>/muuta/", reports.report_update, name="report_update"),
]
