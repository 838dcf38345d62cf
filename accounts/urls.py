"""/accounts/: Django's login, logout and password views, rate-limited, and the two-factor page."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import twofactor
from tarmoa.lib.ratelimit import rate_limit

urlpatterns = [
    path("login/", rate_limit("login", methods=["POST"])(auth_views.LoginView.as_view()), name="login"),
    path("kaksivaiheinen/", twofactor.two_factor, name="two_factor"),
    path("", include("django.contrib.auth.urls")),
]
