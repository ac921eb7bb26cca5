"""Sections (with their learners and per-semester generation) and teaching assignments."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import decorators, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from enrollment.models import Enrollment
from staff.models import StaffMember
from training import selectors, services
from training.api.common import TrainingViewSet, perms, valid
from training.models import (
    DeliveryForm,
    HomeroomClass,
    Module,
    Section,
    SectionLearner,
    SectionLearnerSource,
    SectionMeeting,
    Semester,
    TeachingAssignment,
    TeachingRole,
)


class AssignmentBriefSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.full_name")

    class Meta:
        model = TeachingAssignment
        fields = ("id", "staff", "staff_name", "role", "hours")


class MeetingSerializer(serializers.ModelSerializer):
    """A weekly slot of the timetable (day 2 = Monday … 8 = Sunday)."""

    class Meta:
        model = SectionMeeting
        fields = ("weekday", "first_period", "last_period", "first_week", "last_week", "room")


class SectionSerializer(serializers.ModelSerializer):
    module_code = serializers.CharField(source="module.code", read_only=True)
    module_name = serializers.CharField(source="module.name_vi", read_only=True)
    credits = serializers.IntegerField(source="module.credits", read_only=True)
    semester_label = serializers.CharField(source="semester.label", read_only=True)
    classes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    teachers = AssignmentBriefSerializer(source="assignments", many=True, read_only=True)
    learner_count = serializers.IntegerField(read_only=True)
    meetings = MeetingSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ("id", "code", "module", "module_code", "module_name", "credits",
                  "semester", "semester_label", "classes", "capacity", "practice", "schedule",
                  "delivery_form", "note", "teachers", "learner_count", "meetings")


class SectionInput(serializers.Serializer):
    module = serializers.PrimaryKeyRelatedField(queryset=Module.objects.all())
    semester = serializers.PrimaryKeyRelatedField(queryset=Semester.objects.all())
    classes = serializers.PrimaryKeyRelatedField(queryset=HomeroomClass.objects.all(),
                                                 many=True, required=False, default=list)
    code = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(min_value=1, max_value=500, required=False,
                                        allow_null=True)
    practice = serializers.BooleanField(required=False, default=False)
    schedule = serializers.CharField(required=False, allow_blank=True, default="")
    delivery_form = serializers.ChoiceField(choices=DeliveryForm.choices, required=False,
                                            default=DeliveryForm.IN_PERSON)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class SectionLearnerSerializer(serializers.ModelSerializer):
    enrollment = serializers.IntegerField(source="enrollment_id")
    learner_code = serializers.CharField(source="enrollment.learner.code")
    full_name = serializers.CharField(source="enrollment.learner.full_name")
    class_code = serializers.CharField(allow_null=True)

    class Meta:
        model = SectionLearner
        fields = ("id", "enrollment", "learner_code", "full_name", "class_code", "source",
                  "reason", "added_at")


class SectionFilter(django_filters.FilterSet):
    homeroom_class = django_filters.NumberFilter(field_name="class_links__homeroom_class")

    class Meta:
        model = Section
        fields = ("semester", "module", "homeroom_class")


class SectionViewSet(viewsets.mixins.ListModelMixin, viewsets.mixins.RetrieveModelMixin,
                     TrainingViewSet):
    serializer_class = SectionSerializer
    filterset_class = SectionFilter
    search_fields = ("code", "module__code", "module__name_vi")
    write_permissions = {
        "create": perms("section", "add"), "partial_update": perms("section", "change"),
        "destroy": perms("section", "delete"), "generate": perms("section", "add"),
        "add_learner": perms("sectionlearner", "add"),
    }

    def get_queryset(self):
        return selectors.section_list(user=self.request.user)

    @extend_schema(request=SectionInput, responses=SectionSerializer)
    def create(self, request):
        section = services.section_create(by=request.user, **valid(SectionInput,
                                                                    request.data))
        return Response(SectionSerializer(self.get_queryset().get(pk=section.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=SectionInput, responses=SectionSerializer)
    def partial_update(self, request, pk=None):
        section = self.get_object()
        data = valid(SectionInput, request.data, partial=True)
        fields = {k: v for k, v in data.items()
                  if k in services.sections.SECTION_EDITABLE_FIELDS and k in request.data}
        services.section_update(section=section, by=request.user, **fields)
        return Response(SectionSerializer(self.get_queryset().get(pk=section.pk)).data)

    def destroy(self, request, pk=None):
        services.section_delete(section=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=SectionLearnerSerializer(many=True))
    # The whole class list at once: not paginated, so the schema must not say so.
    @decorators.action(detail=True, pagination_class=None)
    def learners(self, request, pk=None):
        rows = selectors.section_learner_rows(section=self.get_object())
        return Response(SectionLearnerSerializer(rows, many=True).data)

    @extend_schema(request=inline_serializer("AddLearner", {
        "enrollment": serializers.IntegerField(),
        "source": serializers.ChoiceField(choices=SectionLearnerSource.choices),
        "reason": serializers.CharField()}), responses={201: SectionLearnerSerializer(many=True)})
    @decorators.action(detail=True, methods=["post"], url_path="learners/add",
                       pagination_class=None)
    def add_learner(self, request, pk=None):
        section = self.get_object()
        data = valid(inline_serializer("AddLearnerInput", {
            "enrollment": serializers.IntegerField(),
            "source": serializers.ChoiceField(choices=SectionLearnerSource.choices),
            "reason": serializers.CharField(max_length=300)}), request.data)
        enrollment = Enrollment.objects.filter(pk=data.pop("enrollment")).first()
        if enrollment is None:
            raise NotFound
        services.section_learner_add(section=section, enrollment=enrollment, by=request.user,
                                     **data)
        rows = selectors.section_learner_rows(section=section)
        return Response(SectionLearnerSerializer(rows, many=True).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=inline_serializer("Generate", {
        "semester": serializers.IntegerField(),
        "include_electives": serializers.BooleanField()}),
        responses=inline_serializer("Generated", {
            "classes": serializers.IntegerField(), "sections": serializers.IntegerField(),
            "learners": serializers.IntegerField(),
            "already_served": serializers.IntegerField(),
            "classes_without_start": serializers.ListField(child=serializers.CharField())}))
    @decorators.action(detail=False, methods=["post"])
    def generate(self, request):
        """Open the semester's sections from the programs' plans (one action)."""
        data = valid(inline_serializer("GenerateInput", {
            "semester": serializers.PrimaryKeyRelatedField(queryset=Semester.objects.all()),
            "include_electives": serializers.BooleanField(default=False)}), request.data)
        result = services.semester_sections_generate(by=request.user, **data)
        return Response({
            "classes": result.classes, "sections": result.sections,
            "learners": result.learners, "already_served": result.already_served,
            "classes_without_start": result.classes_without_start,
        }, status=status.HTTP_201_CREATED)


class AssignmentSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.full_name", read_only=True)
    section_code = serializers.CharField(source="section.code", read_only=True)
    module_name = serializers.CharField(source="section.module.name_vi", read_only=True)
    semester = serializers.IntegerField(source="section.semester_id", read_only=True)

    class Meta:
        model = TeachingAssignment
        fields = ("id", "section", "section_code", "module_name", "semester", "staff",
                  "staff_name", "role", "hours", "assigned_at")


class AssignmentInput(serializers.Serializer):
    section = serializers.PrimaryKeyRelatedField(queryset=Section.objects.all())
    staff = serializers.PrimaryKeyRelatedField(queryset=StaffMember.objects.all())
    role = serializers.ChoiceField(choices=TeachingRole.choices, default=TeachingRole.MAIN)
    hours = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class AssignmentFilter(django_filters.FilterSet):
    semester = django_filters.NumberFilter(field_name="section__semester")

    class Meta:
        model = TeachingAssignment
        fields = ("semester", "section", "staff", "role")


class TeachingAssignmentViewSet(viewsets.mixins.ListModelMixin,
                                viewsets.mixins.RetrieveModelMixin, TrainingViewSet):
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    write_permissions = {
        "create": perms("teachingassignment", "add"),
        "destroy": perms("teachingassignment", "delete"),
    }

    def get_queryset(self):
        return selectors.teaching_assignment_list(user=self.request.user)

    @extend_schema(request=AssignmentInput, responses=AssignmentSerializer)
    def create(self, request):
        assignment = services.teaching_assign(by=request.user, **valid(AssignmentInput,
                                                                        request.data))
        return Response(AssignmentSerializer(self.get_queryset().get(pk=assignment.pk)).data,
                        status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        services.teaching_unassign(assignment=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
