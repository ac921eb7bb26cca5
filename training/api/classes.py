"""Homeroom classes: create, edit, members, placing and moving learners."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import decorators, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from enrollment.models import Enrollment
from staff.models import StaffMember
from training import selectors, services
from training.api.common import TrainingViewSet, perms, valid
from training.models import HomeroomClass, MembershipReason, Program, Semester


class ClassSerializer(serializers.ModelSerializer):
    program_version = serializers.CharField(source="program.version_label", read_only=True)
    occupation_code = serializers.CharField(source="program.occupation.code", read_only=True)
    # null for a class without an advisor: the schema says so (schemathesis found it).
    advisor_name = serializers.CharField(source="advisor.full_name", read_only=True,
                                         default=None, allow_null=True)
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
        "create": perms("homeroomclass", "add"),
        "partial_update": perms("homeroomclass", "change"),
        "place": perms("homeroomclass", "change"), "move": perms("homeroomclass", "change"),
    }

    def get_queryset(self):
        return selectors.class_list(user=self.request.user)

    @extend_schema(request=ClassInput, responses=ClassSerializer)
    def create(self, request):
        homeroom_class = services.class_create(by=request.user, **valid(ClassInput,
                                                                         request.data))
        return Response(ClassSerializer(self.get_queryset().get(pk=homeroom_class.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=ClassInput, responses=ClassSerializer)
    def partial_update(self, request, pk=None):
        homeroom_class = self.get_object()
        data = valid(ClassInput, request.data, partial=True)
        fields = {k: v for k, v in data.items() if k in services.classes.CLASS_EDITABLE_FIELDS}
        services.class_update(homeroom_class=homeroom_class, by=request.user, **fields)
        return Response(ClassSerializer(self.get_queryset().get(pk=homeroom_class.pk)).data)

    @extend_schema(responses=MemberSerializer(many=True))
    @decorators.action(detail=True, pagination_class=None)  # a plain array, not a page
    def members(self, request, pk=None):
        members = selectors.class_members(homeroom_class=self.get_object())
        return Response(MemberSerializer(members, many=True).data)

    @extend_schema(request=inline_serializer("Place", {
        "enrollments": serializers.ListField(child=serializers.IntegerField()),
        "on": serializers.DateField(required=False)}), responses=MemberSerializer(many=True))
    @decorators.action(detail=True, methods=["post"], pagination_class=None)
    def place(self, request, pk=None):
        homeroom_class = self.get_object()
        data = valid(inline_serializer("PlaceInput", {
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
    @decorators.action(detail=True, methods=["post"], pagination_class=None)
    def move(self, request, pk=None):
        """Move a learner INTO this class (from their current one)."""
        to_class = self.get_object()
        data = valid(inline_serializer("MoveInput", {
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
