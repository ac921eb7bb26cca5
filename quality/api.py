"""REST API of quality under /api/v1/: graduate tracking records (the QA office writes, the
registrar reads) and the employment figures; the QA officer's statistical reports, surveys
and self-assessment cycles (quality/api_assurance.py)."""

from __future__ import annotations

from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response

from quality import rules, selectors, services
from quality.api_assurance import CycleViewSet, StatisticalReportViewSet, SurveyViewSet
from quality.models import TracerRecord
from vetschool.api import router


class QualityPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return rules.can_read_quality(request.user)
        return rules.can_keep_tracking(request.user)


class TracerRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = TracerRecord
        fields = ["id", "enrollment", "checkpoint", "status", "employer", "employer_name",
                  "relatedness", "income_band", "months_to_first_job", "source", "note",
                  "recorded_at"]
        read_only_fields = ["recorded_at"]
        validators = []  # the service names the rule broken (once per checkpoint included)


class TracerRecordViewSet(viewsets.ModelViewSet):
    permission_classes = [QualityPermission]
    serializer_class = TracerRecordSerializer
    filterset_fields = ["checkpoint", "status", "source", "enrollment"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return TracerRecord.objects.order_by("enrollment_id", "checkpoint")

    def perform_create(self, serializer):
        serializer.instance = services.tracer_record_save(
            record=TracerRecord(**serializer.validated_data), by=self.request.user)

    def perform_update(self, serializer):
        record = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(record, name, value)
        services.tracer_record_save(record=record, by=self.request.user)


class EmploymentFigureSerializer(serializers.Serializer):
    occupation_code = serializers.CharField()
    occupation_name = serializers.CharField()
    level = serializers.CharField()
    graduation_year = serializers.IntegerField()
    checkpoint = serializers.IntegerField()
    graduates = serializers.IntegerField()
    answered = serializers.IntegerField()
    employed = serializers.IntegerField()
    in_occupation = serializers.IntegerField()
    further_study = serializers.IntegerField()
    response_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    employment_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class EmploymentViewSet(viewsets.ViewSet):
    """Employment rate per occupation, level, graduation year and checkpoint."""

    permission_classes = [QualityPermission]
    serializer_class = EmploymentFigureSerializer

    def list(self, request):
        figures = selectors.employment()
        return Response(EmploymentFigureSerializer(figures, many=True).data)


class TrendPointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    target_2025 = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    target_2030 = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    note = serializers.CharField()
    records_url = serializers.CharField(source="url")
    trend = TrendPointSerializer(many=True)


class IndicatorViewSet(viewsets.ViewSet):
    """The Decision 2222 indicators as of a date (`?as_of=YYYY-MM-DD`, default today): the
    dashboard's tiles, computed by the same selectors."""

    permission_classes = [QualityPermission]
    serializer_class = IndicatorSerializer

    def list(self, request):
        from datetime import date

        from django.utils import timezone
        from rest_framework.exceptions import ValidationError

        from quality import indicators

        raw = request.query_params.get("as_of")
        try:
            as_of = date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError as exc:
            raise ValidationError({"as_of": ["Ngày không hợp lệ (YYYY-MM-DD)."]}) from exc
        return Response(IndicatorSerializer(indicators.dashboard(as_of), many=True).data)


router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("tracer-records", TracerRecordViewSet, basename="tracer-record")
router.register("employment-figures", EmploymentViewSet, basename="employment-figure")

router.register("statistical-reports", StatisticalReportViewSet, basename="statistical-report")
router.register("surveys", SurveyViewSet, basename="survey")
router.register("self-assessment-cycles", CycleViewSet, basename="self-assessment-cycle")
