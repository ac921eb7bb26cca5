from django import template

register = template.Library()


@register.filter
def item(mapping, key):
    """mapping[key], or an empty list (a report's figures by dimension)."""
    return (mapping or {}).get(key, [])
