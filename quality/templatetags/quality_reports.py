from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def item(mapping, key):
    """mapping[key], or an empty list (a report's figures by dimension)."""
    return (mapping or {}).get(key, [])


BAR_WIDTH, BAR_GAP, CHART_HEIGHT = 14, 6, 40


@register.inclusion_tag("quality/_trend_chart.html")
def trend_chart(trend):
    """A small bar chart of a tile's trend (per cent per year) as inline SVG: attributes,
    not styles, so the content security policy needs no exception."""
    bars = []
    for index, point in enumerate(trend):
        percent = point.percent
        height = 0 if percent is None else int(
            (percent * CHART_HEIGHT / 100).quantize(Decimal(1), ROUND_HALF_UP))
        bars.append({"x": index * (BAR_WIDTH + BAR_GAP), "y": CHART_HEIGHT - height,
                     "height": height, "point": point})
    return {"bars": bars, "width": len(bars) * (BAR_WIDTH + BAR_GAP), "height": CHART_HEIGHT,
            "bar_width": BAR_WIDTH}
