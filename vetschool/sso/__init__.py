"""Single sign-on through OpenID Connect (docs/security.md, "Single sign-on").

Built on mozilla-django-oidc: the provider, the client and which claim finds the account
are settings (OIDC_* in README.md), so the college's identity server today and the
national digital-identity platform later are the same code.
"""
