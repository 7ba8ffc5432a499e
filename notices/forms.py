from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nemid_cases.versioning import VersionedFormMixin
from notices.models import Incident, PublicationDraft, Service, StandardText


def _text_choices() -> list[tuple[str, str]]:
    codes = (
        StandardText.objects.filter(kind=StandardText.Kind.INCIDENT)
        .order_by("code")
        .values_list("code", flat=True)
        .distinct()
    )
    return [(code, code) for code in codes]


class _TextCodeForm(forms.Form):
    text_code = forms.ChoiceField(
        label=_("Standard text"),
        help_text=_("The version in force now is published; later changes do not alter it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text_code"].choices = _text_choices()


class IncidentForm(_TextCodeForm):
    title_da = forms.CharField(label=_("Danish title"), max_length=200)
    title_en = forms.CharField(label=_("English title"), max_length=200)
    services = forms.MultipleChoiceField(
        label=_("Affected services"),
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Incident.Severity.choices)
    started_at = forms.DateTimeField(
        label=_("Started"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    expected_end_at = forms.DateTimeField(
        label=_("Expected end"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    field_order = [
        "title_da",
        "title_en",
        "services",
        "severity",
        "started_at",
        "expected_end_at",
        "text_code",
    ]


class IncidentUpdateForm(_TextCodeForm):
    expected_end_at = forms.DateTimeField(
        label=_("New expected end"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class ResolveIncidentForm(_TextCodeForm):
    ended_at = forms.DateTimeField(
        label=_("Ended"),
        required=False,
        help_text=_("Empty: now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class _DecisionForm(VersionedFormMixin, forms.Form):
    """A decision on a draft, at the version its approver read."""

    def __init__(self, *args, draft: PublicationDraft, **kwargs):
        self.draft = draft
        super().__init__(*args, **kwargs)

    def versioned_row(self) -> PublicationDraft:
        return self.draft


class ApproveDraftForm(_DecisionForm):
    pass


class RejectDraftForm(_DecisionForm):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The author is sent it."),
    )


class IncidentChoiceForm(forms.Form):
    """Pick a recent incident (the enquiry list's bulk link)."""

    # Older incidents are not offered: their enquiries were linked by now.
    RECENT_DAYS = 90

    incident = forms.ModelChoiceField(
        label=_("Incident"),
        queryset=Incident.objects.none(),
        empty_label=_("Choose an incident"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        since = timezone.now() - timedelta(days=self.RECENT_DAYS)
        self.fields["incident"].queryset = Incident.objects.filter(started_at__gte=since).order_by(
            "-started_at", "-id"
        )


class IdsField(forms.Field):
    """Several whole-number ids from repeated form values (ticked boxes)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        values = value or []
        if not all(str(v).isascii() and str(v).isdigit() and len(str(v)) <= 18 for v in values):
            raise forms.ValidationError(_("Choose enquiries from the list."))
        return [int(v) for v in values]


class IncidentLinkForm(forms.Form):
    """Link the ticked suggestions, or every suggestion (`all_suggested`)."""

    enquiry = IdsField(label=_("Enquiries"), required=False)
    all_suggested = forms.BooleanField(label=_("Every suggested enquiry"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("enquiry") and not cleaned.get("all_suggested"):
            raise forms.ValidationError(_("Tick the enquiries to link."))
        return cleaned
