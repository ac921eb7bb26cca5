"""What every app says about the number of a decision (quyết định) that a legal change of
record rests on: one text, translated once."""

from django.utils.translation import gettext_lazy as _

DECISION_REQUIRED = _("Give the decision number.")
