from celery import shared_task

from enterprises import services


@shared_task(name="enterprises.agreement_reminders")
def agreement_reminders() -> int:
    """Every morning: e-mail the training office about agreements that end soon."""
    return services.agreement_reminders_send()
