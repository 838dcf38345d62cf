from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from catalog import models, services
from catalog.admin_mixins import StatisticsRowsAdmin


class SourceDataAdmin(admin.ModelAdmin):
    """Data a sync writes: read-only here, since the next changed record would overwrite any edit.
    What the region changes about a service is curation (ServiceCurationAdmin)."""

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        opts = self.model._meta
        return [f.name for f in opts.concrete_fields if f.editable] + [f.name for f in opts.many_to_many]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "code"]


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name_fi", "name_sv", "code"]


@admin.register(models.Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name_fi", "slug", "order", "service_class_codes"]
    ordering = ["order"]

    def save_model(self, request, obj, form, change) -> None:
        """A change of classes is applied at once, as on the workspace's scope page (catalog.scope)."""
        super().save_model(request, obj, form, change)
        if "service_class_codes" in form.changed_data:
            services.services_scope_apply()


@admin.register(models.Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "kind", "uri"]
    list_filter = ["kind"]
    search_fields = ["code", "name_fi", "name_sv", "name_en", "uri"]


@admin.register(models.Organization)
class OrganizationAdmin(SourceDataAdmin):
    list_display = ["name_fi", "organization_type", "municipality", "source", "source_modified"]
    list_filter = ["source", "organization_type"]
    search_fields = ["name_fi", "business_code", "source_id"]


class ServiceOrganizationInline(admin.TabularInline):
    model = models.ServiceOrganization
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ServiceCurationInline(admin.StackedInline):
    """Shown on the service for reading; edited through the curation admin (which re-indexes)."""

    model = models.ServiceCuration
    extra = 0
    can_delete = False
    fields = readonly_fields = ["hidden", "hidden_reason", "featured", "extra_themes", "note", "summary_fi"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Service)
class ServiceAdmin(SourceDataAdmin):
    list_display = ["name_fi", "source", "is_public", "charge_type", "source_modified"]
    list_filter = ["source", "is_public", "themes", "charge_type", "municipalities"]
    search_fields = ["name_fi", "name_sv", "name_en", "source_id"]
    inlines = [ServiceOrganizationInline, ServiceCurationInline]


@admin.register(models.ServiceChannel)
class ServiceChannelAdmin(SourceDataAdmin):
    list_display = ["name_fi", "kind", "municipality", "source", "source_modified"]
    list_filter = ["kind", "source", "municipality"]
    search_fields = ["name_fi", "street_address_fi", "source_id"]
    filter_horizontal = ["area_municipalities"]


@admin.register(models.ServiceCuration)
class ServiceCurationAdmin(admin.ModelAdmin):
    """The region's overlay on a service; saved through services.service_curation_update (re-indexes)."""

    list_display = ["service", "hidden", "featured", "updated"]
    list_filter = ["hidden", "featured"]
    autocomplete_fields = ["service"]
    filter_horizontal = ["extra_themes"]
    fields = ["service", "hidden", "hidden_reason", "featured", "extra_themes", "note", "summary_fi", "summary_sv",
              "summary_en", "summary_selko"]  # fmt: skip

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return ["service"] if obj is not None else []

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        service = obj.service if change else data["service"]
        saved = services.service_curation_update(
            service=service,
            hidden=data["hidden"],
            hidden_reason=data["hidden_reason"],
            featured=data["featured"],
            extra_themes=list(data["extra_themes"]),
            note=data["note"],
            summaries={lang: data[f"summary_{lang}"] for lang in ("fi", "sv", "en")},
            summary_selko=data["summary_selko"],
        )
        obj.pk, obj.id = saved.pk, saved.pk

    def save_related(self, request, form, formsets, change) -> None:
        """The themes were set by service_curation_update (before re-indexing)."""


@admin.register(models.ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    list_display = ["service", "created", "status", "forwarded_to"]
    list_filter = ["status"]
    autocomplete_fields = ["service"]


@admin.register(models.SearchLog)
class SearchLogAdmin(StatisticsRowsAdmin, admin.ModelAdmin):
    list_display = ["query", "language", "result_count", "hour"]
    list_filter = ["language"]
    search_fields = ["query"]


@admin.register(models.ServiceOrganization)
class ServiceOrganizationAdmin(SourceDataAdmin):
    list_display = ["service", "organization", "role", "provision_type"]
    list_filter = ["role"]
    autocomplete_fields = ["service", "organization"]


@admin.register(models.SearchSynonymGroup)
class SearchSynonymGroupAdmin(admin.ModelAdmin):
    """The search's synonym lexicon; a change takes effect in every worker within a minute."""

    list_display = ["name", "words_fi", "words_sv", "words_en", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
