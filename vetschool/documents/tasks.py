"""Celery task of stored documents: a thin wrapper that takes keys and calls the service."""

from celery import shared_task


@shared_task(name="documents.prerender")
def documents_prerender(kind: str, keys: list[str]) -> int:
    from vetschool.documents.services import documents_prerender as prerender

    return prerender(kind, keys)


@shared_task(name="documents.bulk_chunk")
def documents_bulk_chunk(kind: str, keys: list[str], job_label: str = "",
                         job_id: int = 0, number: int = 0) -> int:
    from vetschool.documents.services import documents_bulk_chunk as chunk

    return chunk(kind, keys, job_label, job_id, number)
