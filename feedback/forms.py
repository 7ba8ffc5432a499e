from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.models import SurveyResult
from nemid_cases.versioning import VersionedFormMixin
from stakeholders.models import Organisation

SCORE_CHOICES = [
    (1, _("1 – Very dissatisfied")),
    (2, _("2 – Dissatisfied")),
    (3, _("3 – Neither satisfied nor dissatisfied")),
    (4, _("4 – Satisfied")),
    (5, _("5 – Very satisfied")),
]


class RatingForm(forms.Form):
    """A 1-5 rating with an optional comment (agent's form and citizen's page)."""

    score = forms.TypedChoiceField(
        label=_("How satisfied is the citizen with the help they received?"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional; at most 2000 characters."),
    )

    def __init__(self, *args, citizen: bool = False, **kwargs):
        kwargs.setdefault("prefix", "rating")
        super().__init__(*args, **kwargs)
        if citizen:
            self.fields["score"].label = _("How satisfied are you with the help you received?")
            self.fields["comment"].help_text = _(
                "Optional; at most 2000 characters. Please do not write your CPR number."
            )


class SurveyResultForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = SurveyResult
        fields = [
            "source",
            "conducted_by",
            "commissioned_by",
            "published_on",
            "is_date_estimated",
            "respondents",
            "base",
            "share_satisfied",
            "share_basis",
            "notes",
        ]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("conducted_by", "commissioned_by"):
            self.fields[name].queryset = Organisation.objects.order_by("name")

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        base, respondents = cleaned.get("base"), cleaned.get("respondents")
        if base is not None and respondents is not None and base > respondents:
            self.add_error(
                "base", _("The share cannot be of more respondents than the survey had.")
            )
        return cleaned
