from django.urls import path

from guidance import views

app_name = "guidance"

urlpatterns = [
    path("ammattilainen/ohjaus/", views.card, name="card"),
    path("ammattilainen/ohjaus/valitse/", views.pick, name="pick"),
    path("ammattilainen/ohjaus/lista/", views.shortlist_make, name="shortlist_make"),
    path("ammattilainen/ohjaus/lista/<str:token>/", views.shortlist, name="shortlist"),
    path("ammattilainen/ohjaus/lista/<str:token>/lahete/", views.referral_new, name="referral_new"),
    path("ammattilainen/lahetteet/", views.referral_list, name="referrals"),
    path("ammattilainen/lahetteet/<uuid:referral_id>/", views.referral_detail, name="referral"),
]
