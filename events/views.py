from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from events import selectors
from events.forms import EventFilterForm
from events.ics import event_ics


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or {"when": "week"})
    items = selectors.upcoming(form.filters()) if form.is_valid() else []
    return render(request, "events/list.html", {"form": form, "items": items}, status=200 if form.is_valid() else 400)


@require_GET
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_for_resident(event_id=event_id)
    if event is None:
        raise Http404
    context = {"event": event, "occurrences": selectors.next_occurrences(event), "themes": list(event.themes.all())}
    return render(request, "events/detail.html", context)


@require_GET
def event_calendar(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_for_resident(event_id=event_id)
    if event is None:
        raise Http404
    url = request.build_absolute_uri(reverse("events:detail", args=[event.id]))
    body = event_ics(event, selectors.next_occurrences(event, count=20), url=url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tapahtuma-{event.id}.ics"'
    return response
