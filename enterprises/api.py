"""REST API of the enterprises app under /api/v1/ (registered on vetschool.api.router).

The training office (registrar) keeps enterprises, agreements and postings; QA reads them.
Writes go through enterprises.services, so the API refuses what the admin refuses (a bad
tax code, an agreement ending before it starts) with the one JSON error shape.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from enterprises import rules, selectors, services
from enterprises.models import Agreement, Contact, Enterprise, JobPosting
from vetschool.api import router


class EnterprisePermission(BasePermission):
    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return rules.can_read_enterprises(request.user)
        return rules.can_manage_enterprises(request.user)


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "full_name", "position", "phone", "email", "is_mentor", "is_active"]


class EnterpriseSerializer(serializers.ModelSerializer):
    contacts = ContactSerializer(many=True, read_only=True)
    # Typed as people type it ("0101 234 567"); the service normalises and checks it.
    tax_code = serializers.CharField(max_length=20)

    class Meta:
        model = Enterprise
        fields = ["id", "tax_code", "name", "short_name", "sector", "province", "address",
                  "phone", "email", "website", "occupations", "is_active", "notes", "contacts",
                  "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class AgreementSerializer(serializers.ModelSerializer):
    scopes = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Agreement
        fields = ["id", "enterprise", "number", "signed_on", "starts_on", "ends_on",
                  "internships", "co_teaching", "equipment", "recruitment", "council",
                  "scopes", "summary", "created_at"]
        read_only_fields = ["created_at"]
        # The service checks the dates and scope with its own messages.
        validators = []


class JobPostingSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobPosting
        fields = ["id", "enterprise", "enterprise_name", "tax_code", "title", "occupation",
                  "province", "salary_band", "openings", "description", "deadline",
                  "contact_name", "contact_phone", "contact_email", "source", "status",
                  "decided_at", "reject_reason", "created_at"]
        read_only_fields = ["source", "status", "decided_at", "reject_reason", "created_at"]


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class EnterpriseFilter(filters.FilterSet):
    search = filters.CharFilter(method="search_names", label=_("name or tax code"))
    occupation = filters.NumberFilter(field_name="occupations")
    province = filters.NumberFilter(field_name="province")

    class Meta:
        model = Enterprise
        fields = ["sector", "is_active"]

    def search_names(self, queryset, name, value):
        return selectors.enterprise_search(queryset, query=value)


class EnterpriseViewSet(viewsets.ModelViewSet):
    permission_classes = [EnterprisePermission]
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (Enterprise.objects.select_related("province")
                .prefetch_related("occupations", "contacts").order_by("name", "tax_code"))

    def perform_create(self, serializer):
        occupations = serializer.validated_data.pop("occupations", None)
        serializer.instance = services.enterprise_save(
            enterprise=Enterprise(**serializer.validated_data), occupations=occupations)

    def perform_update(self, serializer):
        occupations = serializer.validated_data.pop("occupations", None)
        enterprise = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(enterprise, name, value)
        services.enterprise_save(enterprise=enterprise, occupations=occupations)


class AgreementViewSet(viewsets.ModelViewSet):
    permission_classes = [EnterprisePermission]
    serializer_class = AgreementSerializer
    filterset_fields = ["enterprise", "internships", "recruitment", "council"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Agreement.objects.select_related("enterprise").order_by("-starts_on", "number")

    def perform_create(self, serializer):
        serializer.instance = services.agreement_save(
            agreement=Agreement(**serializer.validated_data), by=self.request.user)

    def perform_update(self, serializer):
        agreement = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(agreement, name, value)
        services.agreement_save(agreement=agreement, by=self.request.user)


class JobPostingViewSet(viewsets.ModelViewSet):
    permission_classes = [EnterprisePermission]
    serializer_class = JobPostingSerializer
    filterset_fields = ["status", "occupation", "province", "enterprise"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (JobPosting.objects.select_related("enterprise", "occupation", "province")
                .order_by("deadline", "title"))

    def perform_create(self, serializer):
        serializer.instance = services.posting_save(
            posting=JobPosting(**serializer.validated_data), by=self.request.user)

    def perform_update(self, serializer):
        posting = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(posting, name, value)
        services.posting_save(posting=posting, by=self.request.user)

    @extend_schema(request=None, responses=JobPostingSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        posting = services.posting_approve(posting=self.get_object(), by=request.user)
        return Response(JobPostingSerializer(posting).data)

    @extend_schema(request=RejectSerializer, responses=JobPostingSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            posting = services.posting_reject(posting=self.get_object(), by=request.user,
                                              reason=body.validated_data["reason"])
        return Response(JobPostingSerializer(posting).data)


router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("enterprise-agreements", AgreementViewSet, basename="enterprise-agreement")
router.register("job-postings", JobPostingViewSet, basename="job-posting")
