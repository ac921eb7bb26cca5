"""Surveys: open (invite), remind, answer, close, and the results (docs/quality.md,
"Surveys"). Anonymity rules are explained in quality/models/surveys.py; nothing here
logs an answer."""

from __future__ import annotations

import hashlib
import random
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quality.models import (
    Audience,
    Ballot,
    PendingBallot,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyInvitation,
    SurveyState,
    TracerRecord,
    TracerSource,
)

MIN_GROUP = 5  # results of a group under five respondents are never shown
LINK_DAYS = 30

LINK_UNKNOWN = _("This survey link is not valid.")
LINK_USED = _("This survey link has already been used: the answers were recorded once.")
LINK_EXPIRED = _("This survey link has expired.")
SURVEY_NOT_OPEN = _("This survey is not open.")
ALREADY_ANSWERED = _("You have already answered this survey.")
ANSWER_REQUIRED = _("This question needs an answer.")
BAD_CHOICE = _("Choose one of the options.")
BAD_SCALE = _("Choose a value from 1 to 5.")
TRACER_NAMED_ONLY = _("A graduate survey that fills tracking records cannot be anonymous.")


class LinkUnusable(Exception):
    pass


def batch_size() -> int:
    return max(MIN_GROUP, int(getattr(settings, "QUALITY_SURVEY_BATCH", MIN_GROUP)))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(token: str) -> str:
    return f"{settings.PUBLIC_URL.rstrip('/')}/survey/{token}/"


# --- opening: the ledger ---------------------------------------------------------------

def _invitees(survey: Survey) -> list[dict]:
    from degrees.models import Diploma, DiplomaStatus
    from quality.services import checkpoint_opens
    from staff.models import StaffMember
    from training.models import SectionLearner

    if survey.audience == Audience.SECTIONS:
        rows = (SectionLearner.objects.filter(section__in=survey.sections.all())
                .select_related("enrollment__learner"))
        return [{"enrollment": r.enrollment, "section_id": r.section_id,
                 "user_id": r.enrollment.learner.user_id,
                 "email": r.enrollment.learner.email} for r in rows]
    if survey.audience == Audience.GRADUATES:
        today = timezone.localdate()
        diplomas = (Diploma.objects.filter(status=DiplomaStatus.ISSUED)
                    .select_related("enrollment__learner").order_by("enrollment_id"))
        if survey.graduation_year:
            diplomas = diplomas.filter(graduation_year=survey.graduation_year)
        seen, out = set(), []
        for d in diplomas:
            if d.enrollment_id in seen:
                continue
            if survey.checkpoint and checkpoint_opens(d.decision_date, survey.checkpoint) > today:
                continue
            seen.add(d.enrollment_id)
            learner = d.enrollment.learner
            out.append({"enrollment": d.enrollment, "section_id": None,
                        "user_id": learner.user_id, "email": learner.email})
        return out
    if survey.audience == Audience.EMPLOYERS:
        return [{"contact": c, "email": c.email, "section_id": None}
                for c in _employer_contacts()]
    return [{"staff": s, "user_id": s.user_id, "email": s.email, "section_id": None}
            for s in StaffMember.objects.all()]


def _employer_contacts() -> list:
    """One contact per partner enterprise that has an active contact with an e-mail: the
    first who is not an internship mentor, else the first mentor (they answer by link)."""
    from enterprises.models import Contact

    chosen = {}
    for contact in (Contact.objects.filter(is_active=True).exclude(email="")
                    .order_by("enterprise_id", "is_mentor", "pk")):
        chosen.setdefault(contact.enterprise_id, contact)
    return list(chosen.values())


def _send_link(invitation: SurveyInvitation, survey: Survey, *, reminder=False) -> None:
    token = secrets.token_urlsafe(32)
    invitation.digest = token_digest(token)
    invitation.expires_at = timezone.now() + timedelta(days=LINK_DAYS)
    invitation.save(update_fields=["digest", "expires_at"])
    subject = (gettext("Reminder: survey “%(title)s”") if reminder
               else gettext("Survey “%(title)s”")) % {"title": survey.title}
    send_mail(subject=subject, message=gettext(
        "Please answer the college's survey “%(title)s” at this address, usable once, "
        "until %(until)s:\n%(url)s\n") % {
        "title": survey.title, "url": link_url(token),
        "until": survey.closes_on.strftime("%d/%m/%Y")},
        from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[invitation.email])


