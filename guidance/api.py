"""Service guidance in the integration API: shortlists and referrals (/api/v1/pro/)."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import PROFESSIONAL, user_region
from accounts.tokens import role_permission
from catalog.models import Municipality, Service, Theme
from catalog.phone_fields import PhoneApiField
from events.models import Event
from guidance.models import Referral
from guidance.services import (
    ClientContact,
    GuidanceError,
    referral_access_log,
    referral_create,
    referral_link_token,
    referral_set_status,
    shortlist_create,
)
from tarmoa.lib.api import ErrorSerializer, StrictBooleanField, StrictSerializer

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


def _lookup(model, field: str, values: list, **extra) -> list:
    rows = {str(getattr(r, field)): r for r in model.objects.filter(**{f"{field}__in": values}, **extra)}
    unknown = [str(v) for v in values if str(v) not in rows]
    if unknown:
        raise serializers.ValidationError(f"unknown: {', '.join(unknown[:10])}")
    return [rows[str(v)] for v in dict.fromkeys(values)]


class ShortlistInSerializer(StrictSerializer):
    services = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=30,
                                     help_text="Service source_ids (PTV GUIDs)")  # fmt: skip
    events = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), required=False,
                                   max_length=30, help_text="Event ids")  # fmt: skip
    themes = serializers.ListField(child=serializers.SlugField(), required=False, max_length=10)
    language = serializers.ChoiceField(choices=["fi", "sv", "en"], default="fi")

    def validate_services(self, value):
        return _lookup(Service, "source_id", value, is_public=True)

    def validate_events(self, value):
        return _lookup(Event, "id", value, is_public=True)

    def validate_themes(self, value):
        return _lookup(Theme, "slug", value)


class ShortlistOutSerializer(serializers.Serializer):
    url = serializers.URLField()
    qr = serializers.URLField(help_text="SVG image of the page's QR code")
    pdf = serializers.URLField()
    expires = serializers.DateTimeField()


class ShortlistView(APIView):
    permission_classes = [role_permission(PROFESSIONAL)]

    @extend_schema(
        operation_id="createShortlist",
        summary="A shortlist for a client: a public page (no personal data) with its QR code and PDF",
        request=ShortlistInSerializer,
        responses={201: ShortlistOutSerializer, **ERRORS},
        tags=["guidance"],
    )
    def post(self, request):
        serializer = ShortlistInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            item = shortlist_create(
                user=request.user,
                region=user_region(request.user),
                services=data.get("services", []),
                events=data.get("events", []),
                themes=data.get("themes", []),
                language=data["language"],
            )
        except GuidanceError as exc:
            raise serializers.ValidationError({"services": [str(exc)]}) from None
        with translation.override(item.language):
            urls = {name: request.build_absolute_uri(reverse(f"guidance_public:{view}", args=[item.token]))
                    for name, view in (("url", "shortlist"), ("qr", "shortlist_qr"), ("pdf", "shortlist_pdf"))}  # fmt: skip
        return Response({**urls, "expires": item.expires}, status=201)


class ClientSerializer(StrictSerializer):
    first_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    phone = PhoneApiField()
    email = serializers.EmailField(required=False, allow_blank=True)
    contact_preference = serializers.ChoiceField(choices=Referral.Contact.values)


class ReferralInSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=Referral.Kind.values)
    services = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=30)
    themes = serializers.ListField(child=serializers.SlugField(), required=False, max_length=10)
    municipality = serializers.RegexField(r"^[0-9]{3}$", required=False, allow_blank=True)
    client = ClientSerializer()
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    consent = StrictBooleanField(help_text="The client's consent; must be true")
    language = serializers.ChoiceField(choices=["fi", "sv", "en"], default="fi")

    def validate_consent(self, value):
        if value is not True:
            raise serializers.ValidationError("The client's consent is required; without it no referral is stored.")
        return value

    def validate_services(self, value):
        return _lookup(Service, "source_id", value, is_public=True)

    def validate_themes(self, value):
        return _lookup(Theme, "slug", value)


class ReferralOutSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Referral.Status.values)
    receiver_url = serializers.URLField()
    client_url = serializers.URLField()


def _referral_urls(request, referral: Referral) -> dict:
    with translation.override(referral.language):
        return {
            "receiver_url": request.build_absolute_uri(
                reverse("guidance_public:receiver", args=[referral_link_token(referral, "receiver")])
            ),
            "client_url": request.build_absolute_uri(
                reverse("guidance_public:client", args=[referral_link_token(referral, "client")])
            ),
        }


class ReferralListView(APIView):
    permission_classes = [role_permission(PROFESSIONAL)]

    @extend_schema(
        operation_id="createReferral",
        summary="A hyte referral (liikunta, kulttuuri, hyvinvointi): stored only with the client's consent",
        description="The receiver configured for the kind and municipality gets an email with a link to the "
        "referral's page. No consent or an unknown kind is 400 and nothing is stored.",
        request=ReferralInSerializer,
        responses={201: ReferralOutSerializer, **ERRORS},
        tags=["guidance"],
    )
    def post(self, request):
        serializer = ReferralInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, region = serializer.validated_data, user_region(request.user)
        municipality = None
        if data.get("municipality"):
            municipality = Municipality.objects.filter(code=data["municipality"], region=region).first()
            if municipality is None:
                raise serializers.ValidationError({"municipality": ["Not a municipality of the region."]})
        client = data["client"]
        try:
            referral = referral_create(
                user=request.user,
                region=region,
                kind=data["kind"],
                client=ClientContact(
                    client.get("first_name", ""),
                    client.get("phone", ""),
                    client.get("email", ""),
                    client["contact_preference"],
                ),  # fmt: skip
                consent=data["consent"],
                services=data.get("services", []),
                themes=data.get("themes", []),
                municipality=municipality,
                note=data.get("note", ""),
                language=data["language"],
                receiver_url=lambda t: request.build_absolute_uri(reverse("guidance_public:receiver", args=[t])),
            )
        except GuidanceError as exc:
            raise serializers.ValidationError({"request": [str(exc)]}) from None
        return Response({"id": referral.id, "status": referral.status, **_referral_urls(request, referral)}, status=201)


class ReferralDetailSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    status = serializers.CharField()
    created = serializers.DateTimeField()
    municipality = serializers.CharField(allow_null=True)
    services = serializers.ListField(child=serializers.CharField())
    themes = serializers.ListField(child=serializers.CharField())
    client = serializers.DictField(allow_null=True, help_text="null once purged")
    history = serializers.ListField(child=serializers.DictField())


def _region_referral(request, referral_id) -> Referral:
    referral = Referral.objects.filter(id=referral_id, region=user_region(request.user)).first()
    if referral is None:
        raise Http404
    return referral


class ReferralDetailView(APIView):
    permission_classes = [role_permission(PROFESSIONAL)]

    @extend_schema(
        operation_id="getReferral",
        summary="A referral of the region with its status history (each read of client data is logged)",
        responses={200: ReferralDetailSerializer, **ERRORS},
        tags=["guidance"],
    )
    def get(self, request, referral_id):
        referral = _region_referral(request, referral_id)
        referral_access_log(referral=referral, actor="professional", user=request.user)
        client = None
        if not referral.purged:
            client = {"first_name": referral.client_first_name, "phone": referral.client_phone,
                      "email": referral.client_email, "contact_preference": referral.contact_preference}  # fmt: skip
        return Response(
            {
                "id": referral.id,
                "kind": referral.kind,
                "status": referral.status,
                "created": referral.created,
                "municipality": referral.municipality.code if referral.municipality else None,
                "services": list(referral.services.values_list("source_id", flat=True)),
                "themes": list(referral.themes.values_list("slug", flat=True)),
                "client": client,
                "history": [{"status": e.status, "actor": e.actor, "at": e.at} for e in referral.events.all()],
            }
        )


class StatusInSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=Referral.Status.values)


class ReferralStatusView(APIView):
    permission_classes = [role_permission(PROFESSIONAL)]

    @extend_schema(
        operation_id="setReferralStatus",
        summary="Record what happened (the change is timestamped with who made it)",
        request=StatusInSerializer,
        responses={200: ReferralOutSerializer, **ERRORS},
        tags=["guidance"],
    )
    def post(self, request, referral_id):
        referral = _region_referral(request, referral_id)
        serializer = StatusInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral_set_status(referral=referral, status=serializer.validated_data["status"], actor="professional",
                            user=request.user)  # fmt: skip
        return Response({"id": referral.id, "status": referral.status, **_referral_urls(request, referral)})
