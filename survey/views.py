from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.access import PROFESSIONAL, role_required
from survey.forms import ProfessionalForm, SurveyForm
from survey.services import Answers, SurveyLinkError, SurveyLinkExpired, recommendations, survey_response_store
from tarmoa.lib.ratelimit import hit, rate_limit
from tarmoa.lib.selko import reading_selko


@rate_limit("survey", methods=["POST"])
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST if request.method == "POST" else None, selko=reading_selko(request))
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        # Statistics are capped per client so they cannot be inflated in bulk; over the cap
        # the person still gets their result (a class behind one address is never turned away).
        if form.cleaned_data["consent"] and not hit(request, "survey_store"):
            survey_response_store(answers=answers, submission_id=form.cleaned_data["submission"])
        return redirect("survey:result", token=answers.to_token())
    return render(request, "survey/survey.html", {"form": form}, status=400 if form.errors else 200)


@never_cache  # Cache-Control: no-store: the answers stay out of shared and browser caches
@require_http_methods(["GET"])
def result(request: HttpRequest, token: str) -> HttpResponse:
    try:
        answers = Answers.from_token(token)
    except SurveyLinkExpired:
        return _link_problem(request, _("Tämä tuloslinkki on vanhentunut: linkit toimivat 30 päivää."))
    except SurveyLinkError:
        return _link_problem(request, _("Tuloslinkki on virheellinen. Tarkista, että kopioit koko linkin."))
    context = {
        "answers": answers,
        "recommendations": recommendations(answers),
        "share_url": request.build_absolute_uri(),
    }
    return render(request, "survey/result.html", context)


def _link_problem(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "survey/link_problem.html", {"message": message}, status=400)


@never_cache
@role_required(PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def professional(request: HttpRequest) -> HttpResponse:
    form = ProfessionalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return redirect(reverse("survey:result", kwargs={"token": form.answers().to_token()}))
    return render(request, "survey/professional.html", {"form": form}, status=400 if form.errors else 200)
