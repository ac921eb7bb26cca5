"""The nightly backup (CELERY_BEAT_SCHEDULE["backup-nightly"]): a thin wrapper."""

from celery import shared_task


@shared_task(name="vetschool.backups.nightly")
def backup_nightly() -> str:
    from vetschool.backups.create import backup_create

    return backup_create().name
