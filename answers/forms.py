from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from answers.models import AnswerTemplateVersion, Reply
from answers.placeholders import PLACEHOLDERS
from nemid_cases import idempotency


def placeholder_help() -> str:
    return _("Placeholders: %(names)s.") % {
        "names": ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    }


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight in Copenhagen: a version published "on" a day is in force all of it."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class TemplateVersionForm(forms.Form):
    """A new version of a template (with its key when the template is new)."""

    valid_on = forms.DateField(
        label=_("In force from"),
        required=False,
        help_text=_("The day the version takes effect; empty: now."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    subject_da = forms.CharField(label=_("Danish subject"), max_length=200)
    body_da = forms.CharField(label=_("Danish text"), max_length=20000, widget=forms.Textarea)
    subject_en = forms.CharField(label=_("English subject"), max_length=200)
    body_en = forms.CharField(label=_("English text"), max_length=20000, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body_da"].help_text = placeholder_help()
        self.fields["body_en"].help_text = placeholder_help()

    def version_values(self) -> dict:
        data = dict(self.cleaned_data)
        day = data.pop("valid_on", None)
        data.pop("key", None)
        data["valid_from"] = start_of(day) if day else None
        return data


class NewTemplateForm(TemplateVersionForm):
    key = forms.SlugField(
        label=_("Key"),
        max_length=80,
        help_text=_("A stable key shared by every version, e.g. welcome-letter."),
    )
    field_order = ["key", "valid_on", "subject_da", "body_da", "subject_en", "body_en"]


class ReplyForm(forms.Form):
    # A double click or a repeated POST sends one reply, not two.
    idempotency_key = forms.CharField(
        required=False, max_length=255, widget=forms.HiddenInput, initial=idempotency.new_key
    )
    template_version = forms.ModelChoiceField(
        label=_("Answer template"),
        queryset=AnswerTemplateVersion.objects.none(),
        required=False,
        empty_label=_("None (free text)"),
        help_text=_("The version in force today is offered; “Use template” fills in the text."),
    )
    channel = forms.ChoiceField(
        label=_("Send as"), choices=Reply.Channel.choices, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(label=_("Language"), choices=Reply.Language.choices)
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Text"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    wait_for_citizen = forms.BooleanField(
        label=_("Set the enquiry to “Waiting for citizen”"), required=False
    )

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["template_version"]
        # Offered: the versions in force; taken: any version (an older one
        # chosen from a template's page, as the API allows).
        field.queryset = AnswerTemplateVersion.objects.select_related("template")
        field.choices = [("", field.empty_label)] + [
            (v.pk, f"{v.template.key} (v{v.version})") for v in versions
        ]


class InForceOnForm(forms.Form):
    on = forms.DateField(
        label=_("Text in force on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
