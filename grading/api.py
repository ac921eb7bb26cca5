"""REST API of grading under /api/v1/ (docs/grading.md, "API").

- `GET /api/v1/sections/{id}/gradebook/` — the section's teachers and the training office;
- `PUT|PATCH /api/v1/sections/{id}/gradebook/` — the section's teachers while the session is
  open: `{"version": 7, "cells": [{"learner": 12, "column": "TX1", "value": "8.5"}]}`;
  PATCH writes the cells given, PUT the whole open session (cells left out are emptied);
  409 with the changes when a cell was changed by someone else since `version` (a
  GradebookConflict, shaped by vetschool.api like every other error);
- `POST /api/v1/sections/{id}/gradebook/submit/` — `{"version": 9}`;
- `GET /api/v1/learners/{id}/transcript/` — the learner themself, the training office, QA.

Scores travel as strings with one decimal ("8.5"); GPAs with two ("2.89").
Another teacher's section or another learner's id is "not found" (404).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grading.selectors import learner_for_transcript, section_for_gradebook
from grading.services import gradebook as gb
from grading.sheet import Row, Sheet, load_sheet
from grading.transcripts import transcript_json, transcript_of
from vetschool.api import router


def _dec(value):
    return None if value is None else str(value)


def row_payload(row: Row, sheet: Sheet) -> dict:
    preview = row.preview
    return {
        "id": row.id,
        "learner_code": row.learner.code,
        "full_name": row.learner.full_name,
        "class": row.class_code,
        "source": row.section_learner.source,
        "cells": {
            column.code: {
                "value": row.cells[column.code].value.text,
                "editable": sheet.cell_editable(row, column),
                "locked": row.cells[column.code].is_final,
                "amended": row.cells[column.code].amended,
                "version": row.cells[column.code].version,
            } for column in sheet.columns
        },
        "checks_average": _dec(row.checks_average),
        "eligible": row.eligible,
        "ineligibility_reasons": list(row.eligibility.reasons) if row.eligibility else [],
        "ineligibility_labels": row.reason_labels,
        "module_score": _dec(preview.score_10) if preview else None,
        "letter": (preview.letter if preview else None) or None,
        "score_4": _dec(preview.score_4) if preview else None,
        "status": preview.status if preview else None,
        "needs_sitting": {str(n): v for n, v in row.needs.items()},
    }


def sheet_payload(sheet: Sheet) -> dict:
    section = sheet.section
    module = section.module
    book = sheet.gradebook
    return {
        "section": {"id": section.pk, "code": section.code, "semester": str(section.semester),
                    "module": {"code": module.code, "name": module.name_vi,
                               "credits": module.credits, "theory_hours": module.theory_hours,
                               "practice_hours": module.practice_hours}},
        "status": book.status,
        "sitting": book.sitting,
        "version": book.version,
        "complete": book.complete,
        "columns": [{"code": c.code, "kind": c.kind, "number": c.number, "label": c.label,
                     "title": c.title, "editable": sheet.column_editable(c)}
                    for c in sheet.columns],
        "learners": [row_payload(row, sheet) for row in sheet.rows],
    }


class CellSerializer(serializers.Serializer):
    learner = serializers.IntegerField(help_text="Id of the learner on the section's list.")
    column = serializers.CharField(max_length=10, help_text="TX1, DK2, THI1…")
    value = serializers.CharField(allow_blank=True, max_length=10,
                                  help_text='"8.5", "V", "KP" or "" to empty the cell.')


class CellsSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    cells = CellSerializer(many=True, max_length=5000)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)


SECTION_ID = OpenApiParameter("section_id", OpenApiTypes.INT, OpenApiParameter.PATH)
LEARNER_ID = OpenApiParameter("learner_id", OpenApiTypes.INT, OpenApiParameter.PATH)
GRADEBOOK = inline_serializer("Gradebook", {"version": serializers.IntegerField(),
                                            "status": serializers.CharField(),
                                            "learners": serializers.ListField()})


class GradebookViewSet(viewsets.ViewSet):
    """The score sheet of a section (mounted at sections/{section_id}/gradebook/)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[SECTION_ID], request=CellsSerializer, responses=GRADEBOOK)
    @action(detail=False, methods=["get", "put", "patch"], url_path="gradebook")
    def gradebook(self, request, section_id=None):
        write = request.method in ("PUT", "PATCH")
        section = section_for_gradebook(user=request.user, section_id=section_id, write=write)
        book = gb.gradebook_for_section(section=section)
        if not write:
            return Response(sheet_payload(load_sheet(book, section=section)))
        data = CellsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # A GradebookConflict is an API exception: a 409 in the one error shape.
        result = gb.gradebook_cells_save(
            gradebook=book, by=request.user, base_version=data.validated_data["version"],
            cells=[gb.CellInput(**cell) for cell in data.validated_data["cells"]],
            replace=request.method == "PUT")
        sheet = result.sheet
        return Response({
            "version": result.version,
            "saved": [c.as_json() for c in result.saved],
            "others": [c.as_json() for c in result.others],
            "learners": [row_payload(row, sheet) for row in sheet.rows
                         if row.id in result.changed_learners],
        })

    @extend_schema(parameters=[SECTION_ID], request=VersionSerializer, responses=GRADEBOOK)
    @action(detail=False, methods=["post"], url_path="gradebook/submit")
    def submit(self, request, section_id=None):
        section = section_for_gradebook(user=request.user, section_id=section_id, write=True)
        data = VersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        book = gb.gradebook_for_section(section=section)
        book = gb.gradebook_submit(gradebook=book, by=request.user,
                                   version=data.validated_data["version"])
        return Response({"status": book.status, "version": book.version,
                         "sitting": book.sitting})


