from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key], or the key itself when the mapping does not know it."""
    return mapping.get(key, key) if isinstance(mapping, dict) else key


@register.filter
def percent(share) -> str:
    """0.256 -> "26 %"; None (hidden) -> "–"."""
    if share is None or share == "":
        return "–"
    return f"{round(float(share) * 100)} %"


@register.filter
def decimal1(value) -> str:
    """12.5 -> "12,5"; None (population unknown) -> "–"."""
    if value is None or value == "":
        return "–"
    return f"{float(value):.1f}".replace(".", ",")
