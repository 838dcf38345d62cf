"""The workspace's filtered, paginated lists (services, error reports) render the same way."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PAGE_SIZE = 50


def list_page(request: HttpRequest, template: str, form: forms.Form, rows) -> HttpResponse:
    """A page of `rows` (the form's `page`, default 1) with the query string to page by; 400 on a bad filter."""
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(rows, PAGE_SIZE).get_page(data.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {"form": form, "page": page, "base_query": query.urlencode()},
        status=200 if form.is_valid() else 400,
    )
