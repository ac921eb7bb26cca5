import time

from django.core.management.base import BaseCommand

from grading.services.recompute_jobs import recompute_job_create


class Command(BaseCommand):
    help = ("Recompute the results of every enrolment with study rounds (or of the ones "
            "given) in chunks spread over the Celery workers, e.g. after a change of the "
            "grading rules. The job and its progress show in the admin (results "
            "recomputes).")

    def add_arguments(self, parser):
        parser.add_argument("enrollment_ids", nargs="*", type=int,
                            help="Only these enrolments (default: every one with rounds).")
        parser.add_argument("--wait", action="store_true",
                            help="Follow the job's progress until it ends.")

    def handle(self, *args, enrollment_ids=(), wait=False, **options):
        job = recompute_job_create(enrollment_ids=enrollment_ids)
        self.stdout.write(f"Results recompute {job.pk} queued.")
        while wait:
            job.refresh_from_db()
            self.stdout.write(f"{job.status}: {job.done}/{job.total} enrolments, "
                              f"{job.chunks_done}/{job.chunks} chunks")
            if job.finished:
                if job.error:
                    self.stderr.write(job.error)
                break
            time.sleep(2)
        return None

