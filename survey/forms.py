from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.selectors import region_municipalities
from survey.card import AGE_BANDS, CARD, FORM_SELKO, SCALE, SCALE_SELKO, SKIP_SELKO
from survey.services import Answers

ANSWER_CHOICES = [(str(value), label) for value, label in SCALE] + [("", _("En halua vastata"))]
ANSWER_CHOICES_SELKO = [(str(value), label) for value, label in SCALE_SELKO] + [("", SKIP_SELKO)]


def _municipality_choices() -> list[tuple[str, str]]:
    from catalog.i18n import localized

    return [("", _("Koko alue"))] + [(m.code, localized(m, "name").text) for m in region_municipalities()]


class SurveyForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Kotikuntasi"), required=False)
    age_band = forms.ChoiceField(label=_("Ikäryhmäsi (vapaaehtoinen)"), required=False, choices=AGE_BANDS)
    support = forms.MultipleChoiceField(
        label=_("Haluaisin tukea näihin"),
        required=False,
        choices=[(t.key, t.title) for t in CARD],
        widget=forms.CheckboxSelectMultiple,
    )
    wish = forms.CharField(
        label=_("Mitä haluaisit tehdä? (vapaaehtoinen)"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Enintään %(limit_value)d merkkiä.")},
    )
    consent = forms.BooleanField(
        label=_("Vastaukseni saa tallentaa nimettömänä tilastoihin (kunta, ikäryhmä, teemojen pisteet ja viikko)."),
        required=False,
    )
    submission = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, selko: bool = False, **kwargs):
        """`selko`: the reader chose plain Finnish; questions, answers and labels in selkokieli."""
        super().__init__(*args, **kwargs)
        self.selko = selko
        self.fields["municipality"].choices = _municipality_choices()
        for theme in CARD:
            for question in theme.questions:
                self.fields[question.key] = forms.ChoiceField(
                    label=question.selko if selko else question.text,
                    required=False,
                    choices=ANSWER_CHOICES_SELKO if selko else ANSWER_CHOICES,
                    widget=forms.RadioSelect,
                )
        if selko:
            for name, label in FORM_SELKO.items():
                self.fields[name].label = label
            self.fields["support"].choices = [(t.key, t.selko_title) for t in CARD]
        if not self.is_bound:
            self.initial["submission"] = uuid.uuid4().hex

    def sections(self):
        """(number, theme, title, bound question fields) for the template, in card order."""
        return [
            (i, theme, theme.selko_title if self.selko else theme.title, [self[q.key] for q in theme.questions])
            for i, theme in enumerate(CARD, start=1)
        ]

    def clean_submission(self) -> str:
        value = self.cleaned_data["submission"]
        try:
            return uuid.UUID(value).hex
        except ValueError:
            return uuid.uuid4().hex  # a tampered id only loses the double-submit check

    def clean(self):
        data = super().clean()
        answered = [key for theme in CARD for key in (q.key for q in theme.questions) if data.get(key)]
        if not answered and not data.get("support"):
            raise forms.ValidationError(
                _("Vastaa vähintään yhteen kysymykseen tai valitse teema, johon haluaisit tukea."), code="empty"
            )
        return data

    def answers(self) -> Answers:
        data = self.cleaned_data
        values = {q.key: int(data[q.key]) for theme in CARD for q in theme.questions if data.get(q.key)}
        return Answers(
            municipality=data.get("municipality") or "",
            age_band=data.get("age_band") or "",
            values=values,
            support=list(data.get("support") or []),
            wish=" ".join((data.get("wish") or "").split()),
        )


class ProfessionalForm(forms.Form):
    support = forms.MultipleChoiceField(
        label=_("Keskustelussa esiin nousseet teemat"),
        choices=[(t.key, t.title) for t in CARD],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Valitse vähintään yksi teema.")},
    )
    municipality = forms.ChoiceField(label=_("Asiakkaan kotikunta"), required=False)
    wish = forms.CharField(label=_("Asiakkaan toive (vapaaehtoinen)"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = _municipality_choices()

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(
            municipality=data.get("municipality") or "",
            support=list(data["support"]),
            wish=" ".join((data.get("wish") or "").split()),
            professional=True,
        )
