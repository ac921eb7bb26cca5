"""The registrar's console end to end: import a program, put it in force, open classes,
generate the semester's sections, assign teachers, move a learner — all through services."""

import pytest
from django.urls import reverse

from tests.enrollment.factories import occupation
from tests.training.factories import (
    enrolments,
    homeroom_class,
    program,
    school_year,
    semester,
    staff_member,
)
from tests.training.test_program_import import xlsx
from training.models import (
    ClassMembership,
    HomeroomClass,
    LearningOutcome,
    Module,
    Program,
    ProgramStatus,
    Section,
    TeachingAssignment,
)

pytestmark = pytest.mark.django_db


def management(response) -> dict:
    """The management forms of the inlines of an admin change page, as POST data."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for field, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{field}"] = value
        for number, form in enumerate(formset.forms):
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is not None and name != "DELETE":
                    data[f"{formset.prefix}-{number}-{name}"] = getattr(value, "pk", value)
    return data


def test_registrar_imports_a_program_adds_outcomes_and_puts_it_in_force(client, registrar):
    occupation()
    client.force_login(registrar)
    url = reverse("admin:training_program_import")
    upload = {"occupation": occupation().pk, "effective_year": 2025, "dry_run": "on"}
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload["file"] = SimpleUploadedFile("ctdt.xlsx", xlsx())
    response = client.post(url, upload)
    assert response.status_code == 200
    assert response.context["outcome"].ok and not Program.objects.exists()
    upload.pop("dry_run")
    upload["file"] = SimpleUploadedFile("ctdt.xlsx", xlsx())
    response = client.post(url, upload)
    version = Program.objects.get()
    assert response.status_code == 302 and version.modules.count() == 7

    change = reverse("admin:training_program_change", args=[version.pk])
    page = client.get(change)
    data = {**management(page), "name_vi": version.name_vi, "name_en": "", "short_code": "cntt",
            "duration_months": 36, "objectives": "Đào tạo kỹ thuật viên CNTT.",
            "decision_number": "", "decision_date": ""}
    data.update({"outcomes-TOTAL_FORMS": 1, "outcomes-0-code": "S1", "outcomes-0-domain":
                 "skills", "outcomes-0-text_vi": "Khai thác dữ liệu số an toàn.",
                 "outcomes-0-is_digital_capability": "on", "outcomes-0-order": 1,
                 "outcomes-0-text_en": ""})
    response = client.post(change, data)
    assert response.status_code == 302, response.context and response.context[
        "adminform"].form.errors
    version.refresh_from_db()
    assert version.short_code == "CNTT"
    assert LearningOutcome.objects.get(program=version).is_digital_capability

    activate = reverse("admin:training_program_activate", args=[version.pk])
    response = client.post(activate, {"decision_number": "12/QĐ-CĐSH",
                                      "decision_date": "2025-08-01"})
    # 32 credits is below the college minimum: refused, with the reason.
    assert response.status_code == 200
    assert "60" in " ".join(response.context["form"].non_field_errors())
    version.refresh_from_db()
    assert version.status == ProgramStatus.DRAFT


def test_module_form_saves_through_the_service_and_shows_its_refusals(client, registrar):
    version = program(activate=False)
    client.force_login(registrar)
    add = reverse("admin:training_module_add") + f"?program={version.pk}"
    base = {"program": version.pk, "name_vi": "Kiểm thử phần mềm", "name_en": "",
            "unit_type": "module", "kind": "specialized", "credits": 4, "theory_hours": 30,
            "practice_hours": 56, "exam_hours": 4, "planned_semester": 5,
            "counts_in_gpa": "on", "order": "", "description": "", "exam_form": "practical",
            "continuous_checks": "", "periodic_checks": "", "exam_minutes": 90}
    response = client.post(add, {**base, "code": "MĐ09"})
    assert response.status_code == 200
    assert "MĐ09" in str(response.context["adminform"].form.errors)
    moved = version.modules.get(code="MĐ07").pk
    response = client.post(add, {**base, "code": "md 17", "prerequisite_modules": [moved]})
    assert response.status_code == 302
    module = Module.objects.get(program=version, code="MD17")
    assert list(module.prerequisites.values_list("code", flat=True)) == ["MĐ07"]
    assert module.assessment_plan.get(kind="exam").duration_minutes == 90


def test_a_version_in_use_is_read_only_in_the_admin(client, registrar):
    school_year(2025)
    version = program()
    homeroom_class(version, members=1)
    client.force_login(registrar)
    change = reverse("admin:training_program_change", args=[version.pk])
    page = client.get(change)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    response = client.post(change, {"name_vi": "Khác"})
    assert response.status_code == 403
    module = version.modules.first()
    # Its modules' change pages show read-only (a form with no fields was a KeyError).
    page = client.get(reverse("admin:training_module_change", args=[module.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert module.code in page.content.decode()
    assert client.post(reverse("admin:training_module_change", args=[module.pk]),
                       {"name_vi": "x"}).status_code == 403
    # A new version is the way to change it.
    response = client.post(reverse("admin:training_program_new_version", args=[version.pk]),
                           {"effective_year": 2026})
    copy = Program.objects.get(effective_year=2026)
    assert response.url == reverse("admin:training_program_change", args=[copy.pk])


def test_registrar_opens_classes_generates_sections_and_assigns_teachers(client, registrar):
    school_year(2025)
    version = program()
    enrolments(40, occ=version.occupation)
    client.force_login(registrar)
    response = client.post(reverse("admin:training_homeroomclass_open"), {
        "program": version.pk, "admission_year": 2025, "class_size": 20, "on": "2025-09-05"})
    assert response.status_code == 302
    assert list(HomeroomClass.objects.values_list("code", flat=True).order_by("code")) == [
        "CD25CNTT1", "CD25CNTT2"]
    first = semester(2025, 1)
    response = client.post(reverse("admin:training_semester_generate", args=[first.pk]), {})
    assert response.status_code == 302, response.context["form"].errors
    sections = Section.objects.filter(semester=first)
    assert sections.count() == 2 * version.modules.filter(planned_semester=1).count()

    section = sections.order_by("code").first()
    teacher = staff_member(name="Nguyễn Văn Hùng")
    change = reverse("admin:training_section_change", args=[section.pk])
    page = client.get(change)
    data = {**management(page), "code": section.code, "capacity": "",
            "schedule": "Thứ 2, tiết 1–5, phòng A203", "note": ""}
    data.update({"assignments-0-staff": teacher.pk, "assignments-0-role": "main",
                 "assignments-0-hours": ""})
    response = client.post(change, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert TeachingAssignment.objects.get(section=section).staff == teacher
    section.refresh_from_db()
    assert section.schedule.startswith("Thứ 2")
    # A second main teacher is refused with the service's words.
    page = client.get(change)
    other = staff_member(name="Hoàng Thị Lan")
    data = {**management(page), "code": section.code, "capacity": "", "schedule": "",
            "note": "", "assignments-1-staff": other.pk, "assignments-1-role": "main",
            "assignments-1-hours": "", "assignments-TOTAL_FORMS": 2}
    response = client.post(change, data, follow=True)
    # The row is tried by the service first: its refusal shows on the row itself.
    assert "main teacher" in response.content.decode()
    assert TeachingAssignment.objects.filter(section=section).count() == 1


def test_registrar_moves_a_learner(client, registrar):
    school_year(2025)
    version = program()
    a = homeroom_class(version, code="CD25CNTT1", members=2)
    b = homeroom_class(version, code="CD25CNTT2")
    membership = a.memberships.first()
    client.force_login(registrar)
    url = reverse("admin:training_homeroomclass_move", args=[membership.pk])
    response = client.post(url, {"enrollment": membership.enrollment_id, "to_class": b.pk,
                                 "on": "2025-01-01", "reason": "transfer",
                                 "decision_number": "", "note": ""})
    assert response.status_code == 200  # before the placement: refused on the form
    assert response.context["form"].errors
    response = client.post(url, {"enrollment": membership.enrollment_id, "to_class": b.pk,
                                 "on": "2025-10-01", "reason": "transfer",
                                 "decision_number": "45/QĐ-CĐSH", "note": ""})
    assert response.status_code == 302
    assert ClassMembership.objects.get(enrollment=membership.enrollment,
                                       to_date__isnull=True).homeroom_class == b
    page = client.get(reverse("admin:training_homeroomclass_change", args=[a.pk]))
    assert page.status_code == 200


@pytest.mark.parametrize("url_name", [
    "admin:training_program_changelist", "admin:training_module_changelist",
    "admin:training_homeroomclass_changelist", "admin:training_section_changelist",
    "admin:training_semester_changelist", "admin:training_schoolyear_changelist",
    "admin:training_teachingassignment_changelist", "admin:training_classmembership_changelist",
    "admin:training_enrollmentprogram_changelist",
])
def test_list_pages_load_in_few_queries(client, registrar, url_name,
                                        django_assert_max_num_queries):
    school_year(2025)
    version = program()
    for n in range(3):
        klass = homeroom_class(version, code=f"CD25CNTT{n + 1}", members=2)
        klass.advisor = staff_member()
        klass.save()
    from training import services

    services.semester_sections_generate(semester=semester(2025, 1))
    client.force_login(registrar)
    with django_assert_max_num_queries(20):
        assert client.get(reverse(url_name)).status_code == 200


def test_qa_officer_reads_but_cannot_write(client, qa_officer):
    version = program(activate=False)
    client.force_login(qa_officer)
    assert client.get(reverse("admin:training_program_changelist")).status_code == 200
    response = client.post(reverse("admin:training_program_change", args=[version.pk]),
                           {"name_vi": "x"})
    assert response.status_code == 403
    assert client.get(reverse("admin:training_program_import")).status_code == 403
    assert client.get(reverse("admin:training_homeroomclass_open")).status_code == 403


def test_teachers_have_no_admin(client, teacher):
    client.force_login(teacher)
    changelist = reverse("admin:training_program_changelist")
    response = client.get(changelist)
    assert response.status_code == 302
    # A logged-in user without staff access is sent to the admin login, not to the page.
    assert response.url == f"{reverse('admin:login')}?next={changelist}"
