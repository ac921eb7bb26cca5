"""The one "log in, then check" decorator, the one definition of the training office, and
the rules modules of degrees and enrollment (personas × rules)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from degrees import rules as degree_rules
from enrollment import rules as enrollment_rules
from vetschool.accounts import roles
from vetschool.accounts.decorators import allowed, login_required, role_required

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "registrar", "teacher", "learner", "qa_officer", "hr_officer",
            "superuser"]


def _user(request, name):
    return AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)


def _call(view, user):
    http = RequestFactory().get("/somewhere/?x=1")
    http.user = user
    return view(http)


def _ok(request):
    return HttpResponse("ok")


@pytest.mark.parametrize("decorator", [
    allowed(roles.is_training_office), role_required(roles.REGISTRAR),
    allowed(lambda user: False, roles=(roles.REGISTRAR,)), login_required,
], ids=["rule", "role", "rule-or-role", "login"])
def test_a_visitor_is_sent_to_the_login_page(decorator):
    response = _call(decorator(_ok), AnonymousUser())
    assert response.status_code == 302
    assert "next=/somewhere/%3Fx%3D1" in response["Location"]


def test_a_user_failing_the_rule_gets_403_and_one_passing_it_the_page(teacher, registrar):
    view = allowed(roles.is_training_office)(_ok)
    with pytest.raises(PermissionDenied):
        _call(view, teacher)
    assert _call(view, registrar).status_code == 200


def test_roles_pass_when_the_rule_does_not(teacher, learner):
    view = allowed(lambda user: False, roles=(roles.TEACHER,))(_ok)
    assert _call(view, teacher).status_code == 200
    with pytest.raises(PermissionDenied):
        _call(view, learner)
    assert _call(login_required(_ok), learner).status_code == 200


def test_a_decorator_without_rule_or_roles_is_a_mistake():
    with pytest.raises(TypeError):
        allowed()


# persona: (training office = registrar, enrollment learner, may view applications)
TABLE = {
    "anonymous": (False, False, False),
    "registrar": (True, False, True),
    "teacher": (False, False, False),
    "learner": (False, True, False),
    "qa_officer": (False, False, True),
    "hr_officer": (False, False, False),
    "superuser": (True, False, True),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_rules_table(request, persona):
    user = _user(request, persona)
    office, learner, view_applications = TABLE[persona]
    assert roles.is_training_office(user) is office
    assert degree_rules.is_training_office(user) is office
    assert enrollment_rules.is_learner(user) is learner
    assert enrollment_rules.can_view(user, "application") is view_applications
    assert enrollment_rules.can_write(user, ()) is False
