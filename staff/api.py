"""REST API of the staff app under /api/v1/ (registered on vetschool.api.router).

Reads are scoped by staff.selectors (a teacher sees only their own records); writes go
through staff.services. Permissions by role (staff.rules): the HR office writes, QA and
the registrar read, a teacher reads their own records and keeps their own courseware.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from staff import indicators, rules, selectors, services
from staff.models import (
    Courseware,
    Department,
    EmploymentRecord,
    EmploymentStatus,
    Participation,
    ParticipationResult,
    StaffMember,
    TrainingCourse,
)
from staff.services.people import PERSONAL_FIELDS
from vetschool.api import router


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the recorded data.")
    default_code = "conflict"


class StaffPermission(BasePermission):
    """Read: the staff-records readers, and teachers (scoped to themselves by selectors).
    Write: the HR office; on views with `teacher_may_write`, teachers too (own rows)."""

    def has_permission(self, request, view):
        user = request.user
        if not user.is_authenticated:
            return False
        if request.method in SAFE_METHODS:
            return rules.can_read_all_staff(user) or rules.is_teacher(user)
        if rules.can_manage_staff(user):
            return True
        return getattr(view, "teacher_may_write", False) and rules.is_teacher(user)


def _bool_param(value):
    if value is None:
        return None
    return value.lower() in ("1", "true", "yes")


# --- Serializers -------------------------------------------------------------------------


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ("id", "code", "name", "kind", "is_active")


class StaffMemberSerializer(serializers.ModelSerializer):
    """A staff record as read: the personal ID is masked (full value: /national-id/)."""

    national_id_masked = serializers.CharField(read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True, default=None)

    class Meta:
        model = StaffMember
        fields = (
            "id", "staff_code", "full_name", "national_id_masked", "date_of_birth", "gender",
            "email", "phone", "department", "department_name", "is_teacher", "is_manager",
            "employment_status", "position_since", "highest_qualification",
            "qualification_major", "pedagogical_certificate_type",
            "pedagogical_certificate_number", "pedagogical_certificate_date",
            "vocational_certificate_type", "vocational_certificate_occupation",
            "vocational_certificate_number", "vocational_certificate_date", "username",
        )


class StaffWriteSerializer(serializers.ModelSerializer):
    """Personal data and qualifications (create and update); the position is separate."""

    class Meta:
        model = StaffMember
        fields = tuple(sorted(PERSONAL_FIELDS - {"user"}))
        extra_kwargs = {"national_id": {"write_only": True}}
        validators = []  # uniqueness is the model's (full_clean in the services)


class PositionSerializer(serializers.Serializer):
    effective_date = serializers.DateField()
    department = serializers.SlugRelatedField(slug_field="code",
                                              queryset=Department.objects.all())
    is_teacher = serializers.BooleanField()
    is_manager = serializers.BooleanField()
    employment_status = serializers.ChoiceField(choices=EmploymentStatus.choices)
    decision_number = serializers.CharField(max_length=50, required=False, allow_blank=True,
                                            default="")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class EmploymentRecordSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = EmploymentRecord
        fields = ("id", "effective_date", "status", "department", "is_teacher", "is_manager",
                  "decision_number", "note")


class TrainingCourseSerializer(serializers.ModelSerializer):
    participant_count = serializers.IntegerField(read_only=True)
    completed_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingCourse
        fields = ("id", "code", "title", "provider", "kind", "hours", "delivery", "starts_on",
                  "ends_on", "location", "description", "participant_count", "completed_count")
        validators = []


class ParticipationSerializer(serializers.ModelSerializer):
    course_code = serializers.CharField(source="course.code", read_only=True)
    course_kind = serializers.CharField(source="course.kind", read_only=True)
    staff_code = serializers.CharField(source="staff.staff_code", read_only=True)
    staff_name = serializers.CharField(source="staff.full_name", read_only=True)
    certificate_url = serializers.SerializerMethodField()

    class Meta:
        model = Participation
        fields = ("id", "course", "course_code", "course_kind", "staff", "staff_code",
                  "staff_name", "result", "completed_on", "certificate_number",
                  "certificate_url", "note")
        read_only_fields = ("result", "completed_on", "certificate_number", "note")
        validators = []

    def get_certificate_url(self, obj):
        if not obj.certificate:
            return None
        return reverse("staff:certificate", args=[obj.pk])


class ParticipationResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=ParticipationResult.choices)
    completed_on = serializers.DateField(required=False, allow_null=True, default=None)
    certificate = serializers.FileField(required=False, allow_null=True, default=None)
    certificate_number = serializers.CharField(max_length=50, required=False, allow_blank=True,
                                               default=None)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True,
                                 default=None)


class RegisterDepartmentSerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(slug_field="code",
                                              queryset=Department.objects.filter(is_active=True))
    teachers_only = serializers.BooleanField(required=False, default=False)


class CoursewareSerializer(serializers.ModelSerializer):
    author_code = serializers.CharField(source="author.staff_code", read_only=True)
    file = serializers.FileField(write_only=True, required=False, allow_null=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Courseware
        fields = ("id", "author", "author_code", "title", "module_code", "module_name", "kind",
                  "link", "file", "file_url", "status", "description", "updated_at")
        extra_kwargs = {"author": {"required": False}}
        validators = []

    def get_file_url(self, obj):
        return reverse("staff:courseware-file", args=[obj.pk]) if obj.file else None


# --- Viewsets ------------------------------------------------------------------------------


def _service_call(func, **kwargs):
    """Run a service; a refused action on recorded facts becomes 409, other errors 400."""
    try:
        return func(**kwargs)
    except DjangoValidationError as exc:
        if getattr(exc, "code", None) in ("course_has_results", "has_result"):
            raise Conflict(detail=" ".join(exc.messages), code=exc.code) from exc
        raise


class DepartmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.UpdateModelMixin,
                        viewsets.GenericViewSet):
    serializer_class = DepartmentSerializer
    permission_classes = [StaffPermission]
    search_fields = ("code", "name")

    def get_queryset(self):
        return selectors.department_list(user=self.request.user).order_by("code")

    def perform_create(self, serializer):
        serializer.instance = services.department_save(
            department=Department(**serializer.validated_data), by=self.request.user)

    def perform_update(self, serializer):
        department = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(department, name, value)
        serializer.instance = services.department_save(department=department,
                                                       by=self.request.user)


class StaffViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Staff records. POST creates a record with its first position; PATCH changes personal
    data; POST …/position/ records a dated change of status, department or roles."""

    permission_classes = [StaffPermission]
    serializer_class = StaffMemberSerializer
    ordering_fields = ("staff_code", "full_name", "position_since")

    def get_queryset(self):
        params = self.request.query_params
        return selectors.staff_list(user=self.request.user, filters={
            "department": params.get("department"),
            "status": params.get("status"),
            "is_teacher": _bool_param(params.get("is_teacher")),
            "is_manager": _bool_param(params.get("is_manager")),
            "q": params.get("q"),
        })

    def create(self, request):
        personal = StaffWriteSerializer(data=request.data)
        position = PositionSerializer(data=request.data)
        errors = {}
        if not personal.is_valid():
            errors.update(personal.errors)
        if not position.is_valid():
            errors.update(position.errors)
        if errors:
            raise serializers.ValidationError(errors)
        data = position.validated_data
        staff = services.staff_create(
            by=request.user, department=data["department"], is_teacher=data["is_teacher"],
            is_manager=data["is_manager"], employment_status=data["employment_status"],
            effective_date=data["effective_date"], decision_number=data["decision_number"],
            note=data["note"], **personal.validated_data,
        )
        return Response(StaffMemberSerializer(staff).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        staff = self.get_object()
        serializer = StaffWriteSerializer(staff, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        staff = services.staff_update(staff=staff, by=request.user, **serializer.validated_data)
        return Response(StaffMemberSerializer(staff).data)

    @action(detail=True, methods=["get", "post"])
    def position(self, request, pk=None):
        """GET: the employment history, newest first. POST: a dated change."""
        staff = self.get_object()
        if request.method == "GET":
            records = selectors.employment_history(staff=staff)
            return Response(EmploymentRecordSerializer(records, many=True).data)
        serializer = PositionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.staff_position_change(staff=staff, by=request.user,
                                                **serializer.validated_data)
        return Response(EmploymentRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"], url_path="national-id")
    def national_id(self, request, pk=None):
        """The full personal ID number (HR office only); every read is logged."""
        if not rules.can_reveal_national_id(request.user):
            raise PermissionDenied
        staff = self.get_object()
        number = services.staff_national_id_reveal(staff=staff, user=request.user,
                                                   path=request.path)
        return Response({"id": staff.pk, "national_id": number})


class TrainingCourseViewSet(viewsets.ModelViewSet):
    permission_classes = [StaffPermission]
    serializer_class = TrainingCourseSerializer
    search_fields = ("code", "title", "provider")
    ordering_fields = ("starts_on", "code")

    def get_queryset(self):
        params = self.request.query_params
        return selectors.course_list(user=self.request.user, filters={
            "kind": params.get("kind"), "year": params.get("year")})

    def perform_create(self, serializer):
        serializer.instance = services.course_save(
            course=TrainingCourse(**serializer.validated_data), by=self.request.user)

    def perform_update(self, serializer):
        course = TrainingCourse.objects.get(pk=serializer.instance.pk)
        for name, value in serializer.validated_data.items():
            setattr(course, name, value)
        serializer.instance = services.course_save(course=course, by=self.request.user)

    def perform_destroy(self, instance):
        _service_call(services.course_delete, course=instance, by=self.request.user)

    @action(detail=True, methods=["post"], url_path="register-department")
    def register_department(self, request, pk=None):
        course = self.get_object()
        serializer = RegisterDepartmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.course_register_department(course=course, by=request.user,
                                                      **serializer.validated_data)
        return Response({"registered": len(created)}, status=status.HTTP_201_CREATED)


class ParticipationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           mixins.CreateModelMixin, mixins.DestroyModelMixin,
                           viewsets.GenericViewSet):
    """POST registers a staff member for a course; PATCH …/result/ records the result with
    its evidence (multipart for a certificate file); DELETE withdraws a registration
    without a result (409 otherwise)."""

    permission_classes = [StaffPermission]
    serializer_class = ParticipationSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        params = self.request.query_params
        return selectors.participation_list(user=self.request.user, filters={
            "course": params.get("course"), "staff": params.get("staff"),
            "result": params.get("result"), "kind": params.get("kind")})

    def perform_create(self, serializer):
        serializer.instance = services.participant_register(
            course=serializer.validated_data["course"],
            staff=serializer.validated_data["staff"], by=self.request.user)

    def perform_destroy(self, instance):
        _service_call(services.participation_withdraw, participation=instance,
                      by=self.request.user)

    @action(detail=True, methods=["patch", "put"])
    def result(self, request, pk=None):
        participation = self.get_object()
        serializer = ParticipationResultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participation = services.participation_record_result(
            participation=participation, by=request.user, **serializer.validated_data)
        return Response(ParticipationSerializer(participation).data)


class CoursewareViewSet(viewsets.ModelViewSet):
    """Teachers keep their own items (the author is then themselves); HR keeps all."""

    permission_classes = [StaffPermission]
    serializer_class = CoursewareSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    teacher_may_write = True

    def get_queryset(self):
        params = self.request.query_params
        return selectors.courseware_list(user=self.request.user, filters={
            "author": params.get("author"), "kind": params.get("kind"),
            "status": params.get("status"), "module": params.get("module")})

    def _acting_staff(self):
        if rules.can_manage_staff(self.request.user):
            return None
        staff = rules.own_staff_member(self.request.user)
        if staff is None:
            raise PermissionDenied(_("Your account is not linked to a staff record."))
        return staff

    def _save(self, serializer, item):
        data = dict(serializer.validated_data)
        upload = data.pop("file", None)
        acting = self._acting_staff()
        for name, value in data.items():
            setattr(item, name, value)
        if acting is None and not item.author_id:
            raise serializers.ValidationError({"author": [_("This field is required.")]})
        serializer.instance = services.courseware_save(item=item, by=self.request.user,
                                                       file=upload, acting_staff=acting)

    def perform_create(self, serializer):
        self._save(serializer, Courseware())

    def perform_update(self, serializer):
        self._save(serializer, Courseware.objects.get(pk=serializer.instance.pk))

    def perform_destroy(self, instance):
        self._acting_staff()
        services.courseware_delete(item=instance, by=self.request.user)


class IndicatorsViewSet(viewsets.ViewSet):
    """The 2222 staff indicators a1/a2 for ?as_of=YYYY-MM-DD (default today) and an optional
    ?department=<code>: overall, per department, targets and who is missing."""

    def get_permissions(self):
        return [IndicatorReaders()]

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


router.register("staff", StaffViewSet, basename="staff")
router.register("staff-departments", DepartmentViewSet, basename="staff-department")
router.register("staff-trainings", TrainingCourseViewSet, basename="staff-training")
router.register("staff-participations", ParticipationViewSet, basename="staff-participation")
router.register("staff-courseware", CoursewareViewSet, basename="staff-courseware")
router.register("staff-indicators", IndicatorsViewSet, basename="staff-indicators")
