from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the code, never edited or deleted by hand."""

    list_display = ["time", "actor_name", "action", "target", "address"]
    list_filter = ["action", "time"]
    search_fields = ["actor_name", "target"]
    date_hierarchy = "time"
    readonly_fields = ["time", "actor", "actor_name", "action", "target", "detail", "address"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
