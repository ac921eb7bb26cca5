"""The training office's bulk actions in the grading admin: each row goes through its
service, and what a service refuses is reported by row."""

import pytest
from django.contrib.messages import get_messages

from grading.models import AmendmentStatus, GradebookStatus
from grading.services import amendments as am
from grading.services import gradebook as gb
from tests.grading.factories import section, world
from tests.grading.test_gradebook import fill

pytestmark = pytest.mark.django_db


def _run(client, user, url, action, rows):
    client.force_login(user)
    response = client.post(url, {"action": action, "_selected_action": [r.pk for r in rows]})
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def submitted(teacher):
    w = world(2)
    sec = section(w, "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["8.5", "7"], "DK1": ["8", "7"], "THI1": ["9", "3.0"]})
    book = sec.gradebook
    book.refresh_from_db()
    gb.gradebook_submit(gradebook=book, by=teacher, version=book.version)
    return sec


def test_approve_action_approves_a_submitted_gradebook(client, registrar, submitted):
    book = submitted.gradebook
    messages = _run(client, registrar, "/admin/grading/gradebook/", "approve", [book])
    book.refresh_from_db()
    assert book.status == GradebookStatus.APPROVED
    assert len(messages) == 1 and "1" in messages[0]


def test_return_action_sends_a_gradebook_back(client, registrar, submitted):
    book = submitted.gradebook
    _run(client, registrar, "/admin/grading/gradebook/", "return_to_teacher", [book])
    book.refresh_from_db()
    assert book.status not in (GradebookStatus.SUBMITTED, GradebookStatus.APPROVED)


def test_amendment_actions_decide_and_report_refusals_by_row(client, registrar, teacher,
                                                            submitted):
    book = submitted.gradebook
    gb.gradebook_approve(gradebook=book, by=registrar)
    row = submitted.learners.order_by("pk").first()
    requested = [am.amendment_request(gradebook=book, section_learner=row, column="THI1",
                                      value=value, reason="Chấm phúc khảo", by=teacher)
                 for value in ("9.5",)]
    _run(client, registrar, "/admin/grading/amendment/", "reject", requested)
    requested[0].refresh_from_db()
    assert requested[0].status == AmendmentStatus.REJECTED
