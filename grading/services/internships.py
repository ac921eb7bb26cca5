"""Internships at enterprises: placing learners of an internship section, the mentor's
one-time evaluation link, and the mentor's scores written into the gradebook.

The mentor's scores go through the gradebook's own cell-writing path
(`gradebook.entry.gradebook_cells_write`): the same parsing and Decimal rules, the same lock, the
same refusal once the book is submitted or approved; the teacher reviews them, submits, the
office approves; history records the mentor's placement as the context of the change, and
the sync sends the score like any other.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grading.models import MentorEvaluation, MentorLink, Placement
from grading.models.internships import token_digest
from grading.services.gradebook.changes import CellInput
from grading.services.gradebook.entry import gradebook_cells_write, gradebook_for_section
from grading.sheet import Column, load_sheet
from training.models import ModuleKind

NOT_INTERNSHIP = _("%(module)s is not an internship module: learners of its sections are not "
                   "placed at enterprises.")
LEARNER_LEFT = _("The learner has left this section.")
AGREEMENT_OTHER = _("This agreement is with another enterprise.")
AGREEMENT_NO_INTERNSHIPS = _("The enterprise's agreement %(number)s does not cover internships.")
AGREEMENT_NOT_IN_FORCE = _("Agreement %(number)s is not in force for the whole placement "
                           "(%(starts)s–%(ends)s).")
NO_AGREEMENT = _("The college has no agreement covering internships with this enterprise.")
MENTOR_OTHER = _("The mentor must be a contact person of the placement's enterprise.")
OUTSIDE_SEMESTER = _("The placement must lie within the section's semester "
                     "(%(starts)s–%(ends)s).")
ENDS_BEFORE_START = _("The placement cannot end before it starts.")
EXAM_NOT_FOR_MENTOR = _("The exam is the college's: a mentor scores the checks only.")
OTHER_LEARNER = _("A mentor scores only their own intern.")

LINK_USED = _("This evaluation link has already been used.")
LINK_EXPIRED = _("This evaluation link has expired.")
LINK_REVOKED = _("This evaluation link was withdrawn by the college.")
LINK_UNKNOWN = _("This evaluation link is not valid.")


class LinkUnusable(Exception):
    """A mentor link that cannot be used; `str()` says why, for the mentor's page."""


def _day(value) -> str:
    return value.strftime("%d/%m/%Y")


def _agreement_for(placement: Placement):
    from enterprises.models import Agreement

    return (Agreement.objects.filter(enterprise=placement.enterprise_id, internships=True,
                                     starts_on__lte=placement.starts_on)
            .exclude(ends_on__lt=placement.ends_on).order_by("-starts_on").first())


def placement_problems(placement: Placement) -> dict:
    """What is wrong with a placement, by field (empty when it may be stored)."""
    errors: dict[str, list] = {}

    def refuse(field, message, **params):
        errors.setdefault(field, []).append(str(message) % params if params else str(message))

    entry = placement.section_learner
    section = entry.section
    if section.module.kind != ModuleKind.INTERNSHIP:
        refuse("section_learner", NOT_INTERNSHIP, module=str(section.module))
    if entry.removed_at is not None:
        refuse("section_learner", LEARNER_LEFT)
    if placement.starts_on and placement.ends_on:
        if placement.ends_on < placement.starts_on:
            refuse("ends_on", ENDS_BEFORE_START)
        semester = section.semester
        if placement.starts_on < semester.starts_on or placement.ends_on > semester.ends_on:
            refuse("starts_on", OUTSIDE_SEMESTER, starts=_day(semester.starts_on),
                   ends=_day(semester.ends_on))
    if placement.agreement_id is None and placement.enterprise_id and not errors:
        found = _agreement_for(placement)
        if found is None:
            refuse("enterprise", NO_AGREEMENT)
        else:
            placement.agreement = found
    agreement = placement.agreement if placement.agreement_id else None
    if agreement is not None:
        if agreement.enterprise_id != placement.enterprise_id:
            refuse("agreement", AGREEMENT_OTHER)
        elif not agreement.internships:
            refuse("agreement", AGREEMENT_NO_INTERNSHIPS, number=agreement.number)
        elif placement.starts_on and placement.ends_on and not (
                agreement.in_force_on(placement.starts_on)
                and agreement.in_force_on(placement.ends_on)):
            refuse("agreement", AGREEMENT_NOT_IN_FORCE, number=agreement.number,
                   starts=_day(agreement.starts_on),
                   ends=_day(agreement.ends_on) if agreement.ends_on else "…")
    if placement.mentor_id and placement.mentor.enterprise_id != placement.enterprise_id:
        refuse("mentor", MENTOR_OTHER)
    return errors


