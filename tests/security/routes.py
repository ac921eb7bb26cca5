"""Every URL pattern of the project, walked from the root resolver (admin and API
included), with a concrete URL and method to try for each."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

STANDARD_ADMIN = re.compile(
    r"^admin:(?P<app>[a-z0-9]+)_(?P<model>[a-z0-9]+)_"
    r"(?P<view>changelist|add|change|delete|history)$")


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str | None
    callback: object

    @property
    def key(self) -> str:
        """What the access table is keyed by: the URL name, or the pattern if unnamed."""
        return self.name or self.pattern

    @property
    def api_actions(self) -> dict:
        return getattr(self.callback, "actions", None) or {}


def _walk(resolver, prefix="", namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Route(prefix + str(entry.pattern), name, entry.callback)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver()))


def admin_model(app_label: str, model_name: str):
    for model in admin.site._registry:
        if model._meta.app_label == app_label and model._meta.model_name == model_name:
            return model
    return None


def first_pk(model) -> str:
    obj = model._default_manager.order_by("pk").first()
    return str(obj.pk) if obj else "1"


def url_of(route: Route, kwargs: dict) -> str:
    if route.name:
        return reverse(route.name, kwargs=kwargs)
    # Unnamed patterns (the admin's old-style object URL that redirects to the change
    # page, the admin's catch-all): fill the converters by hand.
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs.get(m.group(1), "1")),
                  route.pattern)
    path = path.replace("(?P<url>.*)$", "no-such-page/")
    return "/" + path
