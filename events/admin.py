from django.contrib import admin

from events.models import Event, EventOccurrence


class EventOccurrenceInline(admin.TabularInline):
    model = EventOccurrence
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "start_time", "status", "is_public"]
    list_filter = ["source", "status", "is_public", "themes"]
    search_fields = ["name_fi", "name_sv", "name_en", "source_id"]
    filter_horizontal = ["themes"]
    inlines = [EventOccurrenceInline]


@admin.register(EventOccurrence)
class EventOccurrenceAdmin(admin.ModelAdmin):
    list_display = ["event", "start", "end"]
    date_hierarchy = "start"
