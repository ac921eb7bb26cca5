import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token

from vetschool import ratelimit, workqueue
from vetschool.accounts import mfa, roles
from vetschool.accounts.middleware import must_change_password, password_change_required_message
from vetschool.accounts.tasks import password_reset_mail_send


def home(request):
    """The landing page: public links for visitors, each role's home for users."""
    if request.user.is_authenticated:
        return redirect(roles.home_url_name(request.user))
    return render(request, "home.html")


@login_required
def work_queue(request):
    """The home of the office roles (registrar, QA, HR; a superuser sees all three): what
    waits for them, each a count linking to the filtered list, and the office pages."""
    if not workqueue.has_queue(request.user):
        raise PermissionDenied
    return render(request, "accounts/work_queue.html", {
        "queues": workqueue.queues_for(request.user),
        "pages": workqueue.pages_for(request.user),
    })


@login_required
def no_role(request):
    return render(request, "accounts/no_role.html", status=403)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked account/address: a page that says what to do."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes,
               "address_blocked": getattr(request, "login_address_blocked", False)}
    return render(request, "accounts/locked.html", context, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an e-mail address and always answers "sent" (the same page, whether or not
    an account has that address); the mail goes out from a task after the answer.

    Rate-limited in the shared cache per client address and per e-mail address, counted
    before anything is looked up, so the limit says nothing about accounts either."""

    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        window = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
        by_address = ratelimit.hit(
            f"accounts.password-reset-address:{ratelimit.client_address(self.request)}", window)
        # The address is hashed: the cache need not hold who asked for what.
        email_key = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
        by_email = ratelimit.hit(f"accounts.password-reset-email:{email_key}", window)
        if (by_address > settings.PASSWORD_RESET_RATE_PER_ADDRESS
                or by_email > settings.PASSWORD_RESET_RATE_PER_EMAIL):
            form.add_error(None, _("Too many password reset requests. Please try again in "
                                   "%(minutes)s minutes.")
                           % {"minutes": settings.PASSWORD_RESET_WINDOW_MINUTES})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        language = translation.get_language()
        transaction.on_commit(lambda: password_reset_mail_send.delay(email, language))
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """The new password must differ from the old one: typing the generated password again
    would keep a password someone else has seen."""

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password1")
        if password and "new_password2" not in self.errors and self.user.check_password(password):
            self.add_error("new_password2", auth_forms.ValidationError(
                _("The new password must be different from the current one."),
                code="password_unchanged"))
        return cleaned


class PasswordChangeView(auth_views.PasswordChangeView):
    """The password change; the one page (with logout) open to a user whose password was
    generated. A successful change clears User.must_change_password and, if the change was
    forced, leads to the page first asked for (or the user's home)."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forced"] = must_change_password(self.request.user)
        if context["forced"]:
            context["forced_message"] = password_change_required_message()
        context["next"] = self.next_url()
        return context

    def next_url(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if target and url_has_allowed_host_and_scheme(
                target, allowed_hosts={self.request.get_host()},
                require_https=self.request.is_secure()):
            return target
        return ""

    def form_valid(self, form):
        forced = form.user.must_change_password
        form.user.must_change_password = False
        response = super().form_valid(form)  # saves the user (the flag with it)
        if forced:
            messages.success(self.request, _("Your new password is set."))
            return HttpResponseRedirect(self.next_url() or reverse("home"))
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A password chosen through the e-mailed link is the user's own: it clears
    User.must_change_password too."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        form.user.must_change_password = False
        return super().form_valid(form)


# --- The second factor of staff (vetschool.accounts.mfa) ---------------------------------

def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path of this site only: redirect() would take a bare word for a view name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return url + "?" + urlencode({"next": next_url}) if next_url else url


def _second_factor_user(request):
    """The pages of the second factor are for the users who must give one."""
    if not mfa.second_factor_required(request.user):
        raise PermissionDenied


@login_required
def mfa_verify(request):
    """After the password: a code of the authenticator app, or one recovery code."""
    _second_factor_user(request)
    next_url = _safe_next(request)
    if mfa.second_factor_done(request):
        return HttpResponseRedirect(next_url or reverse("home"))
    if not mfa.has_confirmed_device(request.user):
        return redirect(_with_next("accounts:mfa-enrol", next_url))
    error = ""
    if request.method == "POST":
        device = match_token(request.user, request.POST.get("code", "").replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()  # a new session id for the stronger login
            return HttpResponseRedirect(next_url or reverse("home"))
        error = _("The code is not valid, or was already used. Please try again.")
    return render(request, "accounts/mfa_verify.html",
                  {"next": next_url, "error": error}, status=400 if error else 200)


@login_required
def mfa_enrol(request):
    """A new authenticator app: the QR code of its secret, confirmed by one of its codes.
    A user whose session passed the second factor may replace the app they have."""
    _second_factor_user(request)
    next_url = _safe_next(request)
    if mfa.has_confirmed_device(request.user) and not mfa.second_factor_done(request):
        return redirect(_with_next("accounts:mfa-verify", next_url))
    device = mfa.pending_totp_device(request.user)
    error = ""
    if request.method == "POST":
        if device.verify_token(request.POST.get("code", "").replace(" ", "")):
            codes = mfa.enrolment_confirm(request.user, device)
            otp_login(request, device)
            request.session.cycle_key()
            request.session[mfa.NEW_RECOVERY_CODES_KEY] = codes
            return redirect(_with_next("accounts:mfa-recovery", next_url))
        error = _("The code is not valid. Type the code your app shows now.")
    uri = device.config_url
    return render(request, "accounts/mfa_enrol.html", {
        "next": next_url, "error": error, "qr": mfa.qr_svg(uri), "uri": uri,
        "secret": mfa.otpauth_secret(device),
    }, status=400 if error else 200)


@login_required
def mfa_recovery(request):
    """The recovery codes, shown once, right after they are made; a POST makes new ones
    (the old ones stop working)."""
    _second_factor_user(request)
    if not mfa.second_factor_done(request):
        return redirect(_with_next("accounts:mfa-verify", request.get_full_path()))
    next_url = _safe_next(request)
    if request.method == "POST":
        request.session[mfa.NEW_RECOVERY_CODES_KEY] = mfa.recovery_codes_renew(request.user)
        return redirect(_with_next("accounts:mfa-recovery", next_url))
    codes = request.session.pop(mfa.NEW_RECOVERY_CODES_KEY, None)
    return render(request, "accounts/mfa_recovery.html", {"next": next_url, "codes": codes})
