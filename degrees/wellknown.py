"""The college's public key, published where verifiers look for it (no login, cacheable)."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from degrees import credentials


@require_safe
@cache_control(public=True, max_age=3600)
def jwks(request):
    """JSON Web Key Set (RFC 7517) of the key that signs diplomas' credentials."""
    return JsonResponse(credentials.public_jwks(), content_type="application/jwk-set+json")


@require_safe
@cache_control(public=True, max_age=3600)
def did_document(request):
    """The `did:web` document the credentials' issuer and key id resolve to."""
    return JsonResponse(credentials.did_document(), content_type="application/did+json")


urlpatterns = [
    path(".well-known/jwks.json", jwks, name="degrees-jwks"),
    path(".well-known/did.json", did_document, name="degrees-did"),
]
