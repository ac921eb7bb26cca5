"""The record of the rule set in force (REGULATIONS.md §11): each change of the effective
GRADING_RULES values — who, when, old and new value — kept for ever, so a transcript can
say which rules applied since when."""

import pgtrigger
from django.db import models
from django.utils.translation import gettext_lazy as _


@pgtrigger.register(
    pgtrigger.Protect(name="rule_set_change_append_only",
                      operation=pgtrigger.Update | pgtrigger.Delete),
)
class RuleSetChange(models.Model):
    """The effective rule set from `at` on, and what changed against the one before."""

    at = models.DateTimeField(_("in force since"), auto_now_add=True)
    by = models.CharField(_("changed by"), max_length=150)
    values = models.JSONField(_("rules in force"))
    changes = models.JSONField(
        _("changes"), default=dict, blank=True,
        help_text=_("Each changed rule with its old and new value; empty for the first "
                    "record."),
    )

    class Meta:
        ordering = ["-at", "-pk"]
        get_latest_by = ["at", "pk"]
        verbose_name = _("rule set change")
        verbose_name_plural = _("rule set changes")
        constraints = [
            models.CheckConstraint(condition=~models.Q(by=""), name="rule_set_change_has_author"),
        ]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} · {self.by}"
