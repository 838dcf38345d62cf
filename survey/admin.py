from django.contrib import admin

from catalog.admin_mixins import StatisticsRowsAdmin
from survey.models import SurveyResponse


@admin.register(SurveyResponse)
class SurveyResponseAdmin(StatisticsRowsAdmin, admin.ModelAdmin):
    list_display = ["week", "municipality", "age_band"]
    list_filter = ["week", "municipality", "age_band"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
