"""Admission decisions: allowed transitions, reasons, and quotas that hold."""

import pytest
from django.core.exceptions import ValidationError

from enrollment import services
from enrollment.models import ApplicationLog, ApplicationStatus, RoundQuota
from enrollment.services import admission
from tests.enrollment.factories import application, occupation, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_college(db):
    return occupation("6480201", "Công nghệ thông tin")


@pytest.fixture
def accounting(db):
    return occupation("6340301", "Kế toán")


@pytest.fixture
def round_(it_college, accounting):
    return open_round(quotas={it_college: 1, accounting: 2})


def test_admission_takes_the_best_ranked_wish_with_a_place_left(round_, it_college,
                                                                accounting, registrar):
    first = application(round_, [it_college, accounting])
    second = application(round_, [it_college, accounting])

    first = services.application_admit(application=first, by=registrar)
    second = services.application_admit(application=second, by=registrar)

    assert (first.status, first.admitted_occupation) == ("admitted", it_college)
    assert (second.status, second.admitted_occupation) == ("admitted", accounting)
    assert second.decided_by == registrar
    assert second.log.last().action == ApplicationLog.ADMITTED


def test_a_full_quota_refuses_the_admission_and_says_so(round_, it_college, registrar):
    services.application_admit(application=application(round_, [it_college]), by=registrar)
    late = application(round_, [it_college])
    with pytest.raises(ValidationError) as excinfo:
        services.application_admit(application=late, by=registrar)
    assert excinfo.value.code == "quota_full"
    assert "6480201 Công nghệ thông tin" in excinfo.value.messages[0]
    late.refresh_from_db()
    assert late.status == "submitted"


def test_the_registrar_may_admit_to_a_chosen_wish_only(round_, it_college, accounting,
                                                       registrar):
    app = application(round_, [it_college])
    with pytest.raises(ValidationError) as excinfo:
        services.application_admit(application=app, by=registrar, occupation=accounting)
    assert excinfo.value.code == "not_a_wish"
    app = services.application_admit(application=app, by=registrar, occupation=it_college)
    assert app.admitted_occupation == it_college


def test_withdrawing_an_admission_releases_the_place(round_, it_college, registrar):
    first = services.application_admit(application=application(round_, [it_college]),
                                       by=registrar)
    services.application_reject(application=first, by=registrar,
                                reason="Thí sinh từ chối nhập học.")
    second = services.application_admit(application=application(round_, [it_college]),
                                        by=registrar)
    assert second.status == "admitted"


def test_reject_needs_a_reason_and_changes_need_a_message(round_, it_college, registrar):
    app = application(round_, [it_college])
    with pytest.raises(ValidationError) as excinfo:
        services.application_reject(application=app, by=registrar, reason="  ")
    assert excinfo.value.message_dict == {"reason": [str(admission.REASON_REQUIRED)]}
    with pytest.raises(ValidationError) as excinfo:
        services.application_request_changes(application=app, by=registrar, message="")
    assert excinfo.value.message_dict == {"message": [str(admission.MESSAGE_REQUIRED)]}
    app.refresh_from_db()
    assert app.status == "submitted"


def test_waitlist_then_admit(round_, it_college, registrar):
    app = services.application_waitlist(application=application(round_, [it_college]),
                                        by=registrar, reason="Chờ kết quả xét tuyển đợt 2")
    assert app.status == "waitlisted"
    assert app.decision_reason == "Chờ kết quả xét tuyển đợt 2"
    app = services.application_admit(application=app, by=registrar)
    assert app.status == "admitted"
    assert [e.action for e in app.log.all()] == [ApplicationLog.WAITLISTED,
                                                 ApplicationLog.ADMITTED]


@pytest.mark.parametrize(
    ("status", "decide"),
    [
        (ApplicationStatus.ADMITTED, "admit"),
        (ApplicationStatus.ENROLLED, "reject"),
        (ApplicationStatus.ENROLLED, "waitlist"),
        (ApplicationStatus.ADMITTED, "request_changes"),
        (ApplicationStatus.REJECTED, "reject"),
    ],
)
def test_decisions_that_do_not_follow_the_status_are_refused(round_, it_college, registrar,
                                                             status, decide):
    admitted = it_college if status in ("admitted", "enrolled") else None
    app = application(round_, [it_college], status=status, admitted=admitted)
    kwargs = {"reason": "x"} if decide in ("reject", "waitlist") else {}
    if decide == "request_changes":
        kwargs = {"message": "x"}
    with pytest.raises(ValidationError) as excinfo:
        getattr(services, f"application_{decide}")(application=app, by=registrar, **kwargs)
    assert excinfo.value.code == "not_decidable"
    app.refresh_from_db()
    assert app.status == status


def test_an_admitted_application_always_names_its_occupation_in_the_database(round_,
                                                                             it_college):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        application(round_, [it_college], status=ApplicationStatus.ADMITTED, admitted=None)


def test_quotas_cannot_drop_below_the_admitted_nor_lose_a_chosen_occupation(
        round_, it_college, accounting, registrar):
    services.application_admit(application=application(round_, [it_college]), by=registrar)
    application(round_, [accounting])
    with pytest.raises(ValidationError) as excinfo:
        services.round_quotas_set(round=round_, places={it_college: 0}, by=registrar)
    messages = excinfo.value.messages
    assert any("cannot be lower than the 1 applicants" in m for m in messages)
    assert any("cannot be removed from the round" in m for m in messages)
    assert RoundQuota.objects.get(round=round_, occupation=it_college).places == 1

    services.round_quotas_set(round=round_, places={it_college: 4, accounting: 2},
                              by=registrar)
    assert RoundQuota.objects.get(round=round_, occupation=it_college).places == 4
