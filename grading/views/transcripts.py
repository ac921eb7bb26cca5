"""Results pages: the learner's progress and transcript (page and PDF), any learner's
transcript for the training office, class-wide transcript PDFs in the background, and the
lists of learners under academic warning with the semester's standing review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from grading import rules
from grading import selectors as sel
from grading.documents import KIND_OF_LANGUAGE
from grading.forms import StandingReviewForm, WarningFilterForm
from grading.models import StandingReview, StandingReviewJob, TranscriptBatch
from grading.pdf import transcript_filename
from grading.services.results import standing_review_start
from grading.services.transcript_batches import transcript_batch_start
from grading.transcripts import transcript_of
from training import selectors as training_selectors
from training.models import HomeroomClass
from vetschool.accounts.decorators import allowed, role_required
from vetschool.accounts.roles import LEARNER
from vetschool.documents.services import document_pdf
from vetschool.jobs import JobStatus, job_progress
from vetschool.pdf import pdf_response


@role_required(LEARNER)
def student_home(request):
    """The learner's class, program version and sections this semester, and results."""
    semester = training_selectors.semester_current()
    learner = sel.own_learner(request.user)
    studies = (training_selectors.learner_studies(learner, semester) if learner
               else {"memberships": [], "links": [], "entries": []})
    return render(request, "grading/student_home.html", {
        "semester": semester, **studies,
        "transcript": transcript_of(learner) if learner else None,
    })


def _pdf_response(request, learner) -> HttpResponse:
    """The Vietnamese transcript; ?lang=en its English version (a second, labelled PDF).
    Read from storage when rendered from the current results (vetschool.documents)."""
    language = "en" if request.GET.get("lang") == "en" else "vi"
    return pdf_response(document_pdf(KIND_OF_LANGUAGE[language], learner.pk),
                        transcript_filename(learner, language=language))


# --- Learner -------------------------------------------------------------------------------


@role_required(LEARNER)
def student_transcript(request):
    learner = sel.own_learner(request.user)
    if learner is None:
        raise Http404
    return render(request, "grading/transcript_page.html", {
        "transcript": transcript_of(learner), "own": True})


@role_required(LEARNER)
def student_transcript_pdf(request):
    learner = sel.own_learner(request.user)
    if learner is None:
        raise Http404
    return _pdf_response(request, learner)


# --- Training office --------------------------------------------------------------------------


@allowed(rules.can_read_all_transcripts)
def office_transcript(request, pk):
    learner = sel.learner_for_transcript(user=request.user, learner_id=pk)
    return render(request, "grading/transcript_page.html", {
        "transcript": transcript_of(learner), "own": False})


@allowed(rules.can_read_all_transcripts)
def office_transcript_pdf(request, pk):
    return _pdf_response(request, sel.learner_for_transcript(
        user=request.user, learner_id=pk))


@allowed(rules.is_training_office)
@require_http_methods(["GET", "POST"])
def class_transcripts(request, pk):
    """Start the class-wide transcript PDFs (Celery) and follow their progress."""
    homeroom_class = get_object_or_404(HomeroomClass, pk=pk)
    if request.method == "POST":
        batch = transcript_batch_start(homeroom_class=homeroom_class,
                                       enrollments=sel.class_enrollments(homeroom_class),
                                       by=request.user)
        return redirect("grading:batch", pk=batch.pk)
    batches = TranscriptBatch.objects.filter(homeroom_class=homeroom_class)[:10]
    return render(request, "grading/class_transcripts.html", {
        "homeroom_class": homeroom_class, "batches": batches,
        "enrollments": sel.class_enrollments(homeroom_class)})


@allowed(rules.is_training_office)
def batch_status(request, pk):
    batches = TranscriptBatch.objects.select_related("homeroom_class")
    if request.GET.get("format") == "json":  # any office user follows any batch
        return job_progress(request, batches, pk, may_see=lambda user, batch: True)
    batch = get_object_or_404(batches, pk=pk)
    return render(request, "grading/batch.html", {"batch": batch})


@allowed(rules.is_training_office)
def batch_download(request, pk):
    batch = get_object_or_404(TranscriptBatch, pk=pk)
    if not batch.file:
        raise Http404
    return FileResponse(batch.file.open("rb"), as_attachment=True,
                        filename=f"bang-diem-{batch.homeroom_class.code}.pdf")


@allowed(rules.can_read_all_transcripts)
def warnings(request):
    """Learners under academic warning (or dismissed) after a semester."""
    form = WarningFilterForm(request.GET or None)
    semester = form.cleaned_data.get("semester") if form.is_valid() else None
    if semester is None:
        semester = form.fields["semester"].queryset.first()
    items = list(sel.warning_list(user=request.user, semester=semester)) if semester else []
    review = StandingReview.objects.filter(semester=semester).first() if semester else None
    # Closing the review runs in a worker: the page follows the latest job of the semester
    # until it ends, and shows its error if it failed.
    job = (StandingReviewJob.objects.filter(semester=semester).first()
           if semester and review is None else None)
    running = job is not None and not job.finished
    return render(request, "grading/warnings.html", {
        "form": form, "semester": semester, "items": items, "review": review,
        "review_form": StandingReviewForm(), "job": job,
        "job_error": job.error.split(": ", 1)[-1]
        if job is not None and job.status == JobStatus.FAILED else "",
        "can_close": rules.is_training_office(request.user) and review is None and not running,
    })


@allowed(rules.is_training_office)
@require_POST
def standing_review(request, semester_pk):
    from training.models import Semester

    semester = get_object_or_404(Semester, pk=semester_pk)
    form = StandingReviewForm(request.POST)
    if form.is_valid():
        try:
            standing_review_start(semester=semester, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{reverse('grading:warnings')}?semester={semester.pk}")


@allowed(rules.is_training_office)
def standing_review_job(request, pk):
    """The progress of closing a standing review (JSON for the widget); the page itself is
    the semester's warnings page."""
    jobs = StandingReviewJob.objects.all()
    if request.GET.get("format") == "json":  # any office user follows the office's job
        return job_progress(request, jobs, pk, may_see=lambda user, job: True)
    job = get_object_or_404(jobs, pk=pk)
    return redirect(f"{reverse('grading:warnings')}?semester={job.semester_id}")
