"""REST API of degrees under /api/v1/: graduation reviews, decisions and diplomas for the
registrar; a learner reads only their own diplomas (another's is 404); verification is a
public read-only endpoint, rate-limited like the page and as tight-lipped."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.response import Response

from degrees import rules, selectors
from degrees.models import (
    Classification,
    DecisionLine,
    Diploma,
    GraduationDecision,
    GraduationReview,
    ReviewLine,
)
from degrees.services import decisions, register, review
from training.models import HomeroomClass
from vetschool.api import router


class IsRegistrar(permissions.BasePermission):
    def has_permission(self, request, view):
        return rules.is_training_office(request.user)


class RegistrarOrOwnReads(permissions.BasePermission):
    """Registrar: everything. Other signed-in users: reads only (the queryset is theirs)."""

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        return (rules.is_training_office(request.user)
                or request.method in permissions.SAFE_METHODS)


class DiplomaSerializer(serializers.ModelSerializer):
    # An original diploma replaces none: null, and the schema must say it may be.
    replaces = serializers.SlugRelatedField(slug_field="serial_number", read_only=True,
                                            allow_null=True)
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Diploma
        fields = ("id", "serial_number", "register_number", "holder_name", "date_of_birth",
                  "occupation_code", "occupation_name_vi", "level", "classification",
                  "graduation_year", "decision_number", "decision_date", "issue_date",
                  "status", "replaces", "replacement_reason", "revocation_reason",
                  "revocation_decision_number", "revocation_decision_date", "verify_url",
                  "credential_id")

    def get_verify_url(self, obj) -> str:
        return register.verify_url(obj.token)


# --- Reviews -------------------------------------------------------------------------------


class ReviewLineSerializer(serializers.ModelSerializer):
    learner_code = serializers.CharField(source="enrollment.learner.code")
    full_name = serializers.CharField(source="enrollment.learner.full_name")

    class Meta:
        model = ReviewLine
        fields = ("id", "enrollment", "learner_code", "full_name", "eligible", "reasons",
                  "cumulative_gpa_4", "earned_credits", "required_credits", "retaken_modules",
                  "restudied_credits", "proposed_classification", "downgraded",
                  "downgrade_reasons", "discipline_level", "missing_requirements",
                  "final_eligible", "final_classification")


class ReviewSerializer(serializers.ModelSerializer):
    class_code = serializers.CharField(source="homeroom_class.code", read_only=True)
    lines = ReviewLineSerializer(many=True, read_only=True)

    class Meta:
        model = GraduationReview
        fields = ("id", "homeroom_class", "class_code", "review_date", "status", "note",
                  "created_at", "lines")
        read_only_fields = ("status", "created_at")


class ReviewRunSerializer(serializers.Serializer):
    homeroom_class = serializers.PrimaryKeyRelatedField(queryset=HomeroomClass.objects.all())
    review_date = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AdjustSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    eligible = serializers.BooleanField()
    classification = serializers.ChoiceField(choices=["", *Classification.values],
                                             required=False, default="")
    reason = serializers.CharField(allow_blank=True)


class GraduationReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              viewsets.GenericViewSet):
    permission_classes = [IsRegistrar]
    serializer_class = ReviewSerializer

    def get_queryset(self):
        return (GraduationReview.objects.select_related("homeroom_class")
                .prefetch_related("lines__enrollment__learner"))

    @extend_schema(request=ReviewRunSerializer, responses=ReviewSerializer)
    def create(self, request):
        data = ReviewRunSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = review.review_run(by=request.user, **data.validated_data)
        return Response(ReviewSerializer(self.get_queryset().get(pk=item.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=AdjustSerializer, responses=ReviewLineSerializer)
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        item = self.get_object()
        data = AdjustSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        line = ReviewLine.objects.filter(review=item, pk=values.pop("line")).first()
        if line is None:
            raise NotFound
        review.review_adjust(line=line, by=request.user, **values)
        line.refresh_from_db()
        return Response(ReviewLineSerializer(line).data)


# --- Decisions ------------------------------------------------------------------------------


class DecisionLineSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="enrollment.learner.full_name")

    class Meta:
        model = DecisionLine
        fields = ("id", "enrollment", "full_name", "classification", "cumulative_gpa_4")


class GraduationDecisionSerializer(serializers.ModelSerializer):
    lines = DecisionLineSerializer(many=True, read_only=True)

    class Meta:
        model = GraduationDecision
        fields = ("id", "review", "number", "date", "signer_name", "signer_title",
                  "recorded_at", "lines")
        read_only_fields = ("recorded_at",)
        extra_kwargs = {"number": {"validators": []}}


class IssueSerializer(serializers.Serializer):
    issue_date = serializers.DateField(required=False)


class GraduationDecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                                viewsets.GenericViewSet):
    permission_classes = [IsRegistrar]
    serializer_class = GraduationDecisionSerializer

    def get_queryset(self):
        return GraduationDecision.objects.prefetch_related("lines__enrollment__learner")

    def create(self, request):
        data = GraduationDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        item = decisions.decision_record(
            review=values["review"], number=values["number"], date_=values["date"],
            signer_name=values["signer_name"], signer_title=values.get("signer_title", ""),
            by=request.user)
        return Response(GraduationDecisionSerializer(self.get_queryset().get(pk=item.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=IssueSerializer, responses={201: DiplomaSerializer(many=True)})
    @action(detail=True, methods=["post"], pagination_class=None)  # a plain array
    def issue(self, request, pk=None):
        decision = self.get_object()
        data = IssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        issued = register.decision_issue_all(decision=decision, by=request.user,
                                             **data.validated_data)
        return Response(DiplomaSerializer(issued, many=True).data,
                        status=status.HTTP_201_CREATED)


# --- Diplomas -------------------------------------------------------------------------------


class ReplaceSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    issue_date = serializers.DateField(required=False)


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    decision_number = serializers.CharField(allow_blank=True)
    decision_date = serializers.DateField(allow_null=True)


class CopyIssuedSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    issued_on = serializers.DateField()


class CopySerializer(serializers.Serializer):
    requester_name = serializers.CharField(allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DiplomaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    """The register for the registrar; a learner's own diplomas for a learner."""

    permission_classes = [RegistrarOrOwnReads]
    serializer_class = DiplomaSerializer

    def get_queryset(self):
        if rules.is_training_office(self.request.user):
            return Diploma.objects.select_related("replaces").order_by("-year",
                                                                      "-serial_sequence")
        return selectors.own_diplomas(self.request.user)

    def _run(self, serializer_class, run, code=status.HTTP_200_OK):
        diploma = self.get_object()
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        result = run(diploma, data.validated_data)
        return Response(DiplomaSerializer(result).data if isinstance(result, Diploma)
                        else {"number": result.number, "issued_on": result.issued_on},
                        status=code)

    @extend_schema(request=ReplaceSerializer, responses={201: DiplomaSerializer})
    @action(detail=True, methods=["post"])
    def replace(self, request, pk=None):
        return self._run(ReplaceSerializer, lambda d, v: register.diploma_replace(
            diploma=d, by=request.user, **v), status.HTTP_201_CREATED)

    @extend_schema(request=RevokeSerializer, responses=DiplomaSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return self._run(RevokeSerializer, lambda d, v: register.diploma_revoke(
            diploma=d, by=request.user, **v))

    @extend_schema(request=CopySerializer, responses={201: CopyIssuedSerializer})
    @action(detail=True, methods=["post"])
    def copies(self, request, pk=None):
        return self._run(CopySerializer, lambda d, v: register.certified_copy_issue(
            diploma=d, by=request.user, **v), status.HTTP_201_CREATED)


# --- Public verification ----------------------------------------------------------------------


class VerificationSerializer(serializers.ModelSerializer):
    occupation_name = serializers.CharField(source="occupation_name_vi")

    class Meta:
        model = Diploma
        fields = ("serial_number", "status", "holder_name", "occupation_code",
                  "occupation_name", "occupation_name_en", "level", "classification",
                  "graduation_year")


class VerificationQuerySerializer(serializers.Serializer):
    serial_number = serializers.CharField(max_length=30)
    date_of_birth = serializers.DateField()


class VerificationViewSet(viewsets.ViewSet):
    """Public and read-only: POST `serial_number` + `date_of_birth`, or GET by the QR
    token."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    def _check_rate(self, request):
        if not selectors.verification_allowed(selectors.client_address(request)):
            raise Throttled

    @extend_schema(request=VerificationQuerySerializer, responses=VerificationSerializer)
    def create(self, request):
        """A look-up, not a creation: POST so that the date of birth travels in the body,
        never in the address (addresses end up in access logs and proxies)."""
        self._check_rate(request)
        query = VerificationQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        diploma = selectors.verify_by_serial(query.validated_data["serial_number"],
                                             query.validated_data["date_of_birth"])
        if not diploma:
            raise NotFound
        return Response(VerificationSerializer(diploma).data)

    @extend_schema(parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH,
                                                 description="the token of the QR code")],
                   responses=VerificationSerializer)
    def retrieve(self, request, pk=None):
        self._check_rate(request)
        try:
            diploma = selectors.verify_by_token(pk)
        except Exception as exc:  # not a UUID
            raise NotFound from exc
        if diploma is None:
            raise NotFound
        return Response(VerificationSerializer(diploma).data)


router.register("graduation-reviews", GraduationReviewViewSet, basename="graduation-review")
router.register("graduation-decisions", GraduationDecisionViewSet,
                basename="graduation-decision")
router.register("diplomas", DiplomaViewSet, basename="diploma")
router.register("diploma-verification", VerificationViewSet, basename="diploma-verification")
