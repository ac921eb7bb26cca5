"""Template helpers of the enrolment pages."""

from django import template
from django.utils.translation import get_language

register = template.Library()


def occupation_name(occupation) -> str:
    """The occupation's name in the page's language: English pages show the catalogue's
    English name when it has one, every other page the Vietnamese name."""
    if occupation is None:
        return ""
    language = (get_language() or "vi").split("-")[0]
    if language == "en" and getattr(occupation, "name_en", ""):
        return occupation.name_en
    return occupation.name_vi


register.filter("occupation_name", occupation_name)
