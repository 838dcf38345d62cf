from django.urls import path

from dashboard import api, indicators_api

api_urlpatterns = [
    path("api/v1/pro/stats/survey", api.SurveyStatsView.as_view(), name="api_stats_survey"),
    path("api/v1/pro/stats/searches", api.SearchStatsView.as_view(), name="api_stats_searches"),
    path("api/v1/pro/stats/referrals", api.ReferralStatsView.as_view(), name="api_stats_referrals"),
    path("api/v1/pro/stats/supply", api.SupplyStatsView.as_view(), name="api_stats_supply"),
    path("api/v1/pro/stats/indicators", indicators_api.IndicatorStatsView.as_view(), name="api_stats_indicators"),
]
