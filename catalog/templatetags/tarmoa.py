from __future__ import annotations

from django import template
from django.urls import translate_url
from django.utils.html import format_html

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
