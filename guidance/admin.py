from django.contrib import admin

from guidance.models import Referral, ReferralReceiver, Shortlist


@admin.register(ReferralReceiver)
class ReferralReceiverAdmin(admin.ModelAdmin):
    list_display = ["kind", "municipality", "name", "email", "region"]
    list_filter = ["kind", "region"]


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    """Statistics fields only: client contact data is never listed or shown in the admin."""

    list_display = ["created", "kind", "municipality", "status", "purged"]
    list_filter = ["kind", "status", "municipality"]
    fields = ["kind", "municipality", "status", "created", "updated", "purged", "receiver_name"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Shortlist)
class ShortlistAdmin(admin.ModelAdmin):
    list_display = ["created", "language", "expires"]
    readonly_fields = ["token", "region", "created_by", "language", "created", "expires"]
    exclude = ["services", "events", "themes"]

    def has_add_permission(self, request) -> bool:
        return False
