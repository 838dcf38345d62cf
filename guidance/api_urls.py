from django.urls import path

from guidance import api

api_urlpatterns = [
    path("api/v1/pro/shortlists", api.ShortlistView.as_view(), name="api_shortlists"),
    path("api/v1/pro/referrals", api.ReferralListView.as_view(), name="api_referrals"),
    path("api/v1/pro/referrals/<uuid:referral_id>", api.ReferralDetailView.as_view(), name="api_referral"),
    path(
        "api/v1/pro/referrals/<uuid:referral_id>/status", api.ReferralStatusView.as_view(), name="api_referral_status"
    ),
]
