from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from vetschool.accounts import roles


def home(request):
    """The landing page: public links for visitors, each role's home for users."""
    if request.user.is_authenticated:
        return redirect(roles.home_url_name(request.user))
    return render(request, "home.html")


@login_required
def no_role(request):
    return render(request, "accounts/no_role.html", status=403)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked account/address: a page that says what to do."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes,
               "address_blocked": getattr(request, "login_address_blocked", False)}
    return render(request, "accounts/locked.html", context, status=429)
