"""The selkokieli (plain Finnish) reading option: a cookie the reader sets on any page.

Shared by the resident pages (front) and the survey, which sits below front in the app layers.
"""

from django.utils.translation import get_language

SELKO_COOKIE = "tarmoa_selko"


def reading_selko(request) -> bool:
    """The reader chose plain Finnish (selkokieli): a reading option of the Finnish pages only."""
    return request.COOKIES.get(SELKO_COOKIE) == "1" and (get_language() or "fi")[:2] == "fi"
