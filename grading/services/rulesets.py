"""Recording the rule set in force (REGULATIONS.md §11).

GRADING_RULES is configuration, not data, so a change of it is seen when the system next
records: after every `migrate` (post_migrate, which every deployment runs) and by the
command `record_grading_rules`. The record keeps who, when and each old and new value.
"""

from __future__ import annotations

import getpass

from django.conf import settings
from django.db import connection, transaction

from grading.config import grading_rules, rules_as_settings
from grading.models import RuleSetChange

# Serialises two processes recording at once (two workers migrating).
LOCK_KEY = 2020_1105


def changed_by() -> str:
    """Who changed the rules: the configured operator, else the OS user, else the setting."""
    configured = getattr(settings, "GRADING_RULES_CHANGED_BY", "")
    if configured:
        return configured
    try:
        return getpass.getuser() or "GRADING_RULES"
    except (KeyError, OSError):  # no user name in a bare container
        return "GRADING_RULES"


def rule_set_record(*, by: str | None = None) -> RuleSetChange | None:
    """Record the effective rules if they differ from the last record; None if they do not."""
    values = rules_as_settings(grading_rules())
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        last = RuleSetChange.objects.order_by("-at", "-pk").first()
        if last is not None and last.values == values:
            return None
        old = last.values if last is not None else {}
        changes = {name: {"old": old.get(name), "new": value}
                   for name, value in values.items()
                   if last is not None and old.get(name) != value}
        return RuleSetChange.objects.create(by=(by or changed_by())[:150], values=values,
                                            changes=changes)


def rule_set_in_force() -> RuleSetChange | None:
    """The record of the rules in force now; None when they were changed but not recorded
    yet (the transcript then says so rather than naming a wrong date)."""
    last = RuleSetChange.objects.order_by("-at", "-pk").first()
    if last is None or last.values != rules_as_settings(grading_rules()):
        return None
    return last
