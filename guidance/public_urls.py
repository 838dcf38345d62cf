from django.urls import path

from guidance import public

app_name = "guidance_public"

urlpatterns = [
    path("lista/<str:token>/", public.shortlist, name="shortlist"),
    path("lista/<str:token>/pdf/", public.shortlist_pdf, name="shortlist_pdf"),
    path("lista/<str:token>/qr.svg", public.shortlist_qr, name="shortlist_qr"),
    path("lahete/<str:token>/", public.receiver, name="receiver"),
    path("oma-lahete/<str:token>/", public.client, name="client"),
    path("oma-lahete/<str:token>/qr.svg", public.client_qr, name="client_qr"),
]
