"""The QA officer's read-mostly API under /api/v1/ (registered from quality/api.py):
statistical reports (list, detail with the frozen figures and download links; POST asks
for a new one), surveys with their response counts — never who responded —, and
self-assessment cycles with their totals against the framework's thresholds."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import mixins, permissions, serializers, viewsets

from quality import reports, rules
from quality import selectors_accreditation as accreditation
from quality.models import (
    Cycle,
    StandardAssessment,
    StatisticalReport,
    Survey,
    YearRating,
)
from vetschool.jobs import JobStatus


class QualityAssurancePermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return rules.can_assure_quality(request.user)


class StatisticalReportSerializer(serializers.ModelSerializer):
    xlsx_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = StatisticalReport
        fields = ["id", "period_start", "period_end", "status", "percent", "created_at",
                  "finished_at", "xlsx_url", "pdf_url"]
        read_only_fields = ["status", "percent", "created_at", "finished_at"]

    def validate(self, data):
        if data["period_start"] > data["period_end"]:
            raise serializers.ValidationError(_("The period must start before it ends."))
        return data

    def _link(self, report, name):
        if report.status != JobStatus.DONE:
            return None
        return self.context["request"].build_absolute_uri(
            reverse(name, kwargs={"pk": report.pk}))

    def get_xlsx_url(self, report) -> str | None:
        return self._link(report, "quality:report-xlsx")

    def get_pdf_url(self, report) -> str | None:
        return self._link(report, "quality:report-pdf")


class StatisticalReportDetailSerializer(StatisticalReportSerializer):
    class Meta(StatisticalReportSerializer.Meta):
        fields = [*StatisticalReportSerializer.Meta.fields, "figures"]
        read_only_fields = [*StatisticalReportSerializer.Meta.read_only_fields, "figures"]


class StatisticalReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Frozen statistical reports; a POST of a period asks for a new one (a background
    job: follow its `status` and `percent`)."""

    permission_classes = [QualityAssurancePermission]
    filterset_fields = ["status"]

    def get_queryset(self):
        queryset = StatisticalReport.objects.order_by("-created_at", "-id")
        return queryset if self.action == "retrieve" else queryset.defer("figures")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return StatisticalReportDetailSerializer
        return StatisticalReportSerializer

    def perform_create(self, serializer):
        serializer.instance = reports.report_start(
            start=serializer.validated_data["period_start"],
            end=serializer.validated_data["period_end"], by=self.request.user)


class SurveySerializer(serializers.ModelSerializer):
    """Counts only: the API names nobody who was invited or answered."""

    invited = serializers.IntegerField(read_only=True)
    answered = serializers.IntegerField(read_only=True)
    response_rate = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = ["id", "title", "audience", "anonymous", "checkpoint", "graduation_year",
                  "state", "closes_on", "closed_on", "invited", "answered", "response_rate"]

    def get_response_rate(self, survey) -> int | None:
        return round(100 * survey.answered / survey.invited) if survey.invited else None


class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [QualityAssurancePermission]
    serializer_class = SurveySerializer
    filterset_fields = ["state", "audience", "anonymous"]

    def get_queryset(self):
        return (Survey.objects
                .annotate(invited=Count("invitations"),
                          answered=Count("invitations", filter=Q(invitations__answered=True)))
                .order_by("-closes_on", "-id"))


def _points(value) -> str | None:
    """Points as strings, like every decimal of the API (COERCE_DECIMAL_TO_STRING)."""
    return None if value is None else str(value)


def _cycle_totals(cycle) -> dict:
    result = accreditation.cycle_result(cycle, cycle.assessments.all())
    return {
        "total": _points(result.total), "maximum": _points(result.maximum),
        "pass_total": _points(cycle.framework.pass_total), "passed": result.passed,
        "missing": [{"criterion": m.criterion, "points": _points(m.points),
                     "required": _points(m.required)} for m in result.missing],
        "criteria": [{"number": c.number, "points": _points(c.points),
                      "benchmark": _points(c.benchmark), "required": _points(c.required),
                      "ok": c.ok, "unrated": c.unrated} for c in result.criteria],
    }


class CycleSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.code")
    totals = serializers.SerializerMethodField()

    class Meta:
        model = Cycle
        fields = ["id", "framework", "title", "level", "assessment_year", "window_years",
                  "starts_on", "report_due", "ends_on", "state", "revises", "approved_at",
                  "totals"]

    def get_totals(self, cycle) -> dict:
        return _cycle_totals(cycle)


class CycleDetailSerializer(CycleSerializer):
    council_warnings = serializers.SerializerMethodField()

    class Meta(CycleSerializer.Meta):
        fields = [*CycleSerializer.Meta.fields, "council_warnings"]

    def get_council_warnings(self, cycle) -> list[str]:
        return accreditation.council_warnings(cycle)


class CycleViewSet(viewsets.ReadOnlyModelViewSet):
    """Self-assessment cycles with their totals (points, maximum, verdict, what is
    missing to pass, per criterion)."""

    permission_classes = [QualityAssurancePermission]
    filterset_fields = ["state", "framework"]

    def get_queryset(self):
        assessments = (StandardAssessment.objects.select_related("standard__criterion")
                       .prefetch_related(Prefetch("ratings",
                                                  queryset=YearRating.objects.order_by("year"))))
        return (Cycle.objects.select_related("framework")
                .prefetch_related(Prefetch("assessments", queryset=assessments))
                .order_by("-assessment_year", "-id"))

    def get_serializer_class(self):
        return CycleDetailSerializer if self.action == "retrieve" else CycleSerializer
