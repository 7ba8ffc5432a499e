"""The forms of the mail pages: link a sender to a citizen, and decide about
mail set aside (file it as an enquiry, discard it)."""

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


class FileAsEnquiryForm(forms.Form):
    """The queue a message set aside is filed in as a new enquiry."""

    queue: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Queue"), queryset=None)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("Why it is filed, for the log (optional)."),
    )

    def __init__(self, *args, queues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = queues


class DiscardForm(forms.Form):
    """Why a message set aside is discarded; its kept bytes are deleted."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("For the log, e.g. spam or a duplicate of another e-mail."),
    )
