"""Survey pages: "my surveys" in the portal, the one-time link page (no account), the QA
results (with XLSX) and a teacher's results for their own sections."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from quality import rules
from quality import surveys as service
from quality.models import QuestionKind, Survey, SurveyInvitation, SurveyState
from vetschool import ratelimit
from vetschool.accounts.decorators import allowed, login_required, role_required
from vetschool.accounts.roles import TEACHER

WINDOW_SECONDS = 3600
GROUPINGS = {"", "module", "teacher", "section", "delivery_form", "year", "occupation"}


def _raw(request, questions) -> dict:
    raw = {}
    for q in questions:
        key = str(q.pk)
        raw[key] = (request.POST.getlist(f"q{key}") if q.kind == QuestionKind.MULTIPLE
                    else request.POST.get(f"q{key}", ""))
    return raw


def _answer_page(request, invitation, *, template_done, context):
    questions = list(invitation.survey.questions.all())
    errors = {}
    if request.method == "POST":
        try:
            service.submit(invitation_id=invitation.pk, raw=_raw(request, questions))
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return render(request, "quality/survey_unusable.html",
                              {"reason": " ".join(exc.messages)}, status=410)
            errors = {key: " ".join(str(m) for e in v for m in e.messages)
                      for key, v in exc.error_dict.items()}
        else:
            return render(request, template_done, {"survey": invitation.survey})
    # The form echoes nothing a respondent typed back into a log; values are re-shown only
    # in the page itself.
    items = [{"q": q, "error": errors.get(str(q.pk), ""),
              "value": (request.POST.getlist(f"q{q.pk}") if q.kind == QuestionKind.MULTIPLE
                        else request.POST.get(f"q{q.pk}", ""))} for q in questions]
    return render(request, "quality/survey_answer.html",
                  {"survey": invitation.survey, "invitation": invitation, "items": items,
                   "scale": ["1", "2", "3", "4", "5"]} | context,
                  status=400 if errors else 200)


@login_required
def my_surveys(request):
    invitations = (SurveyInvitation.objects.filter(user=request.user)
                   .select_related("survey", "section__module")
                   .order_by("answered", "survey__closes_on"))
    return render(request, "quality/my_surveys.html", {"invitations": invitations})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_survey_answer(request, pk: int):
    invitation = get_object_or_404(
        SurveyInvitation.objects.select_related("survey", "section__module"),
        pk=pk, user=request.user)
    if invitation.answered or invitation.survey.state != SurveyState.OPEN:
        reason = (service.ALREADY_ANSWERED if invitation.answered
                  else service.SURVEY_NOT_OPEN)
        return render(request, "quality/survey_unusable.html", {"reason": str(reason)},
                      status=410)
    return _answer_page(request, invitation, template_done="quality/survey_done.html",
                        context={"portal": True})


def _rate_key(request) -> str:
    return f"quality:survey-link:{ratelimit.client_address(request)}"


def _unlogged(view):
    """The link's path is the respondent's key: Django's request log (4xx warnings) must
    not write it (django.utils.log.log_response skips a response marked as logged)."""
    from functools import wraps

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response._has_been_logged = True
        return response
    return wrapper


@never_cache
@_unlogged
@require_http_methods(["GET", "POST"])
def survey_link(request, token: str):
    if ratelimit.count(_rate_key(request)) >= settings.QUALITY_SURVEY_LINK_RATE:
        return render(request, "quality/survey_unusable.html", {
            "reason": gettext("Too many invalid links from this address; try again in an "
                              "hour.")}, status=429)
    try:
        invitation = service.open_link(token)
    except service.LinkUnusable as exc:
        ratelimit.hit(_rate_key(request), WINDOW_SECONDS)
        return render(request, "quality/survey_unusable.html", {"reason": str(exc)},
                      status=410)
    return _answer_page(request, invitation, template_done="quality/survey_done.html",
                        context={"portal": False})


@allowed(rules.can_read_quality)
def survey_list(request):
    surveys = Survey.objects.order_by("-closes_on", "title")
    return render(request, "quality/surveys.html", {
        "rows": [(s, service.response_counts(s)) for s in surveys[:200]]})


def _by(request) -> str:
    by = request.GET.get("by", "")
    return by if by in GROUPINGS else ""


@allowed(rules.can_read_quality)
def survey_results(request, pk: int):
    survey = get_object_or_404(Survey, pk=pk)
    by = _by(request)
    return render(request, "quality/survey_results.html", {
        "survey": survey, "by": by, "groups": service.results(survey, by=by),
        "counts": service.response_counts(survey), "min_group": service.MIN_GROUP,
        "groupings": [("", gettext("Whole survey")), ("module", gettext("By module")),
                      ("teacher", gettext("By teacher")), ("section", gettext("By section")),
                      ("delivery_form", gettext("By delivery form (in person, online, "
                                                "blended)")),
                      ("year", gettext("By school year")),
                      ("occupation", gettext("By occupation"))]})


@allowed(rules.can_read_quality)
def survey_results_xlsx(request, pk: int):
    survey = get_object_or_404(Survey, pk=pk)
    response = HttpResponse(
        service.results_xlsx(survey, by=_by(request)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="khao-sat-{survey.pk}.xlsx"'
    return response


@role_required(TEACHER)
def teacher_survey_results(request):
    """A teacher sees the aggregates of their own sections only (five respondents or
    more)."""
    from training.models import TeachingAssignment

    staff = getattr(request.user, "staff_member", None)
    if staff is None:
        raise Http404
    own = set(TeachingAssignment.objects.filter(staff=staff).values_list("section_id",
                                                                         flat=True))
    surveys = Survey.objects.filter(sections__in=own).exclude(state=SurveyState.DRAFT)\
        .distinct().order_by("-closes_on")
    blocks = [(s, service.results(s, by="section", sections=own)) for s in surveys[:50]]
    return render(request, "quality/teacher_surveys.html",
                  {"blocks": blocks, "min_group": service.MIN_GROUP})
