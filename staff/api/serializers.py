"""Serializers of the staff API: reads mask the personal ID; writes are validated here
and again by the services."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

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
    # null for a staff member without a login: the schema says so (schemathesis found it).
    username = serializers.CharField(source="user.username", read_only=True, default=None,
                                     allow_null=True)

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

    def get_certificate_url(self, obj) -> str | None:
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

    def get_file_url(self, obj) -> str | None:
        return reverse("staff:courseware-file", args=[obj.pk]) if obj.file else None
