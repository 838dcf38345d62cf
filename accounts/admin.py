from django.contrib import admin

from accounts.models import ApiToken, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "region"]
    list_filter = ["region"]
    autocomplete_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued by `create_user --token` (shown once); here they are only listed and revoked."""

    list_display = ["user", "prefix", "created", "last_used"]
    readonly_fields = ["user", "prefix", "created", "last_used"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
