"""REST API of training under /api/v1/: programs, modules, classes, sections, teaching
assignments (and semesters).

Thin: reads come from `training.selectors` (a teacher sees only their own sections and the
classes they advise or teach; another teacher's section id answers 404), writes call
`training.services` and need the app's model permissions (the training office).
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import decorators, permissions, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from enrollment.models import Enrollment
from staff.models import StaffMember
from training import rules, selectors, services
from training.models import (
    AssessmentComponent,
    AssessmentForm,
    AssessmentKind,
    HomeroomClass,
    LearningOutcome,
    MembershipReason,
    Module,
    ModuleKind,
    Program,
    ProgramStatus,
    Section,
    SectionLearner,
    SectionLearnerSource,
    Semester,
    TeachingAssignment,
    TeachingRole,
    UnitType,
)
from training.services.programs import PROGRAM_EDITABLE_FIELDS, PlanLine
from vetschool.api import router
from vetschool.reference.models import Occupation

# =============================================================================
# Permissions
# =============================================================================


class TrainingPermission(permissions.BasePermission):
    """Reads: the training and QA offices, and teachers (selectors narrow what they see).
    Writes: the model permission named by the view for its action."""

    def has_permission(self, request, view):
        user = request.user
        if not user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return rules.can_view_training(user) or rules.is_teacher(user)
        needed = view.write_permissions.get(view.action, ())
        return bool(needed) and all(user.has_perm(p) for p in needed)


def _perms(model: str, *actions: str) -> tuple[str, ...]:
    return tuple(f"training.{action}_{model}" for action in actions)


class TrainingViewSet(viewsets.GenericViewSet):
    permission_classes = [TrainingPermission]
    write_permissions: dict[str, tuple[str, ...]] = {}

    def filters(self) -> dict:
        return {}


# =============================================================================
# Semesters
# =============================================================================


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


# =============================================================================
# Programs and modules
# =============================================================================


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = LearningOutcome
        fields = ("id", "code", "domain", "text_vi", "text_en", "is_digital_capability",
                  "order")


class PlanLineSerializer(serializers.ModelSerializer):
    weight = serializers.DecimalField(max_digits=3, decimal_places=1, read_only=True)

    class Meta:
        model = AssessmentComponent
        fields = ("kind", "count", "form", "duration_minutes", "note", "weight")


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
        "create": _perms("program", "add"), "partial_update": _perms("program", "change"),
        "new_version": _perms("program", "add"), "activate": _perms("program", "change"),
        "retire": _perms("program", "change"),
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
        data = _valid(ProgramInput, request.data)
        program = services.program_create(by=request.user, **data)
        response = self._detail(program)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=ProgramInput, responses=ProgramDetailSerializer)
    def partial_update(self, request, pk=None):
        program = selectors.program_detail(user=request.user, pk=int(pk))
        data = _valid(ProgramInput, request.data, partial=True)
        fields = {k: v for k, v in data.items() if k in PROGRAM_EDITABLE_FIELDS}
        return self._detail(services.program_update(program=program, by=request.user,
                                                    **fields))

    @extend_schema(request=inline_serializer("NewVersion", {
        "effective_year": serializers.IntegerField()}), responses=ProgramDetailSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        program = selectors.program_detail(user=request.user, pk=int(pk))
        year = _valid(inline_serializer("NewVersionInput", {
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
        data = _valid(inline_serializer("ActivateInput", {
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
        "create": _perms("module", "add"), "partial_update": _perms("module", "change"),
        "destroy": _perms("module", "delete"),
    }

    def get_queryset(self):
        return selectors.module_list(user=self.request.user)

    def _save(self, request, module=None, partial=False) -> Module:
        data = _valid(ModuleInput, request.data, partial=partial)
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


def _valid(serializer_class, data, *, partial: bool = False) -> dict:
    serializer = (serializer_class(data=data, partial=partial)
                  if isinstance(serializer_class, type) else serializer_class.__class__(
                      data=data, partial=partial))
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# =============================================================================
# Classes
# =============================================================================


class ClassSerializer(serializers.ModelSerializer):
    program_version = serializers.CharField(source="program.version_label", read_only=True)
    occupation_code = serializers.CharField(source="program.occupation.code", read_only=True)
    advisor_name = serializers.CharField(source="advisor.full_name", read_only=True,
                                         default=None)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = HomeroomClass
        fields = ("id", "code", "name", "program", "occupation_code", "program_version",
                  "admission_year", "first_semester", "advisor", "advisor_name", "capacity",
                  "status", "member_count")


class ClassInput(serializers.Serializer):
    code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                 default="")
    program = serializers.PrimaryKeyRelatedField(queryset=Program.objects.all())
    admission_year = serializers.IntegerField(min_value=2000, max_value=2100)
    first_semester = serializers.PrimaryKeyRelatedField(queryset=Semester.objects.all(),
                                                        required=False, allow_null=True)
    advisor = serializers.PrimaryKeyRelatedField(queryset=StaffMember.objects.all(),
                                                 required=False, allow_null=True)
    capacity = serializers.IntegerField(min_value=1, max_value=200, required=False,
                                        allow_null=True)


class MemberSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(source="enrollment_id")
    learner_code = serializers.CharField(source="enrollment.learner.code")
    full_name = serializers.CharField(source="enrollment.learner.full_name")
    from_date = serializers.DateField()
    reason = serializers.CharField()


class ClassViewSet(viewsets.mixins.ListModelMixin, viewsets.mixins.RetrieveModelMixin,
                   TrainingViewSet):
    serializer_class = ClassSerializer
    filterset_fields = ("program", "admission_year", "status")
    search_fields = ("code", "name")
    write_permissions = {
        "create": _perms("homeroomclass", "add"),
        "partial_update": _perms("homeroomclass", "change"),
        "place": _perms("homeroomclass", "change"), "move": _perms("homeroomclass", "change"),
    }

    def get_queryset(self):
        return selectors.class_list(user=self.request.user)

    @extend_schema(request=ClassInput, responses=ClassSerializer)
    def create(self, request):
        homeroom_class = services.class_create(by=request.user, **_valid(ClassInput,
                                                                         request.data))
        return Response(ClassSerializer(self.get_queryset().get(pk=homeroom_class.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=ClassInput, responses=ClassSerializer)
    def partial_update(self, request, pk=None):
        homeroom_class = self.get_object()
        data = _valid(ClassInput, request.data, partial=True)
        fields = {k: v for k, v in data.items() if k in services.classes.CLASS_EDITABLE_FIELDS}
        services.class_update(homeroom_class=homeroom_class, by=request.user, **fields)
        return Response(ClassSerializer(self.get_queryset().get(pk=homeroom_class.pk)).data)

    @extend_schema(responses=MemberSerializer(many=True))
    @decorators.action(detail=True)
    def members(self, request, pk=None):
        members = selectors.class_members(homeroom_class=self.get_object())
        return Response(MemberSerializer(members, many=True).data)

    @extend_schema(request=inline_serializer("Place", {
        "enrollments": serializers.ListField(child=serializers.IntegerField()),
        "on": serializers.DateField(required=False)}), responses=MemberSerializer(many=True))
    @decorators.action(detail=True, methods=["post"])
    def place(self, request, pk=None):
        homeroom_class = self.get_object()
        data = _valid(inline_serializer("PlaceInput", {
            "enrollments": serializers.ListField(child=serializers.IntegerField(),
                                                 min_length=1),
            "on": serializers.DateField(required=False)}), request.data)
        enrollments = list(Enrollment.objects.filter(pk__in=data["enrollments"]))
        if len(enrollments) != len(set(data["enrollments"])):
            raise NotFound
        services.class_enroll(homeroom_class=homeroom_class, enrollments=enrollments,
                              on=data.get("on"), by=request.user)
        members = selectors.class_members(homeroom_class=homeroom_class)
        return Response(MemberSerializer(members, many=True).data)

    @extend_schema(request=inline_serializer("Move", {
        "enrollment": serializers.IntegerField(), "on": serializers.DateField(),
        "reason": serializers.ChoiceField(choices=MembershipReason.choices),
        "change_program": serializers.BooleanField()}), responses=MemberSerializer(many=True))
    @decorators.action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move a learner INTO this class (from their current one)."""
        to_class = self.get_object()
        data = _valid(inline_serializer("MoveInput", {
            "enrollment": serializers.IntegerField(),
            "on": serializers.DateField(required=False),
            "reason": serializers.ChoiceField(choices=MembershipReason.choices,
                                              default=MembershipReason.TRANSFER),
            "note": serializers.CharField(max_length=300, required=False, default=""),
            "decision_number": serializers.CharField(max_length=50, required=False,
                                                     default=""),
            "change_program": serializers.BooleanField(default=False)}), request.data)
        enrollment = Enrollment.objects.filter(pk=data.pop("enrollment")).first()
        if enrollment is None:
            raise NotFound
        services.learner_move(enrollment=enrollment, to_class=to_class, by=request.user,
                              **data)
        members = selectors.class_members(homeroom_class=to_class)
        return Response(MemberSerializer(members, many=True).data)


