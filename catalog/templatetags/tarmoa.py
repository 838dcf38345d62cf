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


def fallback_notice(language: str, *, short: bool = False) -> str:
    """What a reader is told when a text is not in their language ("Tämä teksti on vain suomeksi")."""
    from django.utils.translation import gettext

    if short:
        notes = {"fi": gettext("suomeksi"), "sv": gettext("ruotsiksi"), "en": gettext("englanniksi")}
    else:
        notes = {
            "fi": gettext("Tämä teksti on vain suomeksi"),
            "sv": gettext("Tämä teksti on vain ruotsiksi"),
            "en": gettext("Tämä teksti on vain englanniksi"),
        }
    return notes.get(language, "")


@register.simple_tag
def tr(obj, field: str, note: str = ""):
    """Text of ``obj.<field>`` in the current language; a Finnish (or other) fallback gets its own lang attribute.

    With ``note="full"`` (or ``"short"``) a fallback is also marked visibly, in the reader's language.
    """
    value = localized(obj, field)
    if value.is_fallback:
        html = format_html('<span lang="{}">{}</span>', value.language, value.text)
        if note:
            template = (
                ' <span class="fallback-note">({})</span>'
                if note == "short"
                else '<span class="fallback-note">{}</span>'
            )
            html += format_html(template, fallback_notice(value.language, short=note == "short"))
        return html
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
        return format_html(
            '<p class="fallback-note">{}</p><div lang="{}">{}</div>',
            fallback_notice(value.language),
            value.language,
            mark_safe(html),  # noqa: S308 - escaped by linebreaks
        )
    return mark_safe(html)  # noqa: S308 - escaped by linebreaks


def _parsed_phone(number: str):
    import phonenumbers

    try:
        parsed = phonenumbers.parse(str(number or ""), "FI")
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number(parsed) else None


@register.filter
def phone(number) -> str:
    """A phone number for reading: Finnish ones in grouped national format ("017 182 2320"),
    others in international format; what does not parse (116 123, free text) stays as given."""
    import phonenumbers

    parsed = _parsed_phone(number)
    if parsed is None:
        return str(number or "")
    if parsed.country_code != 358:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    prefix, _sep, subscriber = national.partition(" ")
    if not subscriber:
        return national
    # Finnish convention: the subscriber part in groups of three, the last group up to four digits.
    groups = []
    while len(subscriber) > 4:
        cut = 3 if len(subscriber) != 8 else 4
        groups.append(subscriber[:cut])
        subscriber = subscriber[cut:]
    groups.append(subscriber)
    return " ".join([prefix, *groups])


@register.filter
def phone_e164(number) -> str:
    """The number for a tel: link, in E.164 (+358171822320); unparseable ones lose only spaces."""
    import phonenumbers

    parsed = _parsed_phone(number)
    if parsed is None:
        return "".join(ch for ch in str(number or "") if ch.isdigit() or ch == "+")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@register.filter
def for_reader(items) -> list[dict]:
    """Contact items (web pages, phones, e-mails with a "language") in the reader's language, once.

    The source lists one per language ("Kuopion uimahalli / Kuopio simhall / Kuopio Swimming
    Hall"); the reader gets those of their language, else those of the first language in
    fi, sv, en order, plus items with no language, without duplicates. Items not in the
    reader's language carry ``is_fallback`` so the template can mark their ``lang``.
    """
    from catalog.i18n import FALLBACK_ORDER, current_language

    rows = [item for item in (items or []) if isinstance(item, dict)]
    present = {item.get("language") or "" for item in rows}
    wanted = current_language()
    chosen = wanted if wanted in present else next((lang for lang in FALLBACK_ORDER if lang in present), "")
    out, seen = [], set()
    for item in rows:
        language = item.get("language") or ""
        if language not in (chosen, ""):
            continue
        key = item.get("url") or item.get("number") or item.get("value")
        if key in seen:
            continue
        seen.add(key)
        out.append({**item, "is_fallback": bool(language) and language != wanted})
    return out


@register.simple_tag
def join_parts(*parts, separator: str = ", "):
    """Non-empty parts joined once (", Väinölänniemenkatu 2" never starts with a comma)."""
    from django.utils.html import conditional_escape

    kept = [conditional_escape(p) for p in parts if str(p).strip()]
    return mark_safe(conditional_escape(separator).join(kept))  # noqa: S308 - every part escaped above


@register.filter
def offer_prices(offers, shown: str = "") -> list[dict]:
    """Price texts of event offers in the reader's language (else Finnish), each once, leaving
    out one that only repeats what is shown already ("Maksuton – Maksuton")."""
    from catalog.i18n import FALLBACK_ORDER, current_language

    wanted = current_language()
    out, seen = [], {str(shown).strip().casefold()} if shown else set()
    for offer in offers or []:
        prices = offer.get("price") if isinstance(offer, dict) else None
        if not isinstance(prices, dict):
            continue
        language = wanted if prices.get(wanted) else next((lang for lang in FALLBACK_ORDER if prices.get(lang)), "")
        text = str(prices.get(language) or "").strip()
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append({"text": text, "language": language, "is_fallback": language != wanted})
    return out
