"""Forms of the data-request pages: find a citizen, export, erase."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enquiries import cpr
from privacy.models import DataRequest

REASON_HELP = _("How and when the citizen asked, e.g. “Letter received 3 March”. It is logged.")


class CitizenFindForm(forms.Form):
    """An exact CPR number, sent in the body so it never lands in an address."""

    cpr = forms.CharField(
        label=_("CPR number"),
        max_length=20,
        help_text=_("The citizen's full number, DDMMYY-XXXX: only an exact match is found."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_cpr(self) -> str:
        return cpr.normalize_cpr(self.cleaned_data["cpr"])


class AccessExportForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, help_text=REASON_HELP)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=DataRequest.Format.choices,
        initial=DataRequest.Format.HTML,
        widget=forms.RadioSelect,
    )


class ErasureForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, help_text=REASON_HELP)
    confirm = forms.BooleanField(
        label=_("I have checked the citizen's identity and that nothing must be kept."),
        error_messages={"required": _("Confirm that you have checked the request.")},
    )
