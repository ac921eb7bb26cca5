"""Semesters (read-only) and the current one."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import decorators, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from training import selectors
from training.api.common import TrainingViewSet
from training.models import Semester


class SemesterSerializer(serializers.ModelSerializer):
    school_year = serializers.CharField(source="school_year.name")
    label = serializers.CharField()
    is_summer = serializers.BooleanField()

    class Meta:
        model = Semester
        fields = ("id", "school_year", "number", "label", "is_summer", "starts_on", "ends_on")


class SemesterViewSet(viewsets.mixins.ListModelMixin, viewsets.mixins.RetrieveModelMixin,
                      TrainingViewSet):
    serializer_class = SemesterSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.semester_list()

    @extend_schema(responses=SemesterSerializer)
    @decorators.action(detail=False)
    def current(self, request):
        semester = selectors.semester_current()
        if semester is None:
            raise NotFound
        return Response(SemesterSerializer(semester).data)
