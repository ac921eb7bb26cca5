"""Admission letters as one PDF, always in Vietnamese: they are official documents.

A few letters are rendered in the request; a larger selection (more than
ENROLLMENT_LETTERS_IN_REQUEST) is an `AdmissionLetterJob` rendered by a worker, its page
showing the progress and then the download (vetschool.jobs)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from enrollment.models import AdmissionLetterJob, Application
from enrollment.tasks import admission_letters_render
from vetschool.jobs import job_run, queue_after_commit
from vetschool.pdf import render_pdf
from vetschool.reference.models import Institution


def admission_letters_pdf(applications: Sequence[Application]) -> bytes:
    return render_pdf("enrollment/pdf/admission_letter.html", {
        "applications": applications,
        "institution": Institution.current(),
        "today": timezone.localdate(),
    }, language="vi")


def letters_in_order(applications):
    """The order letters are printed in: by admitted occupation, then name."""
    return sorted(applications, key=lambda a: (a.admitted_occupation.code, a.full_name))


@transaction.atomic
def letters_job_start(*, applications: Sequence[Application], by) -> AdmissionLetterJob:
    job = AdmissionLetterJob.objects.create(
        application_ids=[a.pk for a in letters_in_order(applications)],
        total=len(applications), created_by=by)
    queue_after_commit(admission_letters_render, job.pk)
    return job


def letters_job_run(*, job_id: int):
    def work(job: AdmissionLetterJob) -> int:
        by_id = Application.objects.select_related("round", "admitted_occupation").in_bulk(
            job.application_ids)
        applications = [by_id[pk] for pk in job.application_ids if pk in by_id]
        job.file.save("giay-bao-trung-tuyen.pdf",
                      ContentFile(admission_letters_pdf(applications)), save=False)
        job.done = len(applications)
        return job.done

    return job_run(AdmissionLetterJob, job_id, work)
