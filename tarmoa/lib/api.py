"""Shared pieces of the JSON API: one error shape for every failure.

Every error answer is `{"error": "<message>", "fields": {"<field>": ["<message>", ...]}}`,
the shape /api/v1/search has always used; nested fields are named with dots
(`client.phone`), list items with their index (`services.2`).
"""

from __future__ import annotations

from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = str(key) if key != "non_field_errors" else ""
            out.update(_flatten(value, f"{prefix}.{name}".strip(".") if name else prefix))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {prefix or "request": [str(item) for item in detail]}
        out = {}
        for index, item in enumerate(detail):
            if item:
                out.update(_flatten(item, f"{prefix}.{index}".strip(".")))
        return out
    return {prefix or "request": [str(detail)]}


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(response.data)
        first = next(iter(fields.items()), ("request", ["invalid input"]))
        message = f"{first[0]}: {first[1][0]}" if first[0] != "request" else first[1][0]
        response.data = {"error": message, "fields": fields}
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
        response.data = {"error": str(detail), "fields": {}}
    return response


class ErrorSerializer(serializers.Serializer):
    """The documented error shape (for the OpenAPI document)."""

    error = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class StrictBooleanField(serializers.BooleanField):
    """true or false only: "yes", 1 or "false" are type errors, not booleans."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        self.fail("invalid", input=data)


class StrictCharField(serializers.CharField):
    """A JSON string only (DRF would turn 12 into "12")."""

    default_error_messages = {"invalid": "Must be a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSerializer(serializers.Serializer):
    """A request body with a field it does not know is a 400 naming that field (not silently ignored)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)