@transaction.atomic
def placement_save(*, placement: Placement, by=None) -> Placement:
    """Place a learner of an internship section at an enterprise; refused (nothing stored)
    outside the semester, without an agreement covering internships in force for the whole
    placement, or with another enterprise's mentor. The agreement is found when not given."""
    errors = placement_problems(placement)
    if errors:
        raise ValidationError(errors)
    if placement._state.adding and by is not None:
        placement.created_by = by
    placement.full_clean()
    placement.save()
    return placement


# --- the mentor's link ----------------------------------------------------------------------

@dataclass(frozen=True)
class IssuedLink:
    link: MentorLink
    token: str

    @property
    def url(self) -> str:
        return f"{settings.PUBLIC_URL.rstrip('/')}/mentor/{self.token}/"


@transaction.atomic
def mentor_link_issue(*, placement: Placement, by=None) -> IssuedLink:
    """A new one-time link for the placement's mentor; any open link is revoked first."""
    now = timezone.now()
    MentorLink.objects.filter(placement=placement, used_at__isnull=True,
                              revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    link = MentorLink.objects.create(
        placement=placement, digest=token_digest(token), created_by=by,
        expires_at=now + timedelta(days=settings.GRADING_MENTOR_LINK_DAYS))
    return IssuedLink(link, token)


def mentor_link_send(*, placement: Placement, by=None) -> IssuedLink:
    """Issue a link and e-mail it to the mentor (who needs an e-mail address)."""
    mentor = placement.mentor
    if not mentor.email:
        raise ValidationError(gettext("%(name)s has no e-mail address: add one to the contact "
                                 "first.") % {"name": mentor.full_name})
    issued = mentor_link_issue(placement=placement, by=by)
    learner = placement.section_learner.enrollment.learner
    send_mail(
        subject=gettext("Internship evaluation of %(learner)s") % {"learner": learner.full_name},
        message=gettext("Dear %(mentor)s,\n\nPlease evaluate the internship of %(learner)s "
                   "(%(module)s) at this address, valid until %(until)s and usable once:\n"
                   "%(url)s\n") % {
            "mentor": mentor.full_name, "learner": learner.full_name,
            "module": placement.section_learner.section.module.name_vi,
            "until": timezone.localtime(issued.link.expires_at).strftime("%d/%m/%Y"),
            "url": issued.url},
        from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[mentor.email])
    return issued


def mentor_link_open(token: str, *, lock: bool = False) -> MentorLink:
    """The usable link of `token`, or LinkUnusable saying why not."""
    links = MentorLink.objects.select_related(
        "placement__section_learner__section__module", "placement__enterprise",
        "placement__section_learner__enrollment__learner", "placement__mentor")
    if lock:
        links = links.select_for_update(of=("self",))
    link = links.filter(digest=token_digest(token or "")).first()
    if link is None:
        raise LinkUnusable(str(LINK_UNKNOWN))
    if link.used_at is not None:
        raise LinkUnusable(str(LINK_USED))
    if link.revoked_at is not None:
        raise LinkUnusable(str(LINK_REVOKED))
    if link.expires_at <= timezone.now():
        raise LinkUnusable(str(LINK_EXPIRED))
    return link


def mentor_columns(placement: Placement) -> list[Column]:
    """The columns a mentor scores: the checks of the module's plan open in the current
    sitting (never the exam)."""
    book = gradebook_for_section(section=placement.section_learner.section)
    sheet = load_sheet(book)
    return [column for column in sheet.columns
            if not column.is_exam and sheet.column_editable(column)]


def mentor_evaluation_submit(*, token: str, scores: dict[str, str],
                             comment: str = "") -> MentorEvaluation:
    """The mentor's evaluation: the link is checked and used in the same transaction as the
    scores are written into the gradebook, so a reused link changes nothing."""
    with transaction.atomic():
        link = mentor_link_open(token, lock=True)
        placement = link.placement
        entry_id = placement.section_learner_id

        def allow(row, column):
            if row.id != entry_id:
                return ValidationError(OTHER_LEARNER, code="other_learner")
            if column.is_exam:
                return ValidationError(EXAM_NOT_FOR_MENTOR, code="exam")
            return None

        book = gradebook_for_section(section=placement.section_learner.section)
        cells = [CellInput(entry_id, code, value) for code, value in scores.items()]
        with pghistory.context(service="grading.mentor_evaluation", placement=placement.pk):
            gradebook_cells_write(book, by=None, base_version=None, cells=cells, allow=allow,
                        by_name=gettext("%(name)s (enterprise mentor)")
                        % {"name": placement.mentor.full_name})
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        return MentorEvaluation.objects.create(
            placement=placement, link=link, comment=comment.strip(),
            scores={code: str(value).strip() for code, value in scores.items()})
