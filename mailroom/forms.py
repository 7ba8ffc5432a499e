"""The one form of the mail pages: link an e-mail's sender to a citizen."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LinkCitizenForm(forms.Form):
    """The suggested citizen (`citizen`, an id) or a CPR or phone number."""

    citizen = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    lookup = forms.CharField(
        label=_("CPR or phone number"),
        required=False,
        max_length=30,
        help_text=_("The citizen's CPR number or phone number, exactly."),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("citizen") and not cleaned.get("lookup"):
            raise forms.ValidationError(_("Type the citizen's CPR or phone number."))
        return cleaned
