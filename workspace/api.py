"""The workspace's integration API (/api/v1/pro/): what an editor does, for the region's own systems.

Bearer token (accounts.tokens): 401 without a valid one, 403 for a role that may not.
Every service is looked up within the caller's region: another region's service is 404.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import EDITOR, user_region
from accounts.tokens import role_permission
from catalog.local import (
    CHANNEL_FIELDS,
    TEXT_FIELDS,
    LocalServiceChange,
    local_channel_values,
    local_service_archive,
    local_service_save,
)
from catalog.models import ChargeType, Concept, Service, ServiceCuration, Source
from catalog.scope import ScopeError
from catalog.services import service_curation_update
from tarmoa.lib.api import ErrorSerializer
from workspace.api_serializers import (
    CurationPatchSerializer,
    CurationSerializer,
    LocalServiceCreatedSerializer,
    LocalServiceSerializer,
    LocalServiceWriteSerializer,
)
from workspace.selectors import region_services

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


def _region_service(request, source_id: str, *, local_only: bool = False) -> Service:
    region = user_region(request.user)
    if region is None or len(source_id) > 100:
        raise Http404
    services = region_services(region=region).filter(source_id=source_id)
    if local_only:
        services = services.filter(source=Source.LOCAL)
    service = services.first()
    if service is None:
        raise Http404
    return service


def curation_body(service: Service) -> dict:
    curation = ServiceCuration.objects.filter(service=service).prefetch_related("extra_themes").first()
    body = {
        "source_id": service.source_id,
        "hidden": False,
        "hidden_reason": "",
        "featured": False,
        "extra_themes": [],
        "note": "",
        "summary_fi": "",
        "summary_sv": "",
        "summary_en": "",
        "scope_override": "",
        "scope_reason": "",
        "updated": None,
    }
    if curation is not None:
        body.update({name: getattr(curation, name) for name in body if hasattr(curation, name) and name != "source_id"})
        body["extra_themes"] = sorted(t.slug for t in curation.extra_themes.all())
    service.refresh_from_db(fields=["scope_status", "is_public"])
    body["scope_status"], body["is_public"] = service.scope_status, service.is_public
    return body


class CurationView(APIView):
    permission_classes = [role_permission(EDITOR)]

    @extend_schema(
        operation_id="updateCuration",
        summary="Curate a service of the region (hide, feature, extra themes, note, own summary, scope)",
        description="Only the fields sent change. The source data is never touched, so every sync keeps the "
        "curation; search, facets, theme pages and cards show it at once. `scope_override` includes a PTV "
        "service kept out of the wellbeing scope by its service class (or heavy care), or excludes one; an "
        "included service whose classes map to no theme needs at least one of `extra_themes` (400 otherwise, "
        "nothing stored). Editors and admins.",
        request=CurationPatchSerializer,
        responses={200: CurationSerializer, **ERRORS},
        tags=["workspace"],
    )
    def patch(self, request, source_id: str):
        service = _region_service(request, source_id)
        serializer = CurationPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        summaries = {lang: data[f"summary_{lang}"] for lang in ("fi", "sv", "en") if f"summary_{lang}" in data}
        try:
            service_curation_update(
                service=service,
                hidden=data.get("hidden"),
                hidden_reason=data.get("hidden_reason"),
                featured=data.get("featured"),
                extra_themes=data.get("extra_themes"),
                note=data.get("note"),
                summaries=summaries or None,
                scope_override=data.get("scope_override"),
                scope_reason=data.get("scope_reason"),
                actor=request.user,
            )
        except ScopeError as exc:
            raise ValidationError({"scope_override": [str(exc)]}) from None
        return Response(curation_body(service))


def _public_url(request, service: Service) -> str:
    return request.build_absolute_uri(reverse("front:service", args=[service.id]))


def _change(data: dict) -> LocalServiceChange:
    return LocalServiceChange(
        texts={name: data[name] for name in TEXT_FIELDS if name in data},
        themes=data.get("themes"),
        municipalities=data.get("municipalities"),
        target_groups=data.get("target_groups"),
        free=data.get("free"),
        languages=data.get("languages"),
        channel={name: data[name] for name in CHANNEL_FIELDS if name in data},
    )


def local_service_body(request, service: Service) -> dict:
    body = {"source_id": service.source_id, "url": _public_url(request, service), "archived": not service.is_public}
    body.update({name: getattr(service, name) for name in TEXT_FIELDS})
    body["themes"] = sorted(service.themes.values_list("slug", flat=True))
    body["municipalities"] = sorted(service.municipalities.values_list("code", flat=True))
    body["target_groups"] = sorted(
        service.concepts.filter(kind=Concept.Kind.TARGET_GROUP).values_list("code", flat=True)
    )
    body["free"] = {ChargeType.FREE: True, ChargeType.CHARGEABLE: False}.get(service.charge_type)
    body["languages"] = list(service.languages)
    body.update(local_channel_values(service))
    return body


class LocalServiceListView(APIView):
    permission_classes = [role_permission(EDITOR)]

    @extend_schema(
        operation_id="createLocalService",
        summary="Add a local service or activity that PTV does not have",
        description="Searchable and shown like PTV services at once, with its source marked `local`. "
        "`name_fi` is required. Editors and admins.",
        request=LocalServiceWriteSerializer,
        responses={201: LocalServiceCreatedSerializer, **ERRORS},
        tags=["workspace"],
    )
    def post(self, request):
        serializer = LocalServiceWriteSerializer(data=request.data, context={"region": user_region(request.user)})
        serializer.is_valid(raise_exception=True)
        if "name_fi" not in serializer.validated_data:
            return Response({"error": "name_fi: This field is required.", "fields": {"name_fi": ["This field is "
                             "required."]}}, status=400)  # fmt: skip
        service = local_service_save(
            change=_change(serializer.validated_data), region=user_region(request.user), actor=request.user
        )
        return Response({"source_id": service.source_id, "url": _public_url(request, service)}, status=201)


class LocalServiceDetailView(APIView):
    permission_classes = [role_permission(EDITOR)]

    @extend_schema(
        operation_id="getLocalService",
        summary="A local service as stored",
        responses={200: LocalServiceSerializer, **ERRORS},
        tags=["workspace"],
    )
    def get(self, request, source_id: str):
        return Response(local_service_body(request, _region_service(request, source_id, local_only=True)))

    @extend_schema(
        operation_id="updateLocalService",
        summary="Change a local service (only the fields sent)",
        request=LocalServiceWriteSerializer,
        responses={200: LocalServiceSerializer, **ERRORS},
        tags=["workspace"],
    )
    def patch(self, request, source_id: str):
        service = _region_service(request, source_id, local_only=True)
        serializer = LocalServiceWriteSerializer(
            data=request.data, partial=True, context={"region": user_region(request.user)}
        )
        serializer.is_valid(raise_exception=True)
        service = local_service_save(
            service=service,
            change=_change(serializer.validated_data),
            region=user_region(request.user),
            actor=request.user,
        )
        return Response(local_service_body(request, service))

    @extend_schema(
        operation_id="archiveLocalService",
        summary="Archive a local service (taken off the public side, kept for history and statistics)",
        responses={204: None, **ERRORS},
        tags=["workspace"],
    )
    def delete(self, request, source_id: str):
        local_service_archive(service=_region_service(request, source_id, local_only=True), actor=request.user)
        return Response(status=204)
