"""Other graduation requirements of a program version (§4.1 c) and learners' certificates:
requirements freeze with the version and follow it to a new one; certificates are recorded by
the training office only, for a requirement of the learner's own version, never edited."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse

from tests.training.factories import homeroom_class, program
from training import services
from training.models import CertificateKind, LearnerCertificate, RequirementKind
from training.services.certificates import (
    certificate_record,
    certificate_revoke,
    requirement_save,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    draft = program(activate=False)
    requirement_save(program=draft, code="nn-b1", kind=RequirementKind.LANGUAGE,
                     name_vi="Tiếng Anh bậc 3 (B1)")
    services.program_activate(program=draft, decision_number="120/QĐ-CĐSH",
                              decision_date=date(2025, 8, 1))
    draft.refresh_from_db()
    return draft


def test_a_requirement_belongs_to_its_version_and_follows_it(version):
    assert list(version.requirements.values_list("code", flat=True)) == ["NN-B1"]
    with pytest.raises(ValidationError):
        requirement_save(program=version, code="NN-B1", kind=RequirementKind.LANGUAGE,
                         name_vi="Trùng mã")
    copy = services.program_new_version(program=version, effective_year=2026)
    assert list(copy.requirements.values_list("code", "kind")) == [("NN-B1", "language")]


def test_a_version_in_use_keeps_its_requirements(version):
    klass = homeroom_class(version, members=1)
    version.refresh_from_db()
    assert version.is_locked and klass.pk
    with pytest.raises(ValidationError):
        requirement_save(program=version, code="TH-CB", kind=RequirementKind.IT,
                         name_vi="Tin học cơ bản")
    with pytest.raises(DatabaseError), transaction.atomic():
        version.requirements.update(name_vi="Đổi tên")


def test_certificates_are_the_offices_and_name_the_learners_own_requirement(
        version, registrar, teacher):
    klass = homeroom_class(version, members=1)
    enrollment = klass.memberships.get().enrollment
    requirement = version.requirements.get()
    with pytest.raises(PermissionDenied):
        certificate_record(enrollment=enrollment, kind=CertificateKind.PHYSICAL_EDUCATION,
                           number="GDTC-1", issued_on=date(2026, 5, 1), by=teacher)
    with pytest.raises(ValidationError) as caught:
        certificate_record(enrollment=enrollment, kind=CertificateKind.REQUIREMENT,
                           number="B1-1", issued_on=date(2026, 5, 1), by=registrar)
    assert "requirement" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        certificate_record(enrollment=enrollment, kind=CertificateKind.PHYSICAL_EDUCATION,
                           requirement=requirement, number="X", issued_on=date(2026, 5, 1),
                           by=registrar)
    assert "requirement" in caught.value.message_dict
    elsewhere = requirement_save(program=program(year=2024, activate=False), code="TH-CB",
                                 kind=RequirementKind.IT, name_vi="Tin học cơ bản")
    with pytest.raises(ValidationError) as caught:
        certificate_record(enrollment=enrollment, kind=CertificateKind.REQUIREMENT,
                           requirement=elsewhere, number="X", issued_on=date(2026, 5, 1),
                           by=registrar)
    assert caught.value.message_dict["requirement"] == [
        "This requirement is not one of the learner's program version."]
    certificate = certificate_record(enrollment=enrollment, kind=CertificateKind.REQUIREMENT,
                                     requirement=requirement, number="B1-0042",
                                     issued_on=date(2026, 5, 1), by=registrar)
    with pytest.raises(DatabaseError), transaction.atomic():
        LearnerCertificate.objects.filter(pk=certificate.pk).update(number="B1-0043")
    certificate_revoke(certificate=certificate, reason="Chứng chỉ không hợp lệ", by=registrar)
    certificate.refresh_from_db()
    assert certificate.revoked_on is not None
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, reason="Lần nữa", by=registrar)


def test_only_the_office_opens_the_certificate_page(client, registrar, qa_officer):
    url = reverse("admin:training_learnercertificate_add")
    client.force_login(qa_officer)
    assert client.get(url).status_code == 403
    client.force_login(registrar)
    assert client.get(url).status_code == 200
