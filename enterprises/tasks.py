"""Celery tasks of enterprises: thin wrappers that call one service (STYLE #10)."""

from celery import shared_task


@shared_task(name="enterprises.agreement_reminders")
def agreement_reminders() -> int:
    """Every morning: e-mail the training office about agreements that end soon."""
    from enterprises.services.agreements import agreement_reminders_send

    return agreement_reminders_send()
