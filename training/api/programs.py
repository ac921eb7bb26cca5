"""Programs (versions, activation, retirement) and their modules with assessment plans."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import decorators, permissions, serializers, status, viewsets
from rest_framework.response import Response

from training import rules, selectors, services
from training.api.common import TrainingPermission, TrainingViewSet, perms, valid
from training.models import (
    AssessmentComponent,
    AssessmentForm,
    AssessmentKind,
    LearningOutcome,
    Module,
    ModuleKind,
    Program,
    ProgramStatus,
    UnitType,
)
from training.services.programs import PROGRAM_EDITABLE_FIELDS, PlanLine
from vetschool.reference.models import Occupation


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = LearningOutcome
        fields = ("id", "code", "domain", "text_vi", "text_en", "is_digital_capability",
                  "order")


class PlanLineSerializer(serializers.ModelSerializer):
    # No weight: the regulation's weights are the same for every module (grading config),
    # a plan line has none, and the schema promised a field no answer ever carried.
    class Meta:
        model = AssessmentComponent
        fields = ("kind", "count", "form", "duration_minutes", "note")


class ModuleSerializer(serializers.ModelSerializer):
    total_hours = serializers.IntegerField(read_only=True)
    prerequisites = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    assessment_plan = PlanLineSerializer(many=True, read_only=True)
    program_version = serializers.CharField(source="program.version_label", read_only=True)
    occupation_code = serializers.CharField(source="program.occupation.code", read_only=True)

    class Meta:
        model = Module
        fields = ("id", "program", "occupation_code", "program_version", "code", "name_vi",
                  "name_en", "unit_type", "kind", "credits", "theory_hours",
                  "practice_hours", "exam_hours", "total_hours", "planned_semester",
                  "counts_in_gpa", "order", "prerequisites", "assessment_plan")


class PlanLineInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AssessmentKind.choices)
    count = serializers.IntegerField(min_value=1, max_value=10, default=1)
    form = serializers.ChoiceField(choices=AssessmentForm.choices, required=False,
                                   allow_blank=True, default="")
    duration_minutes = serializers.IntegerField(min_value=1, max_value=600, required=False,
                                                allow_null=True, default=None)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ModuleInput(serializers.Serializer):
    program = serializers.PrimaryKeyRelatedField(queryset=Program.objects.all())
    code = serializers.CharField(max_length=30)
    name_vi = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                    default="")
    unit_type = serializers.ChoiceField(choices=UnitType.choices, required=False)
    kind = serializers.ChoiceField(choices=ModuleKind.choices)
    credits = serializers.IntegerField(min_value=0, max_value=30)
    theory_hours = serializers.IntegerField(min_value=0, default=0)
    practice_hours = serializers.IntegerField(min_value=0, default=0)
    exam_hours = serializers.IntegerField(min_value=0, default=0)
    planned_semester = serializers.IntegerField(min_value=1)
    counts_in_gpa = serializers.BooleanField(required=False, allow_null=True, default=None)
    order = serializers.IntegerField(min_value=0, required=False)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    prerequisites = serializers.ListField(child=serializers.CharField(max_length=30),
                                          required=False)
    assessment_plan = PlanLineInput(many=True, required=False)


class ProgramSerializer(serializers.ModelSerializer):
    occupation_code = serializers.CharField(source="occupation.code", read_only=True)
    level = serializers.CharField(source="occupation.level", read_only=True)
    version = serializers.CharField(source="version_label", read_only=True)
    module_count = serializers.IntegerField(read_only=True)
    digital_outcomes = serializers.IntegerField(read_only=True)

    class Meta:
        model = Program
        fields = ("id", "occupation_code", "level", "effective_year", "revision", "version",
                  "name_vi", "name_en", "short_code", "duration_months", "total_credits",
                  "total_hours", "status", "is_locked", "decision_number", "decision_date",
                  "previous_version", "module_count", "digital_outcomes")


class ProgramDetailSerializer(ProgramSerializer):
    outcomes = OutcomeSerializer(many=True, read_only=True)
    modules = ModuleSerializer(many=True, read_only=True)

    class Meta(ProgramSerializer.Meta):
        fields = (*ProgramSerializer.Meta.fields, "objectives", "outcomes", "modules")


class ProgramInput(serializers.Serializer):
    occupation = serializers.SlugRelatedField(slug_field="code",
                                              queryset=Occupation.objects.all())
    effective_year = serializers.IntegerField(min_value=2000, max_value=2100)
    name_vi = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    short_code = serializers.CharField(max_length=10, required=False, allow_blank=True)
    duration_months = serializers.IntegerField(min_value=6, max_value=48, required=False)
    objectives = serializers.CharField(required=False, allow_blank=True)
    decision_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    decision_date = serializers.DateField(required=False, allow_null=True)


class ProgramFilter(django_filters.FilterSet):
    occupation = django_filters.CharFilter(field_name="occupation__code")
    level = django_filters.CharFilter(field_name="occupation__level")
    status = django_filters.ChoiceFilter(choices=ProgramStatus.choices)

    class Meta:
        model = Program
        fields = ("occupation", "level", "status", "effective_year")


class ProgramViewSet(viewsets.mixins.ListModelMixin, TrainingViewSet):
    filterset_class = ProgramFilter
    search_fields = ("name_vi", "name_en", "occupation__code")
    write_permissions = {
        "create": perms("program", "add"), "partial_update": perms("program", "change"),
        "new_version": perms("program", "add"), "activate": perms("program", "change"),
        "retire": perms("program", "change"),
    }

    def get_permissions(self):
        return [TrainingPermission(), ProgramsReadable()]

    def get_queryset(self):
        return selectors.program_list(user=self.request.user)

    def get_serializer_class(self):
        return ProgramDetailSerializer if self.action == "retrieve" else ProgramSerializer

    def retrieve(self, request, pk=None):
        program = selectors.program_detail(user=request.user, pk=int(pk))
        return Response(ProgramDetailSerializer(program).data)

    def _detail(self, program) -> Response:
        return Response(ProgramDetailSerializer(
            selectors.program_detail(user=self.request.user, pk=program.pk)).data)

    @extend_schema(request=ProgramInput, responses=ProgramDetailSerializer)
    def create(self, request):
        data = valid(ProgramInput, request.data)
        program = services.program_create(by=request.user, **data)
        response = self._detail(program)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=ProgramInput, responses=ProgramDetailSerializer)
    def partial_update(self, request, pk=None):
        program = selectors.program_detail(user=request.user, pk=int(pk))
        data = valid(ProgramInput, request.data, partial=True)
        fields = {k: v for k, v in data.items() if k in PROGRAM_EDITABLE_FIELDS}
        return self._detail(services.program_update(program=program, by=request.user,
                                                    **fields))

    @extend_schema(request=inline_serializer("NewVersion", {
        "effective_year": serializers.IntegerField()}), responses=ProgramDetailSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        program = selectors.program_detail(user=request.user, pk=int(pk))
        year = valid(inline_serializer("NewVersionInput", {
            "effective_year": serializers.IntegerField(min_value=2000, max_value=2100)}),
            request.data)["effective_year"]
        copy = services.program_new_version(program=program, effective_year=year,
                                            by=request.user)
        response = self._detail(copy)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=inline_serializer("Activate", {
        "decision_number": serializers.CharField(),
        "decision_date": serializers.DateField()}), responses=ProgramDetailSerializer)
    @decorators.action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        program = selectors.program_detail(user=request.user, pk=int(pk))
        data = valid(inline_serializer("ActivateInput", {
            "decision_number": serializers.CharField(max_length=50, required=False),
            "decision_date": serializers.DateField(required=False)}), request.data)
        return self._detail(services.program_activate(program=program, by=request.user,
                                                      **data))

    @extend_schema(request=None, responses=ProgramDetailSerializer)
    @decorators.action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        program = selectors.program_detail(user=request.user, pk=int(pk))
        return self._detail(services.program_retire(program=program, by=request.user))


class ProgramsReadable(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.method not in permissions.SAFE_METHODS or rules.can_read_programs(
            request.user)


class ModuleFilter(django_filters.FilterSet):
    class Meta:
        model = Module
        fields = ("program", "planned_semester", "kind", "counts_in_gpa")


class ModuleViewSet(viewsets.mixins.ListModelMixin, viewsets.mixins.RetrieveModelMixin,
                    TrainingViewSet):
    serializer_class = ModuleSerializer
    filterset_class = ModuleFilter
    search_fields = ("code", "name_vi", "name_en")
    write_permissions = {
        "create": perms("module", "add"), "partial_update": perms("module", "change"),
        "destroy": perms("module", "delete"),
    }

    def get_queryset(self):
        return selectors.module_list(user=self.request.user)

    def _save(self, request, module=None, partial=False) -> Module:
        data = valid(ModuleInput, request.data, partial=partial)
        if module is not None:
            data = {**_module_values(module), **data, "program": module.program}
        plan = data.pop("assessment_plan", None)
        if plan is not None:
            plan = [PlanLine(**line) for line in plan]
        return services.module_save(module=module, assessment_plan=plan, by=request.user,
                                    **data)

    @extend_schema(request=ModuleInput, responses=ModuleSerializer)
    def create(self, request):
        module = self._save(request)
        return Response(ModuleSerializer(self.get_queryset().get(pk=module.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=ModuleInput, responses=ModuleSerializer)
    def partial_update(self, request, pk=None):
        module = self._save(request, self.get_object(), partial=True)
        return Response(ModuleSerializer(self.get_queryset().get(pk=module.pk)).data)

    def destroy(self, request, pk=None):
        services.module_delete(module=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _module_values(module: Module) -> dict:
    return {field: getattr(module, field) for field in (
        "code", "name_vi", "name_en", "unit_type", "kind", "credits", "theory_hours",
        "practice_hours", "exam_hours", "planned_semester", "counts_in_gpa", "order",
        "description")}
