"""Pages of degrees: the public verification page (by QR token, or serial + date of birth
posted in a form),
the credential status list, online copy requests, and the learner's own diplomas."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from degrees import credentials, selectors
from degrees.documents import DIPLOMA_COPY
from degrees.forms import CopyRequestForm, GraduationApplicationForm, VerifyForm
from degrees.models import CopyRequest
from degrees.pdf import diploma_filename
from degrees.services.applications import graduation_application_submit
from degrees.services.requests import copy_request_submit
from vetschool.accounts.decorators import role_required
from vetschool.accounts.roles import LEARNER
from vetschool.documents.services import document_pdf
from vetschool.pdf import pdf_response

REQUEST_KEY = "degrees.copy_request"


def _envelope(diploma) -> dict | None:
    if not diploma.credential:
        return None
    return credentials.enveloped(diploma.credential)


def _verification(request, diploma, form, *, looked_up: bool, status=200):
    envelope = _envelope(diploma) if diploma else None
    return render(request, "degrees/verify.html", {
        "form": form, "diploma": diploma, "looked_up": looked_up,
        "credential_json": json.dumps(envelope, ensure_ascii=False, indent=2) if envelope
        else "",
    }, status=status)


def _limited(request):
    return render(request, "degrees/verify.html", {
        "form": VerifyForm(), "limited": True}, status=429)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def verify(request):
    """The form (GET) and the look-up (POST): serial number + date of birth. The date of
    birth is personal data, so it travels in the body of a POST, never in the address
    (addresses end up in logs, browser history and Referer headers). A GET carrying the
    old query string is not looked up: it shows the empty form. The same answer for "no
    such serial" and "wrong date of birth"."""
    if request.method != "POST":
        return _verification(request, None, VerifyForm(), looked_up=False)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return _verification(request, None, form, looked_up=False, status=400)
    if not selectors.verification_allowed(selectors.client_address(request)):
        return _limited(request)
    diploma = selectors.verify_by_serial(form.cleaned_data["serial_number"],
                                         form.cleaned_data["date_of_birth"])
    return _verification(request, diploma, form, looked_up=True,
                         status=200 if diploma else 404)


@require_GET
@never_cache
def verify_token(request, token):
    """Opened by the QR code printed on the diploma."""
    if not selectors.verification_allowed(selectors.client_address(request)):
        return _limited(request)
    diploma = selectors.verify_by_token(token)
    return _verification(request, diploma, VerifyForm(), looked_up=True,
                         status=200 if diploma else 404)


@require_GET
def verify_credential(request, token):
    """The signed credential of a diploma as JSON (the envelope any verifier reads)."""
    if not selectors.verification_allowed(selectors.client_address(request)):
        return JsonResponse({"detail": "rate limited"}, status=429)
    diploma = selectors.verify_by_token(token)
    envelope = _envelope(diploma) if diploma else None
    if envelope is None:
        raise Http404
    response = JsonResponse(envelope, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{diploma.serial_number}.json"'
    return response


@require_GET
def status_list(request):
    """The credentials' public status list: revoked or replaced diplomas' indexes."""
    token = credentials.status_list_credential(selectors.revoked_or_replaced_indexes())
    return HttpResponse(token, content_type="application/vc+jwt")


# The college's public key, where verifiers look for it (no login, cacheable).
@require_safe
@cache_control(public=True, max_age=3600)
def jwks(request):
    """JSON Web Key Set (RFC 7517) of the key that signs diplomas' credentials."""
    return JsonResponse(credentials.public_jwks(), content_type="application/jwk-set+json")


@require_safe
@cache_control(public=True, max_age=3600)
def did_document(request):
    """The `did:web` document the credentials' issuer and key id resolve to."""
    return JsonResponse(credentials.did_document(), content_type="application/did+json")


# --- Online requests -------------------------------------------------------------------------


def request_new(request):
    form = CopyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not selectors.verification_allowed(selectors.client_address(request)):
            return _limited(request)
        try:
            copy_request = copy_request_submit(
                kind=data["kind"], serial_number=data["serial_number"],
                date_of_birth=data["date_of_birth"], full_name=data["full_name"],
                email=data["email"], phone=data["phone"], copies=data["copies"],
                note=data["note"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("degrees-request-status", code=copy_request.tracking_code)
    return render(request, "degrees/request_new.html", {"form": form},
                  status=400 if form.errors else 200)


def request_status(request, code):
    copy_request = get_object_or_404(CopyRequest.objects.select_related("diploma"),
                                     tracking_code=code)
    return render(request, "degrees/request_status.html", {"copy_request": copy_request})


# --- Learner ---------------------------------------------------------------------------------


@role_required(LEARNER)
def my_diplomas(request):
    return render(request, "degrees/my_diplomas.html", {
        "diplomas": list(selectors.own_diplomas(request.user).prefetch_related("copies"))})


@role_required(LEARNER)
def my_graduation(request):
    """The learner's graduation conditions on record (certificates) and their application
    for a review off the program schedule (REGULATIONS §4.1 e)."""
    form = GraduationApplicationForm(
        request.POST or None,
        enrollments=selectors.own_enrollments(request.user).filter(status="studying"))
    if request.method == "POST" and form.is_valid():
        try:
            graduation_application_submit(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your application has been recorded."))
            return redirect("degrees-my-graduation")
    return render(request, "degrees/my_graduation.html", {
        "form": form, **selectors.own_graduation_page(request.user)},
        status=400 if form.errors else 200)


@role_required(LEARNER)
def my_diploma_pdf(request, pk):
    diploma = selectors.own_diploma(request.user, pk)
    return pdf_response(document_pdf(DIPLOMA_COPY, diploma.pk),
                        diploma_filename(diploma, copy=True))


@role_required(LEARNER)
def my_credential(request, pk):
    diploma = selectors.own_diploma(request.user, pk)
    envelope = _envelope(diploma)
    if envelope is None:
        raise Http404(_("No signed credential for this diploma."))
    response = JsonResponse(envelope, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{diploma.serial_number}.json"'
    return response
