from django.urls import path

from survey import views

app_name = "survey"

urlpatterns = [
    path("kartoitus/", views.survey, name="survey"),
    path("kartoitus/tulos/<str:token>/", views.result, name="result"),
    path("ammattilainen/kartoitus/", views.professional, name="professional"),
]
