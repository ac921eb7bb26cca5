"""REST API of enrolment under /api/v1/: applications, learners, enrolments.

Thin: reads come from `enrollment.selectors` (scoped to the asking user), writes call
`enrollment.services`. Personal ID numbers are masked; the full number of a learner is a
separate read (`POST /learners/{id}/national-id/` with the reason), logged with the reason.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import decorators, permissions, serializers, viewsets
from rest_framework.filters import BaseFilterBackend, OrderingFilter
from rest_framework.response import Response

from enrollment import rules, selectors, services
from enrollment.filters import (
    UNKNOWN_OCCUPATION,
    ApplicationFilter,
    EnrollmentFilter,
    LearnerFilter,
    occupation_condition,
)
from enrollment.models import (
    Application,
    ApplicationWish,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    Learner,
    StudyMode,
)
from enrollment.services.learners import REGISTRAR_STATUSES
from vetschool.accounts.services import personal_data_access_log
from vetschool.api import router
from vetschool.privacy import reveal_reason_from
from vetschool.reference.models import Occupation

# =============================================================================
# Permissions and search
# =============================================================================


class EnrolmentPermission(permissions.BasePermission):
    """Reads need the model's view permission (staff) or, where `learner_may_read`, the
    learner role (the selector then shows only their own records). Writes need
    `write_permission`."""

    def has_permission(self, request, view):
        user = request.user
        if not user.is_authenticated:
            return False
        # A read that must be a POST (the full personal ID: its reason travels in the body).
        if (request.method in permissions.SAFE_METHODS
                or view.action in getattr(view, "post_reads", ())):
            if rules.can_view(user, view.queryset_model._meta.model_name):
                return True
            return getattr(view, "learner_may_read", False) and rules.is_learner(user)
        return rules.can_write(user, getattr(view, "write_permissions", {}).get(view.action, ()))


class AccentInsensitiveSearch(BaseFilterBackend):
    """`?search=`: name words without accents, a code prefix or a full personal ID."""

    def filter_queryset(self, request, queryset, view):
        term = request.query_params.get("search", "").strip()
        return view.search(queryset, term) if term else queryset

    def get_schema_operation_parameters(self, view):
        return [{
            "name": "search", "required": False, "in": "query",
            "description": "Name (accents optional, every word must match), code prefix, "
                           "or the full 12-digit personal ID number.",
            "schema": {"type": "string"},
        }]


# =============================================================================
# Applications
# =============================================================================


class WishSerializer(serializers.ModelSerializer):
    occupation_code = serializers.CharField(source="occupation.code")
    occupation_name = serializers.CharField(source="occupation.name_vi")
    level = serializers.CharField(source="occupation.level")

    class Meta:
        model = ApplicationWish
        fields = ("rank", "occupation_code", "occupation_name", "level")


class ApplicationSerializer(serializers.ModelSerializer):
    round_name = serializers.CharField(source="round.name")
    admission_year = serializers.IntegerField(source="round.year")
    national_id = serializers.CharField(source="national_id_masked")
    ethnicity_code = serializers.CharField(source="ethnic_group.code")
    province_code = serializers.CharField(source="province.code")
    wishes = WishSerializer(many=True)
    admitted_occupation_code = serializers.CharField(source="admitted_occupation.code",
                                                     allow_null=True, default=None)
    level = serializers.CharField(allow_null=True)

    class Meta:
        model = Application
        fields = ("id", "tracking_code", "round", "round_name", "admission_year", "status",
                  "full_name", "date_of_birth", "gender", "national_id", "ethnicity_code",
                  "province_code", "address", "phone", "email", "education_level",
                  "school_name", "graduation_year", "wishes", "admitted_occupation_code",
                  "level", "decision_reason", "changes_requested", "decided_at",
                  "submitted_at")


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    occupation = serializers.CharField(required=False, allow_blank=True, default="",
                                       help_text="admit only: occupation code of one wish")


class ChangesSerializer(serializers.Serializer):
    message = serializers.CharField()


class EnrolSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=50)
    decision_date = serializers.DateField()
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    expected_end_date = serializers.DateField(required=False, allow_null=True, default=None)
    mode = serializers.ChoiceField(choices=StudyMode.choices, default=StudyMode.FULL_TIME)


ENROLMENT_RESULT = inline_serializer("EnrolmentResult", {
    "learner": serializers.IntegerField(), "learner_code": serializers.CharField(),
    "enrollment": serializers.IntegerField(), "username": serializers.CharField(),
    "one_time_password": serializers.CharField(allow_null=True),
})


class EnrolmentViewSet(viewsets.ReadOnlyModelViewSet):
    """What the enrolment API's viewsets share: the permission (`queryset_model`,
    `learner_may_read`, `write_permissions` say who may) and filter, search, ordering."""

    permission_classes = [EnrolmentPermission]
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend,
                       AccentInsensitiveSearch, OrderingFilter]


class ApplicationViewSet(EnrolmentViewSet):
    """Applications to admission rounds, with the registrar's decisions as actions."""

    serializer_class = ApplicationSerializer
    queryset_model = Application
    filterset_class = ApplicationFilter
    ordering_fields = ("submitted_at", "full_name", "tracking_code")
    write_permissions = {
        **dict.fromkeys(("admit", "waitlist", "reject", "request_changes"),
                        ("enrollment.change_application",)),
        "enrol": ("enrollment.change_application", "enrollment.add_learner",
                  "enrollment.add_enrollment"),
    }

    def get_queryset(self):
        return selectors.application_list(user=self.request.user)

    @staticmethod
    def search(queryset, term):
        return selectors.application_search(queryset, term)

    def _done(self, application):
        application = self.get_queryset().get(pk=application.pk)
        return Response(ApplicationSerializer(application).data)

    @extend_schema(request=DecisionSerializer, responses=ApplicationSerializer)
    @decorators.action(detail=True, methods=["post"])
    def admit(self, request, pk=None):
        data = _valid(DecisionSerializer, request)
        occupation = None
        if data["occupation"]:
            occupation = Occupation.objects.filter(occupation_condition(data["occupation"])).first()
            if occupation is None:  # never fall back to the best wish on a typo
                raise ValidationError({"occupation": ValidationError(
                    UNKNOWN_OCCUPATION, code="unknown", params={"code": data["occupation"]})})
        application = services.application_admit(application=self.get_object(),
                                                 by=request.user, occupation=occupation,
                                                 reason=data["reason"])
        return self._done(application)

    @extend_schema(request=DecisionSerializer, responses=ApplicationSerializer)
    @decorators.action(detail=True, methods=["post"])
    def waitlist(self, request, pk=None):
        data = _valid(DecisionSerializer, request)
        return self._done(services.application_waitlist(application=self.get_object(),
                                                        by=request.user,
                                                        reason=data["reason"]))

    @extend_schema(request=DecisionSerializer, responses=ApplicationSerializer)
    @decorators.action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = _valid(DecisionSerializer, request)
        return self._done(services.application_reject(application=self.get_object(),
                                                      by=request.user, reason=data["reason"]))

    @extend_schema(request=ChangesSerializer, responses=ApplicationSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        data = _valid(ChangesSerializer, request)
        return self._done(services.application_request_changes(
            application=self.get_object(), by=request.user, message=data["message"]))

    @extend_schema(request=EnrolSerializer, responses={201: ENROLMENT_RESULT})
    @decorators.action(detail=True, methods=["post"])
    def enrol(self, request, pk=None):
        data = _valid(EnrolSerializer, request)
        result = services.application_enroll(application=self.get_object(), by=request.user,
                                             **data)
        response = Response({
            "learner": result.learner.pk, "learner_code": result.learner.code,
            "enrollment": result.enrollment.pk, "username": result.username,
            "one_time_password": result.password,
        }, status=201)
        response["Cache-Control"] = "no-store"
        return response


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# =============================================================================
# Learners and enrolments
# =============================================================================


class EnrollmentBriefSerializer(serializers.ModelSerializer):
    occupation_code = serializers.CharField(source="occupation.code")
    occupation_name = serializers.CharField(source="occupation.name_vi")

    class Meta:
        model = Enrollment
        fields = ("id", "occupation_code", "occupation_name", "level", "admission_year",
                  "mode", "start_date", "expected_end_date", "status", "status_date")


class LearnerSerializer(serializers.ModelSerializer):
    national_id = serializers.SerializerMethodField()
    ethnicity_code = serializers.CharField(source="ethnic_group.code")
    province_code = serializers.CharField(source="province.code", allow_null=True,
                                          default=None)
    enrollments = EnrollmentBriefSerializer(many=True)

    class Meta:
        model = Learner
        fields = ("id", "code", "full_name", "date_of_birth", "gender", "national_id",
                  "ethnicity_code", "nationality", "province_code", "phone", "email",
                  "enrollments")

    def get_national_id(self, learner) -> str:
        # Masked for staff; a learner reads their own number in full.
        user = self.context["request"].user
        if learner.user_id and learner.user_id == user.pk:
            return learner.national_id or ""
        return learner.national_id_masked


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    by = serializers.CharField()
    changes = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class LearnerViewSet(EnrolmentViewSet):
    """Learner records; a learner sees only their own."""

    serializer_class = LearnerSerializer
    queryset_model = Learner
    learner_may_read = True
    post_reads = ("national_id",)
    filterset_class = LearnerFilter
    ordering_fields = ("code", "full_name", "date_of_birth")

    def get_queryset(self):
        return selectors.learner_list(user=self.request.user)

    @staticmethod
    def search(queryset, term):
        return selectors.learner_search(queryset, term)

    @extend_schema(
        request=inline_serializer("LearnerRevealReason", {
            "reason": serializers.CharField(required=False)}),
        responses=inline_serializer("NationalId", {
            "national_id": serializers.CharField(allow_null=True)}))
    @decorators.action(detail=True, methods=["post"], url_path="national-id")
    def national_id(self, request, pk=None):
        """The full personal ID number: a POST. Staff give the reason, and every read by
        staff is logged with it; a learner reads their own without one."""
        learner = self.get_object()
        if learner.user_id != request.user.pk and learner.national_id:
            reason = reveal_reason_from(request.data)
            personal_data_access_log(user=request.user, subject=learner, field="national_id",
                                     path=request.path, reason=reason)
        response = Response({"national_id": learner.national_id})
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    # The whole history at once (it is short): not paginated, so the schema must not say so.
    @decorators.action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        entries = selectors.learner_history(self.get_object())
        return Response(HistoryEntrySerializer(entries, many=True).data)


class EnrollmentSerializer(serializers.ModelSerializer):
    learner_code = serializers.CharField(source="learner.code")
    learner_name = serializers.CharField(source="learner.full_name")
    occupation_code = serializers.CharField(source="occupation.code")
    occupation_name = serializers.CharField(source="occupation.name_vi")
    round = serializers.IntegerField(source="application.round_id", allow_null=True,
                                     default=None)

    class Meta:
        model = Enrollment
        fields = ("id", "learner", "learner_code", "learner_name", "occupation_code",
                  "occupation_name", "level", "admission_year", "mode", "start_date",
                  "expected_end_date", "status", "status_date", "round", "application")


class StatusChangeSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", allow_null=True, default=None)

    class Meta:
        model = EnrollmentStatusChange
        fields = ("id", "from_status", "to_status", "decision_number", "decision_date",
                  "effective_date", "reason", "source", "reverts", "by", "at")


class StatusDecisionSerializer(serializers.Serializer):
    # Every status is accepted here so that graduated/dismissed get the service's message.
    status = serializers.ChoiceField(choices=EnrollmentStatus.choices,
                                     help_text="one of " + ", ".join(REGISTRAR_STATUSES))
    decision_number = serializers.CharField(max_length=50)
    decision_date = serializers.DateField()
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField()


class EnrollmentViewSet(EnrolmentViewSet):
    """Enrolments; status decisions are recorded with `POST /enrollments/{id}/status/`."""

    serializer_class = EnrollmentSerializer
    queryset_model = Enrollment
    learner_may_read = True
    filterset_class = EnrollmentFilter
    ordering_fields = ("admission_year", "status_date", "learner__code")
    write_permissions = {"status": ("enrollment.change_enrollment",
                                    "enrollment.add_enrollmentstatuschange")}

    def get_queryset(self):
        return selectors.enrollment_list(user=self.request.user)

    @staticmethod
    def search(queryset, term):
        return selectors.enrollment_search(queryset, term)

    @extend_schema(methods=["GET"], responses=StatusChangeSerializer(many=True))
    @extend_schema(methods=["POST"], request=StatusDecisionSerializer,
                   responses={201: StatusChangeSerializer},
                   parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)])
    @decorators.action(detail=True, methods=["get", "post"], pagination_class=None)
    def status(self, request, pk=None):
        """GET: the status history. POST: record a registrar's status decision
        (graduated and dismissed are set by degrees and by grading's standing)."""
        enrollment = self.get_object()
        if request.method == "GET":
            changes = enrollment.status_changes.select_related("by").order_by("at", "id")
            return Response(StatusChangeSerializer(changes, many=True).data)
        data = _valid(StatusDecisionSerializer, request)
        change = services.enrollment_change_status(enrollment=enrollment, by=request.user,
                                                   **data)
        return Response(StatusChangeSerializer(change).data, status=201)


router.register("applications", ApplicationViewSet, basename="application")
router.register("learners", LearnerViewSet, basename="learner")
router.register("enrollments", EnrollmentViewSet, basename="enrollment")
