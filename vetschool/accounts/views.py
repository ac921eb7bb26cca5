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
