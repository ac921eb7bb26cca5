"""The root URL map: the composition root that mounts each app's pages by dotted name.

Domain apps register API viewsets on `vetschool.api.router` from their own
`api.py`, discovered here like `admin.py`.
"""

from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from vetschool import health, privacy
from vetschool.accounts import views as account_views
from vetschool.accounts.api import ObtainTokenView
from vetschool.api import router

autodiscover_modules("api")


def favicon(request):
    """Browsers ask for /favicon.ico on pages that link no icon (the admin's); resolved per
    request because the production file name carries a content hash."""
    return redirect(static_url("favicon.ico"))


admin.site.site_header = _("vetschool — college administration")
admin.site.site_title = _("vetschool")
admin.site.index_title = _("Administration")
# django-otp registers admins of its devices (English-only pages); the devices are the
# staff member's own business, managed in the portal (/accounts/mfa/). Unregistered here,
# after the admin's autodiscovery has registered them.
for _otp_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_otp_model):
        admin.site.unregister(_otp_model)

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/sso/", include("vetschool.sso.urls")),
    path("accounts/", include("vetschool.accounts.urls")),
    path("office/", account_views.work_queue, name="office-home"),
    path("privacy/", privacy.processing_purposes_page, name="processing-purposes"),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up code as a file: the CSP refuses inline scripts.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
         name="api-docs"),
    # Domain apps' pages.
    path("", include("enrollment.urls")),
    path("", include("training.urls")),
    path("", include("grading.urls")),
    path("", include("staff.urls")),
    path("", include("degrees.urls")),
    path("", include("enterprises.urls")),
    path("", include("quality.urls")),
]

# Outside any API view, /api/ answers keep the API's one error shape (vetschool.api).
handler400 = "vetschool.api.handler400"
handler403 = "vetschool.api.handler403"
handler404 = "vetschool.api.handler404"
handler500 = "vetschool.api.handler500"

# MEDIA_ROOT is served by no URL, not even with DEBUG: every uploaded or generated file goes
# out through a view that checks the asker (vetschool.uploads.file_download, docs/security.md).
