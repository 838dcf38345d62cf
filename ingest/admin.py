from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from ingest.models import Indicator, IndicatorValue, IngestRun
from ingest.sources import SOURCES
from ingest.tasks import run_ingest


class StartRunForm(forms.Form):
    source = forms.ChoiceField(label=_("Lähde"), choices=[(s.name, s.title) for s in SOURCES.values()])
    full = forms.BooleanField(
        label=_("Täysi synkronointi (muuten muutokset edellisestä onnistuneesta ajosta)"), required=False
    )
    force = forms.BooleanField(label=_("Salli yli 20 %:n poistot"), required=False)


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = [
        "started", "source", "kind", "status", "fetched", "created", "updated", "unchanged", "skipped", "removed", "failed",
        "unusual",
    ]  # fmt: skip
    list_filter = ["source", "kind", "status"]
    readonly_fields = [f.name for f in IngestRun._meta.fields]
    change_list_template = "admin/ingest/ingestrun/change_list.html"

    @admin.display(description=_("Poikkeukselliset"))
    def unusual(self, obj: IngestRun) -> str:
        """What the source sent that was unusual (null producers, vanished GUIDs, ...), the non-zero counts."""
        found = (obj.details or {}).get("unusual") or {}
        return ", ".join(
            f"{key}: {value}" for key, value in found.items() if isinstance(value, int) and value and key != "date_only"
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        sources = [(s.title, s.configured(), s.endpoint()) for s in SOURCES.values()]
        return super().changelist_view(request, extra_context={**(extra_context or {}), "sources": sources})

    def get_urls(self):
        return [
            path("start/", self.admin_site.admin_view(self.start_view), name="ingest_ingestrun_start"),
            *super().get_urls(),
        ]

    def start_view(self, request):
        if not request.user.has_perm("ingest.view_ingestrun") or not request.user.is_superuser:
            messages.error(request, _("Vain ylläpitäjä voi käynnistää synkronoinnin."))
            return redirect("admin:ingest_ingestrun_changelist")
        form = StartRunForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            kwargs = {
                "source": form.cleaned_data["source"],
                "full": form.cleaned_data["full"],
                "force": form.cleaned_data["force"],
            }
            transaction.on_commit(lambda: run_ingest.delay(**kwargs))
            audit_record(request.user, "sync_start", f"ingest:{kwargs['source']}", kwargs)
            messages.success(request, _("Synkronointi käynnistetty. Ajo näkyy listalla, kun se alkaa."))
            return redirect("admin:ingest_ingestrun_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Käynnistä synkronointi"),
            "opts": self.model._meta,
        }
        return render(request, "admin/ingest/ingestrun/start.html", context)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """Which Sotkanet indicators the region follows and which themes each one feeds (the dashboard's mapping)."""

    list_display = ["sotkanet_id", "title_fi", "theme_list", "is_active", "last_synced"]
    list_filter = ["is_active", "themes"]
    search_fields = ["title_fi", "title_sv", "title_en", "=sotkanet_id"]
    filter_horizontal = ["themes"]
    readonly_fields = ["organization", "unit_fi", "unit_sv", "unit_en", "decimals", "last_synced"]
    fields = ["sotkanet_id", "is_active", "themes", "title_fi", "title_sv", "title_en", *readonly_fields]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")

    @admin.display(description=_("Teemat"))
    def theme_list(self, obj: Indicator) -> str:
        return ", ".join(t.name_fi for t in obj.themes.all())


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "area_name", "area_level", "year", "gender", "value", "abs_value", "synced"]
    list_filter = ["area_level", "year", "gender", "indicator"]
    list_select_related = ["indicator"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
