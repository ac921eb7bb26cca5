"""Viewsets of the staff API: scoped reads (selectors), writes through the services."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from staff import rules, selectors, services
from staff.api.serializers import (
    CoursewareSerializer,
    DepartmentSerializer,
    EmploymentRecordSerializer,
    ParticipationResultSerializer,
    ParticipationSerializer,
    PositionSerializer,
    RegisterDepartmentSerializer,
    StaffMemberSerializer,
    StaffWriteSerializer,
    TrainingCourseSerializer,
)
from staff.models import Courseware, Department, TrainingCourse
from vetschool.privacy import reveal_reason_from


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

    @extend_schema(request=inline_serializer("StaffCreate", {
        **StaffWriteSerializer().get_fields(), **PositionSerializer().get_fields()}),
        responses={201: StaffMemberSerializer})
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

    @extend_schema(request=StaffWriteSerializer, responses=StaffMemberSerializer)
    def partial_update(self, request, pk=None):
        staff = self.get_object()
        serializer = StaffWriteSerializer(staff, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        staff = services.staff_update(staff=staff, by=request.user, **serializer.validated_data)
        return Response(StaffMemberSerializer(staff).data)

    @extend_schema(methods=["GET"], responses=EmploymentRecordSerializer(many=True))
    @extend_schema(methods=["POST"], request=PositionSerializer,
                   responses={201: EmploymentRecordSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # a plain array
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

    @extend_schema(
        request=inline_serializer("RevealReason", {"reason": serializers.CharField()}),
        responses=inline_serializer("StaffNationalId", {
            "id": serializers.IntegerField(), "national_id": serializers.CharField()}))
    @action(detail=True, methods=["post"], url_path="national-id")
    def national_id(self, request, pk=None):
        """The full personal ID number (HR office only): a POST giving the reason; every
        read is logged with it."""
        if not rules.can_reveal_national_id(request.user):
            raise PermissionDenied
        staff = self.get_object()
        reason = reveal_reason_from(request.data)
        number = services.staff_national_id_reveal(staff=staff, user=request.user,
                                                   path=request.path, reason=reason)
        response = Response({"id": staff.pk, "national_id": number})
        response["Cache-Control"] = "no-store"
        return response


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

    @extend_schema(request=RegisterDepartmentSerializer, responses={201: inline_serializer(
        "StaffRegistered", {"registered": serializers.IntegerField()})})
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

    @extend_schema(request=ParticipationResultSerializer, responses=ParticipationSerializer)
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
