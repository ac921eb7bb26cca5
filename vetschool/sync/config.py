"""Where the push goes: environment variables first, then the stored configuration.

Each of NATIONAL_API_URL, NATIONAL_API_INSTITUTION and NATIONAL_API_SECRET (or
NATIONAL_API_SECRET_FILE) wins over what seed_demo or an administrator stored. One
exception keeps a production URL from being paired with a demo secret: when the URL
comes from the environment, so must the secret (system check sync.E001).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ENVIRONMENT = "environment"
STORED = "stored"
# What the dashboard shows for `source`: the raw value is a code, not a word for the user.
SOURCE_LABELS = {
    ENVIRONMENT: gettext_lazy("environment variables"),
    STORED: gettext_lazy("the settings stored in the administration"),
}


@dataclass(frozen=True)
class NationalConfig:
    url: str
    institution: str
    secret: str
    source: str  # where the URL came from: "environment", "stored" or ""
    disabled_reason: str = ""

    @property
    def enabled(self) -> bool:
        return not self.disabled_reason

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    @property
    def base_url(self) -> str:
        return self.url.rstrip("/")


def current_config() -> NationalConfig:
    from vetschool.reference.models import Institution
    from vetschool.sync.models import Configuration

    stored = Configuration.objects.filter(pk=1).first()
    env_url = settings.NATIONAL_API_URL
    url = env_url or (stored.url if stored else "")
    source = ENVIRONMENT if env_url else (STORED if url else "")
    institution = settings.NATIONAL_API_INSTITUTION or (stored.institution_code if stored else "")
    if not institution and url:
        college = Institution.current()
        institution = college.ministry_code if college else ""
    secret = settings.NATIONAL_API_SECRET
    if not secret and not env_url and stored:
        secret = stored.secret

    reason = ""
    if not url:
        reason = _("sync disabled: NATIONAL_API_URL not set")
    elif not secret:
        reason = _("sync disabled: NATIONAL_API_SECRET not set")
    elif not institution:
        reason = _("sync disabled: no institution code (NATIONAL_API_INSTITUTION)")
    return NationalConfig(url=url, institution=institution, secret=secret, source=source,
                          disabled_reason=reason)