def _send_portal_note(invitation: SurveyInvitation, survey: Survey, *, reminder=False) -> None:
    if not invitation.email:
        return
    subject = (gettext("Reminder: survey “%(title)s”") if reminder
               else gettext("Survey “%(title)s”")) % {"title": survey.title}
    send_mail(subject=subject, message=gettext(
        "Please answer the college's survey “%(title)s” in the portal, under “My surveys”, "
        "by %(until)s.\n") % {"title": survey.title,
                              "until": survey.closes_on.strftime("%d/%m/%Y")},
        from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[invitation.email])


@transaction.atomic
def survey_open(*, survey: Survey) -> int:
    """Open a draft survey: write the ledger and invite (the portal for people with an
    account, a one-time link by e-mail for the others). Returns the number invited."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.state != SurveyState.DRAFT:
        raise ValidationError(gettext("Only a draft survey can be opened."))
    if not survey.questions.exists():
        raise ValidationError(gettext("Add at least one question first."))
    if survey.anonymous and survey.questions.exclude(tracer_field="").exists():
        raise ValidationError(str(TRACER_NAMED_ONLY))
    invited = 0
    for person in _invitees(survey):
        invitation = SurveyInvitation.objects.create(
            survey=survey, user_id=person.get("user_id"), enrollment=person.get("enrollment"),
            staff=person.get("staff"), section_id=person.get("section_id"),
            contact=person.get("contact"), email=person.get("email") or "")
        invited += 1
        if invitation.user_id:
            _send_portal_note(invitation, survey)
        elif invitation.email:
            _send_link(invitation, survey)
    survey.state = SurveyState.OPEN
    survey.save(update_fields=["state"])
    return invited


@transaction.atomic
def survey_remind(*, survey: Survey) -> int:
    """Remind everyone who has not answered (a link person gets a fresh link; the old one
    stops working)."""
    survey = Survey.objects.get(pk=survey.pk)
    if survey.state != SurveyState.OPEN:
        raise ValidationError(str(SURVEY_NOT_OPEN))
    sent = 0
    for invitation in survey.invitations.filter(answered=False).select_for_update():
        if invitation.user_id:
            _send_portal_note(invitation, survey, reminder=True)
        elif invitation.email:
            _send_link(invitation, survey, reminder=True)
        else:
            continue
        invitation.reminded += 1
        invitation.save(update_fields=["reminded"])
        sent += 1
    return sent


@transaction.atomic
def survey_close(*, survey: Survey) -> None:
    """Close: links stop working, waiting ballots are written (groups under five pooled,
    what would still stand alone destroyed), the close date is the only date ballots
    have."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.state != SurveyState.OPEN:
        raise ValidationError(str(SURVEY_NOT_OPEN))
    survey.invitations.filter(digest__isnull=False).update(digest=None, expires_at=None)
    pending = list(PendingBallot.objects.filter(survey=survey))
    groups = defaultdict(list)
    for ballot in pending:
        groups[(ballot.section_id_value, ballot.occupation_code)].append(ballot)
    keep, pool = [], []
    for rows in groups.values():
        (keep if len(rows) >= MIN_GROUP else pool).extend(rows)
    for ballot in pool:  # pooled: the grouping that would single someone out is dropped
        ballot.section_id_value, ballot.occupation_code = None, ""
    if len(pool) >= MIN_GROUP:
        keep.extend(pool)
    _write_ballots(survey, keep)
    PendingBallot.objects.filter(survey=survey).delete()
    survey.state = SurveyState.CLOSED
    survey.closed_on = timezone.localdate()
    survey.save(update_fields=["state", "closed_on"])


def _write_ballots(survey: Survey, rows: list) -> None:
    rows = list(rows)
    random.SystemRandom().shuffle(rows)
    Ballot.objects.bulk_create([
        Ballot(survey=survey, section_id_value=r.section_id_value,
               occupation_code=r.occupation_code, answers=r.answers) for r in rows])


# --- answering ---------------------------------------------------------------------------

def open_link(token: str, *, lock: bool = False) -> SurveyInvitation:
    rows = SurveyInvitation.objects.select_related("survey")
    if lock:
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(digest=token_digest(token or "")).first() if token else None
    if invitation is None:
        raise LinkUnusable(str(LINK_UNKNOWN))
    if invitation.answered:
        raise LinkUnusable(str(LINK_USED))
    if invitation.survey.state != SurveyState.OPEN:
        raise LinkUnusable(str(SURVEY_NOT_OPEN))
    if invitation.expires_at and invitation.expires_at <= timezone.now():
        raise LinkUnusable(str(LINK_EXPIRED))
    return invitation


def _valid_choice(q: Question, value) -> bool:
    if q.kind == QuestionKind.SINGLE:
        return value in q.option_list
    if q.kind == QuestionKind.MULTIPLE:
        return set(value) <= set(q.option_list)
    return True


