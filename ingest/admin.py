from django.contrib import admin

from ingest.models import IngestRun


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = [
        "started",
        "source",
        "kind",
        "status",
        "fetched",
        "created",
        "updated",
        "unchanged",
        "skipped",
        "removed",
        "failed",
    ]
    list_filter = ["source", "kind", "status"]
    readonly_fields = [f.name for f in IngestRun._meta.fields]

    def has_add_permission(self, request):
        return False
