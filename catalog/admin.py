from django.contrib import admin

from catalog import models, services


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "code"]


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name_fi", "name_sv", "code"]


@admin.register(models.Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "slug", "order", "service_class_codes"]
    ordering = ["order"]


@admin.register(models.Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "kind", "uri"]
    list_filter = ["kind"]
    search_fields = ["code", "name_fi", "name_sv", "name_en", "uri"]


@admin.register(models.Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "organization_type", "municipality", "source", "source_modified"]
    list_filter = ["source", "organization_type"]
    search_fields = ["name_fi", "business_code", "source_id"]


class ServiceOrganizationInline(admin.TabularInline):
    model = models.ServiceOrganization
    extra = 0
    autocomplete_fields = ["organization"]


class ServiceCurationInline(admin.StackedInline):
    model = models.ServiceCuration
    extra = 0
    filter_horizontal = ["extra_themes"]


@admin.register(models.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "source", "is_public", "charge_type", "source_modified"]
    list_filter = ["source", "is_public", "themes", "charge_type", "municipalities"]
    search_fields = ["name_fi", "name_sv", "name_en", "source_id"]
    filter_horizontal = ["municipalities", "themes", "channels"]
    autocomplete_fields = ["concepts"]
    readonly_fields = ["source_hash", "first_seen", "last_synced", "embedding_hash"]
    inlines = [ServiceOrganizationInline, ServiceCurationInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # An edit changes what search should find: full-text now, the embedding in a job.
        services.services_index_schedule(service_ids=[form.instance.id])


@admin.register(models.ServiceChannel)
class ServiceChannelAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "kind", "municipality", "source", "source_modified"]
    list_filter = ["kind", "source", "municipality"]
    search_fields = ["name_fi", "street_address_fi", "source_id"]
    filter_horizontal = ["area_municipalities"]


@admin.register(models.ServiceCuration)
class ServiceCurationAdmin(admin.ModelAdmin):
    list_display = ["service", "hidden", "updated"]
    list_filter = ["hidden"]
    autocomplete_fields = ["service"]


@admin.register(models.ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    list_display = ["service", "created", "handled"]
    list_filter = ["handled"]
    autocomplete_fields = ["service"]


@admin.register(models.SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    list_display = ["query", "language", "result_count", "hour"]
    list_filter = ["language"]
    search_fields = ["query"]


@admin.register(models.ServiceOrganization)
class ServiceOrganizationAdmin(admin.ModelAdmin):
    list_display = ["service", "organization", "role", "provision_type"]
    list_filter = ["role"]
    autocomplete_fields = ["service", "organization"]
