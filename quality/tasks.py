"""Celery tasks of quality: thin wrappers taking ids and calling one service."""

from celery import shared_task


@shared_task(name="quality.statistical_report_run")
def statistical_report_run(report_id: int) -> None:
    from quality.reports import report_run

    report_run(report_id=report_id)


@shared_task(name="quality.open_data_publish")
def open_data_publish() -> None:
    from quality.opendata import publish

    publish()
