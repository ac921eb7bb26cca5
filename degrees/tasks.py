"""Celery tasks of degrees: thin wrappers that take ids and call one service (STYLE #10)."""

from celery import shared_task


@shared_task(name="degrees.diploma_print_job_run")
def diploma_print_job_run(job_id: int) -> int | None:
    from degrees.services.printing import print_job_run

    return print_job_run(job_id)


@shared_task(name="degrees.diploma_print_job_finish")
def diploma_print_job_finish(job_id: int) -> int | None:
    from degrees.services.printing import print_job_finish

    return print_job_finish(job_id)


@shared_task(name="degrees.diplomas_render")
def diplomas_render(diploma_ids: list[int]) -> int:
    from degrees.services.printing import diplomas_render as render

    return render(diploma_ids)


@shared_task(name="degrees.register_export_run")
def register_export_run(job_id: int) -> int | None:
    from degrees.services.register_exports import register_export_run as run

    return run(job_id)
