"""Public admission pages (apply, follow an application) and the learner's own record."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enrollment import selectors, services
from enrollment.consent import CONSENT_GUARDIAN_BELOW_AGE
from enrollment.forms import (
    ApplicationForm,
    CorrectionRequestForm,
    LookupForm,
    RespondForm,
)
from enrollment.models import AdmissionRound, Application, ApplicationLog, ApplicationStatus
from enrollment.services import privacy
from vetschool import ratelimit
from vetschool.accounts.decorators import role_required
from vetschool.accounts.roles import LEARNER
from vetschool.forms import add_service_errors
from vetschool.pdf import pdf_response, render_pdf
from vetschool.uploads import (
    PendingUpload,
    draft_upload_forget,
    draft_upload_keep,
    draft_upload_read,
)

SUBMITTED_KEY = "enrollment.submitted"
LOOKUP_KEY = "enrollment.lookup"
# Lookups that failed from one address in the window before it must wait.
LOOKUP_MAX_FAILURES = 10
LOOKUP_WINDOW_SECONDS = 15 * 60
# What the applicant may read of the office's log.
PUBLIC_LOG_ACTIONS = (
    ApplicationLog.SUBMITTED, ApplicationLog.CHANGES_REQUESTED, ApplicationLog.RESUBMITTED,
    ApplicationLog.ADMITTED, ApplicationLog.WAITLISTED, ApplicationLog.REJECTED,
    ApplicationLog.ENROLLED,
)


def admissions(request):
    today = timezone.localdate()
    rounds = list(selectors.round_open_list(today=today))
    upcoming = AdmissionRound.objects.filter(is_published=True, opens_on__gt=today).order_by(
        "opens_on")[:3]
    offers = [(r, list(selectors.round_quota_usage(r))) for r in rounds]
    return render(request, "enrollment/admissions.html",
                  {"offers": offers, "upcoming": upcoming})


def apply(request, round_id: int):
    """The online application. A submission that fails keeps its valid files: each is
    stored once as a draft (vetschool.uploads.draft_upload_keep) and named in the page by
    a signed token tied to this visitor's session and this round, so the applicant does
    not upload it again; a new file replaces it."""
    round = get_object_or_404(AdmissionRound, pk=round_id, is_published=True)
    if not round.is_open_on(timezone.localdate()):
        return render(request, "enrollment/round_closed.html", {"round": round}, status=410)
    kept: dict[str, tuple[str, object]] = {}
    if request.method == "POST":
        owner = _draft_owner(request, round)
        kept = _kept_documents(owner, request.POST)
        form = ApplicationForm(request.POST, request.FILES, round=round,
                               kept={name: upload for name, (_t, upload) in kept.items()})
        if form.is_valid():
            try:
                application = services.application_submit(**form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                for token, _upload in kept.values():
                    draft_upload_forget(owner=owner, token=token)
                request.session[SUBMITTED_KEY] = application.tracking_code
                return redirect("enrollment:submitted")
        kept = _keep_documents(owner, form, request.FILES, kept)
    else:
        form = ApplicationForm(round=round)
    documents = [(form[name], kept[name][0] if name in kept else "",
                  kept[name][1].filename if name in kept else "")
                 for name in ApplicationForm.DOCUMENTS]
    return render(request, "enrollment/apply.html",
                  {"round": round, "form": form, "documents": documents,
                   "guardian_below_age": CONSENT_GUARDIAN_BELOW_AGE},
                  status=400 if form.errors else 200)


KEPT_PREFIX = "kept_"


def _draft_owner(request, round: AdmissionRound) -> str:
    """Who may read a kept file back: this browser's session, for this round."""
    if not request.session.session_key:
        request.session.save()
    request.session.modified = True  # the session cookie goes out with this answer
    return f"enrollment.apply:{round.pk}:{request.session.session_key}"


def _kept_documents(owner: str, data) -> dict:
    """Document field → (token, upload) of the files kept by an earlier failed submission;
    a token of another session or round, expired, or forged names nothing."""
    kept = {}
    for name in ApplicationForm.DOCUMENTS:
        token = data.get(KEPT_PREFIX + name, "")
        upload = draft_upload_read(owner=owner, token=token) if token else None
        if upload is not None:
            kept[name] = (token, upload)
    return kept


def _keep_documents(owner: str, form, files, kept: dict) -> dict:
    """After a failed submission: each new upload that passed its check is kept (replacing
    the one kept before for that field); a refused upload keeps the earlier file."""
    errors = form.errors
    kept = dict(kept)
    for name in ApplicationForm.DOCUMENTS:
        upload = files.get(name)
        if upload is None or name in errors:
            continue
        upload.seek(0)
        content = upload.read()
        if name in kept:
            draft_upload_forget(owner=owner, token=kept[name][0])
        token = draft_upload_keep(owner=owner, content=content, filename=upload.name)
        kept[name] = (token, PendingUpload(content=content, filename=upload.name, extra={}))
    return kept


