"""Review of applications: filters, accent-insensitive search, decisions, enrolment,
admission list (XLSX) and admission letters (PDF)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from enrollment import exports, letters, selectors, services
from enrollment.admin.common import (
    NationalIdRevealMixin,
    admin_page,
    badge,
    ids_from,
    xlsx_response,
)
from enrollment.forms import ChangesForm, EnrolForm, ReasonForm, RequiredReasonForm
from enrollment.models import (
    AdmissionLetterJob,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    ApplicationWish,
)
from vetschool.admin import ExportPermissionMixin, ReadOnlyInline, admin_permission
from vetschool.forms import add_service_errors
from vetschool.jobs import job_progress
from vetschool.pdf import pdf_response
from vetschool.reference.models import Level, Occupation
from vetschool.uploads import file_download

MAX_LETTERS_PER_PDF = 500

DECISIONS = {
    # action: (form, title, service)
    "admit": (ReasonForm, _("Admit"), services.application_admit),
    "waitlist": (ReasonForm, _("Put on the waiting list"), services.application_waitlist),
    "reject": (RequiredReasonForm, _("Do not admit"), services.application_reject),
    "changes": (ChangesForm, _("Request changes"), services.application_request_changes),
}


class OccupationFilter(admin.SimpleListFilter):
    title = _("occupation")
    parameter_name = "occupation"

    def lookups(self, request, model_admin):
        return [(o.pk, str(o)) for o in Occupation.objects.filter(is_active=True)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            wished = ApplicationWish.objects.filter(occupation_id=self.value()).values(
                "application_id")
            return queryset.filter(Q(admitted_occupation_id=self.value())
                                   | Q(admitted_occupation__isnull=True, pk__in=wished))
        except (ValueError, ValidationError) as exc:
            # An occupation id the key cannot hold: the changelist's "?e=1", not a 500.
            raise IncorrectLookupParameters(exc) from exc


class LevelFilter(admin.SimpleListFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return Level.choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        first_wish = ApplicationWish.objects.filter(
            rank=1, occupation__level=self.value()).values("application_id")
        return queryset.filter(Q(admitted_occupation__level=self.value())
                               | Q(admitted_occupation__isnull=True, pk__in=first_wish))


class DocumentInline(ReadOnlyInline):
    model = ApplicationDocument
    fields = ("kind", "link", "content_type", "size", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def link(self, obj):
        url = reverse("admin:enrollment_application_document", args=[obj.application_id, obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url,
                           obj.original_name)


@admin.register(Application)
class ApplicationAdmin(ExportPermissionMixin, NationalIdRevealMixin, admin.ModelAdmin):
    # Status next to the name: it shows on a 1280 px screen without scrolling sideways.
    list_display = ("tracking_code", "full_name", "status_badge", "masked_id", "date_of_birth",
                    "wishes_short", "admitted_to", "round", "submitted_at")
    list_filter = ("round", "status", OccupationFilter, LevelFilter, "round__year", "gender",
                   "province", ("erased_at", admin.EmptyFieldListFilter))
    list_select_related = ("round", "admitted_occupation")
    list_per_page = 50
    show_full_result_count = False
    search_fields = ("tracking_code",)  # see get_search_results
    search_help_text = _("Name (with or without accents), tracking code, or the full "
                         "12-digit personal ID number.")
    date_hierarchy = "submitted_at"
    actions = ["admit", "waitlist", "reject", "request_changes", "enrol",
               "export_admission_list", "print_letters"]
    inlines = [DocumentInline]
    fieldsets = (
        (_("Decision"), {"fields": ("status_badge", "decision_links", "admitted_occupation",
                                    "decision_reason", "changes_requested", "decided_at",
                                    "decided_by")}),
        (_("Applicant"), {"fields": ("tracking_code", "round", "full_name", "date_of_birth",
                                     "gender", "national_id_display", "ethnic_group",
                                     "province", "address", "phone", "email")}),
        (_("Education and wishes"), {"fields": ("education_level", "school_name",
                                                "graduation_year", "wishes_long")}),
        (_("Consent to the processing of personal data"), {"fields": (
            "consent_version", "consented_at", "consent_text", "guardian_name",
            "guardian_relation", "guardian_phone", "guardian_consented", "erased_at")}),
        (_("History"), {"fields": ("log_display", "submitted_at")}),
    )
    readonly_fields = ("status_badge", "decision_links", "admitted_occupation",
                       "decision_reason", "changes_requested", "decided_at", "decided_by",
                       "tracking_code", "round", "full_name", "date_of_birth", "gender",
                       "national_id_display", "ethnic_group", "province", "address", "phone",
                       "email", "education_level", "school_name", "graduation_year",
                       "wishes_long", "log_display", "submitted_at", "consent_version",
                       "consented_at", "consent_text", "guardian_name", "guardian_relation",
                       "guardian_phone", "guardian_consented", "erased_at")

    class Media:
        css = {"all": ("enrollment/admin.css",)}

    # --- list ---------------------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            admin_prefetch_wishes())

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return selectors.application_search(queryset, search_term), False

    @admin.display(description=_("personal ID"))
    def masked_id(self, obj):
        return obj.national_id_masked

    @admin.display(description=_("wishes"))
    def wishes_short(self, obj):
        return " · ".join(w.occupation.code for w in obj.wishes.all())

    @admin.display(description=_("admitted to"), ordering="admitted_occupation__code")
    def admitted_to(self, obj):
        return obj.admitted_occupation.code if obj.admitted_occupation_id else "—"

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return badge(obj.status, obj.get_status_display())

    # --- change page --------------------------------------------------------------------

    @admin.display(description=_("wishes"))
    def wishes_long(self, obj):
        return format_html_join("", "<div>{}. {} — {}</div>", (
            (w.rank, w.occupation, w.occupation.get_level_display()) for w in obj.wishes.all()
        ))

    @admin.display(description=_("log"))
    def log_display(self, obj):
        return format_html("<ul class='vs-timeline'>{}</ul>", format_html_join(
            "", "<li><span class='when'>{} · {}</span><br><strong>{}</strong> {}</li>",
            ((timezone.localtime(e.at).strftime("%d/%m/%Y %H:%M"),
              e.by.get_full_name() if e.by else gettext("applicant"), e.label, e.message)
             for e in selectors.application_log(obj)),
        ))

    @admin.display(description=_("decide"))
    def decision_links(self, obj):
        if obj.status == ApplicationStatus.ENROLLED:
            enrollment = getattr(obj, "enrollment", None)
            if enrollment:
                url = reverse("admin:enrollment_learner_change", args=[enrollment.learner_id])
                return format_html('<a href="{}">{}</a>', url, enrollment.learner)
            return "—"
        links = [(reverse("admin:enrollment_application_decide", args=[action]) +
                  f"?ids={obj.pk}", title) for action, (_form, title, _s) in DECISIONS.items()]
        if obj.status == ApplicationStatus.ADMITTED:
            links.append((reverse("admin:enrollment_application_enrol") + f"?ids={obj.pk}",
                          gettext("Enrol")))
            links.append((reverse("admin:enrollment_application_letters") + f"?ids={obj.pk}",
                          gettext("Admission letter (PDF)")))
        return format_html("<div class='vs-actions'>{}</div>", format_html_join(
            "", '<a class="button" href="{}">{}</a>', links))

    def has_add_permission(self, request):
        return False  # applications come from the public form

    def has_delete_permission(self, request, obj=None):
        return False

    @admin_permission("view")
    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "show_save": False,
                         "show_save_and_continue": False, "show_save_and_add_another": False,
                         "show_delete": False}
        return super().change_view(request, object_id, form_url, extra_context)

    # --- custom pages -----------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("decide/<str:action>/", view(self.decide_view),
                 name="enrollment_application_decide"),
            path("enrol/", view(never_cache(self.enrol_view)),
                 name="enrollment_application_enrol"),
            path("letters/", view(self.letters_view), name="enrollment_application_letters"),
            path("letters/jobs/<int:pk>/", view(self.letters_job_view),
                 name="enrollment_application_letters_job"),
            path("letters/jobs/<int:pk>/download/", view(self.letters_job_download),
                 name="enrollment_application_letters_download"),
            path("<int:application_id>/document/<int:document_id>/", view(self.document_view),
                 name="enrollment_application_document"),
            *super().get_urls(),
        ]

    def _selected(self, request):
        ids = ids_from(request)
        applications = list(
            self.get_queryset(request).filter(pk__in=ids).select_related(
                "round", "admitted_occupation", "province")
        )
        if not applications:
            raise Http404
        return applications

    @admin_permission("change")
    def decide_view(self, request, action):
        if action not in DECISIONS:
            raise Http404
        form_class, title, service = DECISIONS[action]
        applications = self._selected(request)
        form = form_class(request.POST or None)
        if action == "admit" and len(applications) == 1:
            form.fields["occupation"] = admit_choice_field(applications[0])
        if request.method == "POST" and form.is_valid():
            done = self._decide(request, applications, action, service, form.cleaned_data)
            if len(applications) == 1:
                return redirect("admin:enrollment_application_change", applications[0].pk)
            if done:
                return redirect("admin:enrollment_application_changelist")
        return admin_page(request, self, "admin/enrollment/application/decide.html",
                          str(title), form=form, applications=applications, action=action,
                          ids=",".join(str(a.pk) for a in applications))

    def _decide(self, request, applications, action, service, data) -> int:
        done = 0
        for application in applications:
            kwargs = {"application": application, "by": request.user}
            if action == "changes":
                kwargs["message"] = data["message"]
            else:
                kwargs["reason"] = data.get("reason", "")
            if action == "admit" and data.get("occupation"):
                kwargs["occupation"] = data["occupation"]
            try:
                service(**kwargs)
                done += 1
            except ValidationError as error:
                messages.error(request, f"{application.tracking_code} {application.full_name}: "
                               + " ".join(error.messages))
        if done:
            messages.success(request, ngettext("%(n)d application decided.",
                                               "%(n)d applications decided.", done) % {"n": done})
        return done

    @admin_permission("change", "enrollment.add_learner")
    def enrol_view(self, request):
        applications = self._selected(request)
        form = EnrolForm(request.POST or None)
        results = None
        if request.method == "POST" and form.is_valid():
            try:
                results = services.applications_enroll(applications=applications,
                                                       by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
        if results is not None:
            return admin_page(request, self, "admin/enrollment/enrolment_result.html",
                              gettext("Enrolled"), results=results)
        return admin_page(request, self, "admin/enrollment/application/enrol.html",
                          gettext("Enrol admitted applicants"), form=form,
                          applications=applications,
                          ids=",".join(str(a.pk) for a in applications))

    @admin_permission("view")
    def letters_view(self, request):
        return self._letters(self._selected(request), request)

    @admin_permission("view")
    def document_view(self, request, application_id, document_id):
        document = get_object_or_404(ApplicationDocument, pk=document_id,
                                     application_id=application_id)
        # An attachment, never rendered inline: the applicant chose these bytes.
        suffix = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
            document.content_type, "")
        return file_download(document.file, content_type=document.content_type,
                             filename=f"{application_id}-{document.kind}-{document.pk}{suffix}")

    # --- actions ------------------------------------------------------------------------

    def _redirect(self, name, queryset, *args):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(reverse(name, args=args) + f"?ids={ids}")

    @admin.action(description=_("Admit (best-ranked wish with a place left)"),
                  permissions=["change"])
    def admit(self, request, queryset):
        applications = list(queryset.order_by("submitted_at", "pk"))
        self._decide(request, applications, "admit", services.application_admit, {})

    @admin.action(description=_("Put on the waiting list…"), permissions=["change"])
    def waitlist(self, request, queryset):
        return self._redirect("admin:enrollment_application_decide", queryset, "waitlist")

    @admin.action(description=_("Do not admit…"), permissions=["change"])
    def reject(self, request, queryset):
        return self._redirect("admin:enrollment_application_decide", queryset, "reject")

    @admin.action(description=_("Request changes…"), permissions=["change"])
    def request_changes(self, request, queryset):
        return self._redirect("admin:enrollment_application_decide", queryset, "changes")

    @admin.action(description=_("Enrol as learners…"), permissions=["change"])
    def enrol(self, request, queryset):
        return self._redirect("admin:enrollment_application_enrol", queryset)

    @admin.action(description=_("Export the admission list (XLSX)"), permissions=["export"])
    def export_admission_list(self, request, queryset):
        applications = queryset.select_related("round", "admitted_occupation", "province")
        return xlsx_response(exports.admission_list_xlsx(applications.order_by(
            "admitted_occupation__code", "full_name")), "danh-sach-trung-tuyen.xlsx")

    @admin.action(description=_("Print admission letters (PDF)"), permissions=["view"])
    def print_letters(self, request, queryset):
        return self._letters(list(queryset.select_related("round", "admitted_occupation")),
                             request)

    @admin_permission("view")
    def letters_job_view(self, request, pk):
        jobs = AdmissionLetterJob.objects.all()
        if request.GET.get("format") == "json":
            return job_progress(request, jobs, pk)
        job = get_object_or_404(jobs, pk=pk, created_by=request.user)
        return admin_page(request, self, "admin/enrollment/application/letters_job.html",
                          gettext("Admission letters"), job=job)

    @admin_permission("view")
    def letters_job_download(self, request, pk):
        job = get_object_or_404(AdmissionLetterJob, pk=pk, created_by=request.user)
        if not job.file:
            raise Http404
        return file_download(job.file, filename="giay-bao-trung-tuyen.pdf",
                             content_type="application/pdf")

    def _letters(self, applications, request=None):
        admitted = [a for a in applications if a.status in (ApplicationStatus.ADMITTED,
                                                            ApplicationStatus.ENROLLED)]
        if not admitted:
            return HttpResponse(gettext("None of the selected applications is admitted."),
                                status=400, content_type="text/plain; charset=utf-8")
        if len(admitted) > MAX_LETTERS_PER_PDF:
            return HttpResponse(
                gettext("Select at most %(n)d applications per PDF.") % {"n": MAX_LETTERS_PER_PDF},
                status=400, content_type="text/plain; charset=utf-8")
        if request is not None and len(admitted) > settings.ENROLLMENT_LETTERS_IN_REQUEST:
            job = letters.letters_job_start(applications=admitted, by=request.user)
            return HttpResponseRedirect(
                reverse("admin:enrollment_application_letters_job", args=[job.pk]))
        return pdf_response(letters.admission_letters_pdf(letters.letters_in_order(admitted)),
                            "giay-bao-trung-tuyen.pdf")


def admin_prefetch_wishes():
    from django.db.models import Prefetch

    return Prefetch("wishes", queryset=ApplicationWish.objects.select_related("occupation"))


def admit_choice_field(application):
    from django import forms

    return forms.ModelChoiceField(
        label=_("Admit to"), required=False,
        queryset=Occupation.objects.filter(pk__in=application.wishes.values("occupation")),
        empty_label=_("the best-ranked wish with a place left"),
    )
