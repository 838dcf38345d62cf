"""Statistics for the region's own BI tools (/api/v1/pro/stats/): managers and admins only.

The same suppressed rows as the dashboard page and its CSV files.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import MANAGER, user_region
from accounts.tokens import role_permission
from dashboard.filters import DashboardFilter
from dashboard.stats import referral_stats, search_stats, supply_stats, survey_stats
from tarmoa.lib.api import ErrorSerializer

PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day (default: a year before `end`)"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day, inclusive (default: today)"),
    OpenApiParameter("municipality", str, description="Three-digit code of a municipality of the region"),
    OpenApiParameter("theme", str, description="Survey card theme key / theme slug"),
    OpenApiParameter("language", str, enum=["fi", "sv", "en"], description="Searches only"),
]
ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer}


def _filter(request):
    filterset = DashboardFilter(request.query_params, region=user_region(request.user))
    f = filterset.stats_filter()
    if f is None:
        raise serializers.ValidationError(
            {name: [str(e) for e in errs] for name, errs in filterset.form.errors.items()}
        )
    return f


class _Stats(APIView):
    permission_classes = [role_permission(MANAGER)]


class SurveyStatsView(_Stats):
    @extend_schema(
        operation_id="statsSurvey",
        summary='Survey aggregates: {"k", "rows": [{"municipality", "age_band", "theme", "responses", "mean", '
        '"low_share", "suppressed"}]}; suppressed cells have null responses, mean and low_share; empty '
        "municipality/age_band rows are the totals",
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        tags=["statistics"],
    )
    def get(self, request):
        return Response(survey_stats(_filter(request)))


class SearchStatsView(_Stats):
    @extend_schema(
        operation_id="statsSearches",
        summary='Searches: {"k", "total", "click_share", "rows": [{"dimension": week|theme|municipality|language, '
        '"value", "searches", "suppressed"}], "unmet": [{"query", "count"}]} (queries asked at least k times)',
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        tags=["statistics"],
    )
    def get(self, request):
        return Response(search_stats(_filter(request)))


class ReferralStatsView(_Stats):
    @extend_schema(
        operation_id="statsReferrals",
        summary='Referrals: {"k", "shortlists", "rows": [{"dimension": total|kind|municipality|month, "value", '
        '"referrals", "received_share", "contacted_share", "started_share", "completed_share", '
        '"closed_loop_rate", "got_there_rate", "suppressed"}]}',
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        tags=["statistics"],
    )
    def get(self, request):
        return Response(referral_stats(_filter(request), user_region(request.user)))


class SupplyRowSerializer(serializers.Serializer):
    theme = serializers.CharField(help_text="Theme slug")
    municipality = serializers.CharField(help_text="Three-digit municipality code")
    services = serializers.IntegerField(help_text="Public services of the municipality's own in the theme")
    nationwide_services = serializers.IntegerField(help_text="Nationwide public services in the theme")
    events = serializers.IntegerField(help_text="Public events in the municipality from the period's start on")
    gap = serializers.BooleanField(help_text="No service of the municipality's own in the theme")
    population = serializers.IntegerField(
        allow_null=True, help_text="Residents (Statistics Finland, table 11ra); null when unknown"
    )
    services_per_10000 = serializers.FloatField(
        allow_null=True, help_text="`services` per 10,000 residents, one decimal; null when the population is unknown"
    )
    events_per_10000 = serializers.FloatField(
        allow_null=True, help_text="`events` per 10,000 residents, one decimal; null when the population is unknown"
    )


class SupplyStatsSerializer(serializers.Serializer):
    population_date = serializers.DateField(
        allow_null=True, help_text="Reference date of the populations used (latest), null when none is known"
    )
    population_source = serializers.CharField(allow_null=True, help_text="Where the populations come from")
    rows = SupplyRowSerializer(many=True)


class SupplyStatsView(_Stats):
    @extend_schema(
        operation_id="statsSupply",
        summary="Supply: public services and upcoming events per theme x municipality, also per 10,000 residents",
        parameters=PARAMETERS,
        responses={200: SupplyStatsSerializer, **ERRORS},
        tags=["statistics"],
    )
    def get(self, request):
        return Response(supply_stats(user_region(request.user), _filter(request)))
