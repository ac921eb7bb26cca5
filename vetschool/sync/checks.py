"""System checks of the sync configuration and registry."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from vetschool.sync import registry


@register()
def national_api_settings(app_configs, **kwargs):
    errors = []
    if settings.NATIONAL_API_URL and not settings.NATIONAL_API_SECRET:
        errors.append(Error(
            "NATIONAL_API_URL is set but NATIONAL_API_SECRET is not.",
            hint="Set NATIONAL_API_SECRET (or NATIONAL_API_SECRET_FILE, a file holding it); "
                 "a URL from the environment never uses a secret stored in the database.",
            id="sync.E001",
        ))
    if settings.NATIONAL_SYNC_BATCH_SIZE > 1000 or settings.NATIONAL_SYNC_BATCH_SIZE < 1:
        errors.append(Error(
            "NATIONAL_SYNC_BATCH_SIZE must be between 1 and 1000 (the contract's limit).",
            id="sync.E002",
        ))
    if settings.NATIONAL_SYNC_LEASE_SECONDS <= settings.NATIONAL_API_TIMEOUT:
        errors.append(Warning(
            "NATIONAL_SYNC_LEASE_SECONDS should be longer than NATIONAL_API_TIMEOUT, or a "
            "slow answer lets a second sender re-send the same batch meanwhile.",
            id="sync.W001",
        ))
    return errors


@register()
def registered_record_types(app_configs, **kwargs):
    errors = []
    for record_type in registry.record_types():
        for model, mapper in record_type.source_models():
            if isinstance(mapper, str) and mapper not in {f.column for f in
                                                          model._meta.concrete_fields}:
                errors.append(Error(
                    f"record type {record_type.name!r}: {model._meta.label} has no column "
                    f"{mapper!r}.",
                    hint="A source given as a string names the column that holds the root "
                         "object's primary key (e.g. 'learner_id').",
                    id="sync.E003",
                ))
    return errors
