"""GET /api/v1/pro/stats/indicators: the dashboard's population indicators for the region's BI tools."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts.access import user_region
from dashboard.api import ERRORS, PARAMETERS, _filter, _Stats
from dashboard.indicators import indicator_stats


class IndicatorStatsView(_Stats):
    @extend_schema(
        operation_id="statsIndicators",
        summary='Population indicators (THL Sotkanet, CC BY 4.0): {"source": "THL, Sotkanet", "licence": "CC BY 4.0", '
        '"rows": [{"indicator", "title", "theme", "municipality", "area_level": municipality|county|country, '
        '"area_name", "year", "value", "gender", "unit", "decimals"}]}: per theme its indicators\' latest value '
        "per municipality, the county and the whole country (municipality empty for those two). "
        "`municipality` and `theme` filter the rows; the period does not apply (the latest year is shown)",
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        tags=["statistics"],
    )
    def get(self, request):
        return Response(indicator_stats(user_region(request.user), _filter(request)))
