from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vetschool.documents"
    label = "documents"
    verbose_name = _("Stored documents")

    def ready(self):
        # Each app declares its document kinds in its `documents.py`, discovered like
        # `admin.py`: the platform imports no domain app.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("documents")