def submitted(request):
    code = request.session.get(SUBMITTED_KEY)
    if not code:
        return redirect("enrollment:admissions")
    application = Application.objects.select_related("round").filter(tracking_code=code).first()
    return render(request, "enrollment/submitted.html", {"application": application})


def lookup(request):
    form = LookupForm(request.POST or None)
    if request.method == "POST":
        # Each attempt takes its number atomically before the look-up runs (vetschool.ratelimit):
        # of many concurrent attempts, at most LOOKUP_MAX_FAILURES are looked up. A match
        # clears the count, so only failures add up.
        attempts_key = f"enrollment.lookup-attempts:{ratelimit.client_address(request)}"
        if ratelimit.hit(attempts_key, LOOKUP_WINDOW_SECONDS) > LOOKUP_MAX_FAILURES:
            form.is_valid()
            form.add_error(None, _("Too many attempts. Try again in 15 minutes."))
        elif form.is_valid():
            application = selectors.application_lookup(
                tracking_code=form.cleaned_data["tracking_code"],
                date_of_birth=form.cleaned_data["date_of_birth"],
            )
            if application is not None:
                request.session[LOOKUP_KEY] = application.pk
                ratelimit.clear(attempts_key)
                return redirect("enrollment:status")
            form.add_error(None, _("No application matches this tracking code and date of "
                                   "birth. Check both and try again."))
    return render(request, "enrollment/lookup.html", {"form": form},
                  status=400 if form.errors else 200)


def _looked_up(request) -> Application | None:
    pk = request.session.get(LOOKUP_KEY)
    if not pk:
        return None
    return (
        Application.objects.select_related("round", "admitted_occupation")
        .prefetch_related("wishes__occupation", "documents")
        .filter(pk=pk).first()
    )


def status(request):
    application = _looked_up(request)
    if application is None:
        return redirect("enrollment:lookup")
    log = application.log.filter(action__in=PUBLIC_LOG_ACTIONS).order_by("at", "id")
    respond_form = None
    if application.status == ApplicationStatus.CHANGES_REQUESTED:
        respond_form = RespondForm()
    return render(request, "enrollment/status.html", {
        "application": application, "log": log, "respond_form": respond_form,
    })


@require_POST
def respond(request):
    application = _looked_up(request)
    if application is None:
        return redirect("enrollment:lookup")
    form = RespondForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.application_respond(application=application,
                                         note=form.cleaned_data["note"],
                                         documents=form.documents())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your changes were sent to the admissions "
                                        "office."))
            return redirect("enrollment:status")
    log = application.log.filter(action__in=PUBLIC_LOG_ACTIONS).order_by("at", "id")
    return render(request, "enrollment/status.html", {
        "application": application, "log": log, "respond_form": form,
    }, status=400)


def lookup_end(request):
    request.session.pop(LOOKUP_KEY, None)
    return redirect("enrollment:lookup")


@role_required(LEARNER)
def my_record(request):
    learner = selectors.learner_of_user(request.user)
    enrollments = []
    if learner is not None:
        enrollments = list(
            learner.enrollments.select_related("occupation")
            .prefetch_related("status_changes").order_by("-admission_year")
        )
    return render(request, "enrollment/my_record.html",
                  {"learner": learner, "enrollments": enrollments})


def _own_learner(request):
    """The asking learner's own record, or 404: a learner reads and writes only their own
    data, so no view here takes a learner id."""
    learner = selectors.learner_of_user(request.user)
    if learner is None:
        raise Http404
    return learner


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(LEARNER)
def my_data_json(request):
    """The learner's copy of their personal data, as JSON (a right of the data subject)."""
    data = privacy.learner_personal_data(_own_learner(request))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    return _private(response)


@role_required(LEARNER)
def my_data_pdf(request):
    data = privacy.learner_personal_data(_own_learner(request))
    pdf = render_pdf("enrollment/pdf/personal_data.html",
                     {"data": data, "generated_at": timezone.now()},
                     language=request.LANGUAGE_CODE)
    return _private(pdf_response(pdf, "personal-data.pdf", inline=False))


@role_required(LEARNER)
def my_corrections(request):
    learner = _own_learner(request)
    form = CorrectionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.correction_request_submit(learner=learner, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your request was sent to the training office."))
            return redirect("enrollment:my-corrections")
    return render(request, "enrollment/my_corrections.html", {
        "form": form, "requests": learner.correction_requests.order_by("-requested_at"),
        "deadline_days": settings.PERSONAL_DATA_CORRECTION_DAYS,
    }, status=400 if form.errors else 200)
