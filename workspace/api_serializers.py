"""Request and response shapes of the workspace's integration API (strict: wrong types are 400)."""

from __future__ import annotations

from rest_framework import serializers

from catalog.i18n import FALLBACK_ORDER
from catalog.models import Concept, Municipality, Theme
from catalog.phone_fields import PhoneApiField
from tarmoa.lib.api import StrictBooleanField, StrictCharField, StrictSerializer


def _text(max_length: int, **kwargs) -> StrictCharField:
    return StrictCharField(required=False, allow_blank=True, max_length=max_length, trim_whitespace=True, **kwargs)


class SlugListField(serializers.ListField):
    """A list of existing slugs/codes of `model`; an unknown one is named in the 400."""

    def __init__(self, *, model, lookup: str, queryset_filter=None, **kwargs):
        self.model, self.lookup, self.queryset_filter = model, lookup, queryset_filter
        super().__init__(child=StrictCharField(max_length=40), max_length=50, required=False, **kwargs)

    def to_internal_value(self, data):
        values = list(dict.fromkeys(super().to_internal_value(data)))
        rows = self.model.objects.filter(**{f"{self.lookup}__in": values})
        if self.queryset_filter is not None:
            rows = rows.filter(**self.queryset_filter(self))
        found = {getattr(row, self.lookup): row for row in rows}
        unknown = [value for value in values if value not in found]
        if unknown:
            raise serializers.ValidationError(f"unknown: {', '.join(unknown)}")
        return [found[value] for value in values]


class CurationPatchSerializer(StrictSerializer):
    hidden = StrictBooleanField(required=False, help_text="Hide the service from residents")
    hidden_reason = _text(300, help_text="Why it is hidden (shown to editors)")
    featured = StrictBooleanField(required=False, help_text="First in its theme pages and listings without query text")
    extra_themes = SlugListField(
        model=Theme, lookup="slug", help_text="Theme slugs beyond the class mapping (replaces the list)"
    )
    note = _text(5000, help_text="Internal note for professionals")
    summary_fi = _text(1000, help_text="The region's own summary, replacing the source's ('' drops it)")
    summary_sv = _text(1000)
    summary_en = _text(1000)
    scope_override = serializers.ChoiceField(
        choices=["", "include", "exclude"],
        required=False,
        allow_blank=True,
        help_text="PTV services only: 'include' shows the service whatever its service classes (a service whose "
        "classes map to no theme needs extra_themes), 'exclude' keeps it from residents, '' follows the class "
        "mapping. Applied at once; every sync keeps it.",
    )
    scope_reason = _text(300, help_text="Why the scope was overridden (shown to editors)")


class CurationSerializer(serializers.Serializer):
    source_id = serializers.CharField()
    hidden = serializers.BooleanField()
    hidden_reason = serializers.CharField()
    featured = serializers.BooleanField()
    extra_themes = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField()
    summary_fi = serializers.CharField()
    summary_sv = serializers.CharField()
    summary_en = serializers.CharField()
    scope_override = serializers.ChoiceField(choices=["", "include", "exclude"])
    scope_reason = serializers.CharField()
    scope_status = serializers.ChoiceField(
        choices=["in", "class", "heavy_care"],
        help_text="What the class mapping says: in scope, or out of it by its class or as heavy care",
    )
    is_public = serializers.BooleanField(help_text="Whether residents see the service now")
    updated = serializers.DateTimeField(allow_null=True)


def _region_filter(field) -> dict:
    region = field.context.get("region") if hasattr(field, "context") else None
    return {"region": region}


class LocalServiceWriteSerializer(StrictSerializer):
    """A local service: the fields residents see. On PATCH every field is optional."""

    name_fi = StrictCharField(max_length=300, help_text="Finnish name (required on create)")
    name_sv = _text(300)
    name_en = _text(300)
    summary_fi = _text(1000)
    summary_sv = _text(1000)
    summary_en = _text(1000)
    description_fi = _text(10000)
    description_sv = _text(10000)
    description_en = _text(10000)
    themes = SlugListField(model=Theme, lookup="slug", help_text="Theme slugs")
    municipalities = SlugListField(
        model=Municipality,
        lookup="code",
        queryset_filter=_region_filter,
        help_text="Three-digit codes of the region's municipalities",
    )
    target_groups = SlugListField(
        model=Concept,
        lookup="code",
        queryset_filter=lambda field: {"kind": Concept.Kind.TARGET_GROUP},
        help_text="PTV target group codes, e.g. KR1.1",
    )
    free = StrictBooleanField(required=False, help_text="Free of charge")
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=list(FALLBACK_ORDER)), required=False, max_length=3,
        help_text="Languages the service is given in",
    )  # fmt: skip
    street_address = _text(300)
    postal_code = serializers.RegexField(r"^[0-9]{5}$", required=False, allow_blank=True)
    post_office = _text(100)
    phone = PhoneApiField(help_text="Finnish or international number; stored in E.164")
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    web_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    hours = _text(500, help_text="Opening hours as text, e.g. 'ti klo 10–11'")

    def validate_name_fi(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("A Finnish name is required.")
        return value

    def validate_web_url(self, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise serializers.ValidationError("Must start with https:// or http://.")
        return value


class LocalServiceCreatedSerializer(serializers.Serializer):
    source_id = serializers.CharField()
    url = serializers.URLField(help_text="The service's public page")


class LocalServiceSerializer(LocalServiceCreatedSerializer):
    archived = serializers.BooleanField()
    name_fi = serializers.CharField()
    name_sv = serializers.CharField()
    name_en = serializers.CharField()
    summary_fi = serializers.CharField()
    summary_sv = serializers.CharField()
    summary_en = serializers.CharField()
    description_fi = serializers.CharField()
    description_sv = serializers.CharField()
    description_en = serializers.CharField()
    themes = serializers.ListField(child=serializers.CharField())
    municipalities = serializers.ListField(child=serializers.CharField())
    target_groups = serializers.ListField(child=serializers.CharField())
    free = serializers.BooleanField(allow_null=True)
    languages = serializers.ListField(child=serializers.CharField())
    street_address = serializers.CharField()
    postal_code = serializers.CharField()
    post_office = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    web_url = serializers.CharField()
    hours = serializers.CharField()
