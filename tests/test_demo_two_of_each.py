"""seed_demo gives two logins per role (vetschool.demo.DEMO_USERS): the second learner and
teacher have their own class, sections and results, and neither sees the first one's; two
graduates have their own diplomas, and neither sees the other's."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from degrees.models import Diploma
from enrollment.models import Learner
from grading.models import ModuleResult
from staff.models import StaffMember
from training.models import ClassMembership, Section
from vetschool import demo

pytestmark = pytest.mark.django_db(transaction=False)
User = get_user_model()


# The demo is built around today: a fixed day makes its semesters known.
@pytest.mark.time_machine(datetime(2026, 10, 1, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
def test_the_second_of_each_role_sees_only_their_own(client):
    demo.seed_all()
    for username in ("registrar2", "teacher2", "learner2", "qa2", "hr2", "graduate2"):
        first = User.objects.get(username=username[:-1])
        second = User.objects.get(username=username)
        assert set(second.groups.values_list("name", flat=True)) == set(
            first.groups.values_list("name", flat=True))
        assert second.check_password(demo.DEMO_PASSWORD)
    assert {u for _label, u, _p in demo.logins()} >= {"teacher2", "learner2", "registrar2"}

    one, two = (Learner.objects.get(user__username=name) for name in ("learner", "learner2"))
    classes = {name: ClassMembership.objects.get(enrollment__learner=learner,
                                                 to_date__isnull=True).homeroom_class
               for name, learner in (("learner", one), ("learner2", two))}
    assert classes["learner"] != classes["learner2"]
    assert classes["learner"].admission_year == classes["learner2"].admission_year
    assert ModuleResult.objects.filter(enrollment__learner=two).exists()

    # learner2 reads their own transcript, never the first learner's.
    client.force_login(two.user)
    page = client.get("/student/transcript/")
    assert page.status_code == 200
    text = page.content.decode()
    assert two.code in text and one.code not in text and one.full_name not in text
    assert client.get(f"/office/learners/{one.pk}/transcript/").status_code in (403, 404)
    assert client.get(f"/office/learners/{one.pk}/transcript.pdf").status_code in (403, 404)

    # teacher2 teaches learner2's class, and none of the first teacher's sections.
    first_staff = StaffMember.objects.get(user__username="teacher")
    second_staff = StaffMember.objects.get(user__username="teacher2")
    theirs = list(Section.objects.filter(assignments__staff=first_staff))
    own = Section.objects.filter(assignments__staff=second_staff)
    assert theirs and own.filter(learners__enrollment__learner=two).exists()
    assert not own.filter(pk__in=[s.pk for s in theirs]).exists()
    client.force_login(second_staff.user)
    home = client.get("/teacher/")
    assert home.status_code == 200
    listed = {s.pk for s in home.context["sections"]}
    assert listed and not listed & {s.pk for s in theirs}
    for section in theirs:
        for path in (f"/teacher/sections/{section.pk}/",
                     f"/teacher/sections/{section.pk}/gradebook/",
                     f"/teacher/sections/{section.pk}/attendance/"):
            assert client.get(path).status_code in (403, 404), path
    mine = own.first()
    assert client.get(f"/teacher/sections/{mine.pk}/").status_code == 200

    # graduate and graduate2 each hold a valid diploma and see only their own.
    diplomas = {name: list(Diploma.objects.filter(enrollment__learner__user__username=name,
                                                  status="issued"))
                for name in ("graduate", "graduate2")}
    assert diplomas["graduate"] and diplomas["graduate2"]
    for name, other in (("graduate", "graduate2"), ("graduate2", "graduate")):
        client.force_login(User.objects.get(username=name))
        mine, theirs = diplomas[name][0], diplomas[other][0]
        page = client.get("/student/diplomas/")
        assert page.status_code == 200
        text = page.content.decode()
        assert mine.serial_number in text and theirs.serial_number not in text
        assert theirs.holder_name not in text
        assert client.get(f"/student/diplomas/{mine.pk}/copy.pdf").status_code == 200
        assert client.get(f"/student/diplomas/{theirs.pk}/copy.pdf").status_code == 404
        assert client.get(f"/student/diplomas/{theirs.pk}/credential.json").status_code == 404
        assert ModuleResult.objects.filter(enrollment__learner__user__username=name).exists()

    # Seeding again changes nothing.
    linked = (Learner.objects.get(user__username="learner2").pk,
              StaffMember.objects.get(user__username="teacher2").pk,
              Learner.objects.get(user__username="graduate").pk,
              Learner.objects.get(user__username="graduate2").pk)
    demo.seed_all()
    assert (Learner.objects.get(user__username="learner2").pk,
            StaffMember.objects.get(user__username="teacher2").pk,
            Learner.objects.get(user__username="graduate").pk,
            Learner.objects.get(user__username="graduate2").pk) == linked