def clean_answers(questions: list[Question], raw: dict) -> dict:
    """Answers keyed by question id (str), checked against each question's kind."""
    errors, answers = {}, {}
    for q in questions:
        key = str(q.pk)
        value = raw.get(key)
        if q.kind == QuestionKind.MULTIPLE:
            value = [v for v in (value or []) if v]
        elif isinstance(value, str):
            value = value.strip()
        if value in (None, "", []):
            if q.required:
                errors[key] = ANSWER_REQUIRED
            continue
        if q.kind == QuestionKind.SCALE:
            if str(value) not in {"1", "2", "3", "4", "5"}:
                errors[key] = BAD_SCALE
                continue
            value = int(value)
        elif not _valid_choice(q, value):
            errors[key] = BAD_CHOICE
            continue
        elif q.kind == QuestionKind.TEXT:
            value = str(value)[:2000]
        answers[key] = value
    if errors:
        raise ValidationError(errors)
    return answers


def _occupation_code(invitation: SurveyInvitation) -> str:
    """Graduate surveys are grouped by occupation; section surveys by section only (a
    finer grouping would leave more groups under five)."""
    if invitation.section_id or not invitation.enrollment_id:
        return ""
    return invitation.enrollment.occupation.code


def submit(*, invitation_id: int, raw: dict) -> None:
    """Record one person's answers once. The ledger flag and the answers are written in
    the same transaction; an anonymous ballot carries nothing of the invitation."""
    with transaction.atomic():
        invitation = (SurveyInvitation.objects.select_for_update(of=("self",))
                      .select_related("survey", "enrollment__occupation").get(pk=invitation_id))
        survey = invitation.survey
        if survey.state != SurveyState.OPEN:
            raise ValidationError(str(SURVEY_NOT_OPEN))
        if invitation.answered:
            raise ValidationError(str(ALREADY_ANSWERED))
        questions = list(survey.questions.all())
        answers = clean_answers(questions, raw)
        invitation.answered = True
        invitation.digest = None
        invitation.expires_at = None
        invitation.save(update_fields=["answered", "digest", "expires_at"])
        if not survey.anonymous:
            Response.objects.create(invitation=invitation, answers=answers)
            if survey.audience == Audience.GRADUATES and invitation.enrollment_id:
                _fill_tracer(invitation, survey, questions, answers)
            return
        group = (invitation.section_id, _occupation_code(invitation))
        PendingBallot.objects.create(survey=survey, section_id_value=group[0],
                                     occupation_code=group[1], answers=answers)
        waiting = PendingBallot.objects.select_for_update().filter(
            survey=survey, section_id_value=group[0], occupation_code=group[1])
        rows = list(waiting)
        if len(rows) >= batch_size():
            _write_ballots(survey, rows)
            PendingBallot.objects.filter(pk__in=[r.pk for r in rows]).delete()


def _fill_tracer(invitation, survey, questions, answers) -> None:
    from quality.services import tracer_record_save

    facts = {q.tracer_field: answers.get(str(q.pk)) for q in questions if q.tracer_field}
    if not facts.get("status"):
        return
    record = (TracerRecord.objects.filter(enrollment_id=invitation.enrollment_id,
                                          checkpoint=survey.checkpoint or 6).first()
              or TracerRecord(enrollment_id=invitation.enrollment_id,
                              checkpoint=survey.checkpoint or 6))
    record.status = facts["status"]
    record.employer_name = facts.get("employer_name") or ""
    record.relatedness = facts.get("relatedness") or ""
    record.income_band = facts.get("income_band") or ""
    months = facts.get("months_to_first_job")
    record.months_to_first_job = int(months) if str(months or "").isdigit() else None
    if record.status not in ("in_occupation", "outside", "self_employed"):
        record.relatedness = record.income_band = ""
    record.source = TracerSource.SURVEY
    tracer_record_save(record=record)


# --- results -----------------------------------------------------------------------------

@dataclass
class QuestionResult:
    question: Question
    count: int = 0
    mean: float | None = None
    distribution: list = field(default_factory=list)  # (label, n, percent)
    texts: list = field(default_factory=list)


@dataclass
class GroupResult:
    label: str
    respondents: int
    shown: bool
    questions: list = field(default_factory=list)


def _answer_rows(survey: Survey) -> list[tuple]:
    """(section id, occupation code, answers) of every counted response."""
    if survey.anonymous:
        return list(Ballot.objects.filter(survey=survey).values_list(
            "section_id_value", "occupation_code", "answers"))
    return [(s, "" if s else (code or ""), a) for s, code, a in
            Response.objects.filter(invitation__survey=survey).values_list(
                "invitation__section_id", "invitation__enrollment__occupation__code",
                "answers")]