class TranscriptViewSet(viewsets.ViewSet):
    """A learner's transcript (mounted at learners/{learner_id}/transcript/)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[LEARNER_ID], responses=inline_serializer(
        "Transcript", {"learner": serializers.DictField(),
                       "enrollments": serializers.ListField()}))
    @action(detail=False, methods=["get"], url_path="transcript")
    def transcript(self, request, learner_id=None):
        learner = learner_for_transcript(user=request.user, learner_id=learner_id)
        return Response(transcript_json(transcript_of(learner)))


router.register(r"sections/(?P<section_id>[0-9]+)", GradebookViewSet,
                basename="section-gradebook")
router.register(r"learners/(?P<learner_id>[0-9]+)", TranscriptViewSet,
                basename="learner-transcript")


# --- Internship placements (issue #16) ------------------------------------------------------

class PlacementPermission(permissions.BasePermission):
    """Read: the training office and QA; write: the training office (through the service)."""

    def has_permission(self, request, view):
        from vetschool.accounts.roles import QA_OFFICER, has_role, is_training_office

        user = request.user
        if request.method in permissions.SAFE_METHODS:
            return is_training_office(user) or (user.is_authenticated
                                                and has_role(user, QA_OFFICER))
        return is_training_office(user)


class PlacementSerializer(serializers.ModelSerializer):
    evaluated = serializers.SerializerMethodField()

    class Meta:
        from grading.models import Placement

        model = Placement
        fields = ["id", "section_learner", "enterprise", "agreement", "mentor", "supervisor",
                  "starts_on", "ends_on", "evaluated", "created_at"]
        read_only_fields = ["agreement", "created_at"]

    def get_evaluated(self, placement) -> bool:
        return hasattr(placement, "evaluation")


class PlacementViewSet(viewsets.ModelViewSet):
    permission_classes = [PlacementPermission]
    serializer_class = PlacementSerializer
    filterset_fields = ["enterprise", "supervisor", "section_learner__section"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        from grading.models import Placement

        return (Placement.objects.select_related("evaluation")
                .order_by("enterprise_id", "section_learner_id"))

    def perform_create(self, serializer):
        from grading.models import Placement
        from grading.services.internships import placement_save

        serializer.instance = placement_save(
            placement=Placement(**serializer.validated_data), by=self.request.user)

    def perform_update(self, serializer):
        from grading.services.internships import placement_save

        placement = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(placement, name, value)
        placement.agreement = None  # found again for the new dates or enterprise
        placement_save(placement=placement, by=self.request.user)


router.register("internship-placements", PlacementViewSet, basename="internship-placement")
