from django import template

from vetschool.sso import config

register = template.Library()


@register.inclusion_tag("sso/login_button.html")
def sso_login_button(next_url=""):
    """The login page's "log in with SSO" button, only when a provider is configured."""
    return {"configured": config.is_configured(), "next": next_url}
