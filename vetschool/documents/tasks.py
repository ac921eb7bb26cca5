"""Celery task of stored documents: a thin wrapper that takes keys and calls the service."""

from celery import shared_task


@shared_task(name="documents.prerender")
def documents_prerender(kind: str, keys: list[str]) -> int:
    from vetschool.documents.services import documents_prerender as prerender

    return prerender(kind, keys)
