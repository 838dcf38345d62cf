from __future__ import annotations

from django import template
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from catalog.i18n import localized

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language: str) -> str:
    """The current page's address in another language (the language switch)."""
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language)


@register.simple_tag
def tr(obj, field: str):
    """Text of ``obj.<field>`` in the current language; a Finnish (or other) fallback gets its own lang attribute."""
    value = localized(obj, field)
    if value.is_fallback:
        return format_html('<span lang="{}">{}</span>', value.language, value.text)
    return value.text


@register.simple_tag
def tr_text(obj, field: str) -> str:
    """Plain text of ``obj.<field>`` in the current language (for attributes)."""
    return localized(obj, field).text


def _dict_text(texts) -> tuple[str, str, bool]:
    from catalog.i18n import FALLBACK_ORDER, current_language

    if not isinstance(texts, dict):
        return "", "", False
    wanted = current_language()
    for lang in (wanted, *FALLBACK_ORDER):
        value = texts.get(lang)
        if isinstance(value, str) and value:
            return value, lang, lang != wanted
    return "", "", False


@register.simple_tag
def tr_dict_text(texts) -> str:
    """Plain text of a {lang: text} value in the current language (for attributes such as alt)."""
    return _dict_text(texts)[0]


@register.simple_tag
def tr_dict(texts):
    """A {lang: text} value (as sources send them) in the current language, a fallback with its lang attribute."""
    value, lang, fallback = _dict_text(texts)
    return format_html('<span lang="{}">{}</span>', lang, value) if fallback else value


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def facet_count(result, facet: str, value) -> str:
    """ " (12)" beside a filter choice when the current result set has a count for it."""
    if not result:
        return ""
    key = "slug" if facet == "themes" else "code"
    for item in result.facets.get(facet, []):
        if item[key] == str(value):
            return f" ({item['count']})"
    return " (0)"


@register.simple_tag(takes_context=True)
def area_label(context, service) -> str:
    from django.utils.translation import gettext

    from catalog.models import Municipality

    if service.area_type in ("Nationwide", "NationwideExceptAlandIslands"):
        return gettext("Koko Suomi")
    municipalities = getattr(service, "card_municipalities", None)
    if municipalities is None:
        municipalities = list(service.municipalities.all())
    region_size = sum(1 for m in municipalities if m.region_id)
    request = context.get("request")
    total = getattr(request, "_tarmoa_region_size", None)
    if total is None:
        total = Municipality.objects.filter(region__isnull=False).count()
        if request is not None:
            request._tarmoa_region_size = total
    if total and region_size >= total:
        return gettext("Koko hyvinvointialue")
    return ", ".join(localized(m, "name").text for m in municipalities)


@register.simple_tag
def tr_block(obj, field: str):
    """Multi-paragraph text in the current language, with line breaks kept and a lang attribute on fallbacks."""
    from django.utils.html import linebreaks

    value = localized(obj, field)
    if not value.text:
        return ""
    html = linebreaks(value.text, autoescape=True)
    if value.is_fallback:
        return format_html('<div lang="{}">{}</div>', value.language, mark_safe(html))  # noqa: S308 - escaped by linebreaks
    return mark_safe(html)  # noqa: S308 - escaped by linebreaks