def _summarise(label, questions, answer_dicts) -> GroupResult:
    n = len(answer_dicts)
    group = GroupResult(label=label, respondents=n, shown=n >= MIN_GROUP)
    if not group.shown:
        return group
    for q in questions:
        values = [a[str(q.pk)] for a in answer_dicts if str(q.pk) in a]
        result = QuestionResult(question=q, count=len(values))
        if q.kind == QuestionKind.SCALE:
            nums = [int(v) for v in values]
            result.mean = round(sum(nums) / len(nums), 2) if nums else None
            counter = Counter(nums)
            labels = [str(i) for i in range(1, 6)]
            counts = [counter[i] for i in range(1, 6)]
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            counter = Counter()
            for v in values:
                counter.update(v if isinstance(v, list) else [v])
            labels = q.option_list
            counts = [counter[o] for o in labels]
        else:
            result.texts = sorted(values)
            group.questions.append(result)
            continue
        total = len(values) or 1
        result.distribution = [(lab, c, round(100 * c / total))
                               for lab, c in zip(labels, counts, strict=True)]
        group.questions.append(result)
    return group


def results(survey: Survey, *, by: str = "", sections=None) -> list[GroupResult]:
    """The survey's results, whole (`by` empty) or by "module", "teacher", "section",
    "delivery_form" (online and blended teaching compared with in person), "year" (the
    sections' school year) or "occupation"; groups under five respondents are listed but
    not shown. `sections` limits the rows to those sections (a teacher's own)."""
    from training.models import Section, TeachingAssignment

    questions = list(survey.questions.all())
    rows = _answer_rows(survey)
    if sections is not None:
        allowed = set(sections)
        rows = [r for r in rows if r[0] in allowed]
    if not by:
        return [_summarise(gettext("All respondents"), questions, [r[2] for r in rows])]
    buckets = defaultdict(list)
    if by == "occupation":
        for _s, code, answers in rows:
            buckets[code or gettext("(not grouped)")].append(answers)
    else:
        section_ids = {r[0] for r in rows if r[0]}
        sections_by_id = {s.pk: s for s in Section.objects.filter(pk__in=section_ids)
                          .select_related("module", "semester__school_year")}
        teachers = defaultdict(list)
        for a in TeachingAssignment.objects.filter(section_id__in=section_ids).select_related(
                "staff"):
            teachers[a.section_id].append(str(a.staff))
        for s_id, _code, answers in rows:
            section = sections_by_id.get(s_id)
            if section is None:
                keys = [gettext("(not grouped)")]
            elif by == "module":
                keys = [str(section.module)]
            elif by == "teacher":
                keys = teachers.get(s_id) or [gettext("(no teacher)")]
            elif by == "delivery_form":
                keys = [str(section.get_delivery_form_display())]
            elif by == "year":
                keys = [str(section.semester.school_year)]
            else:
                keys = [str(section)]
            for key in keys:
                buckets[key].append(answers)
    return [_summarise(label, questions, answer_list)
            for label, answer_list in sorted(buckets.items())]


def response_counts(survey: Survey) -> dict:
    invited = survey.invitations.count()
    answered = survey.invitations.filter(answered=True).count()
    return {"invited": invited, "answered": answered,
            "rate": round(100 * answered / invited) if invited else None}


def results_xlsx(survey: Survey, *, by: str = "") -> bytes:
    from openpyxl import Workbook

    from vetschool.spreadsheets import safe_row, xlsx_bytes

    book = Workbook()
    sheet = book.active
    sheet.title = "Kết quả"
    sheet.append(safe_row([survey.title]))
    sheet.append(safe_row([gettext("Group"), gettext("Respondents"), gettext("Question"),
                           gettext("Answers"), gettext("Mean"), gettext("Option"),
                           gettext("Count"), gettext("Percent")]))
    for group in results(survey, by=by):
        if not group.shown:
            sheet.append(safe_row([group.label, gettext("under %(n)s: not shown")
                                   % {"n": MIN_GROUP}]))
            continue
        for r in group.questions:
            if r.question.kind == QuestionKind.TEXT:
                for text in r.texts:
                    sheet.append(safe_row([group.label, group.respondents, r.question.text,
                                           r.count, "", text]))
                continue
            for label, n, percent in r.distribution:
                sheet.append(safe_row([group.label, group.respondents, r.question.text,
                                       r.count, r.mean, label, n, percent]))
    return xlsx_bytes(book)
