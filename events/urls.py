from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("tapahtumat/", views.event_list, name="list"),
    path("tapahtumat/<int:event_id>/", views.event_detail, name="detail"),
    path("tapahtumat/<int:event_id>/kalenteri.ics", views.event_calendar, name="calendar"),
]
