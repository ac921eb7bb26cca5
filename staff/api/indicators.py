"""The 2222 staff indicators as an API report."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from staff import indicators, rules, selectors


class TargetStatusSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=3, decimal_places=2)
    met = serializers.BooleanField()
    gap = serializers.IntegerField()


class ShareSerializer(serializers.Serializer):
    counted = serializers.IntegerField()
    completed = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    targets = TargetStatusSerializer(many=True)


class MissingPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    staff_code = serializers.CharField()
    full_name = serializers.CharField()
    department = serializers.CharField()
    is_teacher = serializers.BooleanField()
    is_manager = serializers.BooleanField()


class IndicatorResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    kinds = serializers.ListField(child=serializers.CharField())
    overall = ShareSerializer()
    by_department = serializers.DictField(child=ShareSerializer())
    missing = MissingPersonSerializer(many=True)


# One report object, although it answers the `list` action (spectacular would make it an array).
@extend_schema_serializer(many=False)
class IndicatorReportSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    department = serializers.CharField(allow_null=True)
    indicators = IndicatorResultSerializer(many=True)


class IndicatorsViewSet(viewsets.ViewSet):
    """The 2222 staff indicators a1/a2 for ?as_of=YYYY-MM-DD (default today) and an optional
    ?department=<code>: overall, per department, targets and who is missing."""

    def get_permissions(self):
        return [IndicatorReaders()]

    @extend_schema(parameters=[
        OpenApiParameter("as_of", OpenApiTypes.DATE, description="default: today"),
        OpenApiParameter("department", OpenApiTypes.STR, description="a department code"),
    ], responses=IndicatorReportSerializer)
    def list(self, request):
        as_of_text = request.query_params.get("as_of")
        as_of = timezone.localdate()
        if as_of_text:
            field = serializers.DateField()
            as_of = field.run_validation(as_of_text) if as_of_text else as_of
        department = request.query_params.get("department") or None
        report = indicators.compute(selectors.indicator_facts(as_of=as_of), as_of=as_of,
                                    department=department)
        return Response({
            "as_of": as_of.isoformat(),
            "department": department,
            "indicators": [_indicator_json(result) for result in report.results],
        })


class IndicatorReaders(BasePermission):
    def has_permission(self, request, view):
        return rules.can_view_indicators(request.user)


def _share_json(share: indicators.Share) -> dict:
    return {
        "counted": share.counted,
        "completed": share.completed,
        "percent": str(share.percent) if share.percent is not None else None,
        "targets": [{"year": t.year, "share": str(t.share), "met": t.met, "gap": t.gap}
                    for t in share.targets],
    }


def _indicator_json(result: indicators.IndicatorResult) -> dict:
    return {
        "code": result.indicator.code,
        "kinds": sorted(result.indicator.kinds),
        "overall": _share_json(result.overall),
        "by_department": {code: _share_json(s) for code, s in result.by_department.items()},
        "missing": [{"id": m.key, "staff_code": m.code, "full_name": m.name,
                     "department": m.department, "is_teacher": m.is_teacher,
                     "is_manager": m.is_manager} for m in result.missing],
    }
