"""The graduation decision: numbered, dated, signed; recording it graduates the recognised
enrolments (enrollment's own service, with history) and freezes the results it relied on
(the database triggers of migration 0002 refuse any later change to them)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from degrees.models import (
    DecisionLine,
    GraduationDecision,
    GraduationReview,
    ReviewLine,
    ReviewStatus,
)
from enrollment.services.learners import enrollment_graduate

NOTHING_RECOGNISED = _("No learner of this review is recognised: nothing to decide.")
NUMBER_TAKEN = _("A decision with this number is already recorded.")
ALREADY_DECIDED = _("This review already has its decision.")
FIELD_REQUIRED = _("This field is required.")


def decision_record(*, review: GraduationReview, number: str, date_: date, signer_name: str,
                    signer_title: str, by) -> GraduationDecision:
    """Record the decision on a review: its recognised lines become the decision's lines."""
    number, signer_name = (number or "").strip(), (signer_name or "").strip()
    errors = {name: ValidationError(FIELD_REQUIRED, code="required")
              for name, value in (("number", number), ("signer_name", signer_name),
                                  ("date", date_)) if not value}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = GraduationReview.objects.select_for_update().get(pk=review.pk)
        if review.status != ReviewStatus.OPEN:
            raise ValidationError(ALREADY_DECIDED, code="decided")
        lines = list(ReviewLine.objects.filter(review=review, final_eligible=True)
                     .select_related("enrollment"))
        if not lines:
            raise ValidationError(NOTHING_RECOGNISED, code="empty")
        if GraduationDecision.objects.filter(number=number).exists():
            raise ValidationError({"number": ValidationError(NUMBER_TAKEN, code="taken")})
        try:
            with transaction.atomic():
                decision = GraduationDecision.objects.create(
                    review=review, number=number, date=date_, signer_name=signer_name,
                    signer_title=(signer_title or "").strip(), recorded_by=by)
        except IntegrityError as exc:
            raise ValidationError({"number": ValidationError(NUMBER_TAKEN, code="taken")}) \
                from exc
        DecisionLine.objects.bulk_create([
            DecisionLine(decision=decision, enrollment=line.enrollment, review_line=line,
                         classification=line.final_classification,
                         cumulative_gpa_4=line.cumulative_gpa_4)
            for line in lines])
        for line in lines:
            enrollment_graduate(enrollment=line.enrollment, decision_number=number,
                                decision_date=date_, by=by, effective_date=date_,
                                reason=str(_("Graduation decision")))
        review.status = ReviewStatus.DECIDED
        review.save(update_fields=["status"])
    return decision