# =============================================================================
# Sections and teaching assignments
# =============================================================================


class AssignmentBriefSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.full_name")

    class Meta:
        model = TeachingAssignment
        fields = ("id", "staff", "staff_name", "role", "hours")


class SectionSerializer(serializers.ModelSerializer):
    module_code = serializers.CharField(source="module.code", read_only=True)
    module_name = serializers.CharField(source="module.name_vi", read_only=True)
    credits = serializers.IntegerField(source="module.credits", read_only=True)
    semester_label = serializers.CharField(source="semester.label", read_only=True)
    classes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    teachers = AssignmentBriefSerializer(source="assignments", many=True, read_only=True)
    learner_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Section
        fields = ("id", "code", "module", "module_code", "module_name", "credits",
                  "semester", "semester_label", "classes", "capacity", "schedule", "note",
                  "teachers", "learner_count")


class SectionInput(serializers.Serializer):
    module = serializers.PrimaryKeyRelatedField(queryset=Module.objects.all())
    semester = serializers.PrimaryKeyRelatedField(queryset=Semester.objects.all())
    classes = serializers.PrimaryKeyRelatedField(queryset=HomeroomClass.objects.all(),
                                                 many=True, required=False, default=list)
    code = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(min_value=1, max_value=500, required=False,
                                        allow_null=True)
    schedule = serializers.CharField(required=False, allow_blank=True, default="")
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
        "create": _perms("section", "add"), "partial_update": _perms("section", "change"),
        "destroy": _perms("section", "delete"), "generate": _perms("section", "add"),
        "add_learner": _perms("sectionlearner", "add"),
    }

    def get_queryset(self):
        return selectors.section_list(user=self.request.user)

    @extend_schema(request=SectionInput, responses=SectionSerializer)
    def create(self, request):
        section = services.section_create(by=request.user, **_valid(SectionInput,
                                                                    request.data))
        return Response(SectionSerializer(self.get_queryset().get(pk=section.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=SectionInput, responses=SectionSerializer)
    def partial_update(self, request, pk=None):
        section = self.get_object()
        data = _valid(SectionInput, request.data, partial=True)
        fields = {k: v for k, v in data.items()
                  if k in services.sections.SECTION_EDITABLE_FIELDS and k in request.data}
        services.section_update(section=section, by=request.user, **fields)
        return Response(SectionSerializer(self.get_queryset().get(pk=section.pk)).data)

    def destroy(self, request, pk=None):
        services.section_delete(section=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=SectionLearnerSerializer(many=True))
    @decorators.action(detail=True)
    def learners(self, request, pk=None):
        rows = selectors.section_learner_rows(section=self.get_object())
        return Response(SectionLearnerSerializer(rows, many=True).data)

    @extend_schema(request=inline_serializer("AddLearner", {
        "enrollment": serializers.IntegerField(),
        "source": serializers.ChoiceField(choices=SectionLearnerSource.choices),
        "reason": serializers.CharField()}), responses=SectionLearnerSerializer(many=True))
    @decorators.action(detail=True, methods=["post"], url_path="learners/add")
    def add_learner(self, request, pk=None):
        section = self.get_object()
        data = _valid(inline_serializer("AddLearnerInput", {
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
        data = _valid(inline_serializer("GenerateInput", {
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
        "create": _perms("teachingassignment", "add"),
        "destroy": _perms("teachingassignment", "delete"),
    }

    def get_queryset(self):
        return selectors.teaching_assignment_list(user=self.request.user)

    @extend_schema(request=AssignmentInput, responses=AssignmentSerializer)
    def create(self, request):
        assignment = services.teaching_assign(by=request.user, **_valid(AssignmentInput,
                                                                        request.data))
        return Response(AssignmentSerializer(self.get_queryset().get(pk=assignment.pk)).data,
                        status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        services.teaching_unassign(assignment=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


router.register("semesters", SemesterViewSet, basename="semester")
router.register("programs", ProgramViewSet, basename="program")
router.register("modules", ModuleViewSet, basename="module")
router.register("classes", ClassViewSet, basename="class")
router.register("sections", SectionViewSet, basename="section")
router.register("teaching-assignments", TeachingAssignmentViewSet,
                basename="teaching-assignment")
