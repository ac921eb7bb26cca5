"""Counters in the shared cache for rate limits and look-up throttles.

Every web process shares the cache (Redis in production, settings.CACHES), so a limit
holds across processes. A counter is created with `cache.add` and raised with
`cache.incr`, both atomic in Redis and in the local-memory cache: concurrent requests
each get their own number, where a read followed by a write let them all read the same
one (issue #18: 13 of 30 concurrent look-ups got through a limit of 10).
"""

from django.core.cache import cache


def hit(key: str, window_seconds: int) -> int:
    """Count one event under `key` and return the count within the window (1 for the first).

    The window starts with the first event and is not extended by later ones."""
    if cache.add(key, 1, window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr: this event opens a new window
        cache.add(key, 0, window_seconds)
        return cache.incr(key)


def count(key: str) -> int:
    """The current count under `key` (0 when none or expired), without counting."""
    return int(cache.get(key, 0))


def clear(key: str) -> None:
    cache.delete(key)


def client_address(request) -> str:
    """The address limits count against: REMOTE_ADDR, as django-axes takes it."""
    return request.META.get("REMOTE_ADDR") or "unknown"
